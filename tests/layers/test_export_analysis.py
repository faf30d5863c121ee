"""The planners' exports read back: CSV with assumption lines, GeoPackage with assumptions."""

from __future__ import annotations

import datetime as dt
import io

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, box

from geo.select import Filters
from layers.export_analysis import (
    ASSUMPTIONS_TABLE,
    AnalysisFacts,
    area_layer,
    build_assumptions,
    csv_with_assumptions,
    district_layer,
    filters_text,
    geopackage_with_assumptions,
)

CRS = "EPSG:32642"  # UTM 42N, Astana's metric CRS
FACTS = AnalysisFacts(
    city="astana",
    walk_m=1200,
    method="buffer",
    spread="uniform",
    population_dates=("2025-01-01",),
    population_sources=("Bureau of National Statistics",),
    district_layer="astana_districts_2024.geojson",
    district_issues=("Yesil and Nura overlap (12 km²)",),
    filters=Filters(city="astana", kinds=("theatre",), statuses=("existing",)),
    day=dt.date(2026, 11, 29),
    simplify_m=10,
)


@pytest.fixture
def districts() -> gpd.GeoDataFrame:
    x, y = 500_000, 5_660_000  # near Astana in UTM 42N
    return gpd.GeoDataFrame(
        {"district": ["Yesil", "Nura", "Oldtown"]},
        geometry=[
            box(x, y, x + 1000, y + 1000),
            box(x + 1000, y, x + 3000, y + 1000),
            box(x, y + 1000, x + 500, y + 1500),
        ],
        crs=CRS,
    )


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "district": ["Yesil", "Nura", "Oldtown", "__outside__"],
            "places": [12, 3, 0, 2],
            "population": [500_000.0, 120_000.0, float("nan"), float("nan")],
            "per_100k": [2.4, 2.5, float("nan"), float("nan")],
        }
    )


def test_the_assumptions_name_every_fact_in_the_language():
    rows = dict(build_assumptions(FACTS, "en").rows)
    assert rows["City"] == "Astana"
    assert rows["Walking distance"] == "1,200 m"
    assert "circle of 1,200 m" in rows["Catchment"]
    assert "spread evenly" in rows["How residents are spread"]
    assert rows["Population date"] == "2025-01-01"
    assert rows["Population source"] == "Bureau of National Statistics"
    assert rows["District layer"] == "astana_districts_2024.geojson"
    assert rows["District layer issues"] == "Yesil and Nura overlap (12 km²)"
    assert rows["Date of the file"] == "2026-11-29"
    assert "Theatre" in rows["Filters"]
    ru = dict(build_assumptions(FACTS, "ru").rows)
    assert ru["Пешая доступность"] == "1\u00a0200 м"


def test_no_filters_reads_as_every_place():
    assert filters_text(Filters(city="astana"), "en") == "none (every place)"


def test_csv_reads_back_with_its_numbers_and_assumption_lines():
    data = csv_with_assumptions(_table(), build_assumptions(FACTS, "ru"))
    assert data.startswith("\ufeff# ".encode())
    back = pd.read_csv(io.BytesIO(data), comment="#")
    pd.testing.assert_frame_equal(back, _table(), check_dtype=False)
    text = data.decode("utf-8-sig")
    comments = [line for line in text.splitlines() if line.startswith("# ")]
    assert "# Пешая доступность: 1\u00a0200 м" in comments
    assert any(line.startswith("# Источник численности населения: Bureau") for line in comments)
    assert len(comments) == len(build_assumptions(FACTS, "ru").rows)


def test_csv_neutralises_formulas_and_keeps_one_line_per_assumption():
    table = pd.DataFrame({"district": ['=HYPERLINK("http://x")', "Nura"], "places": [1, 2]})
    facts = build_assumptions(FACTS, "en")
    hostile = type(facts)((*facts.rows, ("note", "line one\r\n=cmd|' /C calc'!A0")))
    data = csv_with_assumptions(table, hostile).decode("utf-8-sig")
    assert "# note: line one =cmd|' /C calc'!A0" in data.splitlines()
    back = pd.read_csv(io.StringIO(data), comment="#")
    assert back["district"].tolist() == ['\'=HYPERLINK("http://x")', "Nura"]


def test_geopackage_holds_the_layers_and_the_assumptions_table(districts, tmp_path):
    names = pd.Series({"Yesil": "Есиль", "Nura": "Нура"})
    layer = district_layer(districts, _table(), names=names)
    assert layer["name"].tolist() == ["Есиль", "Нура", "Oldtown"]
    coverage = area_layer(
        [Point(500_500, 5_660_500).buffer(1200)],
        pd.DataFrame({"walk_m": [1200], "covered_m2": [4.5e6]}),
        crs=CRS,
    )
    data = geopackage_with_assumptions(
        [("districts", layer), ("coverage", coverage), ("empty", layer.iloc[0:0])],
        build_assumptions(FACTS, "en"),
    )
    path = tmp_path / "analysis.gpkg"
    path.write_bytes(data)
    listed = {name for name, _ in pyogrio.list_layers(path)}
    assert listed == {"districts", "coverage", ASSUMPTIONS_TABLE}
    back = gpd.read_file(path, layer="districts")
    assert back.crs.to_epsg() == 4326
    assert back["places"].tolist() == [12, 3, 0]
    assert back["per_100k"].tolist()[:2] == [2.4, 2.5]
    # The areas survive the trip to WGS 84 (measured again in the metric CRS, within 0.1%).
    assert back.to_crs(CRS).area.tolist() == pytest.approx([1e6, 2e6, 0.25e6], rel=1e-3)
    cov = gpd.read_file(path, layer="coverage")
    assert cov["covered_m2"].iloc[0] == 4.5e6
    table = pyogrio.read_dataframe(path, layer=ASSUMPTIONS_TABLE)
    rows = dict(zip(table["name"], table["value"], strict=True))
    assert rows["Walking distance"] == "1,200 m"
    assert rows["District layer issues"] == "Yesil and Nura overlap (12 km²)"
