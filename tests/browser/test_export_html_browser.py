"""The standalone HTML export, opened from a file:// URL in Chromium with the network blocked."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from geo.select import Filters
from layers.export_html import ExportLayer, ExportView, TourStop, standalone_html
from layers.export_table import visible_places
from layers.registry import layer_by_id
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_hostile_browser import TOOLTIP_TEXTS_JS
from tests.catalogue import EXPO_LAT_LON, PLACES, TSELINNY_LAT_LON
from tests.layers.hostile import HOSTILE_NAMES

SHOTS = ARTIFACTS / "exports"  # looked at by people, not checked
HOSTILE = HOSTILE_NAMES[2]  # "<img src=x onerror=alert(1)>"
TEMPLATE_HOSTILE = HOSTILE_NAMES[0]  # "{{ 7*7 }}"

# Places on the exported map: points of the layer's PointsPath plus lines and polygons.
COUNT_JS = """() => {
    const e = window.__creativeMap && window.__creativeMap.layers.places;
    if (!e || !e.ready) { return -1; }
    let n = 0;
    if (e.points && e.map.hasLayer(e.points)) {
        e.points.features.forEach((f, k) => { if (e.points.shown[k]) { n++; } });
    }
    e.layers.forEach(l => { if (l && e.map.hasLayer(l)) { n++; } });
    return n;
}"""
MAP_VIEW_JS = """() => {
    const m = window.__creativeMap.layers.places.map;
    return [m.getZoom(), m.getCenter().lat, m.getCenter().lng];
}"""


def _hostile_places():
    places = PLACES.assign(layer="places")
    placed = places.index[places.geometry.notna()]
    for lang in ("kk", "ru", "en"):
        places.loc[placed[0], f"name_{lang}"] = HOSTILE
        places.loc[placed[1], f"name_{lang}"] = TEMPLATE_HOSTILE
    return places


@pytest.fixture
def offline_file_page(make_page):
    """A page where every request that is not file: or data: is aborted and counted."""
    page = make_page()
    blocked: list[str] = []
    failed: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    page.context.route("**/*", handle)
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.blocked, page.failed = blocked, failed
    return page


def _write(tmp_path: Path, html: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_exported_view_opens_offline_with_places_legend_and_text_names(
    offline_file_page, tmp_path, lang
):
    page = offline_file_page
    places = visible_places(_hostile_places(), Filters(city="astana"), layers=["places"])
    n_placed = int(places.geometry.notna().sum())
    assert n_placed >= 3
    view = ExportView(
        center_lat_lon=EXPO_LAT_LON,
        zoom=12,
        lang=lang,
        title="Astana <script>alert(1)</script>",
        date_text="2026-11-29",
        attribution="© OpenStreetMap contributors",
    )
    html = standalone_html([ExportLayer(layer_by_id("places"), places)], view)
    path = _write(tmp_path, html, f"view-{lang}.html")
    page.goto(path.as_uri())
    handle = page.wait_for_function(f"() => ({COUNT_JS})() > 0", timeout=30_000)
    assert handle.json_value() is True
    assert page.evaluate(COUNT_JS) == n_placed
    expect(page.locator(".creative-map-legend")).to_be_visible()
    expect(page.locator(".creative-map-legend")).to_contain_text(
        {"kk": "Шартты белгілер", "ru": "Легенда", "en": "Legend"}[lang]
    )
    expect(page.locator(".creative-export-caption")).to_contain_text("<script>alert(1)</script>")
    assert page.title() == view.title
    texts = page.evaluate(TOOLTIP_TEXTS_JS)
    assert HOSTILE in texts
    assert TEMPLATE_HOSTILE in texts
    assert page.locator('img[src="x"]').count() == 0
    assert page.dialogs == []
    zoom, lat, lon = page.evaluate(MAP_VIEW_JS)
    assert zoom == 12
    assert (round(lat, 3), round(lon, 3)) == (round(EXPO_LAT_LON[0], 3), round(EXPO_LAT_LON[1], 3))
    assert page.blocked == []
    assert page.failed == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"standalone-view-{lang}.png"))


def test_exported_tour_steps_with_buttons_and_arrow_keys_offline(offline_file_page, tmp_path):
    page = offline_file_page
    places = visible_places(PLACES.assign(layer="places"), Filters(), layers=["places"])
    stops = [
        TourStop("EXPO <b>", EXPO_LAT_LON, 15, ("planned", "25 ha"), "Test source"),
        TourStop("Tselinny", TSELINNY_LAT_LON, 16, ("existing",), "Test source"),
        TourStop("Astana again", EXPO_LAT_LON, 13),
    ]
    view = ExportView(EXPO_LAT_LON, 11, "en", "Tour", "2026-11-29", "© OpenStreetMap")
    html = standalone_html([ExportLayer(layer_by_id("places"), places)], view, stops=stops)
    page.goto(_write(tmp_path, html, "tour.html").as_uri())
    page.wait_for_function(f"() => ({COUNT_JS})() > 0", timeout=30_000)
    card = page.locator(".creative-export-card")
    expect(card).to_have_attribute("data-stop", "0")
    expect(card).to_contain_text("EXPO <b>")
    assert page.evaluate(MAP_VIEW_JS)[0] == 15
    page.locator(".creative-export-next").click()
    expect(card).to_have_attribute("data-stop", "1")
    expect(card).to_contain_text("Tselinny")
    zoom, lat, lon = page.evaluate(MAP_VIEW_JS)
    assert zoom == 16
    assert round(lat, 3) == round(TSELINNY_LAT_LON[0], 3)
    page.keyboard.press("ArrowRight")
    expect(card).to_have_attribute("data-stop", "2")
    expect(page.locator(".creative-export-next")).to_be_disabled()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(card).to_have_attribute("data-stop", "0")
    expect(page.locator(".creative-export-prev")).to_be_disabled()
    assert page.blocked == []
    assert page.failed == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "standalone-tour-en.png"))
    ARTIFACTS.mkdir(exist_ok=True)
