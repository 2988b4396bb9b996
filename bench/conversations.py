"""The FAQ bot: accuracy on the labelled set, and the latency of one inbound SMS from webhook to queued answer.

Usage: .venv/bin/python bench/conversations.py [--rounds 2]
Accuracy: every question of tests/fixtures/faq/labelled.csv (English and French paraphrases of the knowledge
base's entries, out-of-scope questions, requests for a person) against tests/fixtures/faq/knowledge.csv.
Latency: the same questions posted as Twilio-signed form webhooks over real HTTP on loopback to the conversations
API (served by uvicorn in this process, sharing its temporary SQLite database), each from its own contact, so each is
stored, classified, and answered by the bot with an SMS queued in the outbox (or handed over) before the
webhook's response; the time is measured around the POST. One message before the run fits the index and is not
timed. Prints a JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.conversations import knowledge_store  # noqa: E402
from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.delivery import provider_config
from journeys.clock import FrozenClock  # noqa: E402
from storage import contacts as contact_store  # noqa: E402
from storage.engine_models import OutboxMessage  # noqa: E402
from tests import faq_support  # noqa: E402
from tests.conversation_support import conversations_api  # noqa: E402

TOKEN = "bench-twilio-auth-token"
PATH = "/api/v1/conversations/sms/twilio"


def queued(ctx: context.AppContext) -> int:
    with ctx.db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(OutboxMessage.__table__)).scalar_one())


def post(client: httpx.Client, base: str, phone: str, text: str) -> float:
    url = base + PATH
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "From": phone, "To": "+33700000000", "Body": text}
    headers = {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, params)}
    began = time.perf_counter()
    response = client.post(url, data=params, headers=headers)
    elapsed = (time.perf_counter() - began) * 1000
    response.raise_for_status()
    return elapsed


def latency(ctx: context.AppContext, rows: list[faq_support.Labelled], rounds: int) -> tuple[list[float], int]:
    """Milliseconds per answered message, and how many messages were sent."""
    count = len(rows) * rounds + 1
    phones = [f"+3361{i:07d}" for i in range(count)]
    with ctx.db.session() as session:
        identities = [{"phone": p, "consent": {"sms": "subscribed"}} for p in phones]
        contact_store.insert_contacts(session, identities, now=ctx.clock.now())
    answered: list[float] = []
    with conversations_api() as base, httpx.Client(timeout=10) as client:
        post(client, base, phones[0], "Where is my order?")  # fits the index once
        questions = [row.question for _ in range(rounds) for row in rows]
        for phone, question in zip(phones[1:], questions, strict=True):
            before = queued(ctx)
            elapsed = post(client, base, phone, question)
            if queued(ctx) > before:  # the answer was in the outbox when the webhook returned
                answered.append(elapsed)
    return answered, len(questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2, help="times each labelled question is posted")
    args = parser.parse_args()
    kb, rows = faq_support.sample_knowledge(), faq_support.sample_labelled()
    scores = faq_support.score(kb, rows)
    with tempfile.TemporaryDirectory() as tmp:
        clock = FrozenClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
        ctx = context.init(Settings(database_url=f"sqlite:///{Path(tmp) / 'faq.db'}", secret="bench"), clock)
        provider_config.save(ctx, "twilio_auth_token", TOKEN, actor="bench")
        knowledge_store.import_csv(ctx, (faq_support.FIXTURES / "knowledge.csv").read_text("utf-8"), actor="bench")
        answered, sent = latency(ctx, rows, args.rounds)
        context.close()
    cuts = statistics.quantiles(answered, n=100, method="inclusive")
    print(
        json.dumps(
            {
                "questions": scores.questions,
                "in_scope": scores.in_scope,
                "out_of_scope": scores.out_of_scope,
                "faq_top1_accuracy": round(scores.top1_accuracy, 4),
                "out_of_scope_handover": round(scores.out_of_scope_handover, 4),
                "human_request_handover": round(scores.human_handed_over / scores.human, 4),
                "messages_posted": sent,
                "answers_queued": len(answered),
                "p50_ms": round(cuts[49], 2),
                "p95_ms": round(cuts[94], 2),
                "max_ms": round(max(answered), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
