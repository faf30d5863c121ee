"""Cards of the shipped catalogue read cleanly in Kazakh, Russian and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layers.i18n import t
from settings import DATA_DIR_VAR
from sources.catalogue_build import CATALOGUE
from tests.app.test_dashboard import SCRIPT, _plain

DATA = CATALOGUE.parent


@pytest.fixture(autouse=True)
def real_catalogue(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(DATA_DIR_VAR, str(DATA))
    return DATA


def _card(lang: str, place: str) -> list[str]:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    at.query_params.update({"lang": lang, "place": place, "basemap": "none"})
    at.run()
    assert not at.exception, at.exception
    texts = [_plain(m.value) for m in at.markdown if not m.value.startswith("<style")]
    assert any(text.startswith("### ") for text in texts), "no card is open"
    return texts


def _line(texts: list[str], label: str) -> str:
    (line,) = [text for text in texts if text.startswith(f"**{label}:**")]
    return line


# (language, a word of the location note in that language, a word of the outlet)
NOTE_WORDS = {
    "kk": ("энциклопедия", "энциклопедия"),
    "ru": ("энциклопедическ", "энциклопедическ"),
    "en": ("encyclopedia", "Encyclopedia"),
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_curated_card_has_its_note_and_outlet_in_the_readers_language(lang: str) -> None:
    texts = _card(lang, "astana_ak_orda")
    location = _line(texts, t("ui.location", lang))
    source = _line(texts, t("ui.source", lang))
    note_word, outlet_word = NOTE_WORDS[lang]
    assert note_word in location.lower()
    assert outlet_word.lower() in source.lower()
    if lang != "en":
        assert "Encyclopedia" not in location + source
        assert "infobox" not in location + source
    assert ".." not in location


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("kk", "Тек мекенжайы жарияланған"),
        ("ru", "Опубликован только адрес"),
        ("en", "Only the address is published"),
    ],
)
def test_an_address_only_venue_shows_its_address_sources_and_why_it_is_not_drawn(
    lang: str, words: str
) -> None:
    texts = _card(lang, "almaty_kasteyev_museum")
    location = _line(texts, t("ui.location", lang))
    assert location.startswith(f"**{t('ui.location', lang)}:** {t('card.location_unknown', lang)}")
    assert words in location
    assert "30A Satpaev st" in _line(texts, t("ui.address", lang))
    source = _line(texts, t("ui.source", lang))
    assert "eurasia.travel" in source
    assert "(http://eurasia.travel/kazakhstan/" in source  # a link to the page itself
    further = _line(texts, t("ui.other_sources", lang))
    assert "[astanatimes.com](https://astanatimes.com/2026/02/" in further


def test_a_venue_the_curated_records_hold_lists_every_source_once() -> None:
    texts = _card("en", "astana_zhastar_sarayy")
    assert "Kazinform" in _line(texts, "Source")
    further = _line(texts, "Other sources")
    assert further.count("](") == 3
    for host in ("egemen.kz", "archi.ru", "studio44.ru"):
        assert f"[{host}](https://" in further
    assert "Respublika Avenue" in _line(texts, "Address")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("kk", "шамамен, 1\u00a0100 м шегінде"),
        ("ru", "примерное, в пределах 1\u00a0100 м"),
        ("en", "approximate, within about 1,100 m"),
    ],
)
def test_numbers_are_written_as_the_language_writes_them(lang: str, words: str) -> None:
    """The National Museum's point is published to the arc-minute: a 1,100 m circle."""
    location = _line(_card(lang, "astana_national_museum"), t("ui.location", lang))
    assert words.replace("\u00a0", " ") in location.replace("\u00a0", " ")
    if lang != "en":
        assert "1,100" not in location  # a Russian or Kazakh reader takes that for 1.1
