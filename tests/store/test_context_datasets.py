"""Context datasets in both back ends: candidate files, the population CSV, round trips."""

from __future__ import annotations

import os
import shutil

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal
from shapely.geometry import LineString, box

from geo.errors import InputError, LayerLoadError
from layers.load import check_layer, check_population, check_population_grid, check_streets
from layers.registry import layer_by_id
from store.datasets import dataset
from store.gpkg import MAX_CSV_BYTES, GeoPackageStore
from store.load_db import load
from store.postgis import PostGISStore
from tests.catalogue import write_catalogue
from tests.store.conftest import fresh_database, settings_for
from ui.cache import load_data

POPULATION_CSV = """city,district_en,district_ru,population,reference_date,source,confidence
Astana,Yesil (Esil),Есиль,333348,2026-07-01,qazatlas.kz,medium
Almaty,Alatau,Алатауский район,402867,2026-03,stat.gov.kz,
Astana,CITY TOTAL,г. Астана,1649242,2026-02-01,stat.gov.kz,high
"""


def population_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": ["Astana", "Almaty", "Astana"],
            "district_en": ["Yesil (Esil)", "Alatau", "CITY TOTAL"],
            "district_ru": ["Есиль", "Алатауский район", "г. Астана"],
            "population": [333348, 402867, 1649242],
            "reference_date": ["2026-07-01", "2026-03", "2026-02-01"],
            "source": ["qazatlas.kz", "stat.gov.kz", "stat.gov.kz"],
            "confidence": ["medium", "", "high"],
        }
    )


def population_grid() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"city": ["astana", "astana"], "population": [1200.5, 0.0]},
        geometry=[box(71.40, 51.10, 71.41, 51.11), box(71.41, 51.10, 71.42, 51.11)],
        crs="EPSG:4326",
    )


def streets() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"u": [1, 2], "v": [2, 3], "length_m": [120.0, 80.5]},
        geometry=[
            LineString([(71.400, 51.100), (71.401, 51.101)]),
            LineString([(71.401, 51.101), (71.402, 51.101)]),
        ],
        crs="EPSG:4326",
    )


def test_the_population_table_reads_back_as_written(store):
    store.write("district_population", population_table())
    back = store.read_table("district_population")
    assert_frame_equal(back, population_table())
    table = check_population(back)
    assert list(table["district"]) == ["Yesil", "Alatau", "__total__"]
    assert list(table["city"]) == ["astana", "almaty", "astana"]
    assert table["population"].dtype == "int64"


@pytest.mark.parametrize(
    ("name", "frame", "check"),
    [
        ("population_grid", population_grid(), check_population_grid),
        ("astana_streets", streets(), check_streets),
        ("almaty_streets", streets(), check_streets),
    ],
    ids=["population_grid", "astana_streets", "almaty_streets"],
)
def test_analysis_layers_read_back_as_written(store, name, frame, check):
    store.write(name, frame)
    back = store.read_layer(name)
    assert_geodataframe_equal(back, frame)
    assert_geodataframe_equal(check(back), frame)


def test_real_context_layers_read_back_the_same_from_either_store(store, shared_geodata):
    source = GeoPackageStore(data_dir=shared_geodata / "none", context_dir=shared_geodata)
    for layer_id in ("astana_districts", "city_outlines", "esil_river", "astana_banks"):
        spec = layer_by_id(layer_id)
        frame = source.read_layer(layer_id)
        store.write(layer_id, frame)
        from_file = check_layer(spec, frame, what="shared geodata")
        from_store = check_layer(spec, store.read_layer(layer_id), what="store")
        assert_geodataframe_equal(from_store, from_file)
    population = source.read_table("district_population")
    store.write("district_population", population)
    assert_frame_equal(
        check_population(store.read_table("district_population")), check_population(population)
    )


@pytest.fixture
def files(tmp_path) -> GeoPackageStore:
    return GeoPackageStore(data_dir=tmp_path / "data", context_dir=tmp_path / "context")


