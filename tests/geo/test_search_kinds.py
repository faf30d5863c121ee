"""A search that names a kind of place, in any language, finds the places of that kind (issue 9).

The kinds' labels are those the app shows (``layers.i18n``), so every kind works in every
language; plurals and other endings ("театры", "museums", "галереи") are stems of them.
"""

from __future__ import annotations

import pytest

from geo.query_words import kind_labels, kinds_named
from geo.search import FUZZY_MIN_RATIO, KIND_SCORE, Entry, SearchIndex
from layers.i18n import LANGS, all_keys, t, translations_for

KIND_NAMES = {
    key.removeprefix("kind."): tuple(translations_for(key).values())
    for key in all_keys()
    if key.startswith("kind.")
}


def _place(eid, kk_ru_en, kind, *, city="astana", address=None, placed=True):
    return Entry.named(
        eid,
        kk_ru_en,
        city=city,
        lat_lon=(51.13, 71.43) if placed else None,
        origin="places",
        also=address,
        kind=kind,
    )


ENTRIES = [
    # A theatre whose names hold no word for "theatre".
    _place("opera", ("Астана Опера", "Астана Опера", "Astana Opera"), "theatre"),
    _place(
        "gorky",
        ("Горький театры", "Театр драмы имени Горького", "Gorky Drama Theatre"),
        "theatre",
        address="11 Zheltoksan street",
    ),
    _place(
        "ballet",
        ("Astana Ballet Theatre", "Astana Ballet Theatre", "Astana Ballet Theatre"),
        "theatre",
        placed=False,
    ),
    _place(
        "choreography",
        ("Academy of Choreography",) * 3,
        "arts_education",
        address="Adjacent to the Astana Ballet theatre",
    ),
    _place("cinema", ("Арман", "Кинотеатр «Арман»", "Arman cinema"), "cinema"),
    _place("chaplin", ("Chaplin MEGA", "Chaplin MEGA", "Chaplin MEGA"), "cinema"),
    _place("national_museum", ("Ұлттық музей", "Национальный музей", "National Museum"), "museum"),
    _place("atameken", ("Атамекен", "Атамекен", "Atameken"), "museum"),
    _place("library", ("Ұлттық академиялық", "Академическая", "Academic"), "library"),
    _place("theatre_almaty", ("Лермонтов", "Лермонтов", "Lermontov"), "theatre", city="almaty"),
]
INDEX = SearchIndex.of(ENTRIES, kind_names=KIND_NAMES)


def _ids(query, *, city="astana"):
    return [m.entry.id for m in INDEX.search(query, city=city, limit=20)]


@pytest.mark.parametrize("query", ["театр", "Theatre", "театры", "theatres", "Театр"])
def test_a_kind_finds_its_places_named_ones_first(query):
    found = _ids(query)
    assert {"opera", "gorky", "ballet"} <= set(found)
    # Names holding the word (in any language) first, then the other theatres.
    assert found.index("gorky") < found.index("opera")
    assert found.index("ballet") < found.index("opera")


def test_a_kind_ranks_its_places_above_a_mention_in_an_address_or_inside_a_word():
    found = _ids("театр")
    assert found.index("opera") < found.index("choreography")  # "... Ballet theatre" nearby
    assert found.index("opera") < found.index("cinema")  # "Кинотеатр": inside a word
    scores = {m.entry.id: m.score for m in INDEX.search("театр", limit=20)}
    assert scores["opera"] == KIND_SCORE


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("museum", {"national_museum", "atameken"}),
        ("музей", {"national_museum", "atameken"}),
        ("мұражай", {"national_museum", "atameken"}),
        ("музеи", {"national_museum", "atameken"}),
        ("museums", {"national_museum", "atameken"}),
        ("library", {"library"}),
        ("библиотека", {"library"}),
        ("кітапхана", {"library"}),
        ("кинотеатр", {"cinema", "chaplin"}),
        ("cinema", {"cinema", "chaplin"}),
    ],
)
def test_each_language_names_the_kind(query, expected):
    assert set(_ids(query)) == expected


@pytest.mark.parametrize("kind", sorted(KIND_NAMES))
@pytest.mark.parametrize("lang", LANGS)
def test_every_kind_label_in_every_language_finds_a_place_of_that_kind(kind, lang):
    place = _place("p", ("Zzyzx", "Zzyzx", "Zzyzx"), kind)  # a name with no kind word
    other = _place("o", ("Qwrt", "Qwrt", "Qwrt"), "landmark" if kind != "landmark" else "studio")
    index = SearchIndex.of([place, other], kind_names=KIND_NAMES)
    assert [m.entry.id for m in index.search(t(f"kind.{kind}", lang))] == ["p"]


def test_a_kind_keeps_to_the_city():
    assert "theatre_almaty" not in _ids("театр")
    assert _ids("театр", city="almaty") == ["theatre_almaty"]


def test_a_kind_with_another_word_is_matched_against_names():
    # "театр Горького" is a theatre named after Gorky, not every theatre.
    assert "opera" in _ids("театр")
    assert "opera" not in _ids("театр Горького")
    assert _ids("театр Горького")[0] == "gorky"


@pytest.mark.parametrize(
    ("query", "of_the_kind"),
    [("theater", "opera"), ("musem", "atameken"), ("библиотке", "library")],
)
def test_a_kind_misspelled_is_found_when_nothing_else_is(query, of_the_kind):
    assert of_the_kind in _ids(query)  # a near spelling of a kind's label


def test_a_part_of_a_label_does_not_name_the_kind():
    labels = kind_labels({"concert_hall": ("Концерт залы", "Концертный зал", "Concert hall")})
    assert kinds_named(["kontsert"], labels, min_ratio=None) == {}
    assert kinds_named(["concert", "hall"], labels, min_ratio=None) == {"concert_hall": 1.0}
    assert kinds_named(["kontsertnie", "zali"], labels, min_ratio=None) == {"concert_hall": 1.0}
    assert kinds_named(["concret", "hall"], labels, min_ratio=FUZZY_MIN_RATIO)["concert_hall"] < 1


def test_without_kind_names_no_kind_is_found():
    assert "opera" in _ids("театр")
    plain = SearchIndex.of(ENTRIES)
    assert "opera" not in [m.entry.id for m in plain.search("театр", limit=20)]
