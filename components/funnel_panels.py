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
NONE = "—"  # shown where a rate does not exist, never as "0.0%"
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


def plotly_text(text: str) -> str:
    """User text as Plotly shows it literally: Plotly reads ``<b>``, ``<a href>`` and ``&...;`` in labels as
    markup, so the three characters that start markup become entities (a name is data, never markup)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _texts(values: Sequence[str]) -> list[str]:
    return [plotly_text(v) for v in values]


def _layout(fig: go.Figure, height: int = 320) -> go.Figure:
    # A legend only where it tells traces apart: a single trace would be listed as "trace 0".
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=height,
        showlegend=len(fig.data) > 1,
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def funnel_figure(labels: Sequence[str], counts: Sequence[int], name: str = "") -> go.Figure:
    trace = go.Funnel(
        y=_texts(labels),
        x=list(counts),
        name=plotly_text(name),
        textinfo="value+percent initial",
        marker={"color": COLOURS[0]},
        hoverinfo="y+x+percent initial",
    )
    fig = _layout(go.Figure(trace), height=80 + 60 * len(labels))
    fig.update_yaxes(type="category")
    return fig


def split_funnel_figure(
    shared: Sequence[tuple[str, int]],
    stages: Sequence[str],
    variants: Sequence[tuple[str, Sequence[int], Sequence[str]]],
    shared_name: str,
) -> go.Figure:
    """The steps every contact shares, drawn once across the row, then one funnel per variant side by side.

    ``variants`` holds (name, one count per stage, one hover text per stage); names and texts are user text,
    shown literally. Each variant's percentages are of its own first stage (its contacts after the split).
    """
    fig = go.Figure()
    if shared:
        # An explicit offset keeps this trace out of the grouping: its bars span the whole row.
        fig.add_trace(
            go.Funnel(
                y=_texts([label for label, _count in shared]),
                x=[count for _label, count in shared],
                name=plotly_text(shared_name),
                offset=-0.4,
                width=0.8,
                textinfo="value+percent initial",
                marker={"color": "#6b7280"},
                hoverinfo="y+x+percent initial",
            )
        )
    for i, (name, counts, hovers) in enumerate(variants):
        fig.add_trace(
            go.Funnel(
                y=_texts(stages),
                x=list(counts),
                name=plotly_text(name),
                hovertext=_texts(hovers),
                textinfo="value+percent initial",
                marker={"color": COLOURS[i % len(COLOURS)]},
                hoverinfo="name+text+x+percent initial",
                connector={"visible": False},  # grouped rows: one variant's connectors would cross the others'
            )
        )
    fig.update_layout(funnelmode="group")
    rows = len(shared) + len(stages)
    order = _texts([*(label for label, _count in shared), *stages])
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order)
    return _layout(fig, height=100 + rows * (30 + 22 * max(1, len(variants))))


def series_figure(x: Sequence[str], lines: dict[str, Sequence[int]]) -> go.Figure:
    """Lines over period labels already formatted ("14:00", "3 Dec"): a category axis shows them as they are,
    so Plotly never invents its own date ticks such as "23:59:59.9995"."""
    fig = go.Figure()
    for i, (name, ys) in enumerate(lines.items()):
        fig.add_trace(
            go.Scatter(
                x=_texts(x), y=list(ys), name=plotly_text(name), mode="lines+markers", line={"color": COLOURS[i % 6]}
            )
        )
    fig.update_xaxes(type="category", nticks=12)
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig)


def bars_figure(categories: Sequence[str], groups: dict[str, Sequence[int]]) -> go.Figure:
    fig = go.Figure()
    for i, (name, values) in enumerate(groups.items()):
        fig.add_trace(
            go.Bar(x=_texts(categories), y=list(values), name=plotly_text(name), marker={"color": COLOURS[i % 6]})
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
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


# Constant cell templates: row values are bound as data (Vue escapes them), never formatted into the template.
COLLAPSED = "h-0 overflow-hidden invisible"
TIP_CELL = '<q-td :props="props"><span :title="props.row.tip">{{ props.value }}</span></q-td>'
LINK_CELL = (
    '<q-td :props="props"><a v-if="props.row.href" :href="props.row.href" class="text-primary underline">'
    "{{ props.value }}</a><span v-else>{{ props.value }}</span></q-td>"
)


class Panel:
    """A titled card with a Plotly chart, a table view of the same numbers and a CSV export.

    ``labels`` holds the translated words: ``chart``, ``table``, ``csv`` and ``empty`` (the "no data yet"
    line shown instead of empty axes). With ``tips`` the first column shows a tooltip per row (a step's id);
    with ``links`` the last column is a link per row (the page where a problem is fixed).
    """

    def __init__(
        self,
        title: str,
        name: str,
        labels: dict[str, str],
        *,
        chart: bool = True,
        tips: bool = False,
        links: bool = False,
    ) -> None:
        self.name = name
        self.headers: list[str] = []
        self.rows: list[Row] = []
        self.extras: list[dict[str, str]] = []
        self.alt = ""
        self.has_chart = chart
        self.is_empty = False
        self.collapsed = False
        self.links = links
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
            self.empty = ui.label(labels.get("empty", "")).classes("text-gray-500 py-6").mark(f"{name}-empty")
            # Collapsed rather than display:none while empty: Plotly refuses to resize a plot that is not displayed.
            self.plot_box = ui.element("div").classes("w-full").mark(f"{name}-chart-box")
            with self.plot_box:
                self.plot = ui.plotly(go.Figure()).classes("w-full").mark(f"{name}-chart") if chart else None
            self.table = ui.table(columns=[], rows=[]).classes("w-full").props("dense flat").mark(f"{name}-table")
            if tips:
                self.table.add_slot("body-cell-c0", TIP_CELL)
            if links:
                self.table.add_slot("body-cell-link", LINK_CELL)
        self._show()

    def _show(self) -> None:
        # The chart stays displayed (Plotly cannot resize a hidden plot); the table view opens below it.
        self.empty.set_visibility(self.is_empty)
        if self.has_chart:
            self.toggle.set_visibility(not self.is_empty)
            if self.is_empty != self.collapsed:  # touch the box only on a change: an update redraws the plot
                self.collapsed = self.is_empty
                if self.collapsed:
                    self.plot_box.classes(add=COLLAPSED)
                else:
                    self.plot_box.classes(remove=COLLAPSED)
        self.table.set_visibility(not self.is_empty and (not self.has_chart or self.toggle.value == "table"))

    def update(
        self,
        headers: Sequence[str],
        rows: Sequence[Row],
        figure: go.Figure | None,
        alt: str,
        *,
        empty: bool | None = None,
        extras: Sequence[dict[str, str]] = (),
    ) -> None:
        """Show new numbers; nothing is sent to the browser when they did not change.

        ``empty`` (by default: no rows) shows the "no data yet" line instead of the chart and the table.
        ``extras`` are per-row values the cell templates read: ``tip`` (tooltip) and ``href`` (link).
        """
        is_empty = not rows if empty is None else empty
        new_rows = [list(r) for r in rows]
        new_extras = [dict(e) for e in extras]
        if (
            list(headers) == self.headers
            and new_rows == self.rows
            and new_extras == self.extras
            and alt == self.alt
            and is_empty == self.is_empty
        ):
            return
        self.headers, self.rows, self.extras, self.alt = list(headers), new_rows, new_extras, alt
        self.is_empty = is_empty
        last = len(headers) - 1
        self.table.columns = [
            {"name": "link" if self.links and i == last else f"c{i}", "label": h, "field": f"c{i}", "align": "left"}
            for i, h in enumerate(headers)
        ]
        self.table.rows = [
            {**(new_extras[n] if n < len(new_extras) else {}), **{f"c{i}": _cell(v) for i, v in enumerate(r)}}
            for n, r in enumerate(new_rows)
        ]
        self.table.update()
        self._show()
        if self.plot is not None and figure is not None and not is_empty:
            # Alt text holds user names (steps, journeys): a prop value, never part of a props string.
            self.plot.props.update({"role": "img", "aria-label": alt})
            self.plot.update_figure(figure)

    def download(self) -> None:
        ui.download.content(to_csv(self.headers, self.rows), f"{self.name}.csv", "text/csv")


def _cell(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def percent(value: float | None, digits: int = 1) -> str:
    """A share as a percentage; "—" when there is nothing to divide by (no goal, no entries yet)."""
    return NONE if value is None else f"{value * 100:.{digits}f}%"
