"""What the four message node types share: Liquid fields, transactional flag, a summary, the form's end (the
transactional switch and the live preview) and the words of the message settings."""

from collections.abc import Callable
from functools import partial

from pydantic import BaseModel, Field

from journeys import send_time
from journeys.fields import TimeOfDay
from journeys.nodes.base import NodeSpec, Phrase, StrictConfig, Texts, shorten
from journeys.nodes.form import FormField
from journeys.steps.message import send


class MessageConfig(StrictConfig):
    transactional: bool = Field(
        default=False,
        description="Transactional messages (fraud alerts, receipts) ignore quiet hours and frequency caps",
    )
    best_time: bool = Field(default=False, description="Send at each contact's best time within best_time_hours")
    best_time_hours: int = Field(
        default=send_time.DEFAULT_WITHIN_HOURS, ge=1, le=send_time.MAX_WITHIN_HOURS, description="The window, hours"
    )
    best_time_fallback: TimeOfDay = Field(
        default=send_time.DEFAULT_FALLBACK, description="HH:MM local time for contacts with no history"
    )


def liquid_fields(*names: str) -> Callable[[BaseModel], dict[str, str]]:
    def templates(config: BaseModel) -> dict[str, str]:
        return {name: getattr(config, name) for name in names if getattr(config, name)}

    return templates


# The words of the message settings, shared by the four message types (each takes those its form shows).
SHARED_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "field.title": "Title",
        "field.body": "Message",
        "field.url": "Link opened on tap",
        "field.image_url": "Image URL",
        "field.subject": "Subject",
        "field.preheader": "Preview text",
        "field.button_text": "Button text",
        "field.button_url": "Button link",
        "field.layout": "Layout",
        "field.expires_after_days": "Expires after (days)",
        "field.transactional": "Transactional (ignores quiet hours and frequency caps)",
        "field.best_time": "Send at each contact's best time",
        "field.best_time_hours": "Within the next (hours, 1 to 168)",
        "field.best_time_fallback": "Fallback time for contacts with no history (HH:MM, local)",
        "fix.best_time_hours": "Enter a number of hours between 1 and 168",
        "fix.best_time_fallback": "Enter a time as HH:MM, such as 10:00",
        "option.modal": "Pop-up",
        "option.banner": "Banner",
        "option.fullscreen": "Full screen",
        "option.tour": "Guided tour",
    },
    "fr": {
        "field.title": "Titre",
        "field.body": "Message",
        "field.url": "Lien ouvert au toucher",
        "field.image_url": "URL de l'image",
        "field.subject": "Objet",
        "field.preheader": "Texte d'aperçu",
        "field.button_text": "Texte du bouton",
        "field.button_url": "Lien du bouton",
        "field.layout": "Mise en page",
        "field.expires_after_days": "Expire après (jours)",
        "field.transactional": "Transactionnel (ignore les heures calmes et les plafonds d'envoi)",
        "field.best_time": "Envoyer au meilleur moment de chaque contact",
        "field.best_time_hours": "Dans les prochaines (heures, de 1 à 168)",
        "field.best_time_fallback": "Heure de repli pour les contacts sans historique (HH:MM, locale)",
        "fix.best_time_hours": "Saisissez un nombre d'heures entre 1 et 168",
        "fix.best_time_fallback": "Saisissez une heure au format HH:MM, par exemple 10:00",
        "option.modal": "Fenêtre",
        "option.banner": "Bannière",
        "option.fullscreen": "Plein écran",
        "option.tour": "Visite guidée",
    },
}


BEST_TIME_FORM = (
    FormField("toggle", "best_time", "field.best_time"),
    FormField("number", "best_time_hours", "field.best_time_hours", minimum=1, maximum=send_time.MAX_WITHIN_HOURS),
    FormField("text", "best_time_fallback", "field.best_time_fallback", hint=send_time.DEFAULT_FALLBACK),
    FormField("best_time"),
)


def _texts(form: tuple[FormField, ...], own: Texts) -> dict[str, dict[str, str]]:
    """The shared words this form shows, plus the node type's own."""
    keys = {f.key for f in form if f.key}
    wanted = {f"{kind}.{key}" for key in keys for kind in ("field", "fix")}
    wanted |= {key for f in form for _value, key in f.options if key}
    return {
        code: {k: v for k, v in SHARED_TEXTS[code].items() if k in wanted} | dict(own.get(code, {}))
        for code in SHARED_TEXTS
    }


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
    form: tuple[FormField, ...],
) -> NodeSpec:
    form = (*form, FormField("toggle", "transactional", "field.transactional"), *BEST_TIME_FORM, FormField("preview"))

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
        texts=_texts(form, texts),
        form=form,
        example=example,
    )


Text = Field(default="", max_length=10_000)
