"""Places per bank of the Esil, per kind and status, and the catalogue's disagreements."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.bank import classify_bank_by_polygons
from geo.banks_analysis import NO_BANK, bank_analysis
from geo.errors import InputError

CRS = "EPSG:32642"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def banks() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"bank": ["left", "right"]},
        geometry=[box(0, -1000, 2000, 0), box(0, 0, 2000, 1000)],
        crs=CRS,
    )


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    rows = [
        # id, city, stated bank, kind, status, geometry
        ("a", "astana", "left", "museum", "existing", Point(100, -500)),
        ("b", "astana", "right", "museum", "existing", Point(200, -500)),  # stated wrongly
        ("c", "astana", "right", "theatre", "planned", Point(300, 500)),
        ("d", "astana", None, "theatre", "planned", Point(400, 500)),  # no stated bank
        ("e", "astana", "left", "gallery", "existing", Point(9000, 9000)),  # off both banks
        ("f", "astana", "left", "gallery", "existing", None),  # no position
        ("g", "almaty", None, "museum", "existing", Point(500, 500)),  # not Astana
    ]
    return gpd.GeoDataFrame(
        {
            "id": [r[0] for r in rows],
            "city": [r[1] for r in rows],
            "bank": [r[2] for r in rows],
            "kind": [r[3] for r in rows],
            "status": [r[4] for r in rows],
        },
        geometry=[r[5] for r in rows],
        crs=CRS,
        index=range(100, 107),
    )


def _by_layer(places, banks) -> pd.Series:
    by_layer = classify_bank_by_polygons(places, banks)
    # A bank layer says nothing about places outside Astana.
    return by_layer.where(places["city"] == "astana", None)


def test_counts_per_bank_kind_and_status(places, banks):
    by_layer = _by_layer(places, banks)
    result = bank_analysis(places, by_layer, pd.Series(True, index=places.index))
    # Independently: count with a Counter over the rows.
    expected = Counter(
        (b if b is not None else NO_BANK, k, s)
        for b, k, s in zip(by_layer, places["kind"], places["status"], strict=True)
    )
    got = {(r.bank, r.kind, r.status): r.places for r in result.counts.itertuples(index=False)}
    assert got == dict(expected)
    assert list(result.totals["bank"]) == ["left", "right", NO_BANK]
    assert list(result.totals["places"]) == [2, 2, 3]
    assert result.totals["places"].sum() == len(places)


def test_disagreements_list_placed_astana_places_only(places, banks):
    result = bank_analysis(places, _by_layer(places, banks), pd.Series(True, index=places.index))
    assert result.disagreements.to_dict("records") == [
        {"id": "b", "stated": "right", "by_layer": "left"}
    ]


def test_the_mask_limits_everything(places, banks):
    mask = places["kind"] == "theatre"
    result = bank_analysis(places, _by_layer(places, banks), mask)
    assert list(result.totals["places"]) == [0, 2, 0]
    assert result.counts.to_dict("records") == [
        {"bank": "right", "kind": "theatre", "status": "planned", "places": 2}
    ]
    assert result.disagreements.empty
    assert list(result.disagreements.columns) == ["id", "stated", "by_layer"]


def test_bad_input_is_refused(places, banks):
    by_layer = _by_layer(places, banks)
    mask = pd.Series(True, index=places.index)
    with pytest.raises(InputError, match=r"lack column\(s\) \['kind'\]"):
        bank_analysis(places.drop(columns="kind"), by_layer, mask)
    with pytest.raises(InputError, match="by_layer must be aligned"):
        bank_analysis(places, by_layer.reset_index(drop=True), mask)
    with pytest.raises(InputError, match="only"):
        bank_analysis(places, by_layer.replace("left", "north"), mask)


def test_catalogue_banks_against_the_real_bank_layer(shared_geodata):
    banks = gpd.read_file(shared_geodata / "astana_banks.geojson")
    places = gpd.read_file(ROOT / "data" / "catalogue.gpkg", layer="places")
    astana = places[places["city"] == "astana"]
    by_layer = classify_bank_by_polygons(astana, banks)
    result = bank_analysis(astana, by_layer, pd.Series(True, index=astana.index))
    assert result.totals["places"].sum() == len(astana)
    assert result.counts["places"].sum() == len(astana)
    # Independently, with shapely: each placed place's bank polygon, compared to the stated bank.
    expected = []
    for row in astana.itertuples():
        if row.geometry is None or row.geometry.is_empty or pd.isna(row.bank):
            continue
        point = row.geometry.representative_point()
        inside = [b for b, g in zip(banks["bank"], banks.geometry, strict=True) if g.covers(point)]
        if len(inside) == 1 and inside[0] != row.bank:
            expected.append(row.id)
    assert sorted(result.disagreements["id"]) == sorted(expected)
    placed = astana.geometry.notna() & ~astana.geometry.is_empty
    decided = by_layer.notna()
    assert result.totals.set_index("bank").loc[["left", "right"], "places"].sum() == decided.sum()
    assert decided[placed].sum() > 0
