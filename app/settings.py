"""Settings from environment variables prefixed PARCOURS_ (or a .env file)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path("data")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARCOURS_", env_file=".env", extra="ignore")

    database_url: str = Field(default=f"sqlite:///{DATA_DIR / 'parcours.db'}")
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    # Signs sessions and links. When unset, one is generated once and kept in data/secret.key.
    secret: str = Field(default="", repr=False)
    # Encrypts provider keys at rest. When unset, a key is derived from the secret above.
    encryption_key: str = Field(default="", repr=False)
    run_worker: bool = Field(default=True, description="Run the journey engine inside the web process")
    default_region: str = Field(default="FR", description="Region for phone numbers without a country code")

    def resolved_secret(self) -> str:
        if self.secret:
            return self.secret
        path = DATA_DIR / "secret.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
