"""Push notification (OneSignal)."""

from pydantic import Field

from journeys.nodes.form import FormField
from journeys.nodes.message_base import MessageConfig, message_spec


class Config(MessageConfig):
    title: str = Field(default="", max_length=500)
    body: str = Field(min_length=1, max_length=4_000)
    url: str = Field(default="", max_length=2_000, description="Deep link opened on tap")
    image_url: str = Field(default="", max_length=2_000)


FORM = (
    FormField("liquid", "title", "field.title", optional=True),
    FormField("liquid", "body", "field.body", multiline=True),
    FormField("liquid", "url", "field.url", optional=True),
    FormField("liquid", "image_url", "field.image_url", optional=True),
)

TEXTS = {
    "en": {
        "phrase.message.push": "Push: {text}",
        "fix.body": "Write the text of the notification",
        "fix.url": "Enter a full web address, starting with https://",
        "fix.image_url": "Enter the full web address of the image, starting with https://",
    },
    "fr": {
        "label": "Push",
        "description": "Une notification push sur les appareils du contact.",
        "phrase.message.push": "Push : {text}",
        "fix.body": "Rédigez le texte de la notification",
        "fix.url": "Saisissez une adresse web complète, commençant par https://",
        "fix.image_url": "Saisissez l'adresse web complète de l'image, commençant par https://",
    },
}


SPEC = message_spec(
    rank=1,
    channel="push",
    label="Push",
    icon="notifications",
    config_model=Config,
    headline="body",
    description="A push notification to the contact's devices.",
    fields=("title", "body", "url"),
    example={"title": "Hi {{ contact.first_name | default: 'there' }}", "body": "Your cart is waiting"},
    form=FORM,
    texts=TEXTS,
)
