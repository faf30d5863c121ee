"""Two app servers on one PostGIS database: a data change reaches both on their next rerun."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR, DATABASE_URL_VAR
from store.gpkg import GeoPackageStore
from store.load_db import load
from store.postgis import PostGISStore
from tests.catalogue import PLACES
from tests.postgis_cluster import clone_database

N = len(PLACES)


@pytest.fixture(scope="module")
def database(postgis_url, catalogue_dir, empty_dir) -> str:
    url = clone_database(postgis_url, "two_servers")
    target = PostGISStore(url)
    load(GeoPackageStore(data_dir=catalogue_dir, context_dir=empty_dir), target)
    target.dispose()
    return url


@pytest.fixture(scope="module")
def servers(start_app, database, empty_dir):
    # No data folder of their own: both read everything from the database.
    env = {
        DATABASE_URL_VAR: database,
        DATA_DIR_VAR: str(empty_dir),
        CONTEXT_DIR_VAR: str(empty_dir),
    }
    return start_app(**env), start_app(**env)


def _count(page, n: int, total: int) -> None:
    expect(page.get_by_text(f"{n} of {total} places match the filters")).to_be_visible(
        timeout=60_000
    )


def _rerun(page, city: str) -> None:
    """Make the open session run again (as any click does): choose a city."""
    page.locator(".st-key-city").get_by_text(city, exact=True).click()


def test_a_change_in_the_database_reaches_every_server_on_its_next_rerun(
    servers, database, make_page
):
    pages = [make_page(), make_page()]
    for page, server in zip(pages, servers, strict=True):
        page.goto(f"{server.url}/?lang=en&city=both&place=almaty_tselinny")
        _count(page, N, N)
        expect(page.locator(".st-key-place_card")).to_contain_text("Tselinny")
    # A write through the app's data layer (Store.write, the way the ideas competition will
    # write; the app has no write page yet): one more place.
    store = PostGISStore(database)
    added = PLACES[PLACES["id"] == "almaty_tselinny"].copy()
    added["id"] = "almaty_second_studio"
    added["name_en"] = "Second studio, added through the store"
    store.write("places", gpd.GeoDataFrame(pd.concat([PLACES, added], ignore_index=True)))
    # A plain SQL change made by an operator reaches the app too (a trigger bumps the version).
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE places SET name_en = :name WHERE id = 'almaty_tselinny'"),
            {"name": "Tselinny, renamed in the database"},
        )
    store.dispose()
    almaty = int((PLACES["city"] == "almaty").sum()) + 1
    for page in pages:
        _rerun(page, "Almaty")
        _count(page, almaty, N + 1)
        place_list = page.locator(".st-key-place_list")
        expect(place_list).to_contain_text("Second studio, added through the store")
        # The card of the renamed place, opened from the list (the open card can close across
        # a city switch that follows a data change on a loaded machine: seen once in CI, not
        # root-caused; this test is about the data reaching the server, not the selection).
        place_list.get_by_text("Tselinny, renamed in the database", exact=True).click()
        expect(page.locator(".st-key-place_card")).to_contain_text(
            "Tselinny, renamed in the database"
        )
    assert servers[0].url != servers[1].url
