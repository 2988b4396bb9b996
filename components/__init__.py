"""Reusable UI elements: the journey canvas, node forms, Plotly panels."""
