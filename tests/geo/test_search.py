"""Search across Kazakh, Russian and Latin spellings."""

from __future__ import annotations

import pytest

from geo.search import Entry, fold, score, search


def _entry(eid, *names, city="astana", lat=51.128, lon=71.430):
    return Entry(eid, names[0], tuple(names), city, lat, lon, "catalogue")


BAITEREK = _entry("baiterek", "Бәйтерек", "Байтерек", "Baiterek Monument")
ENTRIES = [
    BAITEREK,
    _entry("khan_shatyr", "Хан Шатыр", "Khan Shatyr"),
    _entry(
        "zhastar",
        "Жастар сарайы",
        "Дворец молодёжи «Жастар»",
        "Zhastar Youth Palace",
        lat=None,
        lon=None,
    ),
    _entry("tselinny", "Целинный", "Tselinny Center of Contemporary Culture", city="almaty"),
    _entry("theatre", "Тестовый театр", "Test Theatre", "Тестовая улица 7"),
]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Baiterek", "Байтерек"),
        ("Байтерек", "Бәйтерек"),
        ("Bayterek", "BAITEREK"),
        ("Zhastar", "Жастар"),
        ("Jastar", "Жастар"),
        ("Khan Shatyr", "Хан Шатыр"),
        ("Qazaq", "Қазақ"),
        ("Tselinny", "Целинный"),
        ("Ұлы Дала", "Ulı Dala"),
        ("Shchuchinsk", "Щучинск"),
    ],
)
def test_fold_agrees_across_scripts_and_transliterations(a, b):
    assert fold(a) == fold(b)


def test_fold_drops_punctuation_and_case():
    assert fold("  «Жастар»,  САРАЙЫ! ") == "jastar sarai"


@pytest.mark.parametrize("query", ["Baiterek", "Байтерек", "Бәйтерек", "bayterek", "байт"])
def test_baiterek_is_found_in_any_spelling(query):
    hits = search(query, ENTRIES)
    assert hits[0].entry.id == "baiterek"


def test_exact_name_beats_prefix_and_fuzzy():
    assert score("Байтерек", BAITEREK) == 2.0
    assert 0 < score("Baiterk", BAITEREK) < score("baiter", BAITEREK) < 2.0


def test_every_query_word_must_match():
    assert search("Khan Shatyr", ENTRIES)[0].entry.id == "khan_shatyr"
    assert search("Khan Baiterek", ENTRIES) == []


def test_address_fragments_and_city_filter():
    assert search("тестовая 7", ENTRIES)[0].entry.id == "theatre"
    assert search("Tselinny", ENTRIES, city="astana") == []
    assert search("Tselinny", ENTRIES, city="almaty")[0].entry.id == "tselinny"


def test_empty_or_punctuation_queries_find_nothing():
    assert search("", ENTRIES) == []
    assert search("  ?! ", ENTRIES) == []


def test_places_with_a_known_location_rank_first_on_equal_scores():
    unplaced = _entry("a_unplaced", "Жастар сарайы", lat=None, lon=None)
    placed = _entry("b_placed", "Жастар сарайы", lat=51.1, lon=71.4)
    hits = search("Жастар сарайы", [unplaced, placed])
    assert [h.score for h in hits] == [2.0, 2.0]
    assert [h.entry.id for h in hits] == ["b_placed", "a_unplaced"]


def test_near_spellings_count_only_when_nothing_matches_better():
    assert search("Baiterk", ENTRIES)[0].entry.id == "baiterek"  # a typo still finds it
    hits = search("Khan", ENTRIES)
    assert [h.entry.id for h in hits] == ["khan_shatyr"]
