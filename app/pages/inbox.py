"""/inbox: conversations handed over by the bot (or all, filtered), updating live; a conversation's history
with the bot's turns; an agent's reply through the conversation's channel; close or give back to the bot.

Every role may read; agents, marketers and admins may act (checked again on the server at each click).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from nicegui import ui

from app.access import policy as access
from app.access.auth import AGENT, SIGNED_IN, allows
from app.access.guard import admit, guarded
from app.access.policy import requires
from app.conversations import inbox
from app.core.context import AppContext, current
from app.core.theme import frame, use_language
from app.i18n import t
from journeys.errors import ConflictError, ParcoursError
from storage.conversation_models import CONVERSATION_STATUSES

LIVE_SECONDS = 2.0
FIGURES_EVERY = 15  # ticks: the figures are read again every 30 s, or when the list changes


def _who(row: dict[str, Any]) -> str:
    return row.get("email") or row.get("phone") or row.get("external_id") or f"#{row['contact_id']}"


def _when(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M")


class InboxPage:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        principal = access.current_principal()
        self.agent = principal is not None and allows(principal.role, AGENT)
        self.status: str | None = "handed_over"
        self.channel: str | None = None
        self.selected: int | None = None
        self.list_seen: Any = None
        self.thread_seen: Any = None
        self.answer: ui.textarea | None = None
        self.draft = ""
        self.ticks = 0

    def render(self) -> None:
        ui.label(t("inbox.hint")).classes("text-gray-600")
        self.figures = ui.row().classes("gap-6").mark("inbox-figures")
        with ui.row().classes("items-center gap-3"):
            statuses = {"": t("inbox.filter.all"), **{s: t(inbox.STATUS_KEYS[s]) for s in CONVERSATION_STATUSES}}
            ui.select(statuses, value="handed_over", label=t("inbox.filter.status"), on_change=self.on_status).props(
                "dense"
            ).classes("w-56").mark("inbox-status")
            channels = {"": t("inbox.filter.all"), **{c: t(inbox.CHANNEL_KEYS[c]) for c in inbox.CHANNELS}}
            ui.select(channels, value="", label=t("inbox.filter.channel"), on_change=self.on_channel).props(
                "dense"
            ).classes("w-48").mark("inbox-channel")
        with ui.row().classes("w-full gap-4 items-start no-wrap"):
            self.listing = ui.column().classes("w-80 gap-1").mark("inbox-list")
            self.detail = ui.column().classes("grow gap-2").mark("inbox-thread")
        self.tick()
        self.timer = ui.timer(LIVE_SECONDS, self.live)

    def live(self) -> None:
        """The timer's refresh, for as long as the account may still read: a tab left open after the account was
        deactivated (or its password changed) stops showing new conversations and goes to sign-in."""
        if admit(SIGNED_IN) is None:
            self.timer.deactivate()
            return
        self.tick()

    def tick(self) -> None:
        """Redraw what changed since the last look (the list, the open thread, the figures)."""
        use_language()
        rows = inbox.conversations(self.ctx, status=self.status, channel=self.channel)
        seen = [(r["id"], r["status"], r["last_message_at"]) for r in rows]
        self.ticks += 1
        if seen != self.list_seen or self.ticks % FIGURES_EVERY == 1:  # the 30-day figures move slowly
            self._figures()
        if seen != self.list_seen:
            self.list_seen = seen
            self._list(rows)
        if self.selected is not None:
            self._thread()

    def _figures(self) -> None:
        f = inbox.figures(self.ctx)
        median = f.median_first_answer_seconds
        values = [
            ("inbox.figure.answered", str(f.answered), "figure-answered"),
            ("inbox.figure.handed_over", str(f.handed_over), "figure-handed-over"),
            (
                "inbox.figure.median",
                t("inbox.minutes", minutes=round(median / 60, 1)) if median is not None else t("inbox.figure.none"),
                "figure-median",
            ),
            ("inbox.figure.waiting", str(f.waiting), "figure-waiting"),
        ]
        self.figures.clear()
        with self.figures:
            for key, value, marker in values:
                with ui.column().classes("gap-0"):
                    ui.label(t(key)).classes("text-xs text-gray-500")
                    ui.label(value).classes("text-lg font-semibold").mark(marker)
            if f.answered_share is not None:
                ui.label(t("inbox.figure.share", share=round(f.answered_share * 100))).classes("self-end text-sm")

    def _list(self, rows: list[dict[str, Any]]) -> None:
        self.listing.clear()
        with self.listing:
            if not rows:
                ui.label(t("inbox.empty")).mark("inbox-empty")
            for row in rows:
                with (
                    ui.card()
                    .classes("w-full cursor-pointer gap-0 p-2")
                    .classes("ring-2 ring-indigo-400" if row["id"] == self.selected else "")
                    .on("click", lambda _e, cid=row["id"]: self.open(cid))
                    .mark(f"conversation-{row['id']}")
                ):
                    ui.label(_who(row)).classes("font-medium")
                    status, channel = t(inbox.STATUS_KEYS[row["status"]]), t(inbox.CHANNEL_KEYS[row["channel"]])
                    ui.label(f"{channel} · {status} · {_when(row['last_message_at'])}")
                    ui.label((row.get("last_text") or "")[:80]).classes("text-sm text-gray-600")

    @guarded(SIGNED_IN)
    def on_status(self, event: Any) -> None:
        self.status = event.value or None
        self.tick()

    @guarded(SIGNED_IN)
    def on_channel(self, event: Any) -> None:
        self.channel = event.value or None
        self.tick()

    @guarded(SIGNED_IN)
    def open(self, conversation_id: int) -> None:
        self.selected, self.thread_seen, self.draft, self.list_seen = conversation_id, None, "", None
        self.tick()  # redraws the list too, marking the open conversation

    def _thread(self) -> None:
        try:
            conversation, turns = inbox.thread(self.ctx, self.selected or 0)
        except ParcoursError:
            self.selected = None
            self.detail.clear()
            return
        seen = (conversation["status"], [m["id"] for m in turns])
        if seen == self.thread_seen:
            return
        self.thread_seen = seen
        if self.answer is not None:  # a new turn redraws the thread: the answer being typed stays
            self.draft = self.answer.value or ""
            self.answer = None
        self.detail.clear()
        with self.detail:
            status = t(inbox.STATUS_KEYS[conversation["status"]])
            ui.label(f"{_who(conversation)} · {status}").classes("text-lg font-semibold").mark("thread-title")
            for turn in turns:
                self._turn(turn)
            if self.agent and conversation["status"] != "closed":
                self._actions(conversation)

    def _turn(self, turn: dict[str, Any]) -> None:
        inbound = turn["direction"] == "in"
        with ui.card().classes("gap-0 p-2 " + ("bg-gray-100 self-start" if inbound else "bg-indigo-50 self-end")):
            label = t(inbox.AUTHOR_KEYS[turn["author"]])
            if turn["author"] == "bot" and turn.get("intent"):
                label += " · " + t(
                    "inbox.bot_intent", intent=turn["intent"], confidence=round((turn.get("confidence") or 0) * 100)
                )
            if turn.get("agent_name"):
                label += f" · {turn['agent_name']}"
            ui.label(f"{label} · {_when(turn['created_at'])}").classes("text-xs text-gray-500").mark(
                f"turn-{turn['id']}-by"
            )
            ui.label(turn["text"]).classes("whitespace-pre-wrap").mark(f"turn-{turn['id']}")
            if turn.get("truncated"):
                ui.label(t("inbox.truncated")).classes("text-xs text-gray-500")

    def _actions(self, conversation: dict[str, Any]) -> None:
        self.answer = ui.textarea(t("inbox.reply"), value=self.draft).classes("w-full").mark("inbox-reply")
        with ui.row().classes("gap-2"):
            ui.button(t("inbox.send"), on_click=self.send).mark("inbox-send")
            ui.button(t("inbox.close"), on_click=lambda: self.set_status("closed")).props("outline").mark("inbox-close")
            if conversation["status"] == "handed_over":
                ui.button(t("inbox.give_back"), on_click=lambda: self.set_status("open")).props("flat").mark(
                    "inbox-give-back"
                )

    def draft_text(self) -> str:
        return (self.answer.value if self.answer is not None else self.draft) or ""

    @guarded(AGENT)
    def send(self) -> None:
        try:
            inbox.reply(self.ctx, access.ensure(AGENT), conversation_id=self.selected or 0, text=self.draft_text())
        except ConflictError as exc:
            message = t("inbox.consent") if "consent" in str(exc) else t("inbox.refused", reason=str(exc))
            ui.notify(message, type="negative")
            return
        except ParcoursError as exc:
            ui.notify(t("inbox.refused", reason=str(exc)), type="negative")
            return
        self.draft = ""
        if self.answer is not None:
            self.answer.value = ""
        ui.notify(t("inbox.sent"), type="positive")
        self.tick()

    @guarded(AGENT)
    def set_status(self, status: str) -> None:
        try:
            inbox.set_status(self.ctx, access.ensure(AGENT), conversation_id=self.selected or 0, status=status)
        except ParcoursError as exc:
            ui.notify(t("inbox.refused", reason=str(exc)), type="negative")
            return
        ui.notify(t("inbox.closed" if status == "closed" else "inbox.given_back"))
        self.tick()


def inbox_page() -> None:
    with frame("inbox.title"):
        InboxPage(current()).render()


def register() -> None:
    ui.page("/inbox")(requires(SIGNED_IN)(inbox_page))
