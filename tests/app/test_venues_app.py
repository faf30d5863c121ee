"""AppTest with an OpenStreetMap venues layer present: map, filters, list, card, search, near."""

from __future__ import annotations

import osmnx as ox
import pytest

from geo.venues import normalise_venues
from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.app.test_dashboard import _run
from tests.app.test_near import _names, _search
from tests.catalogue import PLACES, write_catalogue
from tests.conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "osm_sample.osm"


@pytest.fixture
def venues():
    frame, _ = normalise_venues(ox.features_from_xml(SAMPLE), city="astana", fetched="2026-11-22")
    return frame


@pytest.fixture
def with_venues(tmp_path, monkeypatch, venues):
    write_catalogue(tmp_path)
    monkeypatch.setenv(DATA_DIR_VAR, str(tmp_path))
    venues.to_file(tmp_path / "osm_venues.gpkg", layer="venues")
    return tmp_path


def _count(at) -> str:
    (line,) = [m.value for m in at.markdown if "places match the filters" in m.value]
    return line


def test_venues_join_the_map_filters_and_list(with_venues, venues):
    at = _run(lang="en")
    total = len(PLACES) + len(venues)
    assert _count(at) == f"{total} of {total} places match the filters"
    assert at.checkbox(key="layer_osm_venues").value is True
    options = set(at.multiselect(key="kind").options)
    assert {"Theatre", "Museum", "Coworking space", "Concert hall", "Arts centre"} <= options
    at.multiselect(key="kind").set_value(["theatre"]).run()
    assert _count(at) == f"1 of {total} places match the filters"
    assert [o.replace("\\", "") for o in at.radio(key="place_list").options] == ["Test Theatre"]


def test_a_venue_card_names_openstreetmap_as_its_source(with_venues):
    at = _run(lang="en", place="osm_node_new101")
    card = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert "Test Theatre" in card
    assert "OpenStreetMap" in card
    assert "ODbL" in card


def test_venues_are_searched_by_name_and_address_and_ranked_by_distance(with_venues):
    at = _run(lang="en", mode="near")
    _search(at, "Тестовая 7")
    assert at.query_params["near"] == "51.13010,71.43010"
    assert _names(at)[0] == "Test Theatre"
    at = _run(lang="ru", mode="near")
    _search(at, "Сынак театры", "Найти")  # Kazakh name typed without Kazakh letters
    assert _names(at)[0] == "Тестовый театр"


def test_venue_banks_come_from_the_bank_polygons(with_venues, shared_geodata, monkeypatch):
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(shared_geodata))
    at = _run(lang="en", bank="left", kind="theatre")
    assert [o.replace("\\", "") for o in at.radio(key="place_list").options] == ["Test Theatre"]


def test_a_broken_venues_file_is_left_out_and_the_rest_works(with_venues, venues):
    broken = venues.copy()
    broken.loc[0, "kind"] = "bakery"
    broken.to_file(with_venues / "osm_venues.gpkg", layer="venues")
    at = _run(lang="en")
    assert any(
        "Layer “Existing venues (OpenStreetMap)” could not be loaded" in w.value for w in at.warning
    )
    assert _count(at) == f"{len(PLACES)} of {len(PLACES)} places match the filters"


@pytest.fixture
def with_gazetteer(with_venues):
    from sources.osm import build_gazetteer, write_atomically

    features = ox.features_from_xml(ROOT / "tests" / "data" / "osm_gazetteer_sample.osm")
    entries, _ = build_gazetteer({"astana": (features, features)}, fetched="2026-11-22")
    write_atomically(entries, with_venues / "gazetteer.gpkg", layer="entries")
    return with_venues


def test_streets_and_landmarks_answer_the_search(with_gazetteer):
    at = _run(lang="en", mode="near")
    _search(at, "Тестовая көшесі")  # the street's Kazakh name; one placed match is picked
    assert at.query_params["near"] == "51.17000,71.41000"
    assert _names(at)  # results from there
    at = _run(lang="en", mode="near")
    _search(at, "Testovaya")  # the street and a venue's address: a list to pick from
    labels = [b.label.replace("\\", "") for b in at.button if b.key and "near_pick" in b.key]
    assert any(
        "Testovaya Street" in lbl and "approximate location (±700 m)" in lbl for lbl in labels
    )
    (pick,) = [b for b in at.button if b.key and "near_pick" in b.key and "Testovaya" in b.label]
    pick.click().run()
    assert at.query_params["near"] == "51.17000,71.41000"
    _search(at, "Test Monument")  # a landmark by its whole name: the one match is picked
    assert at.query_params["near"] == "51.15000,71.42000"


def test_a_broken_gazetteer_is_left_out_of_the_search(with_gazetteer):
    (with_gazetteer / "gazetteer.gpkg").write_bytes(b"not a geopackage")
    at = _run(lang="en", mode="near")
    _search(at, "Baiterek")
    assert at.query_params["near"].startswith("51.128")


@pytest.mark.parametrize(
    ("lang", "address", "website", "hours"),
    [
        ("en", "Address", "Website", "Opening hours (as OpenStreetMap writes them)"),
        ("ru", "Адрес", "Сайт", "Часы работы (запись OpenStreetMap)"),
        ("kk", "Мекенжайы", "Сайты", "Жұмыс уақыты (OpenStreetMap жазбасы)"),
    ],
)
def test_a_venue_card_shows_its_address_website_and_opening_hours(
    with_venues, lang, address, website, hours
):
    at = _run(lang=lang, place="osm_node_new101")
    lines = [m.value for m in at.markdown]
    plain = [line.replace("\\", "") for line in lines]
    assert f"**{address}:** Тестовая улица 7" in plain
    assert f"**{hours}:** Tu-Su 10:00-19:00" in plain
    (site,) = [line for line in lines if line.startswith(f"**{website}:**")]
    # One Markdown link: the host as its text, the checked address as its destination.
    expected = f"**{website}:** [theatre.test.example](https://theatre.test.example/afisha)"
    assert site.replace("\\", "") == expected


def test_a_card_without_those_facts_shows_no_empty_lines(with_venues):
    at = _run(lang="en", place="osm_node_new102")  # the museum: no address, a refused link
    text = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert "Тестовый музей" in text
    for absent in ("**Address:**", "**Website:**", "**Opening hours"):
        assert absent not in text
