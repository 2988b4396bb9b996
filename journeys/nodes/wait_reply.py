"""Wait for a reply (SMS or in-app chat): one port per rule (keyword, number, pattern, intent), ``no_match``
and ``timeout``. The reply is kept as ``reply`` for later steps (``{{ reply.text }}``, ``{{ reply.intent }}``)."""

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from journeys import replies
from journeys.durations import Duration
from journeys.nodes.base import NodeSpec, Phrase, Port, Problem, StrictConfig
from journeys.nodes.branch_multi import PORT_NAME, reused_ports
from journeys.nodes.form import FormField
from journeys.steps.types import Decision, Env, State

RESERVED = {replies.NO_MATCH, replies.TIMEOUT}
REPLY_EVENT = "message.received"


class Rule(StrictConfig):
    port: str = Field(description="Port id, lowercase letters, digits, - and _")
    kind: Literal["keyword", "number", "regex", "intent"] = "keyword"
    keywords: list[str] = Field(default_factory=list, max_length=50)
    min: float | None = None
    max: float | None = None
    pattern: str = Field(default="", max_length=replies.MAX_PATTERN)
    intent: str = Field(default="", max_length=100)

    @field_validator("port")
    @classmethod
    def _port_name(cls, value: str) -> str:
        if not PORT_NAME.match(value) or value in RESERVED:
            raise ValueError("port must be 1-40 of a-z 0-9 - _ and not 'no_match' or 'timeout'")
        return value

    @model_validator(mode="after")
    def _complete(self) -> "Rule":
        if self.kind == "keyword" and not any(replies.fold(k) for k in self.keywords):
            raise ValueError("a keyword rule needs at least one keyword")
        if self.kind == "regex":
            problem = replies.pattern_problem(self.pattern) if self.pattern else "a pattern is required"
            if problem:
                raise ValueError(problem)
        if self.kind == "intent" and not self.intent.strip():
            raise ValueError("an intent rule needs the intent's name")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is above max")
        return self


class Config(StrictConfig):
    rules: list[Rule] = Field(min_length=1, max_length=20)
    channel: Literal["any", "sms", "in_app"] = "any"
    # A reply that matches no answer hands the conversation to a person (the inbox), e.g. for an FAQ bot.
    handover_on_no_match: bool = False
    timeout: Duration = Field(default_factory=lambda: Duration(amount=1, unit="days"))


def ports(config: Config) -> list[Port]:
    own = [Port(r.port, r.port) for r in config.rules]
    return own + [Port(replies.NO_MATCH, "No match"), Port(replies.TIMEOUT, "Timed out")]


def problems(config: Config) -> list[Problem]:
    return reused_ports([r.port for r in config.rules], "rule")


def views(config: Config) -> list[replies.RuleView]:
    return [replies.RuleView(r.port, r.kind, r.keywords, r.min, r.max, r.pattern, r.intent) for r in config.rules]


def step(config: Any, state: State, env: Env) -> Decision:
    """Waits for ``message.received``; the reply's port is logged as the reason of a ``replied`` outcome (the
    analytics count replies per node and port from it). A timeout leaves a mark so a late reply is handed to
    a person instead of being lost."""
    if state.phase == 0:
        # The wait names its channel, so an inbound message on another channel knows no journey takes it.
        waited = REPLY_EVENT if config.channel == "any" else f"{REPLY_EVENT}:{config.channel}"
        return Decision.wait(env.now + int(config.timeout.to_timedelta().total_seconds()), event=waited)
    if state.resume_port != "event":
        mark = {"text": "", "intent": None, "timed_out_at": env.now, "node": state.node_id}
        return Decision.go(replies.TIMEOUT, outcome="timed_out", context_updates={"reply": mark})
    event = state.context.pop("reply_event", None) or {}
    text = str(event.get("text") or "")
    intent = event.get("intent") or None
    port = replies.port_for(views(config), text, intent)
    reply = {
        "text": text,
        "intent": intent,
        "answer": event.get("answer"),  # the FAQ entry's answer when an intent was recognised
        "port": port,
        "channel": event.get("channel"),
        "conversation_id": event.get("conversation_id"),
        "at": env.now,
    }
    return Decision.go(port, outcome="replied", reason=port, context_updates={"reply": reply})


FORM = (
    FormField("note", label="note.help"),
    FormField("replies", "rules"),
    FormField(
        "choose",
        "channel",
        "field.channel",
        options=(("any", "option.any"), ("sms", "option.sms"), ("in_app", "option.in_app")),
        default="any",
    ),
    FormField("toggle", "handover_on_no_match", "field.handover_on_no_match"),
    FormField("duration", "timeout", "field.timeout", unit="days"),
)

TEXTS = {
    "en": {
        "note.help": "Each expected answer is an output. The first that matches wins; others go to 'No match'.",
        "field.channel": "Reply channel",
        "option.any": "SMS or chat",
        "option.sms": "SMS only",
        "option.in_app": "In-app chat only",
        "field.handover_on_no_match": "Hand the conversation to a person when the reply matches nothing",
        "field.timeout": "Give up after",
        "phrase.wait_reply.one": "Wait for a reply ({count} answer), up to {timeout}",
        "phrase.wait_reply.other": "Wait for a reply ({count} answers), up to {timeout}",
        "fix.rules": "Complete the answers: each needs an output name and its keywords, number, pattern or intent",
        "fix.timeout": "Enter how long to wait for a reply",
        "port.yes": "Yes",
        "port.no": "No",
        "port.no_match": "No match",
        "port.timeout": "Timed out",
    },
    "fr": {
        "label": "Attendre une réponse",
        "description": "Attendre que le contact réponde par SMS ou chat, et orienter selon la réponse.",
        "note.help": (
            "Chaque réponse attendue est une sortie. La première qui correspond gagne ; "
            "sinon « Aucune correspondance »."
        ),
        "field.channel": "Canal de la réponse",
        "option.any": "SMS ou chat",
        "option.sms": "SMS seulement",
        "option.in_app": "Chat in-app seulement",
        "field.handover_on_no_match": "Confier la conversation à une personne si la réponse ne correspond à rien",
        "field.timeout": "Abandonner après",
        "phrase.wait_reply.one": "Attendre une réponse ({count} réponse prévue), au plus {timeout}",
        "phrase.wait_reply.other": "Attendre une réponse ({count} réponses prévues), au plus {timeout}",
        "fix.rules": (
            "Complétez les réponses : chacune a un nom de sortie et ses mots-clés, nombre, motif ou intention"
        ),
        "fix.timeout": "Indiquez combien de temps attendre une réponse",
        "port.yes": "Oui",
        "port.no": "Non",
        "port.no_match": "Aucune correspondance",
        "port.timeout": "Délai dépassé",
    },
}


SPEC = NodeSpec(
    type="wait.reply",
    rank=4,
    label="Wait for reply",
    category="wait",
    icon="forum",
    description="Pause until the contact answers a text or chat message, and branch on the answer.",
    config_model=Config,
    ports=ports,
    problems=problems,
    summary=lambda c: f"Wait for a reply ({len(c.rules)} answers), up to {c.timeout.describe()}",
    phrase=lambda c: Phrase("wait_reply", {"count": len(c.rules), "timeout": c.timeout}),
    example={
        "rules": [
            {"port": "yes", "kind": "keyword", "keywords": ["oui", "yes"]},
            {"port": "no", "kind": "keyword", "keywords": ["non", "no"]},
        ],
        "timeout": {"amount": 1, "unit": "days"},
    },
    step=step,
    form=FORM,
    texts=TEXTS,
)
