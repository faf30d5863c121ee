"""Street and address searches across Kazakh, Russian and English (issue 9).

An address says "Abai Avenue 43" or "Mangilik Yel Ave., 10/1"; a resident types "проспект
Абая", "Абай даңғылы" or "Мәңгілік Ел". Street types are one word in three languages and
their abbreviations, and a name with a Russian case ending ("Абая", "Панфилова") is the name.
"""

from __future__ import annotations

import pytest

from geo.fold import fold
from geo.query_words import stems
from geo.search import Entry, SearchIndex


def _venue(eid, en, *, address, ru=None, kk=None, city="almaty", placed=True, kind="theatre"):
    return Entry.named(
        eid,
        (kk or ru or en, ru or en, en),
        city=city,
        lat_lon=(43.24, 76.94) if placed else None,
        origin="places",
        also=address,
        kind=kind,
    )


ENTRIES = [
    _venue(
        "lermontov", "Lermontov Drama Theatre", address="Abai Avenue 43 (corner of Baiseitova st.)"
    ),
    _venue(
        "auezov",
        "Auezov Drama Theatre",
        address="Abai str. 103",
        ru="Театр драмы имени Ауэзова",
        placed=False,
    ),
    _venue(
        "abai_opera",
        "Abai Opera and Ballet Theatre",
        ru="Театр оперы и балета имени Абая",
        address="Kabanbay Batyr street, at the T-junction with Panfilov street",
    ),
    _venue("circus", "State Circus", address="проспект Абая, 50"),
    _venue(
        "republic",
        "Palace of the Republic",
        address="Dostyk Ave 56 (Abai Square)",
        kind="concert_hall",
    ),
    _venue(
        "ykylas", "Ykylas Museum", address="Panfilov Park, next to the Eternal Flame", kind="museum"
    ),
    _venue(
        "arbat",
        "Panfilov pedestrian street",
        address="Panfilov street, city centre",
        kind="pedestrian_zone",
    ),
    _venue(
        "hall",
        "Central Concert Hall",
        address="Mangilik Yel Ave., 10/1",
        city="astana",
        kind="concert_hall",
    ),
    _venue(
        "nur_alem",
        "Nur Alem sphere",
        address="Mangilik El avenue 55",
        city="astana",
        kind="landmark",
    ),
    _venue(
        "museum_ast", "National Museum", address="Tauelsizdik Ave 54", city="astana", kind="museum"
    ),
    _venue("satpaev", "Kasteyev Museum of Arts", address="30A Satpaev st", kind="museum"),
]
INDEX = SearchIndex.of(ENTRIES)


def _ids(query, *, city=None, limit=20):
    return [m.entry.id for m in INDEX.search(query, city=city, limit=limit)]


@pytest.mark.parametrize(
    "query", ["проспект Абая", "пр. Абая", "Абай даңғылы", "Abai Avenue", "Abay ave", "просп. Абая"]
)
def test_an_avenue_in_any_language_finds_the_places_on_it(query):
    found = _ids(query)
    assert "lermontov" in found  # "Abai Avenue 43"
    assert "circus" in found  # "проспект Абая, 50": a Russian address, any query language
    assert "abai_opera" not in found  # named after Abai, on Kabanbay Batyr street


def test_another_street_type_of_the_same_name_is_found_below_the_same_type():
    # "Abai str. 103" is on Abai avenue: found (placed or not), after the avenue's places.
    found = _ids("проспект Абая")
    assert "auezov" in found
    assert found.index("auezov") > found.index("lermontov")
    scores = {m.entry.id: m.score for m in INDEX.search("проспект Абая", limit=20)}
    assert scores["auezov"] < scores["lermontov"]


def test_mangilik_el_finds_the_places_on_it_however_it_is_spelled():
    for query in ("Mangilik El", "Мәңгілік Ел", "Мәңгілік Ел даңғылы", "проспект Мангилик Ел"):
        assert set(_ids(query, city="astana")) == {"hall", "nur_alem"}, query


def test_a_word_initial_ye_folds_as_e():
    assert fold("Mangilik Yel") == fold("Мәңгілік Ел") == "mangilik el"
    assert fold("Yesil") == fold("Есіл") == "esil"
    assert fold("Bayel") == "baiel"  # inside a word "ye" stays


@pytest.mark.parametrize("query", ["ул. Панфилова", "улица Панфилова", "Панфилов көшесі"])
def test_a_street_with_a_russian_case_ending_finds_the_places_on_it(query):
    found = set(_ids(query))
    assert {"abai_opera", "arbat"} <= found  # "... with Panfilov street", "Panfilov street"
    assert "ykylas" not in found  # Panfilov *Park*: not a street


@pytest.mark.parametrize(
    ("word", "stem"),
    [("abaia", "abai"), ("panfilova", "panfilov"), ("teatri", "teatr"), ("museums", "museum")],
)
def test_stems_drop_case_and_plural_endings(word, stem):
    assert stem in stems(word)


def test_stems_are_never_shorter_than_four_letters():
    assert stems("dala") == ()
    assert all(len(s) >= 4 for s in stems("abaia"))  # noqa: PLR2004


@pytest.mark.parametrize(
    ("street_type", "name", "on_it"),
    [
        ("проспект", "Абая", "lermontov"),
        ("даңғылы", "Абай", "lermontov"),
        ("улица", "Панфилова", "arbat"),
        ("ул.", "Панфилова", "abai_opera"),
        ("street", "Abai", "lermontov"),  # "Abai Avenue 43": another type
        ("көшесі", "Панфилов", "arbat"),
        ("площадь", "Абая", "republic"),
        ("алаңы", "Абай", "republic"),
    ],
)
def test_a_street_type_alone_does_not_list_every_address(street_type, name, on_it):
    assert on_it in _ids(f"{street_type} {name}")  # beside a name it stands for its synonyms
    found = _ids(street_type)
    assert on_it not in found
    assert "lermontov" not in found  # "Abai Avenue 43"
    assert "hall" not in found  # "Mangilik Yel Ave."
    assert "satpaev" not in found  # "30A Satpaev st"
    if street_type == "проспект":
        assert found == ["circus"]  # alone, it is only itself: "проспект Абая, 50"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("проспект Сатпаева", ["satpaev"]),  # "30A Satpaev st": another type, still a street
        ("Kabanbay avenue", ["abai_opera"]),  # "Kabanbay Batyr street"
        ("Tauelsizdik street", ["museum_ast"]),  # "Tauelsizdik Ave 54"
    ],
)
def test_an_unrelated_street_finds_only_the_places_on_it(query, expected):
    assert _ids(query) == expected


def test_a_street_search_keeps_to_the_city():
    assert "lermontov" in _ids("проспект Абая", city="almaty")
    assert _ids("проспект Абая", city="astana") == []
    assert _ids("Мәңгілік Ел даңғылы", city="almaty") == []
