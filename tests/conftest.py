"""Shared fixtures: project paths and the optional real geodata in ../shared/geodata."""

from __future__ import annotations

# First, before anything imports pyogrio: GDAL reads only GeoPackage and GeoJSON, no network.
import layers.safe_files  # noqa: F401

# isort: split

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
SHARED_GEODATA = ROOT.parent / "shared" / "geodata"
# Tests never call the online geocoder (Nominatim); the app servers they start inherit this.
os.environ["CREATIVE_MAP_GEOCODER"] = "off"


@pytest.fixture(scope="session")
def shared_geodata() -> Path:
    """Return ../shared/geodata, or skip: a user's fresh clone does not have it."""
    if not (SHARED_GEODATA / "astana_banks.geojson").is_file():
        pytest.skip("../shared/geodata is not present (only developer and CI machines have it)")
    return SHARED_GEODATA


@pytest.fixture(scope="session")
def postgis_url():
    """Return the URL of a PostGIS database in a private cluster, for this test session.

    Fails (does not skip) when PostgreSQL or PostGIS is missing: `make test` installs them.
    """
    from tests.postgis_cluster import PostgresMissing, postgis_cluster, postgres_bindir

    try:
        postgres_bindir()
    except PostgresMissing as err:
        pytest.fail(f"the PostGIS store tests need PostgreSQL and PostGIS: {err}")
    with postgis_cluster() as url:
        yield url


@pytest.fixture(scope="session")
def catalogue_dir(tmp_path_factory) -> Path:
    """Return a folder holding the test catalogue (tests/catalogue.py), written once."""
    from tests.catalogue import write_catalogue

    folder = tmp_path_factory.mktemp("catalogue")
    write_catalogue(folder)
    return folder


@pytest.fixture(scope="session")
def empty_dir(tmp_path_factory) -> Path:
    """Return an empty folder: no context layers, no fetched layers."""
    return tmp_path_factory.mktemp("empty")
