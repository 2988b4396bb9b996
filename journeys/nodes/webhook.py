"""Webhook: an HTTP POST of a signed JSON body to a URL. Secrets for signing come from settings.

What can be checked without the network is checked here (scheme, credentials in the URL, header names and
values); whether the address is allowed needs DNS and is checked by the application at publish and send time.
"""

import re
from functools import partial
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from journeys.nodes.base import NodeSpec, Phrase, StrictConfig, shorten
from journeys.nodes.form import FormField
from journeys.steps.message import send

SECRET_HEADERS = frozenset({"authorization", "cookie", "x-api-key", "proxy-authorization"})
# Routing and hop-by-hop headers belong to the connection, not to the journey (RFC 9110 §7.6.1).
FORBIDDEN_HEADERS = frozenset(
    {"host", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length"}
)
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$")  # an RFC 9110 header field name
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def is_templated(text: str) -> bool:
    return "{{" in text or "{%" in text


def header_problem(name: str, value: str) -> str | None:
    """Why this header cannot be set by a journey, or None. Shared by validation and the sender."""
    lowered = name.lower()
    if not _TOKEN.match(name):
        return f"header name {name!r} is not a valid HTTP header name"
    if lowered in FORBIDDEN_HEADERS or lowered.startswith("proxy-"):
        return f"header {name!r} cannot be set: it is a routing or hop-by-hop header"
    if lowered in SECRET_HEADERS:
        return f"header {name!r} would put a secret in the journey; configure it in settings"
    if _CONTROL.search(value):
        return f"header {name!r} has a line break or control character in its value"
    return None


def url_problem(url: str) -> str | None:
    """Why a URL cannot be called, judged from its text alone (templated parts are checked after rendering)."""
    if url.startswith(("{{", "{%")):
        return None  # the whole address comes from a template: checked at send time
    try:
        parts = urlsplit(url)
    except ValueError:
        return "url is not a valid address"
    if parts.scheme.lower() not in {"http", "https"} or not url.lower().startswith(("http://", "https://")):
        return "url must start with http:// or https://"
    if is_templated(parts.netloc):
        return None
    if "@" in parts.netloc:
        return "url must not carry a user name or password; configure credentials in settings"
    if not parts.hostname:
        return "url has no host"
    return None


class Config(StrictConfig):
    url: str = Field(min_length=1, max_length=2_000)
    method: Literal["POST", "PUT", "PATCH"] = "POST"
    body: str = Field(default="", max_length=100_000, description="Liquid template; empty sends the contact")
    headers: dict[str, str] = Field(default_factory=dict, description="Extra non-secret headers")

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        problem = url_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("headers")
    @classmethod
    def _allowed_headers(cls, value: dict[str, str]) -> dict[str, str]:
        for name, header_value in value.items():
            problem = header_problem(name, header_value)
            if problem:
                raise ValueError(problem)
        return value


FORM = (
    FormField("text", "url", "field.url", hint="https://"),
    FormField("choose", "method", "field.method", options=(("POST", ""), ("PUT", ""), ("PATCH", "")), default="POST"),
    FormField("text", "body", "field.body", optional=True, multiline=True),
    FormField("note", label="note.secrets", small=True),
)

TEXTS = {
    "en": {
        "field.url": "Address (URL)",
        "field.method": "Method",
        "field.body": "Body (empty: send the contact's profile)",
        "note.secrets": "Keys and passwords belong in Settings, never in the journey.",
        "phrase.webhook": "{method} {url}",
        "fix.url": "Enter the address to call, starting with https://",
        "fix.headers": "Check the headers: a name and a value each",
    },
    "fr": {
        "label": "Webhook",
        "description": "Appeler un autre système en HTTP.",
        "field.url": "Adresse (URL)",
        "field.method": "Méthode",
        "field.body": "Corps (vide : envoie le profil du contact)",
        "note.secrets": "Les clés et mots de passe se règlent dans Paramètres, jamais dans le parcours.",
        "phrase.webhook": "{method} {url}",
        "fix.url": "Saisissez l'adresse à appeler, commençant par https://",
        "fix.headers": "Vérifiez les en-têtes : un nom et une valeur chacun",
    },
}


SPEC = NodeSpec(
    type="webhook",
    rank=1,
    label="Webhook",
    category="action",
    icon="webhook",
    description="Call another system over HTTP.",
    config_model=Config,
    summary=lambda c: f"{c.method} {shorten(c.url, 34)}",
    phrase=lambda c: Phrase("webhook", {"method": c.method, "url": shorten(c.url, 34)}),
    templates=lambda c: {k: v for k, v in {"url": c.url, "body": c.body}.items() if v},
    example={"url": "https://example.com/hooks/parcours"},
    step=partial(send, "webhook"),
    form=FORM,
    texts=TEXTS,
)
