"""District ids from names in kk/ru/en, and the normalisers of context layers and tables."""

from __future__ import annotations

import warnings

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import GeometryCollection, LineString, Point, Polygon, box

from geo.district_ids import (
    KNOWN_DISTRICTS,
    OSM_RELATIONS,
    TOTAL,
    district_id,
    normalise_districts,
    normalise_outlines,
    normalise_population,
    normalise_river,
    polygonal,
)
from geo.errors import InputError
from layers.load import check_layer, check_population, load_layer
from layers.registry import layer_by_id
from store.gpkg import GeoPackageStore


@pytest.mark.parametrize(
    ("city", "name", "expected"),
    [
        ("astana", "Yesil (Esil) District", "Yesil"),
        ("astana", "Есильский район", "Yesil"),
        ("astana", "Есіл ауданы", "Yesil"),
        ("astana", "Есиль", "Yesil"),
        ("astana", "esil", "Yesil"),
        ("astana", "ЕСИЛЬ", "Yesil"),
        ("astana", "район Алматы", "Almaty"),
        ("astana", "Алматы ауданы", "Almaty"),
        ("astana", "Алматинский район", "Almaty"),
        ("astana", "р-н Сарыарка", "Saryarka"),
        ("astana", "Сарыарқа ауданы", "Saryarka"),
        ("astana", "Байқоңыр ауданы", "Baikonur"),
        ("astana", "Baikonyr district", "Baikonur"),
        ("astana", "Нұра ауданы", "Nura"),
        ("astana", "Saraishyk District", "Saraishyk"),
        ("astana", "Сарайшық ауданы", "Saraishyk"),
        ("almaty", "Алатауский район", "Alatau"),
        ("almaty", "Алмалинский район", "Almaly"),
        ("almaty", "Әуезов ауданы", "Auezov"),
        ("almaty", "Ауэзовский район", "Auezov"),
        ("almaty", "Бостандыкский район", "Bostandyk"),
        ("almaty", "Жетісу ауданы", "Zhetysu"),
        ("almaty", "Zhetysu District", "Zhetysu"),
        ("almaty", "Медеуский район", "Medeu"),
        ("almaty", "Наурызбайский район", "Nauryzbay"),
        ("almaty", "Nauryzbai district", "Nauryzbay"),
        ("almaty", "Түрксіб ауданы", "Turksib"),
    ],
)
def test_a_district_is_matched_from_any_of_its_names(city, name, expected):
    assert district_id(city, names=[name], osm_relation=None) == expected


def test_names_match_within_their_city_only():
    assert district_id("astana", names=["Almaty District"], osm_relation=None) == "Almaty"
    assert district_id("almaty", names=["Almaty District"], osm_relation=None) is None
    assert district_id("almaty", names=["Есиль"], osm_relation=None) is None
    assert district_id("astana", names=["Medeu"], osm_relation=None) is None


def test_a_known_relation_names_a_district_when_no_name_matches():
    for relation, expected in OSM_RELATIONS["astana"].items():
        assert district_id("astana", names=["", "?"], osm_relation=relation) == expected
    assert district_id("astana", names=[], osm_relation=1) is None
    assert district_id("almaty", names=[], osm_relation=19733918) is None  # Astana's, not Almaty's
    # A name that matches wins over the relation (the older layer has both, and they agree).
    assert district_id("astana", names=["Нура"], osm_relation=3479876) == "Nura"


def test_an_unknown_city_is_refused():
    with pytest.raises(
        InputError, match=r"city must be one of \['almaty', 'astana'\], got 'paris'"
    ):
        district_id("paris", names=["Nura"], osm_relation=None)


def _layer(rows: list[dict], geometries) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=list(geometries), crs="EPSG:4326")


BOWTIE = Polygon([(71.40, 51.10), (71.50, 51.20), (71.50, 51.10), (71.40, 51.20)])


