"""SMS text message."""

from pydantic import Field

from journeys.nodes.form import FormField
from journeys.nodes.message_base import MessageConfig, message_spec


class Config(MessageConfig):
    body: str = Field(min_length=1, max_length=1_600)


FORM = (FormField("liquid", "body", "field.body", multiline=True),)

TEXTS = {
    "en": {
        "phrase.message.sms": "SMS: {text}",
        "fix.body": "Write the text message (up to 1,600 characters)",
    },
    "fr": {
        "label": "SMS",
        "description": "Un SMS sur le téléphone du contact.",
        "phrase.message.sms": "SMS : {text}",
        "fix.body": "Rédigez le SMS (1 600 caractères au plus)",
    },
}


SPEC = message_spec(
    rank=2,
    channel="sms",
    label="SMS",
    icon="sms",
    config_model=Config,
    headline="body",
    description="A text message to the contact's phone.",
    fields=("body",),
    example={"body": "Your cart is waiting: {{ event.checkout_url }}"},
    form=FORM,
    texts=TEXTS,
)
