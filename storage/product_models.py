"""The product catalogue (from e-commerce events and CSV imports) and each contact's recommended products."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from storage.types import JSONType


class Product(SQLModel, table=True):
    """One product messages can show: its shop id, name, price, page and picture, and how popular it is."""

    __tablename__ = "product"

    product_id: str = Field(primary_key=True, max_length=200)
    name: str = Field(default="", max_length=500)
    price: float | None = None
    url: str = Field(default="", max_length=2000)
    image_url: str = Field(default="", max_length=2000)
    source: str = Field(default="event", max_length=16)  # "event" or "import": an import is never overwritten
    popularity: float = Field(default=0.0, index=True)
    updated_at: int = 0


class ProductRecommendation(SQLModel, table=True):
    """The products a contact is most likely to want, best first, as the last refresh computed them."""

    __tablename__ = "product_recommendation"

    contact_id: int = Field(primary_key=True, foreign_key="contact.id")
    product_ids: list[Any] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    computed_at: int = 0
