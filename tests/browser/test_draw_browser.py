"""Drawing with the mouse on the map in Debian's Chromium, offline, and the measurements shown.

The app is tests/browser/draw_app.py: ``build_base_map(draw=True)`` and ``render_measurements``.
The area and length shown on the page are checked against pyproj's geodesic figures of the
vertices the browser really drew (read back from Leaflet), within 0.5%.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect
from pyproj import Geod

from bench.server import ROOT, start_streamlit
from layers.i18n import t
from tests.browser.conftest import ARTIFACTS
from tests.browser.map_page import map_frame, map_locator, on_map, wait_on_map
from ui.widgets.measure import MEASUREMENTS_KEY

DRAW_APP = Path(__file__).parent / "draw_app.py"
GEOD = Geod(ellps="WGS84")
TOLERANCE = 0.005
MEASUREMENTS = f".st-key-{MEASUREMENTS_KEY}"
DRAWN_JS = "() => window.drawnItems.toGeoJSON().features.map(f => f.geometry)"
SHOTS = os.environ.get("DRAW_SHOTS_DIR")  # also save screenshots there (for a reviewer)


@pytest.fixture(scope="module")
def draw_app():
    server = start_streamlit(
        DRAW_APP,
        env={"PYTHONPATH": str(ROOT)},
        log_path=ARTIFACTS / f"streamlit-draw-{os.getpid()}.log",
    )
    yield server
    server.stop()


def _open(page, url):
    page.goto(url)
    map_frame(page)  # the Leaflet map exists
    frame = map_locator(page)
    expect(frame.locator("a.leaflet-draw-draw-polygon")).to_be_visible()
    expect(page.locator(MEASUREMENTS)).to_be_visible()
    return frame


def _points(page, offsets):
    """Return page coordinates of (dx, dy) offsets from the map's centre, in CSS pixels."""
    box = map_locator(page).locator(".leaflet-container").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return [(cx + dx, cy + dy) for dx, dy in offsets]


# The drawing handler's state: vertices so far, whether it takes a new one now (Leaflet.draw
# ignores a press within 50 ms of the last vertex: ``_disableMarkers``), and where it last saw
# the pointer (container pixels).
HANDLER_JS = """() => {
    for (const k of Object.keys(window)) {
        const c = k.startsWith('draw_control_') ? window[k] : null;
        if (c instanceof L.Control.Draw) {
            const mode = c._toolbars.draw._activeMode;
            if (!mode) { return {active: false, vertices: 0, ready: false, at: null}; }
            const h = mode.handler, ll = h._currentLatLng;
            const p = ll ? window.map.latLngToContainerPoint(ll) : null;
            return {active: true, vertices: h._markers.length, ready: !h._disableMarkers,
                    at: p ? [p.x, p.y] : null};
        }
    }
    return null;
}"""
POINTER_AT_JS = f"""([x, y]) => {{
    const h = ({HANDLER_JS})();
    return h.ready && h.at && Math.abs(h.at[0] - x) < 1.5 && Math.abs(h.at[1] - y) < 1.5;
}}"""


def _click_through(page, points):
    """Click each point as a vertex, waiting until the handler takes each one in turn.

    The pointer moves as a hand moves it (through intermediate positions; without
    ``layers.draw.DRAW_CSS`` the map's canvas swallows those moves and Leaflet.draw's pointer
    marker stays behind, so this fails), and the click waits until Leaflet.draw has seen the
    pointer there.
    """
    box = map_locator(page).locator(".leaflet-container").bounding_box()
    for x, y in points:
        before = on_map(page, HANDLER_JS)["vertices"]
        page.mouse.move(x, y, steps=3)
        target = [x - box["x"], y - box["y"]]
        try:
            wait_on_map(page, POINTER_AT_JS, target, what="the pointer seen")
        except AssertionError as err:
            msg = f"{err}: pointer at {target}, handler {on_map(page, HANDLER_JS)}"
            raise AssertionError(msg) from err
        page.mouse.down()
        page.mouse.up()
        wait_on_map(
            page,
            f"(n) => {{ const h = ({HANDLER_JS})(); return !h.active || h.vertices > n; }}",
            before,
            what="the vertex taken (or the shape finished)",
        )


def _number_en(text):
    return float(text.replace(",", ""))


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name))


