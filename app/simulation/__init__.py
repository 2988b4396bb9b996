"""Seeded simulations of the outside world: a population of app users and how people answer messages.

Pure and deterministic (no I/O): the same seed and the same time range always give the same events, however
the range is cut into ticks. The demo drives them (app/demo/live.py); other simulators can reuse them.
"""
