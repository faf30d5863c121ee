"""The planners' files built from real analysis results (../shared/geodata), read back."""

from __future__ import annotations

import datetime as dt
import io

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from geo.coverage import compute_coverage
from geo.district_ids import normalise_districts
from geo.districts import assign_districts, build_partition, district_table, is_placed
from geo.gaps import evaluate_candidates
from geo.select import Filters
from layers.load import check_population
from tests.catalogue import places_frame
from ui.widgets.analysis_panels import Results, _exports

WALK_M = 800


@pytest.fixture(scope="module")
def results(shared_geodata) -> Results:
    districts = gpd.read_file(shared_geodata / "astana_districts_2024.geojson")
    population = check_population(pd.read_csv(shared_geodata / "district_population.csv"))
    partition = build_partition(normalise_districts(districts, "astana"), population, city="astana")
    places = places_frame()
    astana = places[places["city"] == "astana"]
    placed = astana[is_placed(astana)]
    coverage = compute_coverage(placed, partition, WALK_M)
    candidate = Point(71.40, 51.135)
    found = evaluate_candidates([candidate], coverage, partition, places=placed, banks=None)
    shapes = gpd.GeoSeries([candidate], crs="EPSG:4326").to_crs(partition.crs).buffer(WALK_M)
    table = district_table(
        assign_districts(astana, partition),
        pd.Series(True, index=astana.index),
        partition,
        placed=is_placed(astana),
    )
    return Results(
        city="astana",
        partition=partition,
        table=table,
        coverage=coverage,
        candidates=found,
        candidate_kinds=("point",),
        catchments=shapes,
        banks=None,
        names=dict(zip(places["id"], places["name_en"], strict=True)),
        filters=Filters(city="astana"),
        district_layer="astana_districts",
        day=dt.date(2026, 11, 29),
    )


def test_the_district_csv_holds_the_table_and_its_assumptions(results):
    data = _exports(results, "en", 15.0)["districts.csv"]()
    text = data.decode("utf-8-sig")
    assert "# Walking distance: 800 m" in text
    assert "# How residents are spread: each district's residents are assumed" in text
    assert "# Population date: 2026-07-01" in text
    back = pd.read_csv(io.BytesIO(data), comment="#")
    assert back["Id"].tolist() == [
        *results.partition.frame["district"],
        "__outside__",
        "__unplaced__",
    ]
    assert back["Places"].tolist() == results.table["places"].tolist()
    assert back["Places"].sum() == len(places_frame().query("city == 'astana'"))


def test_the_coverage_and_candidate_csv_hold_the_computed_figures(results):
    files = _exports(results, "ru", 15.0)
    back = pd.read_csv(io.BytesIO(files["coverage.csv"]()), comment="#")
    covered = (results.coverage.table["covered_m2"] / 1e6).round(2).tolist()
    assert back["В доступности, км²"].tolist() == covered
    cand = pd.read_csv(io.BytesIO(files["candidates.csv"]()), comment="#")
    assert cand["Кандидат"].tolist() == ["A"]
    assert cand["Новая площадь, км²"].iloc[0] == round(results.candidates[0].new_area_m2 / 1e6, 3)


def test_the_geopackage_holds_the_layers_and_the_assumptions(results, tmp_path):
    path = tmp_path / "analysis.gpkg"
    path.write_bytes(_exports(results, "kk", 15.0)["layers.gpkg"]())
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == {"districts", "coverage", "candidate_catchments", "assumptions"}
    districts = gpd.read_file(path, layer="districts")
    assert len(districts) == 6
    assert districts["places"].sum() == results.table["places"].iloc[:6].sum()
    metric = districts.to_crs(results.partition.crs)
    assert metric.area.sum() == pytest.approx(results.partition.frame.area.sum(), rel=1e-4)
    coverage = gpd.read_file(path, layer="coverage").to_crs(results.partition.crs)
    assert coverage.area.iloc[0] == pytest.approx(results.coverage.union.area, rel=1e-3)
    table = pyogrio.read_dataframe(path, layer="assumptions")
    assert "800 м" in table["value"].tolist()
