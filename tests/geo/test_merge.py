"""Catalogue records and OpenStreetMap venues that are one place (geo/merge.py), on tiny frames."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point

from geo.errors import CRSError
from geo.merge import (
    CLOSE_M,
    COMPATIBLE_KINDS,
    MIN_REACH_M,
    NAME_CLOSE,
    NAME_NEAR,
    NEAR_EXTRA_M,
    NEVER_MATCHED_KINDS,
    addresses_compatible,
    kinds_compatible,
    match_venues,
    merge_venues,
    name_keys,
    name_similarity,
)
from geo.schema import CATALOGUE_KINDS, VENUE_KINDS

GEOD = Geod(ellps="WGS84")
OPERA = (51.1360, 71.4110)  # (lat, lon): an arbitrary point in Astana
ALMATY = (43.2400, 76.9300)


def east_of(lat_lon: tuple[float, float], metres: float) -> Point:
    """Return the point ``metres`` due east of a position (geodesic)."""
    lat, lon = lat_lon
    lon2, lat2, _ = GEOD.fwd(lon, lat, 90.0, metres)
    return Point(lon2, lat2)


def _names(names: str | tuple[str, str, str]) -> dict[str, str]:
    kk, ru, en = (names, names, names) if isinstance(names, str) else names
    return {"name_kk": kk, "name_ru": ru, "name_en": en}


def place(
    pid: str,
    names: str | tuple[str, str, str],
    *,
    kind: str = "theatre",
    city: str = "astana",
    at: Point | None = None,
    accuracy_m: float | None = 20.0,
    address: str | None = None,
    other_sources: str | None = None,
) -> dict[str, object]:
    return {
        "id": pid,
        **_names(names),
        "city": city,
        "kind": kind,
        "status": "existing",
        "location_accuracy_m": np.nan if at is None or accuracy_m is None else accuracy_m,
        "location_note_kk": "Каталог" if at is not None else "Орны расталмаған",
        "location_note_ru": "Каталог" if at is not None else "Место не подтверждено",
        "location_note_en": "Catalogue" if at is not None else "Location not confirmed",
        "source_url": f"https://example.org/{pid}",
        "other_sources": other_sources,
        "address": address,
        "geometry": at,
    }


def venue(
    number: int,
    names: str | tuple[str, str, str],
    *,
    kind: str = "theatre",
    city: str = "astana",
    at: Point,
    accuracy_m: float = 10.0,
    address: str | None = None,
    website: str | None = None,
    opening_hours: str | None = None,
) -> dict[str, object]:
    return {
        "id": f"osm_node_{number}",
        **_names(names),
        "city": city,
        "kind": kind,
        "status": "existing",
        "location_accuracy_m": accuracy_m,
        "source_url": f"https://www.openstreetmap.org/node/{number}",
        "address": address,
        "website": website,
        "opening_hours": opening_hours,
        "geometry": at,
    }


def frame(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")


def pairs(places: list[dict[str, object]], venues: list[dict[str, object]]) -> set[tuple[str, str]]:
    matches = match_venues(frame(places), frame(venues))
    return set(zip(matches["place_id"], matches["osm_id"], strict=True))


OPERA_NAMES = ("Астана Опера", "Астана Опера", "Astana Opera (State Opera and Ballet Theatre)")


@pytest.mark.parametrize(
    ("metres", "accuracy_m", "matched"),
    [
        (0.0, 20.0, True),
        (MIN_REACH_M + NEAR_EXTRA_M - 10, 20.0, True),  # a point published to within 20 m
        (MIN_REACH_M + NEAR_EXTRA_M + 10, 20.0, False),  # the same name, too far away
        (2_000.0, 20.0, False),
        (380.0, 300.0, True),  # an approximate point (±300 m) reaches 400 m
        (420.0, 300.0, False),
    ],
)
def test_a_placed_record_matches_a_like_named_venue_within_its_reach(metres, accuracy_m, matched):
    places = [place("astana_opera", OPERA_NAMES, at=Point(OPERA[::-1]), accuracy_m=accuracy_m)]
    venues = [venue(1, ("Астана Опера", "Астана Опера", "Astana Opera"), at=east_of(OPERA, metres))]
    assert pairs(places, venues) == ({("astana_opera", "osm_node_1")} if matched else set())


def test_a_line_or_outline_is_measured_from_its_nearest_part():
    line = LineString([OPERA[::-1], east_of(OPERA, 1_000).coords[0]])
    places = [place("arbat", "Astana Arbat", kind="arts_centre", at=line, accuracy_m=30)]
    venues = [venue(2, "Astana Arbat", kind="arts_centre", at=east_of(OPERA, 900))]
    assert pairs(places, venues) == {("arbat", "osm_node_2")}


BALLET_NAMES = ("Астана Балет", "Астана Балет", "Astana Ballet Theatre")
WEAKER = "Балет театры"  # "Ballet theatre" in Kazakh: what a map's label may say of it


def test_the_weaker_name_is_weaker_but_not_unrelated():
    score = name_similarity(name_keys(BALLET_NAMES), name_keys([WEAKER]))
    assert NAME_CLOSE <= score < NAME_NEAR


@pytest.mark.parametrize(
    ("venue_name", "kind", "metres", "matched"),
    [
        ("Kulanshi Art Centre", "theatre", 10.0, False),  # right there, but another place
        (WEAKER, "theatre", CLOSE_M - 5, True),  # close, same kind, a weaker name
        (WEAKER, "library", CLOSE_M - 5, False),  # close, weaker name, other kind
        (WEAKER, "theatre", CLOSE_M + 20, False),  # weaker name, not close enough
    ],
)
def test_a_near_venue_needs_a_like_name_or_a_close_point_and_a_compatible_kind(
    venue_name, kind, metres, matched
):
    places = [place("astana_ballet", BALLET_NAMES, at=Point(OPERA[::-1]))]
    venues = [venue(3, venue_name, kind=kind, at=east_of(OPERA, metres))]
    assert pairs(places, venues) == ({("astana_ballet", "osm_node_3")} if matched else set())


def test_generic_words_alone_are_not_a_name_match():
    places = [place("national_museum", "National Museum", kind="museum", at=Point(OPERA[::-1]))]
    venues = [venue(4, "Museum of Modern Art", kind="museum", at=east_of(OPERA, 80))]
    assert pairs(places, venues) == set()
    assert name_similarity(name_keys(["Library"]), name_keys(["Children library"])) < 80


def test_names_meet_across_languages_and_scripts():
    """The record's Kazakh name against the venue's Latin one, as people type them."""
    places = [place("kulanshi", ("Құланшы", "Кұланшы", "Kulanshi Centre"), kind="gallery")]
    venues = [venue(5, ("Qulanshy", "Qulanshy", "Qulanshy"), kind="gallery", at=east_of(OPERA, 0))]
    assert pairs(places, venues) == {("kulanshi", "osm_node_5")}


def test_never_across_cities():
    places = [place("puppets", "State Puppet Theatre", city="almaty")]
    venues = [venue(6, "State Puppet Theatre", at=east_of(OPERA, 0))]  # in Astana
    assert pairs(places, venues) == set()
    venues.append(venue(7, "State Puppet Theatre", city="almaty", at=east_of(ALMATY, 0)))
    assert pairs(places, venues) == {("puppets", "osm_node_7")}


def test_a_context_landmark_is_never_merged():
    places = [place("baiterek", "Baiterek", kind="landmark", at=Point(OPERA[::-1]))]
    venues = [venue(8, "Baiterek", kind="museum", at=east_of(OPERA, 5))]
    assert pairs(places, venues) == set()
    places[0]["kind"] = "museum"
    assert pairs(places, venues) == {("baiterek", "osm_node_8")}


@pytest.mark.parametrize(
    ("record", "venue_name", "kind", "matched"),
    [
        ("Kulanshi Modern Art Centre", "Kulanshi Art Centre", "arts_centre", True),
        ("Astana Ballet Theatre", "Astana Opera", "theatre", False),  # weak: shares "Astana"
        ("Kulanshi Modern Art Centre", "Kulanshi Art Centre", "library", False),  # other kind
        ("Theatre", "Theatre", "theatre", True),  # whole-name equality needs no special word
    ],
)
def test_an_unplaced_record_matches_only_a_strong_name_of_a_compatible_kind(
    record, venue_name, kind, matched
):
    places = [place("record", record, kind="gallery" if "Kulanshi" in record else "theatre")]
    venues = [venue(9, venue_name, kind=kind, at=east_of(OPERA, 3_000))]
    assert pairs(places, venues) == ({("record", "osm_node_9")} if matched else set())


@pytest.mark.parametrize(
    ("record_address", "venue_address", "matched"),
    [
        ("Abai Avenue 43 (corner of Baiseitova st.)", "проспект Абая 43", True),
        ("Abai Avenue 43", "улица Кенесары 10", False),  # another street, another number
        ("Kenesary street 10", "улица Кенесары 12", False),  # the same street, another house
        ("Kabanbay Batyr street", "улица Кабанбай батыра 110", True),
        (None, "улица Кенесары 10", True),
    ],
)
def test_an_unplaced_record_and_a_venue_with_different_addresses_are_not_merged(
    record_address, venue_address, matched
):
    places = [place("lermontov", "Lermontov Drama Theatre", address=record_address)]
    venues = [venue(10, "Lermontov Theatre", at=east_of(OPERA, 500), address=venue_address)]
    assert addresses_compatible(record_address, venue_address) is matched
    assert pairs(places, venues) == ({("lermontov", "osm_node_10")} if matched else set())


def test_an_unplaced_record_with_two_like_named_venues_far_apart_gets_neither():
    places = [place("puppets", "Puppet Theatre Ertegi")]
    venues = [
        venue(11, "Puppet Theatre Ertegi", at=east_of(OPERA, 0)),
        venue(12, "Puppet Theatre Ertegi", at=east_of(OPERA, 3_000)),
    ]
    assert pairs(places, venues) == set()
    venues[1]["geometry"] = east_of(OPERA, 20)  # a node and an outline of one building
    assert pairs(places, venues) == {("puppets", "osm_node_11")}


def test_one_to_one_the_nearest_and_then_the_first_id_win_whatever_the_row_order():
    here = Point(OPERA[::-1])
    places = [
        place("hub_b", "Astana Hub", kind="it_hub", at=here),
        place("hub_a", "Astana Hub", kind="it_hub", at=here),
    ]
    venues = [
        venue(21, "Astana Hub", kind="coworking", at=east_of(OPERA, 60)),
        venue(20, "Astana Hub", kind="coworking", at=east_of(OPERA, 40)),
    ]
    expected = {("hub_a", "osm_node_20"), ("hub_b", "osm_node_21")}
    assert pairs(places, venues) == expected
    assert pairs(places[::-1], venues[::-1]) == expected
    # One venue, two equally good records: one of them (the first id) gets it, not both.
    assert pairs(places, venues[1:]) == {("hub_a", "osm_node_20")}
    assert pairs(places[::-1], venues[1:]) == {("hub_a", "osm_node_20")}


def test_a_placed_match_beats_a_name_only_one_for_the_same_venue():
    places = [
        place("a_unplaced", "Gorky Drama Theatre"),
        place("b_placed", "Gorky Drama Theatre", at=Point(OPERA[::-1])),
    ]
    venues = [venue(30, "Gorky Theatre", at=east_of(OPERA, 50))]
    assert pairs(places, venues) == {("b_placed", "osm_node_30")}


def test_merge_keeps_curated_facts_and_gains_the_venues_facts():
    places = frame(
        [
            place(
                "astana_opera",
                OPERA_NAMES,
                at=Point(OPERA[::-1]),
                accuracy_m=20,
                address="Kunaev street 1",
                other_sources="https://example.org/press",
            ),
            place("kulanshi", "Kulanshi Modern Art Centre", kind="gallery"),
            place("alone", "Zhastar Palace", kind="palace_of_culture"),
        ]
    )
    venues = frame(
        [
            venue(
                40,
                "Astana Opera",
                at=east_of(OPERA, 90),
                address="улица Кунаева 1",
                website="https://astanaopera.example/",
                opening_hours="Tu-Su 10:00-19:00",
            ),
            venue(41, "Kulanshi Art Centre", kind="arts_centre", at=east_of(OPERA, 2_000)),
            venue(42, "Another Cinema", kind="cinema", at=east_of(OPERA, 5_000)),
        ]
    )
    venues.loc[1, "location_accuracy_m"] = 35.0
    before = (places.copy(), venues.copy())
    merged = merge_venues(places, venues)
    pd.testing.assert_frame_equal(places, before[0])  # the arguments are not changed
    pd.testing.assert_frame_equal(venues, before[1])
    out = merged.places.set_index("id")
    assert list(merged.places["id"]) == ["astana_opera", "kulanshi", "alone"]
    assert list(merged.venues["id"]) == ["osm_node_42"]
    assert set(merged.matches["rule"]) == {"near", "name"}

    opera = out.loc["astana_opera"]
    assert opera.geometry.equals(Point(OPERA[::-1]))  # the curated point stays
    assert opera["location_accuracy_m"] == 20
    assert opera["location_note_en"] == "Catalogue"
    assert opera["address"] == "Kunaev street 1"  # curated, not replaced by OSM's
    assert opera["website"] == "https://astanaopera.example/"
    assert opera["opening_hours"] == "Tu-Su 10:00-19:00"
    assert opera["other_sources"] == (
        "https://example.org/press ; https://www.openstreetmap.org/node/40"
    )
    assert opera["osm_id"] == "osm_node_40"
    assert not opera["osm_position"]
    assert opera["source_url"] == "https://example.org/astana_opera"

    kulanshi = out.loc["kulanshi"]
    assert kulanshi.geometry.equals(east_of(OPERA, 2_000))  # the venue's point, adopted
    assert kulanshi["location_accuracy_m"] == 35.0
    assert kulanshi["osm_position"]
    assert kulanshi["other_sources"] == "https://www.openstreetmap.org/node/41"
    assert kulanshi["kind"] == "gallery"  # the catalogue's kind and names stay
    assert kulanshi["name_en"] == "Kulanshi Modern Art Centre"
    assert "OpenStreetMap (node 41)" in kulanshi["location_note_en"]
    assert "OpenStreetMap (node 41)" in kulanshi["location_note_ru"]
    assert "OpenStreetMap" in kulanshi["location_note_kk"]
    assert "node 41" in kulanshi["location_note_kk"]
    assert kulanshi["location_note_kk"] != kulanshi["location_note_ru"]

    alone = out.loc["alone"]
    assert alone.geometry is None
    assert math.isnan(alone["location_accuracy_m"])
    assert pd.isna(alone["osm_id"])
    assert not alone["osm_position"]


def test_a_venue_without_a_page_adds_no_source_and_repeats_none():
    places = frame([place("opera", OPERA_NAMES, at=Point(OPERA[::-1]), other_sources=None)])
    venues = frame([venue(50, "Astana Opera", at=east_of(OPERA, 10))])
    venues.loc[0, "source_url"] = None  # a never-uploaded element (a negative id) has none
    assert pd.isna(merge_venues(places, venues).places.loc[0, "other_sources"])
    url = "https://www.openstreetmap.org/node/50"
    venues.loc[0, "source_url"] = url
    places.loc[0, "other_sources"] = url  # already named: not added twice
    assert merge_venues(places, venues).places.loc[0, "other_sources"] == url


def test_without_matches_the_frames_come_back_whole():
    places = frame([place("opera", OPERA_NAMES, at=Point(OPERA[::-1]))])
    venues = frame([venue(60, "Kazakhfilm", kind="cinema", at=east_of(OPERA, 5_000))])
    merged = merge_venues(places, venues)
    assert merged.matches.empty
    assert list(merged.venues["id"]) == ["osm_node_60"]
    assert merged.places.geometry.equals(places.geometry)


def test_frames_in_different_crs_are_refused():
    places = frame([place("opera", OPERA_NAMES, at=Point(OPERA[::-1]))])
    venues = frame([venue(70, "Astana Opera", at=east_of(OPERA, 5))]).to_crs(32642)
    with pytest.raises(CRSError, match="expected the places' CRS"):
        merge_venues(places, venues)


@pytest.mark.parametrize(
    ("place_kind", "venue_kind", "compatible"),
    [
        ("theatre", "theatre", True),
        ("concert_hall", "music_venue", True),
        ("palace_of_culture", "community_centre", True),
        ("it_hub", "coworking", True),
        ("library", "cinema", False),
        ("landmark", "museum", False),
        ("pedestrian_zone", "arts_centre", False),
    ],
)
def test_kinds_compatible(place_kind, venue_kind, compatible):
    assert kinds_compatible(place_kind, venue_kind) is compatible


def test_names_with_different_numbers_are_different_places():
    places = [place("lib5", "Library No. 5", kind="library", at=Point(OPERA[::-1]))]
    venues = [venue(80, "Library No. 7", kind="library", at=east_of(OPERA, 10))]
    assert pairs(places, venues) == set()
    venues[0]["name_en"] = venues[0]["name_ru"] = venues[0]["name_kk"] = "Library No 05"
    assert pairs(places, venues) == {("lib5", "osm_node_80")}
    assert name_similarity(name_keys(["Kinopark 8"]), name_keys(["Kinopark 16"])) == 0


def test_every_catalogue_kind_but_context_has_venue_kinds_and_only_known_ones():
    without = {k for k in CATALOGUE_KINDS if k not in COMPATIBLE_KINDS}
    assert without == {"landmark", "pedestrian_zone"}
    assert without >= NEVER_MATCHED_KINDS
    for venue_kinds in COMPATIBLE_KINDS.values():
        assert venue_kinds <= set(VENUE_KINDS)
    for kind in set(CATALOGUE_KINDS) & set(VENUE_KINDS):  # the same word: the same kind
        assert kinds_compatible(kind, kind)
