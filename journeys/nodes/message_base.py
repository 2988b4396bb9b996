"""What the four message node types share: Liquid fields, transactional flag, a summary."""

from collections.abc import Callable
from functools import partial

from pydantic import BaseModel, Field

from journeys.nodes.base import NodeSpec, Phrase, StrictConfig, Texts, shorten
from journeys.nodes.form import FormField
from journeys.steps.message import send


class MessageConfig(StrictConfig):
    transactional: bool = Field(
        default=False,
        description="Transactional messages (fraud alerts, receipts) ignore quiet hours and frequency caps",
    )


def liquid_fields(*names: str) -> Callable[[BaseModel], dict[str, str]]:
    def templates(config: BaseModel) -> dict[str, str]:
        return {name: getattr(config, name) for name in names if getattr(config, name)}

    return templates


def message_spec(
    *,
    channel: str,
    label: str,
    icon: str,
    description: str,
    config_model: type[MessageConfig],
    headline: str,
    fields: tuple[str, ...],
    example: dict,
    rank: int,
    texts: Texts,
) -> NodeSpec:
    def summary(config: BaseModel) -> str:
        return f"{label}: {shorten(getattr(config, headline) or '(empty)')}"

    return NodeSpec(
        type=f"message.{channel}",
        label=label,
        category="message",
        icon=icon,
        description=description,
        config_model=config_model,
        summary=summary,
        phrase=lambda c: Phrase(f"message.{channel}", {"text": shorten(getattr(c, headline)) or Phrase("empty")}),
        templates=liquid_fields(*fields),
        step=partial(send, channel),
        rank=rank,
        texts=texts,
        form=(FormField("message"),),  # the message editor with its live preview
        example=example,
    )


Text = Field(default="", max_length=10_000)
