"""Browser: the planners' page on Astana's real districts (../shared/geodata).

The gap finder is opened from a link and its numbers are checked against an independent
computation here (shapely and pandas on the same files); a filter change recolours the
district choropleth through a view update, without rebuilding the map.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import shapely.geometry
from playwright.sync_api import expect
from shapely.geometry import Point

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.browser.map_page import (
    MAP_TIMEOUT_MS,
    WAIT_MS,
    choose,
    map_locator,
    on_map,
    wait_on_map,
)
from tests.browser.test_draw_browser import DRAWN_JS, _click_through, _points
from tests.catalogue import places_frame

UTM_42N = "EPSG:32642"  # Astana's metric CRS, set here on its own (not read from the app)
WALK_M = 800
CANDIDATE = (51.1350, 71.4000)  # (lat, lon): west of the centre, partly covered
DISTRICTS_JS = """() => {
    const e = window.__creativeMap && window.__creativeMap.layers.district_choropleth;
    if (!e || !e.ready) { return null; }
    return e.layers.map(l => l && window.map.hasLayer(l) ? l.options.fillColor : null);
}"""


@pytest.fixture(scope="module")
def geodata_app(start_app, catalogue_dir, shared_geodata):
    """The app on the test catalogue with ../shared/geodata as its context folder."""
    return start_app(**{DATA_DIR_VAR: str(catalogue_dir), CONTEXT_DIR_VAR: str(shared_geodata)})


def _expected(shared_geodata) -> tuple[float, float, str]:
    """Return the candidate's new area (m2), new residents and district, computed independently.

    Coverage: an 800 m disc (many-sided) around every placed Astana place of the test
    catalogue; the candidate's disc minus it, inside the districts; residents spread evenly
    over each district's area, with the district populations of the CSV.
    """
    districts = gpd.read_file(shared_geodata / "astana_districts_2024.geojson").to_crs(UTM_42N)
    population = pd.read_csv(shared_geodata / "district_population.csv")
    astana = population[population["city"] == "Astana"]
    by_name = {
        str(row["district_en"]).split(" ")[0].lower(): float(row["population"])
        for _, row in astana.iterrows()
    }
    districts["population"] = [by_name[n.split(" ")[0].lower()] for n in districts["name_en"]]
    places = places_frame()
    placed = places[(places["city"] == "astana") & places.geometry.notna()]
    metric = placed.to_crs(UTM_42N).geometry
    covered = shapely.union_all([g.buffer(WALK_M, quad_segs=64) for g in metric])
    lat, lon = CANDIDATE
    here = gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326").to_crs(UTM_42N).iloc[0]
    outline = shapely.union_all(districts.geometry.to_numpy())
    new = here.buffer(WALK_M, quad_segs=64).difference(covered).intersection(outline)
    residents = sum(
        row["population"] * new.intersection(row.geometry).area / row.geometry.area
        for _, row in districts.iterrows()
    )
    district = districts[districts.covers(here)]["name_en"].iloc[0].split(" ")[0]
    return new.area, residents, district


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_gap_finder_from_a_link_shows_the_independent_numbers(
    geodata_app, page, shared_geodata
):
    lat, lon = CANDIDATE
    page.goto(f"{geodata_app.url}/analysis?lang=en&city=astana&candidate={lat},{lon}&walk={WALK_M}")
    colours = wait_on_map(
        page,
        f"() => {{ const c = ({DISTRICTS_JS})(); return c && c.length ? c : null; }}",
        what="the district choropleth",
        timeout_ms=MAP_TIMEOUT_MS,
    )
    assert len(colours) == 6, colours  # Astana's six districts of 2024
    page.get_by_role("tab", name="Candidates").click()
    card = page.locator(".st-key-candidate_A")
    expect(card).to_contain_text("New area within reach", timeout=WAIT_MS)
    text = card.inner_text()
    area_km2 = _number(re.search(r"New area within reach: ([\d,.]+) km²", text).group(1))
    residents = _number(re.search(r"New residents within reach: ≈\s*([\d,]+)", text).group(1))
    area_m2, expected_residents, district = _expected(shared_geodata)
    assert 0.2e6 < area_m2 < 0.95 * 3.1416 * WALK_M**2  # partly covered: a real test of both
    assert area_km2 == pytest.approx(area_m2 / 1e6, abs=0.006, rel=0.01)
    step = 10 if expected_residents < 1000 else 100
    assert residents == pytest.approx(expected_residents, abs=step / 2 + 0.01 * expected_residents)
    assert f"District: {district} district" in text


def test_a_filter_change_recolours_the_districts_without_rebuilding_the_map(geodata_app, page):
    page.goto(f"{geodata_app.url}/analysis?lang=en&city=astana&k=3")
    before = wait_on_map(
        page,
        f"() => {{ const c = ({DISTRICTS_JS})(); return c && c.length ? c : null; }}",
        what="the district choropleth",
        timeout_ms=MAP_TIMEOUT_MS,
    )
    assert len(before) == 6, before
    assert len(set(before)) > 1, before  # the districts are classed, not all one colour
    # A mark on the live map object and on its container: a rebuilt map has neither.
    on_map(
        page, "() => { window.map.__kept = 'yes'; window.map.getContainer().dataset.kept = 'yes'; }"
    )
    choose(page, "status", "Planned")
    after = wait_on_map(
        page,
        f"(before) => {{ const c = ({DISTRICTS_JS})();"
        " return c && c.some((x, i) => x !== before[i]) ? c : null; }",
        before,
        what="a district in a new colour",
    )
    assert after != before
    kept = on_map(page, "() => [window.map.__kept, window.map.getContainer().dataset.kept]")
    assert kept == ["yes", "yes"]


def test_a_click_with_the_toggle_on_adds_a_candidate(geodata_app, page):
    page.goto(f"{geodata_app.url}/analysis?lang=en&city=astana")
    wait_on_map(
        page,
        f"() => {{ const c = ({DISTRICTS_JS})(); return c && c.length ? c : null; }}",
        what="the district choropleth",
        timeout_ms=MAP_TIMEOUT_MS,
    )
    toggle = page.locator(".st-key-analysis_add input")
    page.locator(".st-key-analysis_add label").click()
    expect(toggle).to_be_checked()
    lat, lon = CANDIDATE
    x, y = on_map(
        page,
        f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]);"
        " return [p.x, p.y]; }",
    )
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(re.compile(r"candidate=51\.13\d*%2C71\.40"), timeout=WAIT_MS)
    page.get_by_role("tab", name="Candidates").click()
    expect(page.locator(".st-key-candidate_A")).to_contain_text("New area within reach")


def test_a_drawn_polygon_becomes_a_candidate_area_and_a_filter(geodata_app, page):
    page.goto(f"{geodata_app.url}/analysis?lang=en&city=astana")
    wait_on_map(
        page,
        f"() => {{ const c = ({DISTRICTS_JS})(); return c && c.length ? c : null; }}",
        what="the district choropleth",
        timeout_ms=MAP_TIMEOUT_MS,
    )
    frame = map_locator(page)
    frame.locator("a.leaflet-draw-draw-polygon").click()
    square = _points(page, [(-60, -60), (60, -60), (60, 60), (-60, 60)])
    _click_through(page, [*square, square[0]])
    expect(page.locator(".st-key-draw_measurements")).to_contain_text("1. Polygon", timeout=WAIT_MS)
    (drawn,) = on_map(page, DRAWN_JS)
    polygon = shapely.geometry.shape(drawn)
    page.get_by_role("button", name="Use #1 as a candidate").click()
    page.get_by_role("tab", name="Candidates").click()
    card = page.locator(".st-key-candidate_A")
    expect(card).to_contain_text("drawn area", timeout=WAIT_MS)
    page.get_by_role("button", name="Filter places by #1").click()
    expect(page.get_by_text("Only places inside the drawn area are counted.")).to_be_visible(
        timeout=WAIT_MS
    )
    places = places_frame()
    astana = places[(places["city"] == "astana") & places.geometry.notna()]
    inside = int(astana.geometry.intersects(polygon).sum())
    expect(page.get_by_text(f"Places in the analysis: {inside}.")).to_be_visible(timeout=WAIT_MS)
