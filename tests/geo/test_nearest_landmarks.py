"""Nearest places leave out context landmarks unless the user asks for them."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from geo.nearest import (
    CONTEXT_KINDS,
    build_index,
    listed_near,
    nearest,
    nearest_brute_force,
)

HERE = (51.1283, 71.4305)  # lat, lon: Baiterek in Astana


def _places(rows):
    """rows: (id, kind, lon, lat) in Astana, WGS 84."""
    return gpd.GeoDataFrame(
        {"id": [r[0] for r in rows], "kind": [r[1] for r in rows], "city": "astana"},
        geometry=[Point(r[2], r[3]) for r in rows],
        crs="EPSG:4326",
    )


@pytest.fixture
def around_baiterek():
    # Landmarks crowd the position; the creative spaces are farther away.
    return _places(
        [
            ("baiterek", "landmark", 71.4305, 51.1283),
            ("ak_orda", "landmark", 71.4460, 51.1258),
            ("khan_shatyr", "landmark", 71.4036, 51.1324),
            ("arena", "landmark", 71.4020, 51.1080),
            ("theatre", "theatre", 71.4170, 51.1230),
            ("cluster", "creative_cluster", 71.4500, 51.0900),
            ("gallery", "gallery", 71.4700, 51.1600),
        ]
    )


def _ids(places, hits):
    return [places["id"].iloc[h.row] for h in hits]


def test_landmarks_are_context_kinds():
    assert "landmark" in CONTEXT_KINDS
    assert "theatre" not in CONTEXT_KINDS


def test_by_default_the_nearest_are_creative_spaces_not_landmarks(around_baiterek):
    index = build_index(around_baiterek, "astana")
    allowed = listed_near(around_baiterek)
    assert allowed.dtype == bool
    assert list(allowed) == [False, False, False, False, True, True, True]
    hits = nearest(index, *HERE, k=4, allowed=allowed)
    assert _ids(around_baiterek, hits) == ["theatre", "cluster", "gallery"]
    assert hits == nearest_brute_force(index, *HERE, k=4, allowed=allowed)
    # Without the filter the same query answers with the landmarks around the position.
    assert _ids(around_baiterek, nearest(index, *HERE, k=4))[0] == "baiterek"


def test_asking_for_landmarks_lists_them_too(around_baiterek):
    index = build_index(around_baiterek, "astana")
    allowed = listed_near(around_baiterek, with_landmarks=True)
    assert allowed.all()
    hits = nearest(index, *HERE, k=3, allowed=allowed)
    assert _ids(around_baiterek, hits) == ["baiterek", "theatre", "ak_orda"]


@pytest.mark.parametrize("chosen", [("landmark",), ("landmark", "theatre")])
def test_choosing_the_landmark_kind_in_the_filters_asks_for_them(around_baiterek, chosen):
    assert listed_near(around_baiterek, chosen_kinds=chosen).all()


def test_other_kind_choices_still_leave_landmarks_out(around_baiterek):
    allowed = listed_near(around_baiterek, chosen_kinds=("theatre",))
    assert not allowed[around_baiterek["kind"].eq("landmark").to_numpy()].any()


def test_many_landmarks_nearby_do_not_hide_farther_spaces():
    # 200 landmarks around the position, 3 spaces far off: the index widens its search
    # until it holds them, and agrees with measuring every place.
    rng = np.random.default_rng(9)
    rows = [
        (f"l{i}", "landmark", 71.4305 + dx, 51.1283 + dy)
        for i, (dx, dy) in enumerate(rng.uniform(-0.002, 0.002, size=(200, 2)))
    ]
    rows += [
        ("a", "museum", 71.30, 51.20),
        ("b", "library", 71.55, 51.05),
        ("c", "it_hub", 71.60, 51.2),
    ]
    places = _places(rows)
    index = build_index(places, "astana")
    allowed = listed_near(places)
    hits = nearest(index, *HERE, k=3, allowed=allowed)
    assert sorted(_ids(places, hits)) == ["a", "b", "c"]
    assert hits == nearest_brute_force(index, *HERE, k=3, allowed=allowed)
