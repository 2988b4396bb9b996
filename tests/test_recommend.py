"""The recommender: co-occurrence over views, carts and purchases; bought products never offered."""

from __future__ import annotations

from app.simulation.shop import evaluate, holdout, simulate
from journeys import recommend


def _model() -> tuple[recommend.Model, dict[object, recommend.Profile]]:
    history = [
        # Tent buyers also buy sleeping bags; everybody views the phone case.
        *[(f"camper-{i}", "tent", "purchase") for i in range(4)],
        *[(f"camper-{i}", "sleeping-bag", "purchase") for i in range(4)],
        *[(f"camper-{i}", "phone-case", "view") for i in range(4)],
        *[(f"phone-{i}", "phone-case", "purchase") for i in range(6)],
        *[(f"phone-{i}", "charger", "cart") for i in range(6)],
        ("alice", "tent", "purchase"),
        ("bob", "tent", "view"),
    ]
    by_contact = recommend.profiles(history)
    return recommend.train(by_contact), by_contact


def test_co_bought_products_are_offered_and_bought_ones_never() -> None:
    model, by_contact = _model()
    offered = model.recommend(by_contact["alice"], 2)
    assert offered[0] == "sleeping-bag"
    assert "tent" not in offered
    # A product only viewed may come back: bob looked at the tent without buying it.
    assert "tent" not in model.recommend(by_contact["camper-0"], 3)


def test_no_history_falls_back_to_popularity() -> None:
    model, _ = _model()
    assert model.recommend(None, 2) == model.popular[:2]
    assert model.recommend(recommend.Profile(), 3) == ["phone-case", "tent", "sleeping-bag"]


def test_too_little_history_is_filled_with_best_sellers_not_bought() -> None:
    model, by_contact = _model()
    offered = model.recommend(by_contact["phone-0"], 4)
    assert offered[0] == "charger"  # carted with the phone case: scored, then the best-sellers
    assert sorted(offered) == ["charger", "sleeping-bag", "tent"]  # every product not bought, once


def test_events_map_to_weighted_products_and_bad_properties_are_ignored() -> None:
    order = {"products": [{"product_id": "a"}, {"product_id": 7}, {"name": "no id"}, "junk", {"product_id": True}]}
    assert recommend.event_products("Order Completed", order) == [("a", "purchase"), ("7", "purchase")]
    assert recommend.event_products("Product Added", {"product_id": " b "}) == [("b", "cart")]
    assert recommend.event_products("Order Completed", {"products": "nope"}) == []
    assert recommend.event_products("app_opened", {"product_id": "a"}) == []


def test_the_last_order_is_held_out_with_its_session() -> None:
    shop = simulate(60, seed=4)
    train, held = holdout(shop)
    assert held
    for user, product in list(held.items())[:20]:
        orders = [e for e in shop.events if e.user_id == user and e.event == "Order Completed"]
        last = orders[-1]
        assert product == last.properties["products"][-1]["product_id"]
        kept = [t for t in train if t[0] == user]
        seen = [e for e in shop.events if e.user_id == user and e.session < last.session]
        expected = [(user, p, k) for e in seen for p, k in recommend.event_products(e.event, e.properties)]
        assert kept == expected


def test_recommender_beats_popularity_by_half_again_on_a_seeded_shop() -> None:
    outcome = evaluate(400, seed=7)
    assert outcome["cases"] > 200
    assert outcome["hit_rate"] >= 1.5 * outcome["popularity_hit_rate"] > 0
