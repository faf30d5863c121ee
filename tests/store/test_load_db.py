"""`make db-load`: a small catalogue goes into the private PostGIS exactly as the app reads it."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal
from shapely.geometry import LineString, Point

from geo.errors import InputError
from geo.schema import PLACE_COLUMNS, TARGET_COLUMNS
from layers.load import check_layer
from layers.registry import layer_by_id
from store.errors import StoreUnavailable
from store.gpkg import GeoPackageStore
from store.load_db import load, main
from store.postgis import PostGISStore
from tests.catalogue import localised
from tests.store.conftest import fresh_database, sample_banks, sample_river, settings_for


def _place(**over):
    rec = dict.fromkeys(PLACE_COLUMNS)
    rec.update(
        id="astana_test_hub",
        name_kk="Сынақ",
        name_ru="Тест",
        name_en="Test hub",
        city="astana",
        bank="left",
        district="Yesil",
        kind="creative_hub",
        status="planned",
        status_as_of="2026-01-01",
        target_year=2027,
        location_accuracy_m=30.0,
        **localised("location_note", "built in a test"),
        **localised("source_outlet", "test"),
        source_date="2026-01-01",
        checked_date="2026-11-21",
        geometry=Point(71.43, 51.12),
    )
    rec.update(over)
    return rec


def _catalogue(**bad):
    places = gpd.GeoDataFrame(
        [
            _place(),
            _place(
                id="astana_test_walk",
                kind="pedestrian_zone",
                target_year=None,
                geometry=LineString([(71.40, 51.10), (71.41, 51.11)]),
            ),
            _place(id="astana_test_unplaced", geometry=None, location_accuracy_m=None),
            _place(
                id="almaty_test_depot",
                city="almaty",
                bank=None,
                district=None,
                geometry=Point(76.93, 43.25),
                **bad,
            ),
        ],
        geometry="geometry",
        crs="EPSG:4326",
    )
    targets = pd.DataFrame(
        [
            dict.fromkeys(TARGET_COLUMNS)
            | {
                "id": "almaty_test_target",
                "city": "almaty",
                "what_kk": "а",
                "what_ru": "б",
                "what_en": "c",
                "promised_by_kk": "а",
                "promised_by_ru": "б",
                "promised_by_en": "c",
                "progress_kk": "а",
                "progress_ru": "б",
                "quantity": 15,
                "unit": "count",
                "deadline_year": 2025.0,
                "progress_en": "announced",
                "source_outlet": "test",
                "source_date": "2026-01-01",
                "checked_date": "2026-11-21",
            }
        ]
    )
    return places, targets


def _source(tmp_path, **bad) -> GeoPackageStore:
    settings = settings_for(tmp_path)
    source = GeoPackageStore(data_dir=settings.data_dir, context_dir=settings.context_dir)
    places, targets = _catalogue(**bad)
    source.write("places", places)
    source.write("targets", targets)
    source.write("esil_river", sample_river())
    source.write("astana_banks", sample_banks())
    source.write("osm_venues", _venues())
    source.write("gazetteer", _gazetteer())
    return source


def _venues():
    return gpd.GeoDataFrame(
        [
            _place(
                id="osm_node_1",
                kind="theatre",
                status="existing",
                target_year=None,
                location_accuracy_m=10.0,
                source_url="https://www.openstreetmap.org/node/1",
                geometry=Point(71.44, 51.13),
            )
        ],
        geometry="geometry",
        crs="EPSG:4326",
    )


def _gazetteer():
    return gpd.GeoDataFrame(
        {
            "id": ["osm_way_2"],
            "name_kk": ["Бәйтерек"],
            "name_ru": ["Байтерек"],
            "name_en": ["Baiterek"],
            "city": ["astana"],
            "kind": ["landmark"],
            "accuracy_m": [25.0],
            "source_url": ["https://www.openstreetmap.org/way/2"],
            "checked_date": ["2026-11-21"],
        },
        geometry=[Point(71.43, 51.128)],
        crs="EPSG:4326",
    )


@pytest.fixture
def target(postgis_url):
    store = PostGISStore(fresh_database(postgis_url))
    yield store
    store.dispose()


def test_db_load_copies_every_dataset_as_the_geopackage_holds_it(tmp_path, target):
    source = _source(tmp_path)
    counts = load(source, target)
    assert counts == {
        "places": 4,
        "targets": 1,
        "osm_venues": 1,
        "gazetteer": 1,
        "astana_banks": 2,
        "esil_river": 1,
    }
    for name in ("places", "osm_venues", "gazetteer", "astana_banks", "esil_river"):
        assert_geodataframe_equal(target.read_layer(name), source.read_layer(name))
    assert_frame_equal(target.read_table("targets"), source.read_table("targets"))
    # ... and the app's checks give the same validated layer from either store
    spec = layer_by_id("places")
    from_db = check_layer(spec, target.read_layer("places"), what="PostGIS")
    from_file = check_layer(spec, source.read_layer("places"), what="catalogue.gpkg")
    assert_geodataframe_equal(from_db, from_file)
    assert from_db.set_index("id").loc["astana_test_unplaced", "geometry"] is None


def test_a_bad_record_refuses_the_whole_load(tmp_path, target):
    source = _source(tmp_path, kind="bakery")
    with pytest.raises(InputError, match=r"record 'almaty_test_depot': kind must be one of") as err:
        load(source, target)
    assert "nothing was loaded" in str(err.value)
    assert "places (catalogue.gpkg)" in str(err.value)
    for name in ("places", "targets", "osm_venues", "gazetteer", "astana_banks", "esil_river"):
        assert not target.has(name), name


@pytest.mark.parametrize(
    ("name", "frame", "message"),
    [
        ("gazetteer", _gazetteer().assign(city="paris"), r"gazetteer .*unknown cities \['paris'\]"),
        ("osm_venues", _venues().assign(kind="bakery"), r"record 'osm_node_1': kind must be one"),
        (
            "esil_river",
            sample_banks(),
            r"esil_river .*geometry types \['Polygon'\] are not allowed",
        ),
    ],
    ids=["gazetteer", "osm_venues", "context_layer"],
)
def test_every_kind_of_dataset_is_checked_before_loading(tmp_path, target, name, frame, message):
    source = _source(tmp_path)
    source.write(name, frame)
    with pytest.raises(InputError, match=message):
        load(source, target)
    assert not target.has("places")


def test_a_missing_catalogue_is_refused(tmp_path, target):
    source = _source(tmp_path)
    source.path("places").unlink()
    with pytest.raises(InputError, match=r"- places: missing from GeoPackage files in"):
        load(source, target)


def test_a_second_load_replaces_the_first_and_changes_every_version(tmp_path, target):
    source = _source(tmp_path)
    load(source, target)
    before = target.versions(["places", "targets"])
    places, _ = _catalogue()
    source.write("places", places.iloc[:2])
    assert load(source, target)["places"] == 2
    after = target.versions(["places", "targets"])
    assert after["places"] != before["places"]
    assert after["targets"] != before["targets"]
    assert list(target.read_layer("places")["id"]) == ["astana_test_hub", "astana_test_walk"]


def test_the_command_prints_counts(tmp_path, postgis_url, capsys):
    _source(tmp_path)
    url = fresh_database(postgis_url)
    env = {
        "DATABASE_URL": url,
        "CREATIVE_MAP_DATA_DIR": str(tmp_path / "data"),
        "CREATIVE_MAP_CONTEXT_DIR": str(tmp_path / "context"),
    }
    assert main(env) == 0
    out = capsys.readouterr().out
    assert "places: 4 rows" in out
    assert "targets: 1 rows" in out
    assert "esil_river: 1 rows" in out
    password = url.split(":")[2].split("@")[0]
    assert password not in out


def test_the_command_without_a_database_url_says_how_to_set_it(tmp_path, capsys):
    env = {"CREATIVE_MAP_DATA_DIR": str(tmp_path / "data")}
    assert main(env) == 2
    assert "make db-load DATABASE_URL=postgresql://" in capsys.readouterr().err


def test_the_command_with_a_bad_record_exits_non_zero_and_names_it(tmp_path, postgis_url, capsys):
    _source(tmp_path, status="done")
    env = {
        "DATABASE_URL": fresh_database(postgis_url),
        "CREATIVE_MAP_DATA_DIR": str(tmp_path / "data"),
        "CREATIVE_MAP_CONTEXT_DIR": str(tmp_path / "context"),
    }
    assert main(env) == 1
    err = capsys.readouterr().err
    assert "record 'almaty_test_depot': status must be one of" in err
    assert "nothing was loaded" in err


def _database_without_postgis(postgis_url: str, *, owner: str | None = None) -> str:
    url = sa.make_url(
        fresh_database(
            sa.make_url(postgis_url).set(database="template0").render_as_string(hide_password=False)
        )
    )
    if owner is None:
        return url.render_as_string(hide_password=False)
    engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {owner} LOGIN PASSWORD 'owner-pw-1'"))
        conn.execute(sa.text(f"ALTER DATABASE {url.database} OWNER TO {owner}"))
    engine.dispose()
    return url.set(username=owner, password="owner-pw-1").render_as_string(hide_password=False)


def test_db_load_creates_the_postgis_extension_when_it_may(tmp_path, postgis_url):
    target = PostGISStore(_database_without_postgis(postgis_url))
    try:
        assert load(_source(tmp_path), target)["places"] == 4
        assert len(target.read_layer("places")) == 4
    finally:
        target.dispose()


def test_db_load_says_when_postgis_is_missing_and_may_not_be_created(tmp_path, postgis_url):
    target = PostGISStore(_database_without_postgis(postgis_url, owner="map_owner"))
    try:
        with pytest.raises(StoreUnavailable, match="has no PostGIS extension and could not create"):
            load(_source(tmp_path), target)
        assert not target.has("places")
    finally:
        target.dispose()
