"""Browser: the targets page on the real catalogue; bars and a card open the map filtered."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest
from playwright.sync_api import expect

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.browser.map_page import MAP_FRAME, MAP_TIMEOUT_MS, WAIT_MS, query, wait_for_count
from tests.conftest import ROOT
from ui.pages.targets import BAR_PX

PLACES = gpd.read_file(ROOT / "data" / "catalogue.gpkg", layer="places")
PLACED = PLACES[PLACES.geometry.notna() & ~PLACES.geometry.is_empty]
NOT_YET = ["under_construction", "planned", "announced", "proposed"]


@pytest.fixture(scope="module")
def real_app(start_app, context_dir):
    """The app on the project's own catalogue."""
    return start_app(**{DATA_DIR_VAR: str(ROOT / "data"), CONTEXT_DIR_VAR: context_dir})


def _on_map_with(param: str):
    """Match the map page's address (``/`` or ``/map``) once it holds ``param``."""
    return re.compile(r"^[^?]*/(map)?\?.*" + re.escape(param))


def _open_targets(page, app):
    page.goto(f"{app.url}/targets?lang=en")
    expect(page.get_by_role("heading", name="Targets against reality")).to_be_visible(
        timeout=MAP_TIMEOUT_MS
    )


def test_clicking_a_bar_opens_the_map_with_its_places(real_app, page):
    _open_targets(page, real_app)
    chart = page.locator(".st-key-chart_box_status .vega-embed").first
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible(timeout=WAIT_MS)
    box = chart.bounding_box()
    assert box is not None
    # The first bar is "Existing", the longest: it spans the plot's width, so a point at 70%
    # of the chart's width and in the middle of the first band is on it.
    page.mouse.click(box["x"] + 0.7 * box["width"], box["y"] + 5 + BAR_PX / 2)
    page.wait_for_url(_on_map_with("status=existing"), timeout=WAIT_MS)
    assert query(page.url)["status"] == ["existing"]
    page.wait_for_selector(MAP_FRAME, timeout=MAP_TIMEOUT_MS)
    expected = int((PLACED["status"] == "existing").sum())
    assert expected < len(PLACED)  # the filter really narrows the map
    wait_for_count(page, expected)
    total = len(PLACES)
    n = int((PLACES["status"] == "existing").sum())
    expect(page.get_by_text(f"{n} of {total} places match the filters")).to_be_visible()


def test_clicking_an_announced_bar_of_the_timeline_opens_the_map_with_its_places(real_app, page):
    announced = pd.to_datetime(PLACES["announced_date"], format="ISO8601").dt.year
    years = announced.value_counts()
    assert years[2018] >= 1
    _open_targets(page, real_app)
    # The chart is drawn in SVG: each bar is a path whose aria-label holds its fields.
    bar = page.locator(
        ".st-key-chart_box_timeline [aria-roledescription=bar]"
        '[aria-label*="series_label: Announced"][aria-label*="year: 2018;"]'
    )
    bar.scroll_into_view_if_needed(timeout=WAIT_MS)
    expect(bar).to_have_count(1)
    expect(bar).to_have_attribute("aria-label", re.compile(rf"count: {years[2018]}$"))
    bar.click()
    page.wait_for_url(_on_map_with("announced=2018"), timeout=WAIT_MS)
    assert query(page.url)["announced"] == ["2018"]
    page.wait_for_selector(MAP_FRAME, timeout=MAP_TIMEOUT_MS)
    placed = PLACED[announced.loc[PLACED.index].eq(2018)]
    assert len(placed) > 0
    wait_for_count(page, len(placed))
    n = int(announced.eq(2018).sum())
    expect(page.get_by_text(f"{n} of {len(PLACES)} places match the filters")).to_be_visible()
    sidebar = page.locator(".st-key-announced")
    expect(sidebar).to_contain_text("Announced in")
    expect(sidebar).to_contain_text("2018")


def test_a_card_button_opens_the_map_with_its_places(real_app, page):
    _open_targets(page, real_app)
    page.locator(".st-key-show_card_not_yet button").click()
    page.wait_for_url(_on_map_with("status="), timeout=WAIT_MS)
    statuses = query(page.url)["status"][0].split(",")
    assert set(statuses) == set(NOT_YET) & set(PLACES["status"])
    page.wait_for_selector(MAP_FRAME, timeout=MAP_TIMEOUT_MS)
    wait_for_count(page, int(PLACED["status"].isin(NOT_YET).sum()))
