"""The whole view survives: a shared link, a language switch, the window's size, a phone."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import geopandas as gpd
import pytest
from playwright.sync_api import expect
from shapely.geometry import box

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_READY = "() => !!(window.map && window.__creativeMap && window.__creativeMap.layers.places)"
VIEW_JS = (
    "() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng,"
    " (() => { let t = 0; window.map.eachLayer(l => { if (l instanceof L.TileLayer) t++; });"
    " return t; })()]"
)


def _map(page):
    """Return the map's frame once its map and places layer exist (auto-waiting)."""
    handle = page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = handle.content_frame()
    frame.wait_for_function(MAP_READY, timeout=60_000)
    return frame


def _query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query, keep_blank_values=True).items()}


@pytest.fixture(scope="module")
def context_app(start_app, catalogue_dir, tmp_path_factory):
    """The app with one context layer that is off by default: a district of Astana."""
    folder = tmp_path_factory.mktemp("context")
    district = gpd.GeoDataFrame(
        {"name": ["Test district"]}, geometry=[box(71.40, 51.10, 71.46, 51.16)], crs="EPSG:4326"
    )
    district.to_file(folder / "astana_districts.geojson", driver="GeoJSON")
    return start_app(**{DATA_DIR_VAR: str(catalogue_dir), CONTEXT_DIR_VAR: str(folder)})


def test_a_shared_link_restores_zoom_centre_basemap_and_layers(context_app, page, offline):
    link = (
        "/?lang=en&city=astana&center=51.15000,71.45000&zoom=14&basemap=none"
        "&layers=astana_districts"
    )
    page.goto(context_app.url + link)
    frame = _map(page)
    frame.wait_for_function("() => window.map.getZoom() === 14", timeout=30_000)
    zoom, lat, lon, tiles = frame.evaluate(VIEW_JS)
    assert (zoom, tiles) == (14, 0)
    assert (lat, lon) == pytest.approx((51.15, 71.45), abs=1e-4)
    expect(page.locator(".st-key-basemap input[type=radio]").nth(1)).to_be_checked()
    expect(page.locator(".st-key-layer_places input[type=checkbox]")).not_to_be_checked()
    expect(page.locator(".st-key-layer_astana_districts input[type=checkbox]")).to_be_checked()
    # The places layer is hidden, so the page says so instead of counting hidden places; the
    # district layer, off by default, is drawn.
    expect(page.get_by_text("The layers of places are hidden")).to_be_visible()
    frame.wait_for_function(
        "() => window.map.getContainer().getAttribute('data-shown-places') === '0'"
        " && window.map.getContainer().getAttribute('data-shown-astana_districts') === '1'"
    )
    expect(page.get_by_text("Ignored", exact=False)).to_have_count(0)
    page.wait_for_function("() => location.search.includes('zoom=14')")
    q = _query(page)
    assert {k: q.get(k) for k in ("center", "zoom", "basemap", "city", "layers")} == {
        "center": "51.15000,71.45000",
        "zoom": "14",
        "basemap": "none",
        "city": "astana",
        "layers": "astana_districts",
    }
    assert offline.external == []


def test_a_language_switch_changes_only_the_language(app, page):
    link = (
        "/?lang=en&city=almaty&basemap=none&center=43.24833,76.92889&zoom=15"
        "&place=almaty_tselinny&status=existing"
    )
    page.goto(app.url + link)
    _map(page)
    expect(page.locator(".st-key-place_card")).to_contain_text("Tselinny")
    page.locator(".st-key-lang [role='combobox']").click()
    page.get_by_role("option", name="Русский", exact=True).click()
    expect(page.locator("h1")).to_have_text("Креативные пространства Астаны и Алматы")
    page.wait_for_function("() => location.search.includes('lang=ru')")
    # The switch rebuilds the map in Russian: wait for the new one, not the English one.
    expect(page.frame_locator(MAP_FRAME).locator(".creative-map-legend")).to_contain_text(
        "Легенда", timeout=60_000
    )
    q = _query(page)
    assert {k: q.get(k) for k in ("city", "basemap", "zoom", "place", "status")} == {
        "city": "almaty",
        "basemap": "none",
        "zoom": "15",
        "place": "almaty_tselinny",
        "status": "existing",
    }
    frame = _map(page)
    zoom, lat, lon, tiles = frame.evaluate(VIEW_JS)
    assert (zoom, tiles) == (15, 0)
    assert (lat, lon) == pytest.approx((43.24833, 76.92889), abs=1e-3)
    expect(page.locator(".st-key-city input[type=radio]").nth(2)).to_be_checked()


@pytest.mark.parametrize("height", [700, 1100])
def test_the_map_takes_the_height_of_the_window(app, make_page, height):
    page = make_page(viewport={"width": 1400, "height": height})
    page.goto(f"{app.url}/?lang=en")
    frame = _map(page)
    box = page.locator(MAP_FRAME).bounding_box()
    assert box["height"] == pytest.approx(height - 200, abs=2)
    inner = frame.evaluate("() => window.map.getContainer().getBoundingClientRect().height")
    assert inner == pytest.approx(box["height"], abs=2)


def test_on_a_phone_an_opened_card_is_brought_into_view(app, make_page):
    page = make_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{app.url}/?lang=en&place=almaty_depo")
    _map(page)
    card = page.locator(".st-key-place_card")
    expect(card).to_contain_text("Depo Art and Science Center")
    page.wait_for_function(
        "() => { const r = document.querySelector('.st-key-place_card').getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight / 2; }",
        timeout=30_000,
    )


def test_the_back_button_returns_to_the_previous_view(app, page):
    from tests.browser.map_page import choose
    from tests.catalogue import PLACES

    page.goto(f"{app.url}/?lang=en&city=both")
    _map(page)
    n = len(PLACES)
    expect(page.get_by_text(f"{n} of {n} places match the filters")).to_be_visible()
    choose(page, "status", "Existing")
    existing = int((PLACES["status"] == "existing").sum())
    expect(page.get_by_text(f"{existing} of {n} places match the filters")).to_be_visible()
    page.wait_for_function("() => location.search.includes('status=existing')")
    page.go_back()
    expect(page.get_by_text(f"{n} of {n} places match the filters")).to_be_visible()
    expect(page.locator(".st-key-status")).not_to_contain_text("Existing")
    assert "status" not in _query(page)
    # Back from near me returns to the map page.
    page.locator(".st-key-mode").get_by_text("Near me").click()
    page.wait_for_url("**/near?**")
    page.go_back()
    expect(page.get_by_text(f"{n} of {n} places match the filters")).to_be_visible()
    assert "/near" not in page.url
