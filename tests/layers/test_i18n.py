"""The translations: every string in every language, labels, and no bare UI literals."""

import re
import string

import pytest

from geo.schema import KINDS, STATUSES
from layers.i18n import LANGS, all_keys, label, number, t, translations_for
from tests.conftest import ROOT


@pytest.mark.parametrize("key", all_keys())
def test_every_string_exists_in_all_three_languages_with_the_same_fields(key):
    texts = translations_for(key)
    assert set(texts) == set(LANGS)
    fields = {
        lang: {f for _, f, _, _ in string.Formatter().parse(text) if f}
        for lang, text in texts.items()
    }
    assert all(text.strip() for text in texts.values())
    assert fields["kk"] == fields["ru"] == fields["en"]


@pytest.mark.parametrize("value", [*KINDS, *STATUSES])
def test_every_catalogue_value_has_a_label(value):
    field = "kind" if value in KINDS else "status"
    assert label(field, value, "kk") != value


def test_missing_values_read_as_unknown():
    assert label("bank", None, "en") == "unknown"
    assert label("year", float("nan"), "ru") == "без срока"


def test_unknown_key_shows_plainly():
    assert t("no.such.key", "en") == "no.such.key"


def test_ui_strings_go_through_the_translation_layer():
    """No Streamlit call in ui/ takes a bare string literal as its label."""
    pattern = re.compile(
        r"st\.(?:title|header|subheader|button|checkbox|radio|selectbox|"
        r"multiselect|caption|info|warning|error)\(\s*[\"']"
    )
    sources = sorted((ROOT / "ui").rglob("*.py"))
    assert any("st." in p.read_text(encoding="utf-8") for p in sources)
    offenders = [p.name for p in sources if pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1100, 0, {"kk": "1\u00a0100", "ru": "1\u00a0100", "en": "1,100"}),
        (1.8, 1, {"kk": "1,8", "ru": "1,8", "en": "1.8"}),
        (250_000.0, 0, {"kk": "250\u00a0000", "ru": "250\u00a0000", "en": "250,000"}),
        (25.0, 1, {"kk": "25", "ru": "25", "en": "25"}),
    ],
)
def test_numbers_follow_each_language(value: float, decimals: int, expected: dict) -> None:
    for lang, text in expected.items():
        assert number(value, lang, decimals=decimals) == text