def test_the_first_present_candidate_wins_and_its_name_is_in_the_version(files, shared_geodata):
    files.context_dir.mkdir()
    old = files.context_dir / "astana_districts.geojson"
    shutil.copyfile(shared_geodata / "astana_districts.geojson", old)
    first = files.version("astana_districts")
    assert files.path("astana_districts") == old
    assert first.startswith("astana_districts.geojson:")
    spec = layer_by_id("astana_districts")
    assert len(check_layer(spec, files.read_layer("astana_districts"), what="old")) == 5
    # The 2024 file added beside the old one (same size class, any time stamp): chosen now.
    new = files.context_dir / "astana_districts_2024.geojson"
    shutil.copyfile(shared_geodata / "astana_districts_2024.geojson", new)
    os.utime(new, ns=(old.stat().st_atime_ns, old.stat().st_mtime_ns))
    assert files.path("astana_districts") == new
    assert files.version("astana_districts") != first
    districts = check_layer(spec, files.read_layer("astana_districts"), what="2024")
    assert "Saraishyk" in set(districts["district"])
    # A write goes to our own file (the first choice), which then wins over both.
    files.write("astana_districts", districts)
    assert files.path("astana_districts").name == "astana_districts.gpkg"
    assert files.version("astana_districts").startswith("astana_districts.gpkg:")
    assert old.is_file()  # the user's files are left alone
    assert new.is_file()


def test_a_candidate_geopackage_without_its_layer_is_reported_not_hidden(tmp_path, shared_geodata):
    # Our own first-choice file is there but holds its districts under another layer name,
    # beside a good 2024 GeoJSON: the dataset is broken (and said so), never silently absent.
    context = tmp_path / "context"
    context.mkdir()
    (tmp_path / "data").mkdir()
    write_catalogue(tmp_path / "data")
    shutil.copyfile(
        shared_geodata / "astana_districts_2024.geojson",
        context / "astana_districts_2024.geojson",
    )
    layer = gpd.read_file(shared_geodata / "astana_districts_2024.geojson")
    layer.to_file(context / "astana_districts.gpkg", layer="boundaries", driver="GPKG")
    store = GeoPackageStore(data_dir=tmp_path / "data", context_dir=context)
    assert store.path("astana_districts").name == "astana_districts.gpkg"
    assert store.has("astana_districts")
    expected = (
        r"dataset 'astana_districts': 'astana_districts.gpkg' has no layer 'districts' "
        r"\(its layers: 'boundaries'\); rebuild it \(`make data`\) or move it away"
    )
    with pytest.raises(LayerLoadError, match=expected):
        store.read_layer("astana_districts")
    # The app lists it among the layers that failed, with that message, to show beside it.
    data, failed, _ = load_data(settings_for(tmp_path))
    assert [(spec.id, str(err)) for spec, err in failed if spec.id == "astana_districts"] == [
        ("astana_districts", store_error(store))
    ]
    assert "astana_districts" not in {spec.id for spec in data.layers}
    # A GeoPackage of the data folder shared by several datasets still lacks one quietly.
    assert not store.has("osm_venues")


def store_error(store: GeoPackageStore) -> str:
    try:
        store.read_layer("astana_districts")
    except LayerLoadError as err:
        return str(err)
    raise AssertionError("read_layer did not fail")


def test_a_single_file_dataset_keeps_its_plain_token(files):
    files.write(
        "astana_banks",
        gpd.GeoDataFrame({"bank": ["left"]}, geometry=[box(0, 0, 1, 1)]).set_crs(4326),
    )
    assert ":" not in files.version("astana_banks")


