"""SQL of the product catalogue and of recommendations: shop events read, products and lists written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from storage.models import Event
from storage.product_models import Product, ProductRecommendation

PRODUCT = Product.__table__  # type: ignore[attr-defined]
RECOMMENDATION = ProductRecommendation.__table__  # type: ignore[attr-defined]
EVENT = Event.__table__  # type: ignore[attr-defined]
CHUNK = 500
FIELDS = ("name", "price", "url", "image_url")


def shop_events(conn: Connection, names: Iterable[str], *, limit: int) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(contact id, event name, properties) of the latest ``limit`` events with these names, oldest first."""
    latest = select(EVENT.c.id).where(EVENT.c.name.in_(list(names))).order_by(EVENT.c.id.desc()).limit(limit).subquery()
    query = (
        select(EVENT.c.contact_id, EVENT.c.name, EVENT.c.properties)
        .where(EVENT.c.id.in_(select(latest.c.id)))
        .order_by(EVENT.c.id)
    )
    for contact_id, name, properties in conn.execute(query):
        yield contact_id, name, properties if isinstance(properties, dict) else {}


def products(conn: Connection, product_ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """Catalogue rows by product id (all of them, or those asked for)."""
    if product_ids is None:
        return {row.product_id: dict(row._mapping) for row in conn.execute(select(PRODUCT))}
    ids, out = list(product_ids), {}
    for start in range(0, len(ids), CHUNK):  # SQLite caps the variables of one statement
        query = select(PRODUCT).where(PRODUCT.c.product_id.in_(ids[start : start + CHUNK]))
        out.update({row.product_id: dict(row._mapping) for row in conn.execute(query)})
    return out


def save_products(conn: Connection, rows: Mapping[str, Mapping[str, Any]], *, source: str, now: int) -> int:
    """Insert or update products. Rows seen in events never overwrite imported ones; imports overwrite all."""
    existing = products(conn, rows)
    written = 0
    for product_id, row in rows.items():
        values = {name: row.get(name) for name in FIELDS if row.get(name) not in (None, "")}
        old = existing.get(product_id)
        if old is None:
            defaults = {"name": "", "price": None, "url": "", "image_url": ""}
            conn.execute(
                insert(PRODUCT).values(
                    product_id=product_id, **{**defaults, **values}, source=source, popularity=0.0, updated_at=now
                )
            )
        elif source == "import" or old["source"] == "event":
            changed = {k: v for k, v in values.items() if old.get(k) != v}
            if not changed and old["source"] == source:
                continue
            conn.execute(
                update(PRODUCT)
                .where(PRODUCT.c.product_id == product_id)
                .values(**changed, source=source, updated_at=now)
            )
        else:
            continue
        written += 1
    return written


def save_popularity(conn: Connection, popular: Mapping[str, float]) -> None:
    conn.execute(update(PRODUCT).values(popularity=0.0))
    for product_id, score in popular.items():
        conn.execute(update(PRODUCT).where(PRODUCT.c.product_id == product_id).values(popularity=score))


def replace_recommendations(conn: Connection, lists: Mapping[int, list[str]], now: int) -> None:
    """Every contact's list, replacing the previous refresh's (contacts without history get none)."""
    conn.execute(delete(RECOMMENDATION))
    rows = [{"contact_id": c, "product_ids": ids, "computed_at": now} for c, ids in lists.items() if ids]
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(RECOMMENDATION), rows[start : start + CHUNK])


def recommended_ids(conn: Connection, contact_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = list(contact_ids)
    out: dict[int, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(RECOMMENDATION.c.contact_id, RECOMMENDATION.c.product_ids).where(
            RECOMMENDATION.c.contact_id.in_(ids[start : start + CHUNK])
        )
        out.update({c: list(p or []) for c, p in conn.execute(query)})
    return out


def popular_ids(conn: Connection, limit: int) -> list[str]:
    query = (
        select(PRODUCT.c.product_id)
        .where(PRODUCT.c.popularity > 0)
        .order_by(PRODUCT.c.popularity.desc(), PRODUCT.c.product_id)
        .limit(limit)
    )
    return [row[0] for row in conn.execute(query)]


def recommendations_for(conn: Connection, contact_ids: Iterable[int], limit: int) -> dict[int, list[dict[str, Any]]]:
    """Each contact's recommended catalogue products, best first; the best-sellers for contacts without a list.

    Empty lists when there is no catalogue (or no refresh yet): a message showing them still sends.
    """
    ids = list(contact_ids)
    lists = recommended_ids(conn, ids)
    popular = popular_ids(conn, limit)
    wanted = {pid for c in ids for pid in (lists.get(c) or popular)[:limit]}
    catalogue = products(conn, wanted) if wanted else {}
    out: dict[int, list[dict[str, Any]]] = {}
    for contact_id in ids:
        chosen = [catalogue[p] for p in (lists.get(contact_id) or popular) if p in catalogue][:limit]
        out[contact_id] = [{k: row[k] for k in ("product_id", *FIELDS)} for row in chosen]
    return out
