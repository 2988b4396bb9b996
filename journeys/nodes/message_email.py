"""Email, sent through SMTP or OneSignal."""

from pydantic import Field

from journeys.nodes.form import FormField
from journeys.nodes.message_base import MessageConfig, message_spec


class Config(MessageConfig):
    subject: str = Field(min_length=1, max_length=500)
    preheader: str = Field(default="", max_length=500)
    body: str = Field(min_length=1, max_length=200_000, description="HTML body; Liquid allowed")


FORM = (
    FormField("liquid", "subject", "field.subject"),
    FormField("liquid", "preheader", "field.preheader", optional=True),
    FormField("liquid", "body", "field.body", multiline=True),
)

TEXTS = {
    "en": {
        "phrase.message.email": "Email: {text}",
        "fix.subject": "Write the subject of the email",
        "fix.body": "Write the body of the email",
    },
    "fr": {
        "label": "E-mail",
        "description": "Un e-mail à l'adresse du contact.",
        "phrase.message.email": "E-mail : {text}",
        "fix.subject": "Rédigez l'objet de l'e-mail",
        "fix.body": "Rédigez le corps de l'e-mail",
    },
}


SPEC = message_spec(
    rank=3,
    channel="email",
    label="Email",
    icon="mail",
    config_model=Config,
    headline="subject",
    description="An email to the contact's address.",
    fields=("subject", "preheader", "body"),
    example={"subject": "You left something behind", "body": "<p>Hello {{ contact.first_name }}</p>"},
    form=FORM,
    texts=TEXTS,
)
