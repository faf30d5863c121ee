"""The catalogue's build: the venues table and the curated records into data/catalogue.gpkg."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod

from geo.schema import EXACT_WITHIN_M, SOURCES_SEPARATOR
from layers.load import load_layer, load_targets
from layers.registry import layer_by_id
from sources.catalogue_build import (
    _ADDRESS_ONLY as ADDRESS_ONLY,
)
from sources.catalogue_build import (
    _CONFIDENCE_WORDS as CONFIDENCE_WORDS,
)
from sources.catalogue_build import (
    _NOTHING as NOTHING,
)
from sources.catalogue_build import (
    ARC_MINUTE_ACCURACY_M,
    BANKS,
    CATALOGUE,
    CAVEATS,
    CONFIDENCE_ACCURACY_M,
    DISTRICTS_2024,
    LOCATION_OVERRIDES,
    README,
    SAME_PLACE,
    VENUES_CSV,
    BuildError,
    build_places,
    coordinate_precision_m,
    dms,
    main,
    read_targets,
    records_table,
    urls_in,
    venue_record,
)

needs_venues = pytest.mark.skipif(
    not VENUES_CSV.is_file(), reason="../shared/venues.csv is not beside the project"
)
needs_geodata = pytest.mark.skipif(
    not (DISTRICTS_2024.is_file() and BANKS.is_file()),
    reason="../shared/geodata (districts and banks of Astana) is not beside the project",
)
GEOD = Geod(ellps="WGS84")


def _venues() -> list[dict[str, str]]:
    with VENUES_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _shipped() -> gpd.GeoDataFrame:
    return load_layer(layer_by_id("places"), path=CATALOGUE).set_index("id")


def _row(**over: str | None) -> dict[str, str | None]:
    row: dict[str, str | None] = {
        "id": "almaty_test_theatre",
        "city": "almaty",
        "name_en": "Test theatre",
        "name_ru": None,
        "name_kk": None,
        "kind": "theatre",
        "address": "Abai Avenue 1",
        "lat": None,
        "lon": None,
        "coord_source_url": None,
        "coord_source_title": None,
        "other_source_url": "https://example.org/a ; https://example.org/b (address)",
        "status": "existing",
        "notes": None,
        "confidence": "medium",
    }
    row.update(over)
    return row


@needs_venues
@needs_geodata
def test_the_shipped_catalogue_is_what_its_sources_build(tmp_path: Path) -> None:
    out = tmp_path / "catalogue.gpkg"
    assert main(["--out", str(out)]) == 0
    built = load_layer(layer_by_id("places"), path=out)
    shipped = load_layer(layer_by_id("places"), path=CATALOGUE)
    pd.testing.assert_frame_equal(built, shipped)
    pd.testing.assert_frame_equal(load_targets(out), load_targets(CATALOGUE))


@needs_venues
def test_every_venue_of_the_table_is_in_the_catalogue_with_its_pages_and_address() -> None:
    places = _shipped()
    rows = _venues()
    assert len(rows) == 63
    for row in rows:
        pid = SAME_PLACE.get(row["id"], row["id"])
        assert pid in places.index, row["id"]
        rec = places.loc[pid]
        pages = {rec["source_url"], *str(rec["other_sources"] or "").split(SOURCES_SEPARATOR)}
        wanted = urls_in(row["coord_source_url"]) + urls_in(row["other_source_url"])
        assert wanted, row["id"]
        assert set(wanted) <= pages, row["id"]
        if row["id"] not in SAME_PLACE:
            stored = rec["address"] if isinstance(rec["address"], str) else None
            assert stored == (row["address"] or None), row["id"]
        elif row["address"]:  # the curated address stays; the venue's fills an empty one
            assert isinstance(rec["address"], str), row["id"]
        if (
            row["id"] not in SAME_PLACE
        ):  # a venue of its own, not one the curated records already hold
            assert rec["kind"] == row["kind"]
            assert rec["status"] == row["status"]
            assert rec["name_en"] == row["name_en"]
            for lang in ("kk", "ru"):
                assert rec[f"name_{lang}"] in {row["name_kk"], row["name_ru"], row["name_en"]}
                if row[f"name_{lang}"]:
                    assert rec[f"name_{lang}"] == row[f"name_{lang}"]


@needs_venues
def test_published_coordinates_are_kept_exactly_and_their_accuracy_follows_confidence() -> None:
    places = _shipped()
    placed = [r for r in _venues() if r["lat"]]
    assert len(placed) == 17
    for row in placed:
        rec = places.loc[row["id"]]
        lat, lon = float(row["lat"]), float(row["lon"])
        assert (rec.geometry.y, rec.geometry.x) == (lat, lon), row["id"]
        accuracy = rec["location_accuracy_m"]
        if row["id"] in LOCATION_OVERRIDES:
            assert accuracy == LOCATION_OVERRIDES[row["id"]].accuracy_m
        else:
            assert accuracy >= CONFIDENCE_ACCURACY_M[row["confidence"]], row["id"]
        if row["confidence"] != "high":  # only a high-confidence point is drawn as exact
            assert accuracy > EXACT_WITHIN_M or row["id"] in LOCATION_OVERRIDES, row["id"]
    museum = places.loc["astana_national_museum"]  # published as 51°07′N 71°28′E
    assert museum["location_accuracy_m"] == ARC_MINUTE_ACCURACY_M
    assert "51°07′N 71°28′E" in museum["location_note_en"]
    assert "±1 км" in museum["location_note_ru"]


@needs_venues
def test_venues_without_coordinates_have_no_position_and_say_why_in_three_languages() -> None:
    places = _shipped()
    unplaced = [r for r in _venues() if not r["lat"] and r["id"] not in SAME_PLACE]
    assert len(unplaced) == 43
    for row in unplaced:
        rec = places.loc[row["id"]]
        assert rec.geometry is None, row["id"]
        assert math.isnan(rec["location_accuracy_m"]), row["id"]
        template = ADDRESS_ONLY if row["address"] else NOTHING
        for lang in ("kk", "ru", "en"):
            note = rec[f"location_note_{lang}"]
            assert note.startswith(template[lang]), (row["id"], lang)
            confidence = CONFIDENCE_WORDS[row["confidence"]][lang]
            assert note.endswith(f"{confidence}."), (row["id"], lang)


@needs_venues
def test_a_venue_the_curated_records_hold_is_one_place_with_both_sources() -> None:
    places = _shipped()
    assert "astana_zhastar_palace" not in places.index
    zhastar = places.loc["astana_zhastar_sarayy"]
    assert zhastar["source_outlet_en"] == "Kazinform"  # the curated source stays first
    assert "https://egemen.kz/" in zhastar["other_sources"]
    assert zhastar["address"].startswith("Respublika Avenue")
    hub = places.loc["astana_hub"]
    assert hub["address"] == "EXPO site, pavilion C4.6"  # the curated address is kept
    assert "bnews.kz" in hub["other_sources"]


def test_the_fact_sheet_facts_are_in_the_catalogue() -> None:
    places = _shipped()
    theatre = places.loc["astana_kuanyshbayev_theatre"]
    assert (theatre.geometry.y, theatre.geometry.x) == (51.16805, 71.41105)
    assert theatre["location_accuracy_m"] == 300  # low-medium: old or new building unknown
    assert "2020" in theatre["location_note_ru"]
    arbat = places.loc["astana_omarov_arbat"]
    assert arbat["name_en"].startswith("Zhakyp Omarov street")
    assert arbat.geometry is None
    assert arbat["bank"] == "right"
    assert "23996488" in arbat["location_note_en"]
    assert "23996488" in arbat["location_note_kk"]
    # The street's west end is the theatre: the theatre is on the right bank too.
    assert theatre["bank"] == "right"
    barys = places.loc["astana_barys_arena"]
    assert barys.geometry is None
    assert "51.1557, 71.4653" in barys["location_note_ru"]
    demalys = places.loc["astana_mambetov_demalys"]
    assert demalys.geometry is None
    assert demalys["status_as_of"] == "2021-06-14"
    depot = places.loc["almaty_depo"]
    assert "2020-10-14" in depot["summary_en"]
    assert "2023" in depot["summary_kk"]
    velodrome, arena = places.loc["astana_saryarka_velodrome"], places.loc["astana_arena"]
    _, _, metres = GEOD.inv(
        arena.geometry.x, arena.geometry.y, velodrome.geometry.x, velodrome.geometry.y
    )
    assert 300 < metres < 400


def test_data_text_is_in_each_language_not_english_copies() -> None:
    places = _shipped()
    for lang in ("kk", "ru"):
        copied = places[f"location_note_{lang}"] == places["location_note_en"]
        assert not copied.any(), list(places.index[copied])
    curated = places.loc[places["source_outlet_en"].str.contains(" ")]  # outlets in words
    assert len(curated) >= 10
    assert (curated["source_outlet_ru"] != curated["source_outlet_en"]).all()


def test_data_readme_table_is_the_catalogue() -> None:
    places = load_layer(layer_by_id("places"), path=CATALOGUE)
    assert records_table(places) in README.read_text(encoding="utf-8")


def test_targets_come_from_their_csv() -> None:
    def plain(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.astype(object)
        return frame.where(frame.notna(), None)

    expected, shipped = plain(read_targets()), plain(load_targets(CATALOGUE))
    pd.testing.assert_frame_equal(expected, shipped, check_dtype=False)


def test_coordinates_to_the_arc_minute_are_coarse_and_written_so() -> None:
    assert coordinate_precision_m(51.116667, 71.466667) == ARC_MINUTE_ACCURACY_M
    assert coordinate_precision_m(51.135556, 71.410917) == 0.0
    assert dms(51.116667, 71.466667) == "51°07′N 71°28′E"
    assert dms(51.135556, 71.410917) == "51°08′08″N 71°24′39.3″E"
    assert dms(43.248889, 76.945833) == "43°14′56″N 76°56′45″E"


def test_source_cells_become_checked_links() -> None:
    cell = (
        "http://kettik.kz/?p=24934 (address) ; https://perceptiono.com/Алатау_(театр)"
        " ; https://ticketon.kz./en/astana ; not a link ; javascript:alert(1)"
    )
    assert urls_in(cell) == [
        "http://kettik.kz/?p=24934",
        "https://perceptiono.com/%D0%90%D0%BB%D0%B0%D1%82%D0%B0%D1%83_%28%D1%82%D0%B5%D0%B0%D1%82%D1%80%29",
        "https://ticketon.kz/en/astana",
    ]


def test_a_venue_row_becomes_a_record() -> None:
    rec = venue_record(_row())
    assert (rec["name_kk"], rec["name_ru"]) == ("Test theatre", "Test theatre")
    assert rec["geometry"] is None
    assert rec["location_accuracy_m"] is None
    assert rec["source_url"] == "https://example.org/a"
    assert rec["other_sources"] == "https://example.org/b"
    assert rec["source_outlet_ru"] == "example.org"
    placed = venue_record(
        _row(
            id="almaty_ykylas_museum",
            lat="43.251111",
            lon="76.952222",
            confidence="low",
            name_ru="Тест",
            address=None,
        )
    )
    assert placed["name_kk"] == "Тест"  # Kazakh falls back to Russian before English
    assert placed["location_accuracy_m"] == CONFIDENCE_ACCURACY_M["low"]
    assert "низкая" in placed["location_note_ru"]


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"confidence": "sure"}, "confidence must be high, medium or low"),
        ({"other_source_url": "not a link"}, "no source page"),
        ({"name_en": None}, "name_en is empty"),
        ({"lat": "43.25", "lon": "76.95"}, "COORDINATE_PAGES does not say from which page"),
    ],
)
def test_a_bad_venue_row_is_refused_by_name(over: dict[str, str | None], message: str) -> None:
    with pytest.raises(BuildError, match=f"almaty_test_theatre.*{message}"):
        venue_record(_row(**over))


def test_a_missing_venues_table_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "catalogue.gpkg"
    assert main(["--venues", str(tmp_path / "nope.csv"), "--out", str(out)]) == 1
    assert not out.exists()
    with pytest.raises(BuildError, match="nope.csv"):
        build_places(tmp_path / "nope.csv")


@needs_venues
def test_coordinate_pages_have_their_own_title_and_a_localised_outlet() -> None:
    places = _shipped()
    placed = [r for r in _venues() if r["lat"]]
    for row in placed:
        rec = places.loc[row["id"]]
        title = rec["source_title"]
        assert "GPS" not in title, row["id"]
        assert "°" not in title, row["id"]
        assert title.count("'") % 2 == 0, row["id"]
        host = urls_in(row["coord_source_url"])[0].split("/")[2].removeprefix("www.")
        for lang in ("kk", "ru", "en"):
            assert rec[f"source_outlet_{lang}"].startswith(f"{host} ("), (row["id"], lang)
        assert rec["source_outlet_ru"] != rec["source_outlet_en"], row["id"]
    lermontov = places.loc["almaty_lermontov_theatre"]
    assert lermontov["source_title"] == "Russian Drama Theater named after M. Y. Lermontov"
    assert lermontov["source_outlet_ru"] == "wildticketasia.com (туристический сайт)"


@needs_venues
def test_the_tables_caveats_reach_the_card_in_each_language_and_no_status_date_is_made_up() -> None:
    places = _shipped()
    own = [r["id"] for r in _venues() if r["id"] not in SAME_PLACE]
    assert places.loc[own, "status_as_of"].isna().all()  # the table dates nothing
    assert len(CAVEATS) >= 10
    for vid, caveat in CAVEATS.items():
        for lang in ("kk", "ru", "en"):
            assert places.loc[vid, f"summary_{lang}"] == caveat[lang]
    assert "117 или 119" in places.loc["almaty_kunaev_museum", "summary_ru"]
    gallery = places.loc["almaty_gallery_state", "summary_kk"]
    assert "расталмаған" in gallery


def test_russian_takes_the_kazakh_name_before_the_english_one() -> None:
    rec = venue_record(_row(name_kk="Сынақ театры"))
    assert (rec["name_kk"], rec["name_ru"], rec["name_en"]) == (
        "Сынақ театры",
        "Сынақ театры",
        "Test theatre",
    )


def test_a_link_holding_a_semicolon_stays_one_link() -> None:
    assert urls_in("https://example.org/a;b=1 ; https://example.org/c") == [
        "https://example.org/a;b=1",
        "https://example.org/c",
    ]
    rec = venue_record(_row(other_source_url="https://example.org/a;b=1 ; https://example.org/c"))
    assert rec["source_url"] == "https://example.org/a;b=1"
    assert rec["other_sources"] == "https://example.org/c"


def test_an_address_naming_a_district_of_the_city_gives_the_district() -> None:
    assert venue_record(_row(address="Bekkhozhin Street 6A (Medeu district)"))["district"] == (
        "Medeu"
    )
    assert venue_record(_row(address="Nura district 5"))["district"] is None  # Astana's


def test_the_tour_is_built_from_its_csv_and_checked_against_the_catalogue(tmp_path: Path) -> None:
    import sqlite3

    from geo.errors import InputError
    from sources.catalogue_build import read_targets, read_tour, write_catalogue
    from tests.catalogue import PLACES, TARGETS

    csv_tour = read_tour()
    shipped = pd.read_sql("SELECT * FROM tour", sqlite3.connect(CATALOGUE))
    assert list(shipped["place_id"]) == list(csv_tour["place_id"])
    assert list(shipped["caption_kk"]) == list(csv_tour["caption_kk"])
    assert set(csv_tour["target_id"].dropna()) <= set(read_targets()["id"])
    # The shipped tour names places the test catalogue lacks: the build refuses it whole.
    out = tmp_path / "catalogue.gpkg"
    with pytest.raises(InputError, match=r"unknown place_id 'astana_sport_city_cluster'"):
        write_catalogue(PLACES, TARGETS, out, tour=csv_tour)
    assert not out.exists()
