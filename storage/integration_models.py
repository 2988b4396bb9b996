"""Deliveries received from shop integrations (Shopify, WooCommerce): the last ones are shown in Settings, and
accepted delivery ids de-duplicate retries."""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class IntegrationDelivery(SQLModel, table=True):
    """One webhook request. ``delivery_id`` is set only once the signature was verified and the delivery
    accepted, so a forged request can never burn a genuine id, and a refused one may be retried."""

    __tablename__ = "integration_delivery"
    __table_args__ = (
        UniqueConstraint("integration", "delivery_id", name="uq_integration_delivery"),
        Index("ix_integration_delivery_recent", "integration", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    integration: str = Field(max_length=20)  # shopify | woocommerce
    delivery_id: str | None = Field(default=None, max_length=200)
    topic: str = Field(default="", max_length=80)
    received_at: int = 0  # epoch seconds
    status: int = 200  # the HTTP status answered
    # Why a delivery was refused or ignored; never payload content.
    reason: str = Field(default="", max_length=300)