def test_normalise_districts_gives_ids_names_and_valid_polygons():
    layer = _layer(
        [
            {
                "name_ru": "Есильский район",
                "name_en": "Yesil (Esil) District",
                "osm_relation": 3479876,
            },
            {"name_ru": "Новый район", "name_en": "New Town District", "osm_relation": None},
            {"name_kk": "Нұра ауданы"},
        ],
        [BOWTIE, box(71.3, 51.0, 71.35, 51.05), box(71.35, 51.0, 71.4, 51.05)],
    )
    assert not BOWTIE.is_valid
    out = normalise_districts(layer, "astana")
    assert list(out.columns) == [
        "district",
        "id",
        "name_kk",
        "name_ru",
        "name_en",
        "city",
        "osm_relation",
        "geometry",
    ]
    assert list(out["district"]) == ["Yesil", "New Town District", "Nura"]  # own name kept
    assert list(out["id"]) == list(out["district"])
    assert set(out["city"]) == {"astana"}
    assert str(out["osm_relation"].dtype) == "Int64"
    assert out["osm_relation"].iloc[0] == 3479876
    assert out["osm_relation"].isna().tolist() == [False, True, True]
    assert out.geometry.is_valid.all()
    assert set(out.geom_type) <= {"Polygon", "MultiPolygon"}
    # the bow tie made valid keeps its area (two triangles), not dropped
    assert out.geometry.iloc[0].area == pytest.approx(0.005)
    # a name missing in a language is taken from another of the layer
    assert out.loc[2, "name_en"] == "Нұра ауданы"
    assert out.loc[0, "name_kk"] == "Yesil (Esil) District"
    assert layer.geometry.iloc[0] is BOWTIE  # the input is not changed


def test_normalise_districts_keeps_only_polygonal_parts_and_says_what_it_skipped():
    mixed = GeometryCollection(
        [box(71.3, 51.0, 71.4, 51.1), LineString([(71.3, 51.0), (71.5, 51.2)])]
    )
    layer = _layer(
        [{"name_en": "Nura District"}, {"name_en": "Almaty District"}],
        [mixed, LineString([(71.3, 51.0), (71.5, 51.2)])],
    )
    with pytest.warns(UserWarning, match=r"astana districts: skipped 1 rows without a polygon"):
        out = normalise_districts(layer, "astana")
    assert list(out["district"]) == ["Nura"]
    assert out.geometry.iloc[0].geom_type == "Polygon"


def test_a_district_without_any_name_is_refused():
    layer = _layer([{"name_en": None, "osm_relation": 42}], [box(71.3, 51.0, 71.4, 51.1)])
    with pytest.raises(InputError, match=r"row 0 has no name .* and no known osm_relation"):
        normalise_districts(layer, "astana")


@pytest.mark.parametrize(
    "name", ["unknown", "Unknown", "__OUTSIDE__", "__unplaced__", "__Total__", "__none__"]
)
def test_a_district_named_like_a_reserved_value_is_refused(name):
    layer = _layer(
        [{"name_en": "Nura District"}, {"name_en": name}],
        [box(71.3, 51.0, 71.4, 51.1), box(71.4, 51.0, 71.5, 51.1)],
    )
    with pytest.raises(
        InputError, match=rf"astana districts: row 1 is named '{name}', a value the app reserves"
    ):
        normalise_districts(layer, "astana")


def test_a_reserved_word_inside_a_name_is_kept():
    layer = _layer([{"name_en": "Unknown Quarter"}], [box(71.3, 51.0, 71.4, 51.1)])
    assert list(normalise_districts(layer, "astana")["district"]) == ["Unknown Quarter"]


def test_polygonal_of_nothing_polygonal_is_none():
    assert polygonal(None) is None
    assert polygonal(Point(0, 0)) is None
    assert polygonal(Polygon()) is None
    assert polygonal(box(0, 0, 1, 1)).equals(box(0, 0, 1, 1))


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ("ADM1_EN", ["Almaty", "Astana"]),
        ("name", ["Алматы", "Астана"]),
        ("city", ["almaty", "astana"]),
    ],
)
def test_normalise_outlines_reads_the_city_from_its_column(column, values):
    layer = _layer([{column: v} for v in values], [box(76.8, 43.1, 77.0, 43.3), BOWTIE])
    out = normalise_outlines(layer)
    assert list(out["city"]) == ["almaty", "astana"]
    assert list(out["name_ru"]) == ["Алматы", "Астана"]
    assert out.geometry.is_valid.all()


def test_normalise_outlines_refuses_an_unknown_or_repeated_city():
    with pytest.raises(InputError, match=r"ADM1_EN \['Akmola'\] names no city"):
        normalise_outlines(_layer([{"ADM1_EN": "Akmola"}], [box(0, 0, 1, 1)]))
    with pytest.raises(InputError, match=r"\['astana'\] appear more than once"):
        normalise_outlines(_layer([{"name": "Astana"}] * 2, [box(0, 0, 1, 1)] * 2))
    with pytest.raises(InputError, match=r"no column names the city"):
        normalise_outlines(_layer([{"other": 1}], [box(0, 0, 1, 1)]))


