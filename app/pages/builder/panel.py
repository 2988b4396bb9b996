"""The builder's side panel: the selected step's form, and the list of problems that focuses a step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from app.i18n import t, tn
from app.wording import explain
from components.node_forms import Choices, FormContext, render_form
from components.node_forms.fields import calm
from components.node_forms.journey_form import journey_form
from journeys.document import JourneyDocument, Node
from journeys.nodes import REGISTRY
from journeys.validation import Violation


def _type_label(node_type: str) -> str:
    spec = REGISTRY.get(node_type)
    text = t(f"builder.node.{node_type}")
    return text if text != f"builder.node.{node_type}" else (spec.label if spec else node_type)


def problem_list(violations: list[Violation], doc: JourneyDocument, *, on_click: Callable[[str], None]) -> None:
    """Every problem of the journey; clicking one that names a step focuses that step on the canvas."""
    with (
        ui.expansion(tn("wording.problems", len(violations)), icon="error_outline", value=bool(violations))
        .classes("w-full")
        .mark("problems")
    ):
        if not violations:
            ui.label(t("builder.no_problems")).classes("text-green-700 text-sm")
        names = {n.id: n.name or n.id for n in doc.nodes}
        for violation in violations:
            where = names.get(violation.node_id or "", violation.node_id or t("builder.journey"))
            item = ui.item(on_click=(lambda n=violation.node_id: on_click(n)) if violation.node_id else None)
            item.mark(f"problem-{violation.node_id or 'journey'}").classes("text-sm")
            with item, ui.item_section():
                ui.item_label(where).classes("font-medium")
                ui.item_label(t(f"builder.violation.{violation.code}")).classes("text-red-700")
                ui.item_label(explain(violation)).props("caption")


class NodePanel:
    """Shows the form of one step; edits go to ``on_change(node_id, name, config)``."""

    def __init__(
        self,
        choices: Choices,
        *,
        on_change: Callable[[str, str, dict[str, Any]], None],
        on_delete: Callable[[str], None] | None = None,
        on_settings: Callable[[dict[str, Any], dict[str, Any]], None] | None = None,
        readonly: bool = False,
    ) -> None:
        self.choices = choices
        self.on_change = on_change
        self.on_delete = on_delete
        self.on_settings = on_settings
        self.readonly = readonly
        self.node: Node | None = None
        self.container = ui.column().classes("w-full gap-2").mark("side-panel")
        self.problems_column: ui.column | None = None
        self.open(None, [])

    def open(self, node: Node | None, violations: list[Violation], doc: JourneyDocument | None = None) -> None:
        self.node = node
        self.container.clear()
        with self.container:
            if node is None:
                ui.label(t("builder.select_hint")).classes("text-gray-600 text-sm").mark("select-hint")
                self.problems_column = None
                if doc is not None:
                    self._settings(doc)
                return
            self._form(node)
        self.show_problems(violations)

    def _form(self, node: Node) -> None:
        state = {"name": node.name, "config": node.config}

        def changed() -> None:
            if not self.readonly:
                self.on_change(node.id, state["name"], state["config"])

        with ui.row().classes("w-full items-center no-wrap"):
            spec = REGISTRY.get(node.type)
            ui.icon(spec.icon if spec else "help_outline").classes("text-xl")
            ui.label(_type_label(node.type)).classes("font-semibold grow").mark("panel-type")
            if self.on_delete and not self.readonly:
                ui.button(icon="delete", on_click=lambda: self.on_delete(node.id)).props("flat dense round").tooltip(
                    t("builder.delete_step")
                ).mark("delete-step")
        if spec is not None:
            ui.label(tr_description(node.type, spec.description)).classes("text-xs text-gray-500")
        name = (
            calm(ui.input(t("builder.form.step_name"), value=node.name))
            .classes("w-full")
            .props("outlined dense" + (" readonly" if self.readonly else ""))
        )
        name.mark("field-name").props("data-testid=field-name")
        name.on_value_change(lambda e: (state.update(name=e.value or ""), changed()))
        self.problems_column = ui.column().classes("w-full gap-0").mark("node-problems")
        render_form(
            node.type, state["config"], FormContext(choices=self.choices, changed=changed, readonly=self.readonly)
        )

    def _settings(self, doc: JourneyDocument) -> None:
        """Journey settings, built when first opened: the time-zone list alone doubles the page's size."""
        settings = doc.settings.model_dump(mode="json")
        goal = doc.goal.model_dump(mode="json") if doc.goal else {}

        def changed() -> None:
            if self.on_settings and not self.readonly:
                self.on_settings(settings, goal)

        expansion = ui.expansion(t("builder.settings.title"), icon="tune").classes("w-full").mark("journey-settings")

        def build(opened: bool) -> None:
            if opened and not list(expansion.default_slot.children):
                with expansion:
                    journey_form(
                        settings, goal, FormContext(choices=self.choices, changed=changed, readonly=self.readonly)
                    )

        expansion.on_value_change(lambda e: build(bool(e.value)))

    def show_problems(self, violations: list[Violation]) -> None:
        """The step's problems under its name, and each setting's own problem on its field."""
        if self.node is None or self.problems_column is None:
            return
        self.problems_column.clear()
        mine = [v for v in violations if v.node_id == self.node.id]
        with self.problems_column:
            for violation in mine:
                ui.label(explain(violation)).classes("text-red-700 text-sm").mark("node-problem")
        self._field_errors(mine)

    def _field_errors(self, violations: list[Violation]) -> None:
        fields = {
            marker: element
            for element in self.container.descendants()
            if isinstance(element, ValidationElement)
            for marker in element._markers
            if marker.startswith("field-")
        }
        errors: dict[str, str] = {}
        for violation in violations:
            field = str(violation.values.get("field", ""))
            marker = next((m for m in (f"field-{field}", f"field-{field}-amount") if m in fields), None)
            if field and marker:
                errors.setdefault(marker, explain(violation))
        for marker, element in fields.items():
            if element.error != errors.get(marker):
                element.error = errors.get(marker)  # set as a property, never formatted into a props string
                element.update()


def tr_description(node_type: str, fallback: str) -> str:
    text = t(f"builder.node_help.{node_type}")
    return fallback if text == f"builder.node_help.{node_type}" else text
