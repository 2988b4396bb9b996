"""The ingestion role: `python main.py ingest --processes 2` serves the tracking API alone, from two processes
writing one SQLite database, and keeps every guarantee of the single process.

Many concurrent batches name the same new people, so both processes try to create the same contacts at once:
each person must become exactly one contact and each message one event.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select

from storage.contacts import CONTACTS
from storage.db import Database
from storage.models import Event
from tests.conftest import run_cli

EVENTS = Event.__table__
PEOPLE = 40


def _batch(sender: int, round_: int) -> dict:
    return {
        "batch": [
            {
                "type": "track",
                "userId": f"person-{round_}-{i}",  # new people each round: both processes race to create them
                "event": "Product Viewed",
                "messageId": f"s{sender}-r{round_}-{i}",
                "properties": {"sender": sender},
            }
            for i in range(PEOPLE)
        ]
    }


def test_two_ingestion_processes_store_every_message_once_and_each_person_once(ingest_server, settings) -> None:
    key = run_cli("apikey", "create", "app").stdout.strip()
    url = ingest_server.base_url + "/v1/batch"

    def send(sender: int) -> list[int]:
        with httpx.Client(auth=(key, ""), timeout=120) as client:
            return [client.post(url, json=_batch(sender, r)).status_code for r in range(5)]

    with ThreadPoolExecutor(8) as pool:
        statuses = [code for codes in pool.map(send, range(8)) for code in codes]
    assert statuses == [200] * 40
    with httpx.Client(auth=(key, ""), timeout=120) as client:  # a retried batch changes nothing
        assert client.post(url, json=_batch(0, 0)).json()["duplicates"] == PEOPLE
    db = Database(settings.database_url)
    with db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(EVENTS)).scalar() == 8 * 5 * PEOPLE
        people = conn.execute(select(CONTACTS.c.external_id, func.count()).group_by(CONTACTS.c.external_id)).all()
    db.dispose()
    assert sorted(people) == sorted((f"person-{r}-{i}", 1) for r in range(5) for i in range(PEOPLE))


def test_the_ingestion_role_refuses_bad_keys_and_serves_no_ui(ingest_server) -> None:
    with httpx.Client(base_url=ingest_server.base_url, timeout=60) as client:
        refused = client.post("/v1/batch", json=_batch(0, 0), auth=("pk_not_a_key", ""))
        assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
        assert client.get("/").status_code == 404
        assert client.get("/api/v1/journeys").status_code == 404  # management stays on the web process
        assert client.get("/api/v1/health").json() == {"status": "ok"}


def test_processes_must_be_at_least_one() -> None:
    result = run_cli("ingest", "--processes", "0")
    assert result.returncode == 2 and "--processes must be at least 1" in result.stderr
