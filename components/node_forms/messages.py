"""Message forms: Liquid editors with variable insertion and a live per-channel preview for one contact."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from components.node_forms import fields
from components.node_forms.context import FormContext
from components.text import t
from journeys.preview import Preview, render_preview

STANDARD_VARIABLES = (
    "contact.first_name",
    "contact.last_name",
    "contact.email",
    "contact.phone",
    "contact.external_id",
)
LAYOUTS = {
    "modal": "builder.layout.modal",
    "banner": "builder.layout.banner",
    "fullscreen": "builder.layout.fullscreen",
    "tour": "builder.layout.tour",
}
# The form label of each message field (app/wording.py names fields in problems with it too).
MESSAGE_FIELD_LABELS = {
    "title": "builder.form.msg.title",
    "body": "builder.form.msg.body",
    "url": "builder.form.msg.url",
    "image_url": "builder.form.msg.image_url",
    "subject": "builder.form.msg.subject",
    "preheader": "builder.form.msg.preheader",
    "button_text": "builder.form.msg.button_text",
    "button_url": "builder.form.msg.button_url",
    "layout": "builder.form.msg.layout",
    "expires_after_days": "builder.form.msg.expires_after_days",
}

# (field, multiline, optional) per message type
MESSAGE_FIELDS: dict[str, tuple[tuple[str, bool, bool], ...]] = {
    "message.push": (("title", False, True), ("body", True, False), ("url", False, True), ("image_url", False, True)),
    "message.sms": (("body", True, False),),
    "message.email": (("subject", False, False), ("preheader", False, True), ("body", True, False)),
    "message.in_app": (
        ("title", False, True),
        ("body", True, False),
        ("button_text", False, True),
        ("button_url", False, True),
    ),
}


def variables(ctx: FormContext) -> list[str]:
    found = list(STANDARD_VARIABLES)
    found += [f"contact.{name}" for name in ctx.choices.attributes if f"contact.{name}" not in found]
    return found + ["event.<property>"]


_CARET_JS = """
let box = document.getElementById('c{id}');
if (box && !('selectionStart' in box)) box = box.querySelector('textarea, input');
if (!box) return null;
const start = box.selectionStart ?? box.value.length, end = box.selectionEnd ?? start;
return [start, end];
"""


async def insert(field: ui.input | ui.textarea, snippet: str) -> None:
    """Insert at the caret (or over the selection) of the field; at the end when the browser cannot say."""
    text = field.value or ""
    try:
        caret = await ui.run_javascript(_CARET_JS.replace("{id}", str(field.id)), timeout=1.0)
    except (TimeoutError, RuntimeError):
        caret = None
    start, end = caret if isinstance(caret, list) and len(caret) == 2 else (len(text), len(text))
    field.set_value(text[: int(start)] + snippet + text[int(end) :])


def liquid_field(cfg: dict[str, Any], key: str, ctx: FormContext, *, multiline: bool, optional: bool) -> None:
    with ui.row().classes("w-full no-wrap items-start gap-1"):
        field = fields.text(cfg, key, t(MESSAGE_FIELD_LABELS[key]), ctx, optional=optional, multiline=multiline)
        if ctx.readonly:
            return
        with (
            ui.button(icon="data_object")
            .props("flat dense round")
            .tooltip(t("builder.form.insert_variable"))
            .mark(f"insert-{key}"),
            ui.menu(),
        ):
            for name in variables(ctx):
                snippet = "{{ " + name + " }}"
                ui.menu_item(name, on_click=lambda s=snippet: insert(field, s))


def _push_card(preview: Preview) -> None:
    with ui.card().classes("w-full bg-gray-50 p-3 gap-1").mark("preview-push"):
        ui.label(preview.fields.get("title", "")).classes("font-semibold")
        ui.label(preview.fields.get("body", ""))
        if preview.fields.get("url"):
            ui.label(preview.fields["url"]).classes("text-xs text-indigo-700")


def _sms_bubble(preview: Preview) -> None:
    with ui.column().classes("w-full gap-1").mark("preview-sms"):
        ui.label(preview.fields.get("body", "")).classes("bg-green-100 rounded-2xl px-3 py-2 whitespace-pre-wrap")
        size = preview.sms
        if size is not None:
            ui.label(
                t(
                    "builder.preview.sms_size",
                    characters=size.characters,
                    segments=size.segments,
                    encoding=size.encoding,
                )
            ).classes("text-xs text-gray-600").mark("sms-size")


def _email(preview: Preview) -> None:
    with ui.card().classes("w-full p-3 gap-1").mark("preview-email"):
        ui.label(preview.fields.get("subject", "")).classes("font-semibold")
        if preview.fields.get("preheader"):
            ui.label(preview.fields["preheader"]).classes("text-xs text-gray-500")
        frame = ui.element("iframe").classes("w-full h-48 border rounded bg-white")
        # A sandbox without allow-scripts: the marketer's HTML is shown, never run.
        frame._props["sandbox"] = ""
        frame._props["srcdoc"] = preview.fields.get("body", "")


def _in_app(preview: Preview) -> None:
    with ui.card().classes("w-full p-3 gap-1 items-center").mark("preview-in-app"):
        ui.label(preview.fields.get("title", "")).classes("font-semibold")
        ui.label(preview.fields.get("body", ""))
        if preview.fields.get("button_text"):
            ui.button(preview.fields["button_text"]).props("dense no-caps disable")


RENDERERS = {"message.push": _push_card, "message.sms": _sms_bubble, "message.email": _email, "message.in_app": _in_app}


def message_preview(node_type: str, cfg: dict[str, Any], ctx: FormContext) -> ui.refreshable:
    state: dict[str, int | None] = {"contact": next(iter(ctx.choices.contacts), None)}

    @ui.refreshable
    def body() -> None:
        preview = render_preview(node_type, cfg, ctx.choices.preview_context(state["contact"]))
        for name, error in preview.errors.items():
            ui.label(f"{t(MESSAGE_FIELD_LABELS.get(name, name))}: {error}").classes("text-red-700 text-sm").mark(
                "preview-error"
            )
        RENDERERS[node_type](preview)

    ui.separator()
    ui.label(t("builder.preview.title")).classes("font-medium")
    if ctx.choices.contacts:
        who = ui.select(
            ctx.choices.contacts, value=state["contact"], label=t("builder.preview.contact"), with_input=True
        )
        who.classes("w-full").props("outlined dense").mark("preview-contact")
        who.on_value_change(lambda e: (state.update(contact=e.value), body.refresh()))
    else:
        ui.label(t("builder.preview.sample_contact")).classes("text-xs text-gray-500")
    body()
    return body


def message_form(node_type: str, cfg: dict[str, Any], ctx: FormContext) -> None:
    preview: list[ui.refreshable] = []
    outer = ctx.changed

    def changed() -> None:
        outer()
        for refresh in preview:
            refresh.refresh()

    local = FormContext(choices=ctx.choices, changed=changed, readonly=ctx.readonly)
    if node_type == "message.in_app":
        fields.choose(
            cfg,
            "layout",
            t("builder.form.msg.layout"),
            {v: t(key) for v, key in LAYOUTS.items()},
            local,
            default="modal",
        )
    for key, multiline, optional in MESSAGE_FIELDS[node_type]:
        liquid_field(cfg, key, local, multiline=multiline, optional=optional)
    if node_type == "message.in_app":
        fields.number(
            cfg, "expires_after_days", t("builder.form.msg.expires_after_days"), local, minimum=1, maximum=365
        )
    fields.toggle(cfg, "transactional", t("builder.form.transactional"), local)
    preview.append(message_preview(node_type, cfg, local))
