"""The same tests for both back ends: GeoPackage files and PostGIS (a private cluster)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal
from shapely.geometry import Point

from geo.errors import InputError, LayerLoadError
from store import NAMES, Store, StoreUnavailable, UnknownDataset
from tests.store.conftest import sample_banks, sample_places, sample_river, sample_targets


def test_open_store_gives_a_store_of_the_expected_kind(backend):
    assert isinstance(backend.store, Store)
    kind = "PostGIS" if backend.kind == "postgis" else "GeoPackage"
    assert backend.store.describe().startswith(kind)


@pytest.mark.parametrize(
    ("name", "frame"),
    [
        ("places", sample_places()),
        ("esil_river", sample_river()),
        ("astana_banks", sample_banks()),
        ("astana_districts", sample_banks().to_crs(32642)),  # a metric CRS is kept as it is
    ],
    ids=["places", "esil_river", "astana_banks", "utm_42n"],
)
def test_a_layer_reads_back_as_written(store, name, frame):
    store.write(name, frame)
    back = store.read_layer(name)
    assert_geodataframe_equal(back, frame, check_dtype=True, check_like=False)
    assert back.crs == frame.crs
    assert list(back.columns) == list(frame.columns)


def test_null_geometry_and_dtypes_survive_the_round_trip(store):
    store.write("places", sample_places())
    back = store.read_layer("places").set_index("id")
    assert back.loc["p_nowhere", "geometry"] is None
    assert back.loc["p_line", "geometry"].geom_type == "LineString"
    assert back["target_year"].dtype == "float64"
    assert back.loc["p_point", "target_year"] == 2025
    assert pd.isna(back.loc["p_line", "target_year"])
    assert back.loc["p_point", "name_en"] == "Point «hall»"


def test_a_table_reads_back_as_written(store):
    store.write("targets", sample_targets())
    back = store.read_table("targets")
    assert_frame_equal(back, sample_targets())
    assert back["quantity"].dtype == "int64"
    assert back.loc[1, "quantity"] == 20_000_000_000


def test_layers_sharing_a_file_or_database_keep_each_other(store):
    store.write("places", sample_places())
    store.write("targets", sample_targets())
    store.write("places", sample_places().iloc[:1])
    assert_frame_equal(store.read_table("targets"), sample_targets())
    assert list(store.read_layer("places")["id"]) == ["p_point"]


def test_has_tells_written_from_missing(store):
    assert not store.has("places")
    store.write("places", sample_places())
    assert store.has("places")


def test_has_is_false_for_a_missing_layer_in_an_existing_file(store):
    store.write("places", sample_places())
    assert not store.has("targets")
    assert not store.has("osm_venues")


def test_version_changes_on_write_and_only_then(store):
    before = store.version("places")
    store.write("places", sample_places())
    first = store.version("places")
    assert first != before
    store.read_layer("places")
    assert store.version("places") == first
    assert store.versions(["places"]) == {"places": first}
    store.write("places", sample_places().iloc[:2])
    second = store.version("places")
    assert second not in {first, before}


def test_an_empty_frame_empties_the_dataset_and_changes_its_version(store):
    store.write("places", sample_places())
    before = store.version("places")
    empty = sample_places().iloc[:0]
    store.write("places", empty)
    assert store.version("places") != before
    back = store.read_layer("places")
    assert len(back) == 0
    assert list(back.columns) == list(empty.columns)
    assert store.versions([]) == {}


def test_versions_answers_for_every_name_asked(store):
    store.write("places", sample_places())
    tokens = store.versions(["places", "osm_venues", "esil_river"])
    assert set(tokens) == {"places", "osm_venues", "esil_river"}
    assert tokens["places"] == store.version("places")
    assert tokens["osm_venues"] == store.version("osm_venues") == "absent"


def test_an_outside_change_changes_the_version_and_the_data(backend):
    store = backend.store
    store.write("places", sample_places())
    before = store.version("places")
    backend.change_behind_its_back(place_id="p_point", name_en="Renamed")
    assert store.version("places") != before
    back = store.read_layer("places").set_index("id")
    assert back.loc["p_point", "name_en"] == "Renamed"
    # the row order stays the order written, even after an UPDATE moved the row in PostgreSQL
    assert list(back.index) == ["p_point", "p_line", "p_nowhere"]


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", 'places"; DROP TABLE places; --', "PLACES", "", "store_versions"]
)
@pytest.mark.parametrize(
    "call",
    [
        lambda s, n: s.read_layer(n),
        lambda s, n: s.read_table(n),
        lambda s, n: s.has(n),
        lambda s, n: s.version(n),
        lambda s, n: s.versions(["places", n]),
        lambda s, n: s.write(n, sample_places()),
    ],
    ids=["read_layer", "read_table", "has", "version", "versions", "write"],
)
def test_an_unknown_dataset_name_is_refused(store, name, call):
    with pytest.raises(UnknownDataset, match=r"unknown dataset .*; the store knows \['places'"):
        call(store, name)
    assert issubclass(UnknownDataset, InputError)


def test_a_missing_dataset_names_itself(store):
    with pytest.raises(LayerLoadError, match=r"dataset 'osm_venues': .*osm_venues"):
        store.read_layer("osm_venues")
    with pytest.raises(LayerLoadError, match=r"dataset 'targets': "):
        store.read_table("targets")


def test_layers_and_tables_are_not_confused(store):
    store.write("places", sample_places())
    store.write("targets", sample_targets())
    with pytest.raises(LayerLoadError, match="read it with read_layer"):
        store.read_table("places")
    with pytest.raises(LayerLoadError, match="read it with read_table"):
        store.read_layer("targets")


def test_a_layer_without_crs_or_geometry_is_not_written(store):
    no_crs = gpd.GeoDataFrame({"name": ["x"]}, geometry=[Point(71.4, 51.1)])
    with pytest.raises(
        LayerLoadError, match=r"dataset 'esil_river': write a GeoDataFrame with a CRS"
    ):
        store.write("esil_river", no_crs)
    with pytest.raises(LayerLoadError, match="is a table: write a DataFrame without geometry"):
        store.write("targets", sample_river())
    assert not store.has("esil_river")
    assert not store.has("targets")


def test_every_name_in_the_table_is_an_identifier():
    assert all(n.isidentifier() and n == n.lower() for n in NAMES)
    assert len(set(NAMES)) == len(NAMES)


def test_store_errors_are_input_errors():
    assert issubclass(StoreUnavailable, InputError)


def test_a_database_loaded_again_from_scratch_never_repeats_a_token(postgis_url):
    """Counters start again in a new database; the table's oid keeps old tokens from recurring."""
    from store.postgis import PostGISStore
    from tests.store.conftest import fresh_database

    url = fresh_database(postgis_url)
    first = PostGISStore(url)
    first.write("places", sample_places())
    before = first.version("places")
    with first.engine.begin() as conn:  # as if the database were dropped and loaded again
        conn.execute(sa.text("DROP TABLE places"))
        conn.execute(sa.text("DELETE FROM store_versions"))
    first.write("places", sample_places())
    after = first.version("places")
    first.dispose()
    assert before.split("-")[1] == after.split("-")[1] == "1"  # the counter did start again
    assert after != before
