"""The store under test, once per back end, on small data built in code under tmp_path."""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa
from shapely.geometry import LineString, Point, Polygon

from settings import Settings
from store import Store, open_store
from store.gpkg import GeoPackageStore
from store.postgis import PostGISStore
from tests.postgis_cluster import clone_database

_numbers = itertools.count()


@dataclass
class Backend:
    """A store with the means to change its data behind its back, as a person with SQL would."""

    kind: str
    store: Store
    settings: Settings

    def change_behind_its_back(self, *, place_id: str, name_en: str) -> None:
        """Change one place's English name without the store: plain SQL or a replaced file."""
        if isinstance(self.store, PostGISStore):
            engine = sa.create_engine(self.store.engine.url)
            with engine.begin() as conn:
                conn.execute(
                    sa.text("UPDATE places SET name_en = :n WHERE id = :i"),
                    {"n": name_en, "i": place_id},
                )
            engine.dispose()
            return
        assert isinstance(self.store, GeoPackageStore)
        path = self.store.path("places")
        frame = gpd.read_file(path, layer="places")
        frame.loc[frame["id"] == place_id, "name_en"] = name_en
        fresh = path.with_name("edited.gpkg")
        frame.to_file(fresh, layer="places")
        os.replace(fresh, path)


def settings_for(tmp_path: Path, database_url: str = "") -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        context_dir=tmp_path / "context",
        database_url=database_url,
        geocoder_online=False,
    )


def fresh_database(postgis_url: str) -> str:
    return clone_database(postgis_url, f"store_test_{next(_numbers)}")


@pytest.fixture(params=["gpkg", "postgis"])
def backend(request, tmp_path):
    url = (
        fresh_database(request.getfixturevalue("postgis_url")) if request.param == "postgis" else ""
    )
    settings = settings_for(tmp_path, url)
    store = open_store(settings)
    yield Backend(request.param, store, settings)
    if isinstance(store, PostGISStore):
        store.dispose()


@pytest.fixture
def store(backend):
    return backend.store


def sample_places() -> gpd.GeoDataFrame:
    """Three places: a point, a line and one with no known position (NULL geometry)."""
    return gpd.GeoDataFrame(
        {
            "id": ["p_point", "p_line", "p_nowhere"],
            "name_en": ["Point «hall»", "Boulevard", "Somewhere"],
            "kind": ["creative_hub", "pedestrian_zone", "studio"],
            "target_year": [2025.0, math.nan, 2030.0],
            "area_m2": [1200.5, math.nan, 80.0],
        },
        geometry=[
            Point(71.43, 51.12),
            LineString([(71.40, 51.10), (71.42, 51.11)]),
            None,
        ],
        crs="EPSG:4326",
    )


def sample_targets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["t_hubs", "t_fund"],
            "quantity": [15, 20_000_000_000],
            "unit": ["count", "kzt"],
            "deadline_year": [2025.0, math.nan],
        }
    )


def sample_river() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Esil"]},
        geometry=[LineString([(71.3, 51.1), (71.5, 51.15)])],
        crs="EPSG:4326",
    )


def sample_banks() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"bank": ["left", "right"]},
        geometry=[
            Polygon([(71.3, 51.0), (71.5, 51.0), (71.5, 51.1), (71.3, 51.1)]),
            Polygon([(71.3, 51.1), (71.5, 51.1), (71.5, 51.2), (71.3, 51.2)]),
        ],
        crs="EPSG:4326",
    )
