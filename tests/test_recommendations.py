"""Recommended products in messages: refreshed from shop events, rendered in previews and real sends."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from app.authoring import service as journey_service
from app.core import runtime
from app.engine import service as engine_service
from app.recommendations import service
from app.simulation.shop import simulate
from app.tracking import service as tracking_service
from app.tracking.payloads import Batch
from components.node_forms.context import SAMPLE_CONTEXT
from journeys import recommend
from journeys.preview import render_preview
from storage import products
from storage.models import Contact
from storage.product_models import Product
from tests.conftest import run_cli
from tests.engine_support import add_contacts, counts, journey, outbox, publish, run, track

SHOWN = "{% for p in recommendations limit: 2 %}{{ p.name }} ({{ p.price }} EUR) {% endfor %}"
PICKS = journey(
    [
        ("entry", "entry.event", {"event": "picks_requested"}),
        ("push", "message.push", {"title": "For you", "body": "Picks: " + SHOWN}),
        ("done", "exit", {}),
    ],
    [("entry", "next", "push"), ("push", "next", "done")],
)


def _product(product_id: str, name: str, price: float) -> dict[str, object]:
    return {"product_id": product_id, "name": name, "price": price, "url": f"https://shop.example/{product_id}"}


TENT, BAG, MUG = _product("tent", "Tent", 199.0), _product("bag", "Sleeping bag", 79.0), _product("mug", "Mug", 9.0)


def _shop(ctx) -> list[int]:
    """Campers buy tents and sleeping bags; many people buy mugs; the last contact has no history."""
    campers, mug_fans, alice, newcomer = (add_contacts(ctx, n) for n in (3, 5, 1, 1))
    track(ctx, campers, "Order Completed", order_id="o", products=[TENT, BAG])
    track(ctx, mug_fans, "Order Completed", order_id="m", products=[MUG])
    track(ctx, alice, "Product Viewed", product_id="tent", price=199.0)
    track(ctx, alice, "Order Completed", order_id="a", products=[TENT])
    return [*alice, *newcomer]


def test_a_send_shows_co_bought_products_and_never_what_was_bought(ctx) -> None:
    alice, newcomer = _shop(ctx)
    refreshed = service.refresh(ctx)
    assert refreshed.products == 3
    journey_id = publish(ctx, PICKS)
    track(ctx, [alice, newcomer], "picks_requested")
    run(ctx)
    bodies = {m.contact_id: m.payload["body"] for m in outbox(ctx, channel="push")}
    assert counts(ctx, journey_id)[("push", "queued", "")] == 2
    assert bodies[alice] == "Picks: Sleeping bag (79.0 EUR) Mug (9.0 EUR) "
    assert "Tent" not in bodies[alice]
    # No history: the best-sellers.
    assert bodies[newcomer] == "Picks: Mug (9.0 EUR) Tent (199.0 EUR) "


def test_without_a_catalogue_the_message_still_sends_with_an_empty_list(ctx) -> None:
    (contact,) = add_contacts(ctx, 1)
    journey_id = publish(ctx, PICKS)
    track(ctx, [contact], "picks_requested")
    run(ctx)
    (message,) = outbox(ctx, channel="push")
    assert message.payload["body"] == "Picks: "
    assert counts(ctx, journey_id)[("push", "queued", "no_recommendations")] == 1


def test_preview_shows_the_contacts_picks(ctx) -> None:
    alice, _ = _shop(ctx)
    service.refresh(ctx)
    journey_id = journey_service.import_journey(ctx, json.dumps(PICKS))
    rendered = engine_service.preview(ctx, journey_id, "push", alice)
    assert rendered["body"] == "Picks: Sleeping bag (79.0 EUR) Mug (9.0 EUR) "
    sample = render_preview("message.push", {"body": SHOWN}, SAMPLE_CONTEXT)
    assert sample.fields["body"] == "Trail shoes (89.0 EUR) Rain jacket (120.0 EUR) "


def test_a_later_refresh_follows_new_purchases(ctx) -> None:
    alice, _ = _shop(ctx)
    service.refresh(ctx)
    track(ctx, [alice], "Order Completed", order_id="a2", products=[BAG])
    service.refresh(ctx)
    publish(ctx, PICKS)
    track(ctx, [alice], "picks_requested")
    run(ctx)
    (message,) = outbox(ctx, channel="push")
    assert message.payload["body"] == "Picks: Mug (9.0 EUR) "


def _catalogue(ctx) -> dict[str, tuple[str, float | None, str]]:
    table = Product.__table__
    with ctx.db.engine.connect() as conn:
        return {r.product_id: (r.name, r.price, r.source) for r in conn.execute(select(table))}


def test_csv_import_names_each_bad_row_and_writes_nothing(ctx, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "product_id,name,price,url\n"
        "tent,Tent,199,https://shop.example/tent\n"
        "bag,Sleeping bag,cheap,https://shop.example/bag\n"
        ",Nameless,3,\n"
        "mug,Mug,9,javascript:alert(1)\n"
        "tent,Tent again,1,\n",
        encoding="utf-8",
    )
    result = run_cli("products", "import", str(bad))
    assert result.returncode == 1
    assert f"{bad}: line 3, column price: not a number: 'cheap'" in result.stdout
    assert f"{bad}: line 4, column product_id: required" in result.stdout
    assert f"{bad}: line 5, column url: must start with https:// or http://" in result.stdout
    assert f"{bad}: line 6, column product_id: 'tent' appears twice" in result.stdout
    assert "nothing imported" in result.stderr
    assert _catalogue(ctx) == {}
    missing = tmp_path / "missing.csv"
    missing.write_text("sku,title\n1,x\n", encoding="utf-8")
    result = run_cli("products", "import", str(missing))
    assert result.returncode == 1 and "line 1: missing column product_id, name" in result.stdout


def test_imported_products_win_over_what_events_say(ctx, tmp_path: Path) -> None:
    alice, _ = _shop(ctx)
    good = tmp_path / "products.csv"
    good.write_text("\ufeffProduct_ID,name,price,image_url\ntent,Tente 2 places,189.5,https://shop.example/t.jpg\n")
    result = run_cli("products", "import", str(good))
    assert result.returncode == 0, result.stderr
    assert "1 products read, 1 added or changed" in result.stdout
    service.refresh(ctx)
    catalogue = _catalogue(ctx)
    assert catalogue["tent"] == ("Tente 2 places", 189.5, "import")
    assert catalogue["bag"] == ("Sleeping bag", 79.0, "event")


def test_unusable_event_values_stay_out_of_the_catalogue(ctx) -> None:
    (contact,) = add_contacts(ctx, 1)
    track(ctx, [contact], "Product Viewed", product_id="x", price=-5, url="javascript:alert(1)", image="http://i/x.png")
    track(ctx, [contact], "Order Completed", products=[{"product_id": "y", "price": "12"}, "junk", {"sku": "no id"}])
    track(ctx, [contact], "Product Added", product_id={"nested": 1})
    assert service.refresh(ctx).products == 2
    table = Product.__table__
    with ctx.db.engine.connect() as conn:
        rows = {r.product_id: (r.name, r.price, r.url, r.image_url) for r in conn.execute(select(table))}
    assert rows == {"x": ("", None, "", "http://i/x.png"), "y": ("", None, "", "")}


def test_the_recommended_filter_gives_the_first_n_in_an_sms(ctx) -> None:
    alice, newcomer = _shop(ctx)
    service.refresh(ctx)
    body = "{% assign picks = contact | recommended: 1 %}{% for p in picks %}Try {{ p.name }}: {{ p.url }}{% endfor %}"
    publish(
        ctx,
        journey(
            [
                ("entry", "entry.event", {"event": "picks_requested"}),
                ("sms", "message.sms", {"body": body}),
                ("done", "exit", {}),
            ],
            [("entry", "next", "sms"), ("sms", "next", "done")],
        ),
    )
    track(ctx, [alice, newcomer], "picks_requested")
    run(ctx)
    bodies = {m.contact_id: m.payload["body"] for m in outbox(ctx, channel="sms")}
    assert bodies == {
        alice: "Try Sleeping bag: https://shop.example/bag",
        newcomer: "Try Mug: https://shop.example/mug",
    }


def test_simulated_shop_events_through_ingestion_give_the_pure_models_lists(ctx) -> None:
    shop = simulate(40, seed=9)
    items = [e.segment() for e in shop.events]
    for start in range(0, len(items), 200):
        tracking_service.ingest(ctx, Batch.model_validate({"batch": items[start : start + 200]}).batch)
    refreshed = service.refresh(ctx)
    by_user = recommend.profiles(
        (e.user_id, p, k) for e in shop.events for p, k in recommend.event_products(e.event, e.properties)
    )
    model = recommend.train(by_user)
    with ctx.db.engine.connect() as conn:
        ids = {row.external_id: row.id for row in conn.execute(select(Contact.__table__))}
        stored = products.recommended_ids(conn, ids.values())
    assert refreshed.contacts == len(by_user) == 40
    for user, profile in by_user.items():
        assert stored[ids[user]] == model.recommend(profile, recommend.LIST_SIZE)
        assert not set(stored[ids[user]]) & profile.bought


async def test_the_runtime_refreshes_recommendations_every_hour(ctx) -> None:
    alice, _ = _shop(ctx)
    running = runtime.start(ctx)
    try:
        job = running.scheduler.get_job(runtime.RECO_JOB)
        assert job.trigger.interval == timedelta(hours=1)
        runtime.run_recommendations()  # what the scheduler calls
    finally:
        await asyncio.to_thread(runtime.stop)
    with ctx.db.engine.connect() as conn:
        assert products.recommended_ids(conn, [alice])[alice][:2] == ["bag", "mug"]
