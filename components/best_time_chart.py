"""The best-time preview chart: how many contacts would get a message in each hour of the window."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from components.funnel_panels import COLOURS, _layout, _texts


def best_time_figure(hour_labels: Sequence[str], per_hour: Sequence[int], axis: str) -> go.Figure:
    """One bar per hour of the window (the labels say which), its height the contacts sent then."""
    fig = go.Figure(go.Bar(x=_texts(hour_labels), y=list(per_hour), marker={"color": COLOURS[0]}))
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=_texts([axis])[0], rangemode="tozero")
    return _layout(fig, height=220)
