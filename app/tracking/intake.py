"""From a parsed tracking body to messages ready to store: per-message validation and Segment's time rules.

Partial acceptance, as Segment does it: a message is refused only when it cannot be attributed or stored
(no userId/anonymousId, an unknown type, a missing event name, values the JSON codec refuses); a bad optional
field (a timestamp that is not a time, a context that is not an object...) is dropped with a warning and the
rest of the message is kept. Refusals and warnings name the message's index in the batch and the field.

Times: ``timestamp`` (or ``originalTimestamp`` when it is absent) is corrected for the client's clock with
``sentAt`` (of the message, else of the batch) as Segment does: ``receivedAt - (sentAt - timestamp)``. A time
more than ``FUTURE_SLACK`` after the received time is clamped to it, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError

from app.tracking.payloads import MESSAGE_TYPES, Message
from journeys import codec

FUTURE_SLACK = timedelta(minutes=5)
# Fields a message can lose and still be stored (with a warning naming them).
DROPPABLE = frozenset(
    {"timestamp", "originalTimestamp", "sentAt", "context", "properties", "traits", "name", "category", "messageId"}
)
_ONE = TypeAdapter(Message)
_MANY = TypeAdapter(list[Message])
_TIME = TypeAdapter(datetime)


@dataclass
class Intake:
    """Messages that can be stored (with their index in the batch), and what was dropped or refused.

    ``vouched``: the body's parser already proved every value storable by the JSON codec (times aside, which
    ``read`` settles), so the per-message codec check can be skipped.
    """

    messages: list[tuple[int, Any]] = field(default_factory=list)
    vouched: bool = False
    warnings: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)

    def warn(self, index: int | None, where: str, message: str) -> None:
        self.warnings.append({"index": index, "field": where, "message": message})

    def refuse(self, index: int | None, where: str, message: str) -> None:
        self.refused.append({"index": index, "field": where, "message": message})


def _field(error: Any) -> str:
    loc = [part for part in error.get("loc", ()) if part not in MESSAGE_TYPES]
    if loc:
        return ".".join(str(part) for part in loc)
    return "userId" if "userId" in error.get("msg", "") else "type"


def _validate_one(item: Any, index: int, intake: Intake) -> Any:
    """The message, after dropping bad optional fields (warned); None when it is refused."""
    if not isinstance(item, dict):
        intake.refuse(index, "body", "a message must be a JSON object")
        return None
    dropped: list[tuple[str, str]] = []
    for _ in range(len(DROPPABLE) + 1):
        try:
            message = _ONE.validate_python(item)
        except ValidationError as exc:
            errors = [(_field(e), codec.printable(e.get("msg", "invalid"), 300)) for e in exc.errors()]
            fatal = [(where, text) for where, text in errors if where.split(".")[0] not in DROPPABLE]
            if fatal:
                for where, text in fatal:
                    intake.refuse(index, where, text)
                return None
            names = {where.split(".")[0] for where, _ in errors}
            dropped.extend((where, text) for where, text in errors)
            item = {key: value for key, value in item.items() if key not in names}
            continue
        for where, text in dropped:
            intake.warn(index, where, f"dropped: {text}")
        return message
    return None  # pragma: no cover - each pass drops at least one field


def validate(items: list[Any], intake: Intake) -> list[tuple[int, Any]]:
    """Validated messages with their indexes. One C-speed pass for the common all-valid batch."""
    try:
        validated: list[Any] = _MANY.validate_python(items)
    except ValidationError:
        validated = [_validate_one(item, index, intake) for index, item in enumerate(items)]
    out = []
    for index, message in enumerate(validated):
        if message is None:
            continue
        if message.someone_missing():
            intake.refuse(index, "userId", "userId or anonymousId is required")
            continue
        out.append((index, message))
    return out


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def resolve_time(message: Any, batch_sent: datetime | None, now: datetime, index: int, intake: Intake) -> datetime:
    """When the message happened, on the server's clock (see the module's docstring)."""
    stamped = message.timestamp or message.originalTimestamp
    if stamped is None:
        return now
    sent = message.sentAt or batch_sent
    stamped = _aware(stamped)
    if sent is None and codec.MIN_TIME <= stamped <= now + FUTURE_SLACK:
        return stamped  # the common case of a server-side caller: nothing to correct
    name = "timestamp" if message.timestamp is not None else "originalTimestamp"
    for value, where in ((stamped, name), (sent, "sentAt")):
        if value is not None and (problem := codec.time_problem(value)) is not None:
            intake.warn(index, where, f"{problem}; the received time is used")
            return now
    when = stamped if sent is None else now - (_aware(sent) - stamped)
    if when > now + FUTURE_SLACK:
        intake.warn(index, name, "in the future; the received time is used")
        return now
    if codec.time_problem(when) is not None:
        intake.warn(index, name, "outside the documented years once corrected; the received time is used")
        return now
    return when


def read(body: Any, *, kind: str | None, now: datetime, vouched: bool = False) -> tuple[Intake, dict[str, Any] | None]:
    """Messages and the batch's shared context from a parsed body (``kind``: the call's type, None for batch).

    Raises ValueError naming the field when the body itself is unusable (not an object, no ``batch`` list).
    """
    if not isinstance(body, dict):
        raise ValueError("body: must be a JSON object")
    intake = Intake(vouched=vouched)
    if kind is None:
        items = body.get("batch")
        if not isinstance(items, list) or not items:
            raise ValueError("batch: must be a non-empty list of messages")
        context = body.get("context")
        if context is not None and not isinstance(context, dict):
            intake.warn(None, "context", "dropped: must be an object")
            context = None
        batch_sent = _batch_sent(body.get("sentAt"), intake)
    else:
        items, context, batch_sent = [{**body, "type": kind}], None, None
    intake.messages = validate(items, intake)
    for index, message in intake.messages:
        when = resolve_time(message, batch_sent, now, index, intake)
        if when is not message.timestamp:  # pydantic's attribute assignment is not free: only when changed
            message.timestamp = when
        if message.originalTimestamp is not None or message.sentAt is not None:
            message.originalTimestamp = message.sentAt = None
    return intake, context


def _batch_sent(value: Any, intake: Intake) -> datetime | None:
    if value is None:
        return None
    try:
        return _TIME.validate_python(value)
    except ValidationError:
        intake.warn(None, "sentAt", "dropped: not a time")
        return None
