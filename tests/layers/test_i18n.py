"""The translation layer: labels, numbers, dates, plural forms and no bare UI literals."""

import datetime as dt
import re

import pytest

from geo.schema import KINDS, STATUSES
from layers.i18n import (
    FALLBACK_LANG,
    LANGS,
    accept_language_tags,
    date_text,
    is_plural,
    label,
    messages,
    negotiate_lang,
    number,
    plural,
    t,
    translations_for,
)
from tests.conftest import ROOT


@pytest.mark.parametrize("value", [*KINDS, *STATUSES])
def test_every_catalogue_value_has_a_label(value):
    field = "kind" if value in KINDS else "status"
    assert label(field, value, "kk") != value


def test_missing_values_read_as_unknown():
    assert label("bank", None, "en") == "unknown"
    assert label("year", float("nan"), "ru") == "без срока"


def test_a_value_with_no_label_is_shown_as_plain_text():
    assert label("district", "Nowhere", "ru") == "Nowhere"


def test_unknown_key_shows_plainly():
    assert t("no.such.key", "en") == "no.such.key"
    assert plural("no.such.key", 3, "ru") == "no.such.key"


def test_an_unknown_language_falls_back_to_english():
    assert t("ui.city", "fr") == translations_for("ui.city")[FALLBACK_LANG]


def test_messages_come_from_the_catalogues():
    """The text is the catalogue's: the app holds no second store of messages."""
    for lang in LANGS:
        table = messages(lang)
        assert table.source.parent == ROOT / "locale" / lang / "LC_MESSAGES"
        assert t("ui.city", lang) == table.texts["ui.city"]
    assert not re.search(r"^_T\b", (ROOT / "layers" / "i18n.py").read_text(encoding="utf-8"))


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


# Russian: one (1, 21, 101), few (2-4, 22-24), many (5-20, 25-30, 111). Kazakh and English:
# one (1) and other (CLDR); Kazakh writes the noun after a numeral the same in both.
PLURAL_CASES = {
    "ru": {
        1: "1 из 1 объекта",
        2: "1 из 2 объектов",
        5: "1 из 5 объектов",
        21: "1 из 21 объекта",
        22: "1 из 22 объектов",
        25: "1 из 25 объектов",
        111: "1 из 111 объектов",
    },
    "en": {
        1: "1 of 1 place matches",
        2: "1 of 2 places match",
        5: "1 of 5 places match",
        21: "1 of 21 places match",
        22: "1 of 22 places match",
        25: "1 of 25 places match",
        111: "1 of 111 places match",
    },
    "kk": {n: f"Сүзгіге {n} нысанның 1 сәйкес келеді" for n in (1, 2, 5, 21, 22, 25, 111)},
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("total", [1, 2, 5, 21, 22, 25, 111])
def test_the_count_takes_the_plural_form_of_its_language(lang: str, total: int) -> None:
    text = plural("ui.matching", total, lang, n=number(1, lang), total=number(total, lang))
    assert PLURAL_CASES[lang][total] in text


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 ближайшее место"),
        (2, "2 ближайших места"),
        (5, "5 ближайших мест"),
        (21, "21 ближайшее место"),
        (22, "22 ближайших места"),
        (25, "25 ближайших мест"),
        (111, "111 ближайших мест"),
    ],
)
def test_russian_nearest_places_title_agrees_with_the_count(count: int, expected: str) -> None:
    assert plural("near.results_title", count, "ru", n=number(count, "ru")) == expected


def test_plural_rules_are_the_catalogues():
    """Russian has three forms, Kazakh and English two (their Plural-Forms headers)."""
    forms = {
        lang: [messages(lang).plural_index(n) for n in (1, 2, 5, 21, 22, 25, 111)] for lang in LANGS
    }
    assert forms["ru"] == [0, 1, 2, 0, 1, 2, 2]
    assert forms["kk"] == forms["en"] == [0, 1, 1, 1, 1, 1, 1]
    assert is_plural("ui.matching")
    assert not is_plural("ui.city")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2022-09-12",
            {"ru": "12 сентября 2022", "kk": "2022 ж. 12 қыркүйек", "en": "September 12, 2022"},
        ),
        (
            dt.date(2018, 1, 26),
            {"ru": "26 января 2018", "kk": "2018 ж. 26 қаңтар", "en": "January 26, 2018"},
        ),
        ("2022-09", {"ru": "сентябрь 2022", "kk": "2022 ж. қыркүйек", "en": "September 2022"}),
        ("2022", {"ru": "2022", "kk": "2022", "en": "2022"}),
    ],
)
def test_dates_follow_each_language_with_the_precision_given(value, expected) -> None:
    for lang, text in expected.items():
        shown = date_text(value, lang).replace("\u202f", " ").replace("\u00a0", " ")
        assert shown.startswith(text)


@pytest.mark.parametrize("value", ["2022-13-01", "soon", "2022-02-30"])
def test_a_date_that_is_no_date_is_shown_as_it_is(value: str) -> None:
    assert date_text(value, "ru") == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.123456, {"ru": "0,123", "en": "0.123"}),
        (12.345, {"kk": "12,3", "en": "12.3"}),
        (0, {"ru": "0"}),
    ],
)
def test_numbers_with_significant_digits(value: float, expected: dict) -> None:
    for lang, text in expected.items():
        assert number(value, lang, significant=3) == text


@pytest.mark.parametrize(
    ("header", "tags"),
    [
        ("kk-KZ,kk;q=0.9,ru;q=0.8,en;q=0.7", ["kk-KZ", "kk", "ru", "en"]),
        ("en;q=0.5, ru", ["ru", "en"]),
        ("de;q=0, fr;q=x, en", ["en"]),
        ("", []),
        (None, []),
    ],
)
def test_accept_language_is_read_by_weight(header, tags) -> None:
    assert accept_language_tags(header) == tags


@pytest.mark.parametrize(
    ("tags", "lang"),
    [
        (["kk-KZ"], "kk"),
        (["en_US"], "en"),
        ([None, "de-DE", "ru-RU"], "ru"),
        (["de", "fr"], None),
        ([], None),
    ],
)
def test_the_first_language_the_app_speaks_is_chosen(tags, lang) -> None:
    assert negotiate_lang(tags) == lang
