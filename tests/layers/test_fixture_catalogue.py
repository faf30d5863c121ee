"""The catalogue the AppTests and browser tests run on loads like the real one and covers
every case it promises (tests/catalogue.py)."""

import geopandas as gpd
import pandas as pd

from geo.bank import classify_bank_by_polygons
from geo.schema import CITIES, EXACT_WITHIN_M
from layers.load import load_layer, load_targets
from layers.registry import layer_by_id
from tests.catalogue import PLACES, TARGETS, write_catalogue


def test_it_loads_through_the_apps_loader_unchanged(tmp_path):
    path = write_catalogue(tmp_path)
    loaded = load_layer(layer_by_id("places"), path=path)
    assert list(loaded["id"]) == list(PLACES["id"])
    assert loaded.geometry.isna().tolist() == PLACES.geometry.isna().tolist()
    placed = PLACES.geometry.notna()
    assert loaded.geometry[placed].geom_equals(PLACES.geometry[placed]).all()
    assert len(load_targets(path)) == len(TARGETS)


def test_it_covers_every_case_the_tests_rely_on():
    astana = PLACES[PLACES["city"] == "astana"]
    assert set(PLACES["city"]) == set(CITIES)
    assert {"left", "right"} <= set(astana["bank"].dropna())
    assert (astana["bank"].isna() & astana.geometry.notna()).any()  # placed, bank unknown
    types = set(PLACES.geometry.dropna().geom_type)
    assert {"Point", "LineString", "Polygon"} <= types
    points = PLACES[PLACES.geometry.geom_type == "Point"]
    assert (points["location_accuracy_m"] <= EXACT_WITHIN_M).any()
    assert (points["location_accuracy_m"] > EXACT_WITHIN_M).any()
    assert PLACES.geometry.isna().sum() >= 2
    assert {"existing", "under_construction", "planned", "announced", "proposed"} <= set(
        PLACES["status"]
    )
    assert PLACES["kind"].nunique() >= 5
    assert PLACES["target_year"].notna().any()
    assert PLACES["target_year"].isna().any()
    assert PLACES["district"].notna().any()
    assert PLACES["district"].isna().any()
    assert PLACES.geometry.dropna().duplicated().any()  # a tie in distance


def test_its_astana_banks_agree_with_the_real_bank_layer(shared_geodata):
    """So the near page's "you are on this bank" and the places' banks tell one story."""
    banks = gpd.read_file(shared_geodata / "astana_banks.geojson")
    known = PLACES[(PLACES["city"] == "astana") & PLACES.geometry.notna() & PLACES["bank"].notna()]
    assert len(known) > 0
    derived = classify_bank_by_polygons(known, banks)
    pd.testing.assert_series_equal(
        derived.rename("bank"), known["bank"].astype(object), check_dtype=False
    )
