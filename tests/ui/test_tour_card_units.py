"""A tour card's amounts agree with their number in each language (tour_card._target_lines)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ui.widgets.tour_card import _target_lines


@pytest.mark.parametrize(
    ("quantity", "lang", "words"),
    [
        (1, "ru", "1 доллар США"),
        (21, "ru", "21 доллар США"),
        (3, "ru", "3 доллара США"),
        (500_000_000, "ru", "500\u00a0000\u00a0000 долларов США"),
        (500_000_000, "kk", "500\u00a0000\u00a0000 АҚШ доллары"),
        (500_000_000, "en", "USD 500,000,000"),
    ],
)
def test_a_dollar_amount_agrees_with_its_number(quantity: int, lang: str, words: str) -> None:
    target = pd.Series({"unit": "usd", "quantity": float(quantity), "deadline_year": 2030})
    first = _target_lines(target, lang, today=date(2026, 11, 29))[0]
    assert words in first
