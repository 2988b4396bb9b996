"""Push notification (OneSignal)."""

from pydantic import Field

from journeys.nodes.message_base import MessageConfig, message_spec


class Config(MessageConfig):
    title: str = Field(default="", max_length=500)
    body: str = Field(min_length=1, max_length=4_000)
    url: str = Field(default="", max_length=2_000, description="Deep link opened on tap")
    image_url: str = Field(default="", max_length=2_000)


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
)
