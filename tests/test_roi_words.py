"""Revenue and uplift in words, in English and French."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app import i18n
from app.analytics.roi_words import money, rate_sentence, revenue_sentence, unconverted
from journeys.uplift import Interval


@pytest.fixture
def french() -> Iterator[None]:
    token = i18n.language.set("fr")
    yield
    i18n.language.reset(token)


def test_amounts_read_as_people_write_them() -> None:
    assert money(1240.4, "EUR") == "€1,240"
    assert money(12.5, "USD") == "$12.50"
    assert money(-300, "GBP") == "-£300"
    assert money(1200, "SEK") == "1,200 SEK"
    assert money(None, "EUR") == "—"
    assert unconverted({"JPY": 1200, "SEK": 30}) == "1,200.00 JPY, 30.00 SEK"


def test_amounts_in_french(french: None) -> None:
    assert money(1240.4, "EUR") == "1\u202f240 €"
    assert money(12.5, "EUR") == "12,50 €"


def test_uplift_sentence_says_added_unclear_or_less_with_the_interval() -> None:
    assert (
        revenue_sentence(Interval(1240, 800, 1700), "EUR")
        == "This journey added about €1,240 (between €800 and €1,700) over the holdout."
    )
    assert "No clear difference yet" in revenue_sentence(Interval(200, -150, 550), "EUR")
    assert revenue_sentence(Interval(-500, -900, -100), "EUR").startswith(
        "Contacts who got this journey's messages brought about €500 less"
    )
    assert revenue_sentence(None, "EUR") == "Not enough contacts yet to compare with those held out."
    assert revenue_sentence(Interval(1240, 800, 1700), "EUR", whole="programme").startswith("Your journeys added")
    assert rate_sentence(Interval(0.031, 0.02, 0.042)) == (
        "Conversion rate: +3.1 points over those held out (between +2.0 and +4.2)."
    )


def test_uplift_sentence_in_french(french: None) -> None:
    assert revenue_sentence(Interval(1240, 800, 1700), "EUR") == (
        "Ce parcours a rapporté environ 1\u202f240 € de plus (entre 800 € et 1\u202f700 €) que le groupe de contrôle."
    )
