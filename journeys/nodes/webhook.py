"""Webhook: an HTTP POST of a signed JSON body to a URL. Secrets for signing come from settings."""

from typing import Literal

from pydantic import Field, field_validator

from journeys.nodes.base import NodeSpec, StrictConfig, shorten


class Config(StrictConfig):
    url: str = Field(min_length=1, max_length=2_000)
    method: Literal["POST", "PUT", "PATCH"] = "POST"
    body: str = Field(default="", max_length=100_000, description="Liquid template; empty sends the contact")
    headers: dict[str, str] = Field(default_factory=dict, description="Extra non-secret headers")

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://", "{{")):
            raise ValueError("url must start with http:// or https://")
        return value

    @field_validator("headers")
    @classmethod
    def _no_secrets(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if name.lower() in {"authorization", "cookie", "x-api-key", "proxy-authorization"}:
                raise ValueError(f"header {name!r} would put a secret in the journey; configure it in settings")
        return value


SPEC = NodeSpec(
    type="webhook",
    label="Webhook",
    category="action",
    icon="webhook",
    description="Call another system over HTTP.",
    config_model=Config,
    summary=lambda c: f"{c.method} {shorten(c.url, 34)}",
    templates=lambda c: {k: v for k, v in {"url": c.url, "body": c.body}.items() if v},
    example={"url": "https://example.com/hooks/parcours"},
)
