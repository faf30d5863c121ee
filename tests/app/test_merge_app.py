"""AppTest: an OpenStreetMap venue that is a catalogue place is one place, not two.

The catalogue is tests/catalogue.py's; the venues come from tests/data/osm_merge_sample.osm
through the real importer (tests/osm_merge_sample.py). Three of them are catalogue places
(tests/sources/test_osm_merge.py checks the matching itself): the Astana Hub coworking space,
the Zhastar palace (which the catalogue has no position for) and Tselinny (whose OSM name in
English is the catalogue's own).
"""

from __future__ import annotations

import json

import pytest

from settings import DATA_DIR_VAR, load_settings
from tests.app.test_dashboard import _run
from tests.app.test_near import _search
from tests.catalogue import PLACES, write_catalogue
from tests.osm_merge_sample import venues as sample_venues

MERGED = {
    "osm_node_9002": "astana_hub",
    "osm_node_9003": "astana_zhastar_sarayy",
    "osm_node_9102": "almaty_tselinny",
}
PALACE_LON_LAT = (71.433, 51.165)  # the OSM point the palace takes (osm_merge_sample.osm)


@pytest.fixture
def venues():
    return sample_venues()


@pytest.fixture
def with_venues(tmp_path, monkeypatch, venues):
    write_catalogue(tmp_path)
    monkeypatch.setenv(DATA_DIR_VAR, str(tmp_path))
    venues.to_file(tmp_path / "osm_venues.gpkg", layer="venues")
    return tmp_path


def _plain(text: str) -> str:
    return text.replace("\\", "")


def _count(at) -> str:
    (line,) = [m.value for m in at.markdown if "places match the filters" in m.value]
    return line


def _documents(lang: str = "en") -> dict[str, dict]:
    """Return the place layers' map documents as the app serves them (its process's caches)."""
    from ui.cache import load_data  # noqa: PLC0415 - imported after the app set its data

    data, failed, _ = load_data(load_settings())
    assert not failed
    return {lid: json.loads(data.document(lid, lang)[1]) for lid in ("places", "osm_venues")}


def test_each_merged_place_is_counted_and_listed_once(with_venues, venues):
    at = _run(lang="en")
    total = len(PLACES) + len(venues) - len(MERGED)
    assert _count(at) == f"{total} of {total} places match the filters"
    listed = [_plain(o) for o in at.radio(key="place_list").options]
    # Only the landmark is listed twice: a context landmark is never merged with a venue.
    assert {n for n in listed if listed.count(n) > 1} == {"Baiterek"}, listed
    # Tselinny's OSM name:en is the catalogue's: two records would list the name twice.
    assert listed.count("Tselinny Center of Contemporary Culture") == 1
    assert "Astana Hub IT park" in listed
    assert "Astana Hub" not in listed  # the OSM coworking space, merged into it
    # The palace had no position; it now has OpenStreetMap's, so it is listed as placed.
    assert "Zhastar Palace of Youth" in listed
    unplaced = [_plain(o) for o in at.radio(key="unplaced_list").options]
    assert "Zhastar Palace of Youth" not in unplaced


def test_the_map_draws_one_feature_per_merged_place(with_venues):
    _run(lang="en")
    docs = _documents()
    place_ids = [f["properties"]["id"] for f in docs["places"]["features"]]
    venue_ids = [f["properties"]["id"] for f in docs["osm_venues"]["features"]]
    assert set(MERGED.values()) <= set(place_ids)
    assert not set(MERGED) & set(venue_ids)
    assert {"osm_node_9001", "osm_node_9004", "osm_node_9101"} <= set(venue_ids)
    at_palace = [
        f["properties"]["id"]
        for doc in docs.values()
        for f in doc["features"]
        if tuple(f["geometry"]["coordinates"]) == PALACE_LON_LAT
    ]
    assert at_palace == ["astana_zhastar_sarayy"]


def test_a_search_finds_the_merged_place_once(with_venues):
    at = _run(lang="en", mode="near")
    _search(at, "Tselinny")  # one match is picked at once; two would ask which one
    assert at.query_params["near"] == "43.24833,76.92889"  # the curated point, not OSM's
    at = _run(lang="en", mode="near")
    _search(at, "Zhastar")
    assert at.query_params["near"] == "51.16500,71.43300"  # the position OSM gave it


def test_the_merged_card_shows_the_catalogue_source_and_the_venues_facts(with_venues):
    at = _run(lang="en", place="astana_zhastar_sarayy")
    lines = [_plain(m.value) for m in at.markdown]
    text = " ".join(lines)
    assert "Zhastar Palace of Youth" in text
    assert "Kazinform" in text  # the catalogue's own source
    assert "**Address:** проспект Республики 34" in lines  # from OpenStreetMap
    (further,) = [line for line in lines if line.startswith("**Other sources:**")]
    assert "(https://www.openstreetmap.org/node/9003)" in further  # and its page
    assert "[OpenStreetMap (© OpenStreetMap contributors, ODbL 1.0)](https://www" in further
    assert "Position from OpenStreetMap (node 9003)" in text


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("kk", "Орны OpenStreetMap деректерінен алынды (node 9003)"),
        ("ru", "Положение взято из OpenStreetMap (node 9003)"),
    ],
)
def test_the_adopted_positions_note_reads_in_each_language(with_venues, lang, note):
    at = _run(lang=lang, place="astana_zhastar_sarayy")
    assert note in " ".join(_plain(m.value) for m in at.markdown)


def test_the_venue_is_no_longer_a_place_of_its_own(with_venues):
    at = _run(lang="en", place="osm_node_9003")
    text = " ".join(_plain(m.value) for m in at.markdown)
    assert "Zhastar" not in text  # no card: the venue is the catalogue record now
    at = _run(lang="en", place="osm_node_9001")  # a venue the catalogue does not hold
    text = " ".join(_plain(m.value) for m in at.markdown)
    assert "Astana Opera" in text


def test_a_new_venues_file_is_merged_afresh(with_venues, venues):
    """The catalogue's map document and list depend on the venues' version too."""
    at = _run(lang="en")
    assert "Zhastar Palace of Youth" in [_plain(o) for o in at.radio(key="place_list").options]
    before = _documents()["places"]
    without_palace = venues[venues["id"] != "osm_node_9003"]
    (with_venues / "osm_venues.gpkg").unlink()
    without_palace.to_file(with_venues / "osm_venues.gpkg", layer="venues")
    at = _run(lang="en")
    assert "Zhastar Palace of Youth" not in [_plain(o) for o in at.radio(key="place_list").options]
    assert "Zhastar Palace of Youth" in [_plain(o) for o in at.radio(key="unplaced_list").options]
    after = _documents()["places"]
    ids = {f["properties"]["id"] for f in after["features"]}
    assert "astana_zhastar_sarayy" in {f["properties"]["id"] for f in before["features"]}
    assert "astana_zhastar_sarayy" not in ids  # no position again: not drawn