def test_the_population_csv_is_read_with_pandas_and_declared_dtypes(files):
    files.context_dir.mkdir()
    path = files.context_dir / "district_population.csv"
    path.write_text(POPULATION_CSV, encoding="utf-8")
    assert files.has("district_population")
    table = files.read_table("district_population")
    assert table["population"].dtype == "int64"
    assert table["confidence"].tolist() == ["medium", "", "high"]  # empty cell: "", not NaN
    assert table["reference_date"].tolist() == ["2026-07-01", "2026-03", "2026-02-01"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"SQLite format 3\x00" + b"\x00" * 100, "is a binary file, not a CSV table"),
        ("city,population\nAstana,12\n".encode("cp1251") + "Есиль".encode("cp1251"), "not UTF-8"),
        (b"city,district_en,population\nAstana,Nura,many\n", "could not read 'district_pop"),
    ],
    ids=["sqlite", "not_utf8", "not_a_number"],
)
def test_a_bad_population_csv_is_refused_with_a_reason(files, content, message):
    files.context_dir.mkdir()
    (files.context_dir / "district_population.csv").write_bytes(content)
    with pytest.raises(LayerLoadError, match=message):
        files.read_table("district_population")


def test_a_huge_population_csv_is_refused_before_it_is_read(files):
    files.context_dir.mkdir()
    path = files.context_dir / "district_population.csv"
    with path.open("wb") as handle:
        handle.write(b"city,district_en,population\n")
        handle.truncate(MAX_CSV_BYTES + 1)
    with pytest.raises(LayerLoadError, match=r"more than the limit of 8 MB"):
        files.read_table("district_population")


def test_a_population_row_naming_no_city_is_refused():
    table = population_table()
    table.loc[1, "city"] = "Paris"
    with pytest.raises(LayerLoadError, match=r"row 1: city 'Paris' is unknown"):
        check_population(table)


def test_every_context_dataset_lives_in_the_context_folder():
    for name in (
        "astana_districts",
        "almaty_districts",
        "city_outlines",
        "esil_river",
        "astana_banks",
        "district_population",
        "population_grid",
        "astana_streets",
        "almaty_streets",
    ):
        assert dataset(name).folder == "context", name
    assert dataset("astana_districts").files == (
        "astana_districts.gpkg",
        "astana_districts_2024.geojson",
        "astana_districts.geojson",
    )
    assert not dataset("district_population").spatial


@pytest.fixture
def target(postgis_url):
    store = PostGISStore(fresh_database(postgis_url))
    yield store
    store.dispose()


def test_db_load_copies_the_context_folder_and_checks_it(tmp_path, target, shared_geodata):
    settings = settings_for(tmp_path)
    shutil.copytree(shared_geodata, settings.context_dir)
    source = GeoPackageStore(data_dir=settings.data_dir, context_dir=settings.context_dir)
    settings.data_dir.mkdir()
    write_catalogue(settings.data_dir)
    counts = load(source, target)
    assert counts["astana_districts"] == 6
    assert counts["city_outlines"] == 2
    assert counts["district_population"] == 16
    assert "almaty_districts" not in counts
    spec = layer_by_id("astana_districts")
    assert_geodataframe_equal(
        check_layer(spec, target.read_layer("astana_districts"), what="PostGIS"),
        check_layer(spec, source.read_layer("astana_districts"), what="file"),
    )
    assert_frame_equal(
        check_population(target.read_table("district_population")),
        check_population(source.read_table("district_population")),
    )


def test_db_load_refuses_a_bad_population_table(tmp_path, target):
    settings = settings_for(tmp_path)
    settings.data_dir.mkdir()
    write_catalogue(settings.data_dir)
    settings.context_dir.mkdir()
    (settings.context_dir / "district_population.csv").write_text(
        "city,district_en,population\nAstana,Nura,-5\n", encoding="utf-8"
    )
    source = GeoPackageStore(data_dir=settings.data_dir, context_dir=settings.context_dir)
    with pytest.raises(InputError, match=r"district_population .*whole number >= 0"):
        load(source, target)
    assert not target.has("district_population")
