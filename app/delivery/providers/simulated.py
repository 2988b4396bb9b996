"""The demo's provider, "Simulated (demo)": it accepts every message and never touches the network.

Demo and real audiences never mix. ``audiences`` marks, for a batch of claimed outbox rows, which must go
to the simulator (any message to a demo contact, whatever the journey and whatever real provider is
configured) and which must go nowhere (a real contact who entered a demo journey: the simulator is never
used for real people, and a demo journey never reaches a real provider). What recipients "do" with the
simulated messages is played later by app/demo/live.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from app.delivery.providers import Outcome, Outgoing
from storage.demo import DEMO_PREFIX, demo_contact_ids
from storage.workspace import get_setting_conn

NAME = "simulated"
REFUSED = "demo_refused"  # a pseudo-provider: the message fails with REFUSED_REASON
REFUSED_REASON = "demo_journey_real_contact"
SETTING_KEY = "demo"
__all__ = ["DEMO_PREFIX", "NAME", "REFUSED", "SETTING_KEY", "SimulatedProvider", "audiences"]


class SimulatedProvider:
    name = NAME

    def send(self, batch: list[Outgoing]) -> list[Outcome]:
        return [Outcome.sent(f"sim-{item.message_id}"[:200]) for item in batch]


def audiences(conn: Connection, rows: list[Any]) -> dict[int, str]:
    """Outbox row id -> ``simulated`` or ``demo_refused`` for rows that must not follow normal routing."""
    state = get_setting_conn(conn, key=SETTING_KEY) if rows else None
    if state is None:  # the demo was never loaded here: no demo contacts, and no extra query per round
        return {}
    demo_contacts = demo_contact_ids(conn, (r.contact_id for r in rows))
    demo_journeys = {int(j) for j in state.get("journeys") or []}
    out: dict[int, str] = {}
    for row in rows:
        if row.contact_id in demo_contacts:
            out[row.id] = NAME
        elif row.journey_id in demo_journeys:
            out[row.id] = REFUSED
    return out
