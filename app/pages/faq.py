"""/faq: the FAQ bot's knowledge base. Every role reads it and may try a question; marketers edit, import a CSV
(checked whole: a bad row names its line and column and nothing is written) and export it."""

from __future__ import annotations

from typing import Any

from nicegui import events, ui

from app.access import policy as access
from app.access.auth import SIGNED_IN, allows
from app.access.guard import guarded
from app.access.policy import MARKETER, requires
from app.conversations import faq, knowledge_store
from app.conversations.knowledge import LANGS, MAX_IMPORT_BYTES
from app.core.context import AppContext, current
from app.core.theme import frame, use_language
from app.i18n import t
from journeys.errors import ParcoursError


class FaqPage:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        principal = access.current_principal()
        self.editor = principal is not None and allows(principal.role, MARKETER)
        self.lang: str | None = None
        self.editing: int | None = None

    def render(self) -> None:
        ui.label(t("faq.hint")).classes("text-gray-600")
        self._try_box()
        with ui.row().classes("items-center gap-3"):
            options = {"": t("faq.filter.all"), **{code: code.upper() for code in LANGS}}
            ui.select(options, value="", on_change=lambda e: self.filter(e.value)).props("dense").mark("faq-lang")
            if self.editor:
                ui.button(t("faq.new"), on_click=self.new).mark("faq-new")
                ui.button(t("faq.import"), on_click=lambda: self.import_dialog.open()).props("outline")
                ui.button(t("faq.export"), on_click=self.export).props("outline").mark("faq-export")
        if self.editor:
            self._editor_dialog()
            self._import_dialog()
            self._delete_dialog()
        self.listing = ui.column().classes("w-full gap-2").mark("faq-entries")
        self.refresh()

    def _try_box(self) -> None:
        with ui.row().classes("items-end gap-2 w-full"):
            self.question = ui.input(t("faq.try")).classes("grow").mark("faq-try")
            ui.button(t("faq.try.ask"), on_click=self.ask).props("outline").mark("faq-ask")
        self.verdict = ui.label("").classes("text-sm").mark("faq-verdict")

    def _editor_dialog(self) -> None:
        with ui.dialog() as self.dialog, ui.card().classes("w-[40rem] max-w-full gap-2"):
            self.f_lang = ui.select({c: c.upper() for c in LANGS}, value="en", label=t("faq.field.lang"))
            self.f_lang.classes("w-40").mark("faq-field-lang")
            self.f_intent = ui.input(t("faq.field.intent")).classes("w-full").mark("faq-field-intent")
            self.f_questions = ui.textarea(t("faq.field.questions")).classes("w-full").mark("faq-field-questions")
            self.f_answer = ui.textarea(t("faq.field.answer")).classes("w-full").mark("faq-field-answer")
            self.f_error = ui.label("").classes("text-negative text-sm").mark("faq-error")
            with ui.row().classes("w-full justify-end"):
                ui.button(t("faq.cancel"), on_click=self.dialog.close).props("flat")
                ui.button(t("faq.save"), on_click=self.save).mark("faq-save")

    def _import_dialog(self) -> None:
        with ui.dialog() as self.import_dialog, ui.card().classes("w-[36rem] max-w-full gap-2"):
            ui.label(t("faq.import.hint")).classes("text-sm text-gray-600")
            self.replace = ui.checkbox(t("faq.import.replace")).mark("faq-replace")
            ui.upload(on_upload=self.upload, auto_upload=True, max_file_size=MAX_IMPORT_BYTES).props(
                "accept=.csv,text/csv flat bordered"
            ).classes("w-full").mark("faq-upload")
            self.import_result = ui.label("").classes("text-sm").mark("faq-import-result")

    def _delete_dialog(self) -> None:
        self.doomed: int | None = None
        with ui.dialog() as self.delete_dialog, ui.card().classes("gap-3"):
            self.delete_question = ui.label("").mark("faq-delete-question")
            with ui.row().classes("w-full justify-end"):
                ui.button(t("faq.cancel"), on_click=self.delete_dialog.close).props("flat")
                ui.button(t("faq.delete"), on_click=self.delete).props("color=negative").mark("faq-delete-confirm")

    def refresh(self) -> None:
        use_language()
        rows = [r for r in knowledge_store.entries(self.ctx) if self.lang in (None, r["lang"])]
        self.listing.clear()
        with self.listing:
            if not rows:
                ui.label(t("faq.empty")).mark("faq-empty")
            for row in rows:
                self._entry(row)

    def _entry(self, row: dict[str, Any]) -> None:
        with ui.card().classes("w-full gap-1").mark(f"faq-entry-{row['lang']}-{row['intent']}"):
            with ui.row().classes("items-center gap-2"):
                ui.badge(row["lang"].upper())
                ui.label(row["intent"]).classes("font-medium")
                ui.space()
                if self.editor:
                    ui.button(t("faq.edit"), on_click=lambda r=row: self.edit(r)).props("flat dense")
                    ui.button(t("faq.delete"), on_click=lambda r=row: self.confirm_delete(r)).props(
                        "flat dense color=negative"
                    ).mark(f"faq-delete-{row['lang']}-{row['intent']}")
            ui.label(" · ".join(row["questions"])).classes("text-sm text-gray-600")
            ui.label(row["answer"]).classes("text-sm")

    @guarded(SIGNED_IN)
    def filter(self, lang: str) -> None:
        self.lang = lang or None
        self.refresh()

    @guarded(SIGNED_IN)
    def ask(self) -> None:
        found = faq.match(self.ctx, self.question.value or "", None)
        if found is None:
            self.verdict.set_text(t("faq.try.handover"))
            return
        confidence = round(found.confidence * 100)
        self.verdict.set_text(t("faq.try.answer", intent=found.intent, confidence=confidence, answer=found.answer))

    @guarded(MARKETER)
    def new(self) -> None:
        self.editing = None
        self._fill("en", "", "", "")

    @guarded(MARKETER)
    def edit(self, row: dict[str, Any]) -> None:
        self.editing = row["id"]
        self._fill(row["lang"], row["intent"], "\n".join(row["questions"]), row["answer"])

    def _fill(self, lang: str, intent: str, questions: str, answer: str) -> None:
        self.f_lang.value, self.f_intent.value = lang, intent
        self.f_questions.value, self.f_answer.value = questions, answer
        self.f_error.set_text("")
        self.dialog.open()

    @guarded(MARKETER)
    def save(self) -> None:
        try:
            knowledge_store.save_entry(
                self.ctx,
                entry_id=self.editing,
                lang=self.f_lang.value or "",
                intent=self.f_intent.value or "",
                questions=self.f_questions.value or "",
                answer=self.f_answer.value or "",
                actor=access.ensure(MARKETER).email,
            )
        except ParcoursError as exc:
            self.f_error.set_text(t("faq.refused", reason=str(exc)))
            return
        self.dialog.close()
        ui.notify(t("faq.saved"), type="positive")
        self.refresh()

    @guarded(MARKETER)
    def confirm_delete(self, row: dict[str, Any]) -> None:
        self.doomed = row["id"]
        self.delete_question.set_text(t("faq.delete.confirm", entry=f"{row['lang'].upper()} · {row['intent']}"))
        self.delete_dialog.open()

    @guarded(MARKETER)
    def delete(self) -> None:
        self.delete_dialog.close()
        try:
            knowledge_store.delete_entry(self.ctx, self.doomed or 0, actor=access.ensure(MARKETER).email)
        except ParcoursError as exc:
            ui.notify(t("faq.refused", reason=str(exc)), type="negative")
        else:
            ui.notify(t("faq.deleted"))
        self.refresh()

    @guarded(MARKETER)
    async def upload(self, event: events.UploadEventArguments) -> None:
        raw = await event.file.read()
        try:
            text = raw.decode("utf-8")
            actor = access.ensure(MARKETER).email
            created, updated = knowledge_store.import_csv(self.ctx, text, actor=actor, replace=bool(self.replace.value))
        except UnicodeDecodeError:
            self.import_result.set_text(t("faq.import.refused", reason="file: not UTF-8 text"))
            return
        except ParcoursError as exc:
            self.import_result.set_text(t("faq.import.refused", reason=str(exc)))
            return
        self.import_result.set_text(t("faq.import.done", created=created, updated=updated))
        self.refresh()

    @guarded(MARKETER)
    def export(self) -> None:
        ui.download.content(knowledge_store.export_csv(self.ctx).encode("utf-8"), "faq-knowledge.csv", "text/csv")


def faq_page() -> None:
    with frame("faq.title"):
        FaqPage(current()).render()


def register() -> None:
    ui.page("/faq")(requires(SIGNED_IN)(faq_page))