def _rectangle_and_marker(page, frame, shown):
    """Drag out a rectangle and place a marker: the other two tools, after a polygon and a line."""
    frame.locator("a.leaflet-draw-draw-rectangle").click()
    expect(frame.locator(".leaflet-container.creative-map-drawing")).to_have_count(1)
    (x0, y0), (x1, y1) = _points(page, [(-260, -200), (-60, -20)])
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=8)
    page.mouse.up()
    expect(shown).to_contain_text("3. Polygon: area", timeout=30_000)
    rectangle = on_map(page, DRAWN_JS)[2]
    lons, lats = zip(*rectangle["coordinates"][0], strict=True)
    assert len(set(lons)) == 2  # an axis-aligned rectangle
    assert len(set(lats)) == 2
    areas = [_number_en(a) for a in re.findall(r"area ([\d,]+) m²", shown.inner_text())]
    assert areas[1] == pytest.approx(abs(GEOD.polygon_area_perimeter(lons, lats)[0]), rel=TOLERANCE)
    frame.locator("a.leaflet-draw-draw-marker").click()
    expect(frame.locator(".leaflet-container.creative-map-drawing")).to_have_count(1)
    ((mx, my),) = _points(page, [(250, 180)])
    page.mouse.move(mx, my, steps=3)
    page.mouse.click(mx, my)
    expect(shown).to_contain_text("4. Marker", timeout=30_000)
    assert [g["type"] for g in on_map(page, DRAWN_JS)] == [
        "Polygon",
        "LineString",
        "Polygon",
        "Point",
    ]
    expect(frame.locator(".leaflet-container.creative-map-drawing")).to_have_count(0)
    _shot(page, "en-four-tools.png")


