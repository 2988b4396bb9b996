"""Plotly panels for funnels and dashboards. They take plain data and translated labels; no DB access.

Each panel is a card with a chart (or a table), a table view that shows the same numbers as text (the
chart's accessible alternative), alt text on the chart, and a CSV download of those numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from nicegui import ui

Row = Sequence[Any]
COLOURS = ["#4338ca", "#0891b2", "#16a34a", "#ea580c", "#db2777", "#7c3aed"]


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The cell as a spreadsheet should read it: text that would start a formula gets a leading quote.

    Only text is changed: a number such as -3 stays a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(headers: Sequence[str], rows: Sequence[Row]) -> bytes:
    """Every CSV export goes through here, so every cell is neutralised the same way."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in headers])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _layout(fig: go.Figure, height: int = 320) -> go.Figure:
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, height=height, showlegend=True)
    return fig


def funnel_figure(labels: Sequence[str], counts: Sequence[int]) -> go.Figure:
    trace = go.Funnel(y=list(labels), x=list(counts), textinfo="value+percent initial", marker={"color": COLOURS[0]})
    return _layout(go.Figure(trace), height=80 + 60 * len(labels))


def series_figure(x: Sequence[str], lines: dict[str, Sequence[int]]) -> go.Figure:
    fig = go.Figure()
    for i, (name, ys) in enumerate(lines.items()):
        fig.add_trace(go.Scatter(x=list(x), y=list(ys), name=name, mode="lines+markers", line={"color": COLOURS[i]}))
    return _layout(fig)


def bars_figure(categories: Sequence[str], groups: dict[str, Sequence[int]]) -> go.Figure:
    fig = go.Figure()
    for i, (name, values) in enumerate(groups.items()):
        fig.add_trace(go.Bar(x=list(categories), y=list(values), name=name, marker={"color": COLOURS[i % 6]}))
    fig.update_layout(barmode="group")
    return _layout(fig)


def sparkline_figure(values: Sequence[int]) -> go.Figure:
    fig = go.Figure(go.Scatter(y=list(values), mode="lines", line={"color": COLOURS[0], "width": 2}))
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=36,
        width=140,
        showlegend=False,
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return fig


class Panel:
    """A titled card with a Plotly chart, a table view of the same numbers and a CSV export.

    ``labels`` holds the translated words: ``chart``, ``table``, ``csv``.
    """

    def __init__(self, title: str, name: str, labels: dict[str, str], *, chart: bool = True) -> None:
        self.name = name
        self.headers: list[str] = []
        self.rows: list[Row] = []
        self.alt = ""
        self.has_chart = chart
        with ui.card().classes("w-full").props("flat bordered").mark(f"panel-{name}"):
            with ui.row().classes("w-full items-center"):
                ui.label(title).classes("text-lg font-medium grow")
                if chart:
                    self.toggle = ui.toggle({"chart": labels["chart"], "table": labels["table"]}, value="chart")
                    self.toggle.props("dense no-caps").mark(f"{name}-view")
                    self.toggle.on_value_change(lambda _e: self._show())
                ui.button(labels["csv"], icon="download", on_click=self.download).props("flat dense no-caps").mark(
                    f"{name}-csv"
                )
            self.plot = ui.plotly(go.Figure()).classes("w-full").mark(f"{name}-chart") if chart else None
            self.table = ui.table(columns=[], rows=[]).classes("w-full").props("dense flat").mark(f"{name}-table")
        self._show()

    def _show(self) -> None:
        # The chart stays displayed (Plotly cannot resize a hidden plot); the table view opens below it.
        self.table.set_visibility(not self.has_chart or self.toggle.value == "table")

    def update(self, headers: Sequence[str], rows: Sequence[Row], figure: go.Figure | None, alt: str) -> None:
        """Show new numbers; nothing is sent to the browser when they did not change."""
        if (
            list(headers) == self.headers
            and [list(r) for r in rows] == [list(r) for r in self.rows]
            and alt == self.alt
        ):
            return
        self.headers, self.rows, self.alt = list(headers), [list(r) for r in rows], alt
        self.table.columns = [
            {"name": f"c{i}", "label": h, "field": f"c{i}", "align": "left"} for i, h in enumerate(headers)
        ]
        self.table.rows = [{f"c{i}": _cell(v) for i, v in enumerate(r)} for r in rows]
        self.table.update()
        if self.plot is not None and figure is not None:
            # Alt text holds user names (steps, journeys): a prop value, never part of a props string.
            self.plot.props.update({"role": "img", "aria-label": alt})
            self.plot.update_figure(figure)

    def download(self) -> None:
        ui.download.content(to_csv(self.headers, self.rows), f"{self.name}.csv", "text/csv")


def _cell(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def percent(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"
