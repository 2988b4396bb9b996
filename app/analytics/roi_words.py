"""Revenue and uplift in words: amounts with their currency, and what a holdout comparison says.

Pure text helpers over plain data (no UI, no database), in the current language through ``app.i18n``.
"""

from __future__ import annotations

from app.i18n import current_language, t
from components.funnel_panels import NONE
from journeys.uplift import Interval

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF"}


def money(amount: float | None, currency: str, *, cents: bool | None = None) -> str:
    """``€1,240`` in English, ``1 240 €`` in French; a code without a symbol is written after the number.

    Cents are shown for small amounts (under 100) unless ``cents`` says otherwise.
    """
    if amount is None:
        return NONE
    digits = 2 if (abs(amount) < 100 if cents is None else cents) else 0
    number = f"{abs(amount):,.{digits}f}"
    sign = "-" if round(amount, digits) < 0 else ""
    symbol = SYMBOLS.get(currency)
    if current_language() == "fr":
        number = number.replace(",", "\u202f").replace(".", ",")
        return f"{sign}{number} {symbol or currency}"
    if symbol and len(symbol) == 1:
        return f"{sign}{symbol}{number}"
    return f"{sign}{number} {currency}"


def unconverted(amounts: dict[str, float]) -> str:
    """``1,200 JPY, 30.00 SEK`` (revenue in currencies without a rate), or "" when there is none."""
    return ", ".join(f"{a:,.2f} {code}" for code, a in sorted(amounts.items()) if code)


def points(value: float) -> str:
    return f"{value * 100:+.1f}"


def revenue_sentence(incremental: Interval | None, currency: str, *, whole: str = "journey") -> str:
    """What the journey (or the programme) added over those held out, with the 95% interval, in words."""
    if incremental is None:
        return t("roi.uplift.too_few")
    values = {
        "amount": money(abs(incremental.estimate), currency),
        "low": money(incremental.low, currency),
        "high": money(incremental.high, currency),
    }
    if incremental.low > 0:
        return t(f"roi.uplift.{whole}.added", **values)
    if incremental.high < 0:
        return t(f"roi.uplift.{whole}.lost", **values)
    return t(f"roi.uplift.{whole}.unclear", **values)


def rate_sentence(rate: Interval | None) -> str:
    """The conversion uplift in percentage points with its 95% interval."""
    if rate is None:
        return ""
    values = {"diff": points(rate.estimate), "low": points(rate.low), "high": points(rate.high)}
    key = "roi.rate.clear" if rate.low > 0 or rate.high < 0 else "roi.rate.unclear"
    return t(key, **values)
