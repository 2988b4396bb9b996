"""A model's main drivers in words for a marketer: "Did “App Opened” more often in the last 7 days: more likely
to do “Order Completed”"."""

from __future__ import annotations

from typing import Any

from app.i18n import t

# Feature name -> the words for "a higher value" (literal keys, so a test can list them).
DRIVER_KEYS = {
    "recency_days": "models.driver.recency_days",
    "tenure_days": "models.driver.tenure_days",
    "frequency": "models.driver.frequency",
    "frequency_90": "models.driver.frequency_90",
    "monetary": "models.driver.monetary",
    "monetary_90": "models.driver.monetary_90",
    "orders": "models.driver.orders",
    "sent_30": "models.driver.sent_30",
    "opened_30": "models.driver.opened_30",
    "clicked_30": "models.driver.clicked_30",
    "sent_90": "models.driver.sent_90",
    "opened_90": "models.driver.opened_90",
    "clicked_90": "models.driver.clicked_90",
}
EFFECT_KEYS = {"more": "models.effect.more", "less": "models.effect.less"}


def feature_words(feature: str) -> str:
    if feature.startswith("count_") and ":" in feature:
        window, event = feature.split(":", 1)
        return t("models.driver.count", event=event, days=window.removeprefix("count_"))
    if feature.startswith("share_") and ":" in feature:
        window, event = feature.split(":", 1)
        return t("models.driver.share", event=event, days=window.removeprefix("share_"))
    key = DRIVER_KEYS.get(feature)
    return t(key) if key else feature


def driver_line(driver: dict[str, Any], goal: str) -> str:
    effect = t(EFFECT_KEYS.get(driver.get("direction", "more"), "models.effect.more"), goal=goal)
    return t("models.driver.line", what=feature_words(str(driver.get("feature", ""))), effect=effect)
