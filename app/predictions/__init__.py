"""Conversion and churn scores: a model per goal event, trained nightly, its scores stored for journeys."""