def test_drawing_a_polygon_and_a_line_shows_their_geodesic_area_and_length(draw_app, page, offline):
    frame = _open(page, f"{draw_app.url}/?lang=en&city=astana")
    expect(page.locator(MEASUREMENTS)).to_contain_text(t("draw.measure_hint", "en"))
    expect(frame.locator("a.leaflet-draw-draw-circle")).to_have_count(0)
    expect(frame.locator("a.leaflet-draw-draw-circlemarker")).to_have_count(0)

    # A pentagon about 600 m across, closed by clicking its first vertex.
    frame.locator("a.leaflet-draw-draw-polygon").click()
    pentagon = _points(page, [(-150, -90), (120, -120), (190, 40), (30, 150), (-170, 80)])
    _click_through(page, [*pentagon, pentagon[0]])
    shown = page.locator(MEASUREMENTS)
    expect(shown).to_contain_text("1. Polygon: area", timeout=30_000)
    (polygon,) = on_map(page, DRAWN_JS)
    assert polygon["type"] == "Polygon"
    ring = polygon["coordinates"][0]
    assert len(ring) == 6  # five vertices, closed
    lons, lats = zip(*ring, strict=True)
    geodesic_area, geodesic_perimeter = GEOD.polygon_area_perimeter(lons, lats)
    text = shown.inner_text()
    area = _number_en(re.search(r"area ([\d,]+) m²", text).group(1))
    perimeter = _number_en(re.search(r"perimeter ([\d,]+) m", text).group(1))
    assert area > 100_000  # a real shape, not a few pixels
    assert area == pytest.approx(abs(geodesic_area), rel=TOLERANCE)
    assert perimeter == pytest.approx(geodesic_perimeter, rel=TOLERANCE)
    assert "ha" in text  # hectares beside the square metres
    _shot(page, "en-polygon.png")

    # A three-vertex line, finished by clicking its last vertex again.
    frame.locator("a.leaflet-draw-draw-polyline").click()
    line_points = _points(page, [(-200, 160), (0, 120), (210, -170)])
    _click_through(page, [*line_points, line_points[-1]])
    expect(shown).to_contain_text("2. Line:", timeout=30_000)
    drawn = on_map(page, DRAWN_JS)
    assert [g["type"] for g in drawn] == ["Polygon", "LineString"]
    lons, lats = zip(*drawn[1]["coordinates"], strict=True)
    assert len(lons) == 3
    length = _number_en(re.search(r"Line: ([\d,]+) m", shown.inner_text()).group(1))
    assert length > 500
    assert length == pytest.approx(GEOD.line_length(lons, lats), rel=TOLERANCE)
    expect(shown).to_contain_text("EPSG:32642")
    _shot(page, "en-polygon-and-line.png")

    _rectangle_and_marker(page, frame, shown)

    # "Clear all" in the delete tool: the list empties, back to the hint.
    frame.locator("a.leaflet-draw-edit-remove").click()
    frame.locator("a", has_text=t("draw.clear_all", "en")).click()
    expect(shown).to_contain_text(t("draw.measure_hint", "en"), timeout=30_000)
    expect(shown).not_to_contain_text("1. Polygon")
    assert on_map(page, DRAWN_JS) == []

    # Offline: nothing left the machine, and Leaflet.draw came from the app's own server.
    assert offline.external == []
    srcs = on_map(page, "() => [...document.querySelectorAll('script[src]')].map(e => e.src)")
    assert any(u.endswith("/component/ui.assets.leaflet_draw/leaflet.draw.js") for u in srcs)
    assert all(urlparse(u).hostname == "127.0.0.1" for u in srcs), srcs
    assert page.dialogs == []  # folium's alert() of a drawing's GeoJSON is off


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_drawing_toolbar_speaks_the_pages_language(draw_app, page, offline, lang):
    frame = _open(page, f"{draw_app.url}/?lang={lang}&city=almaty")
    button = frame.locator("a.leaflet-draw-draw-polygon")
    expect(button).to_have_attribute("title", t("draw.button_polygon", lang))
    expect(frame.locator("a.leaflet-draw-draw-polyline")).to_have_attribute(
        "title", t("draw.button_polyline", lang)
    )
    expect(frame.locator("a.leaflet-draw-edit-remove")).to_have_attribute(
        "title", t("draw.button_remove_disabled", lang)
    )
    button.click()
    expect(frame.locator("a", has_text=t("draw.cancel", lang))).to_be_visible()
    (x, y), *_ = _points(page, [(40, 30)])
    page.mouse.move(x, y, steps=4)
    tooltip = frame.locator(".leaflet-draw-tooltip")
    expect(tooltip).to_contain_text(t("draw.polygon_start", lang))
    _shot(page, f"{lang}-toolbar-polygon-mode.png")
    # Two vertices: the tooltip moves on and the undo action is offered, translated.
    _click_through(page, _points(page, [(-120, -60), (100, -80)]))
    expect(tooltip).to_contain_text(t("draw.polygon_cont", lang))
    expect(frame.locator("a", has_text=t("draw.undo", lang))).to_be_visible()
    _shot(page, f"{lang}-toolbar-drawing.png")
    assert offline.external == []


def test_editing_a_shape_updates_its_measurement(draw_app, page, offline):
    frame = _open(page, f"{draw_app.url}/?lang=en&city=almaty")
    frame.locator("a.leaflet-draw-draw-polygon").click()
    triangle = _points(page, [(-150, -100), (150, -100), (0, 150)])
    _click_through(page, [*triangle, triangle[0]])
    shown = page.locator(MEASUREMENTS)
    expect(shown).to_contain_text("1. Polygon: area", timeout=30_000)
    before = _number_en(re.search(r"area ([\d,]+) m²", shown.inner_text()).group(1))

    # Edit: drag the third vertex 100 px down, then Save.
    frame.locator("a.leaflet-draw-edit-edit").click()
    handles = frame.locator(".leaflet-editing-icon")
    expect(handles).not_to_have_count(0)
    x, y = triangle[2]
    page.mouse.move(x, y, steps=3)
    page.mouse.down()
    page.mouse.move(x, y + 100, steps=8)
    page.mouse.up()
    frame.locator("a", has_text=t("draw.save", "en")).click()
    expect(shown).not_to_contain_text(f"area {before:,.0f} m²", timeout=30_000)
    (polygon,) = on_map(page, DRAWN_JS)
    lons, lats = zip(*polygon["coordinates"][0], strict=True)
    after = _number_en(re.search(r"area ([\d,]+) m²", shown.inner_text()).group(1))
    assert after > before * 1.3  # the apex moved away from the base
    assert after == pytest.approx(abs(GEOD.polygon_area_perimeter(lons, lats)[0]), rel=TOLERANCE)
    expect(shown).to_contain_text("EPSG:32643")
    assert offline.external == []