def test_normalise_river_gives_a_name_column():
    layer = _layer(
        [{"name_en": "Esil", "scalerank": 7.0}], [LineString([(71.3, 51.1), (71.5, 51.2)])]
    )
    assert list(normalise_river(layer).columns) == ["name", "geometry"]
    assert normalise_river(layer)["name"].iloc[0] == "Esil"


def test_normalise_population_matches_districts_and_keeps_totals_apart():
    table = pd.DataFrame(
        {
            "city": ["Astana", "Almaty", "Almaty", "Алматы"],
            "district_en": ["Yesil (Esil)", "", "Nowhere", "CITY TOTAL"],
            "district_ru": ["Есиль", "Алатауский район", "Нигде", "г. Алматы"],
            "population": ["333348", 402867, 5, 2351424.0],
        }
    )
    out = normalise_population(table)
    assert list(out.columns) == [
        "city",
        "district",
        "population",
        "reference_date",
        "source",
        "confidence",
    ]
    assert list(out["district"]) == ["Yesil", "Alatau", "Nowhere", TOTAL]
    assert list(out["city"]) == ["astana", "almaty", "almaty", "almaty"]
    assert out["population"].dtype == "int64"
    assert out["population"].tolist() == [333348, 402867, 5, 2351424]
    assert set(out["source"]) == {""}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"population": -1}, r"row 0 \('Nura'\): population must be a whole number >= 0"),
        ({"population": 1.5}, r"population must be a whole number >= 0, got '1.5'"),
        ({"city": "Paris"}, r"row 0: city 'Paris' is unknown"),
    ],
)
def test_normalise_population_refuses_bad_rows(change, message):
    table = pd.DataFrame({"city": ["Astana"], "district_en": ["Nura"], "population": [10]})
    for column, value in change.items():
        table[column] = [value]
    with pytest.raises(InputError, match=message):
        normalise_population(table)


def test_normalise_population_refuses_a_district_twice():
    table = pd.DataFrame(
        {"city": ["Astana", "Astana"], "district_en": ["Nura", "Нура"], "population": [1, 2]}
    )
    with pytest.raises(InputError, match=r"\['astana/Nura'\] appear more than once"):
        normalise_population(table)


# Every real file of ../shared/geodata through the app's loader.


@pytest.mark.parametrize(
    ("file_name", "layer_id", "expected"),
    [
        ("astana_districts_2024.geojson", "astana_districts", list(KNOWN_DISTRICTS["astana"])),
        (
            "astana_districts.geojson",
            "astana_districts",
            ["Yesil", "Almaty", "Saryarka", "Baikonur", "Nura"],
        ),
        ("city_outlines_adm1.geojson", "city_outlines", ["almaty", "astana"]),
        ("astana_city_outline.geojson", "city_outlines", ["astana"]),
        ("esil_river_ne10m.geojson", "esil_river", ["Esil"]),
        ("astana_banks.geojson", "astana_banks", ["left", "right"]),
    ],
)
def test_every_real_file_loads_through_the_loader(shared_geodata, file_name, layer_id, expected):
    spec = layer_by_id(layer_id)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing skipped
        gdf = load_layer(spec, path=shared_geodata / file_name)
    column = {"astana_districts": "district", "city_outlines": "city"}.get(layer_id)
    column = column or ("bank" if layer_id == "astana_banks" else "name")
    assert list(gdf[column]) == expected
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.is_valid.all()
    if layer_id == "astana_districts":
        assert set(gdf["city"]) == {"astana"}
        assert gdf["osm_relation"].notna().all()
        assert (gdf["name_en"] != "").all()


def test_the_real_population_table_loads_through_the_store(shared_geodata):
    store = GeoPackageStore(data_dir=shared_geodata / "none", context_dir=shared_geodata)
    table = check_population(store.read_table("district_population"))
    assert len(table) == 16
    for city in ("astana", "almaty"):
        rows = table[table["city"] == city]
        assert set(rows["district"]) == {*KNOWN_DISTRICTS[city], TOTAL}
    astana = table[(table["city"] == "astana") & (table["district"] != TOTAL)]
    assert astana["population"].sum() == 1_682_721  # the six districts' sum in the file
    assert table.set_index(["city", "district"]).loc[("astana", TOTAL), "population"] == 1_649_242


def test_the_loaded_district_layer_is_what_the_normaliser_gives(shared_geodata):
    raw = gpd.read_file(shared_geodata / "astana_districts_2024.geojson")
    loaded = check_layer(layer_by_id("astana_districts"), raw, what="2024")
    assert loaded.drop(columns="geometry").equals(
        normalise_districts(raw, "astana").drop(columns="geometry")
    )
