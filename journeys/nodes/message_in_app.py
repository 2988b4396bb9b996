"""In-app message, stored per contact and fetched by the app."""

from typing import Literal

from pydantic import Field

from journeys.nodes.form import FormField
from journeys.nodes.message_base import MessageConfig, message_spec

LAYOUTS = ("modal", "banner", "fullscreen", "tour")


class Config(MessageConfig):
    layout: Literal["modal", "banner", "fullscreen", "tour"] = "modal"
    title: str = Field(default="", max_length=500)
    body: str = Field(min_length=1, max_length=10_000)
    button_text: str = Field(default="", max_length=100)
    button_url: str = Field(default="", max_length=2_000)
    expires_after_days: int = Field(default=30, ge=1, le=365)


FORM = (
    FormField("choose", "layout", "field.layout", options=tuple((v, f"option.{v}") for v in LAYOUTS), default="modal"),
    FormField("liquid", "title", "field.title", optional=True),
    FormField("liquid", "body", "field.body", multiline=True),
    FormField("liquid", "button_text", "field.button_text", optional=True),
    FormField("liquid", "button_url", "field.button_url", optional=True),
    FormField("number", "expires_after_days", "field.expires_after_days", minimum=1, maximum=365),
)

TEXTS = {
    "en": {
        "phrase.message.in_app": "In-app: {text}",
        "fix.body": "Write the text of the message",
        "fix.button_url": "Enter a full web address for the button, starting with https://",
        "fix.expires_after_days": "Enter after how many days the message expires",
    },
    "fr": {
        "label": "Message in-app",
        "description": "Un message affiché dans votre application à sa prochaine ouverture.",
        "phrase.message.in_app": "In-app : {text}",
        "fix.body": "Rédigez le texte du message",
        "fix.button_url": "Saisissez une adresse web complète pour le bouton, commençant par https://",
        "fix.expires_after_days": "Indiquez après combien de jours le message expire",
    },
}


SPEC = message_spec(
    rank=4,
    channel="in_app",
    label="In-app message",
    icon="web_asset",
    config_model=Config,
    headline="body",
    description="A message shown inside your app the next time it opens.",
    fields=("title", "body", "button_text", "button_url"),
    example={"title": "New: dark mode", "body": "Try it in Settings", "button_text": "Show me"},
    form=FORM,
    texts=TEXTS,
)
