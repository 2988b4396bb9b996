"""Plotly figures for revenue and holdouts: plain numbers and translated labels in, figures out."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from components.funnel_panels import COLOURS, _layout, _texts


def groups_figure(names: Sequence[str], means: Sequence[float], margins: Sequence[float], axis: str) -> go.Figure:
    """Revenue per contact of each group (treated, held out) with its 95% interval as error bars."""
    fig = go.Figure(
        go.Bar(
            x=_texts(names),
            y=list(means),
            error_y={"type": "data", "array": list(margins), "visible": True},
            marker={"color": [COLOURS[i % len(COLOURS)] for i in range(len(names))]},
        )
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=_texts([axis])[0], rangemode="tozero")
    return _layout(fig, height=280)
