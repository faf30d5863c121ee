"""Reach the Leaflet map inside streamlit-folium's iframe and the widgets around it.

Every wait here is Playwright's own (``wait_for_function``, ``expect``, ``wait_for_url``):
no fixed sleeps and no polling loops. The map's iframe is served by the app's own server, so
it is same-origin: ``on_map`` and ``wait_on_map`` find the *current* iframe on each try and run
a function in its window. That survives a remount of the map (a basemap change replaces the
iframe), which a handle on one frame would not.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Frame, FrameLocator, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_TIMEOUT_MS = 60_000
WAIT_MS = 30_000

# Run a function's source inside the current map iframe's window (its globals: map, L, ...).
_IN_MAP_JS = """([selector, source, arg]) => {
    const frame = document.querySelector(selector);
    const w = frame && frame.contentWindow;
    if (!w || !w.map || !w.L) { return null; }
    return w.Function('arg', 'return (' + source + ')(arg);')(arg);
}"""

COUNT_PLACES_JS = """() => {
    // Places on the map: points drawn by the layer's one PointsPath, plus lines and polygons.
    const e = window.map && window.__creativeMap && window.__creativeMap.layers.places;
    if (!e || !e.ready) { return -1; }
    const isPlace = f => f && f.properties && typeof f.properties.id === 'string';
    let n = 0;
    if (e.points && window.map.hasLayer(e.points)) {
        e.points.features.forEach((f, k) => { if (e.points.shown[k] && isPlace(f)) { n++; } });
    }
    e.layers.forEach(l => { if (l && window.map.hasLayer(l) && isPlace(l.feature)) { n++; } });
    return n;
}"""
# The RGBA of a layer's canvas at a (lat, lon): what is really painted there.
CANVAS_PIXEL_JS = """([layer, lat, lon]) => {
    const r = window.__creativeMap.layers[layer].points._renderer;
    const p = window.map.latLngToLayerPoint([lat, lon]);
    const m = L.Browser.retina ? 2 : 1;
    const x = Math.round((p.x - r._bounds.min.x) * m), y = Math.round((p.y - r._bounds.min.y) * m);
    return Array.from(r._ctx.getImageData(x, y, 1, 1).data);
}"""
VIEW_JS = "() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]"
TILE_LAYERS_JS = (
    "() => { let t = 0; window.map.eachLayer(l => { if (l instanceof L.TileLayer) t++; });"
    " return t; }"
)


def on_map(page: Page, source: str, arg: Any = None) -> Any:
    """Return ``(source)(arg)`` run once in the current map's window (``None``: no map yet)."""
    return page.evaluate(_IN_MAP_JS, [MAP_FRAME, source, arg])


def wait_on_map(
    page: Page, predicate: str, arg: Any = None, *, what: str, timeout_ms: int = WAIT_MS
) -> Any:
    """Wait until ``(predicate)(arg)`` is truthy in the current map's window; return its value.

    ``what`` describes the awaited state for the failure message.
    """
    try:
        handle = page.wait_for_function(
            _IN_MAP_JS, arg=[MAP_FRAME, predicate, arg], timeout=timeout_ms
        )
    except PlaywrightTimeoutError as err:
        msg = f"the map never showed {what}"
        raise AssertionError(msg) from err
    return handle.json_value()


def map_frame(page: Page) -> Frame:
    """Return the map's iframe once its Leaflet map exists (for clicks and locators inside)."""
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=MAP_TIMEOUT_MS)
    wait_on_map(page, "() => true", what="a Leaflet map", timeout_ms=MAP_TIMEOUT_MS)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    assert frame is not None
    return frame


def map_locator(page: Page) -> FrameLocator:
    """Return a frame locator for the map's iframe (auto-waiting locators inside it)."""
    return page.frame_locator(MAP_FRAME)


def wait_for_count(page: Page, expected: int) -> int:
    """Wait until the map draws ``expected`` places; return it."""
    try:
        wait_on_map(page, f"(n) => ({COUNT_PLACES_JS})() === n", expected, what="the places")
    except AssertionError as err:
        msg = f"the map shows {on_map(page, COUNT_PLACES_JS)} places, expected {expected}"
        raise AssertionError(msg) from err
    return expected


def wait_for_pixel(
    page: Page, layer: str, lat_lon: tuple[float, float], rgb: tuple[int, int, int] | None
) -> list[int]:
    """Wait until the layer's canvas at ``lat_lon`` is painted ``rgb`` (±3), or empty if None."""
    predicate = f"""([layer, lat, lon, rgb]) => {{
        const p = ({CANVAS_PIXEL_JS})([layer, lat, lon]);
        if (rgb === null) {{ return p[3] === 0 ? p : null; }}
        const same = p[3] > 0 && [0, 1, 2].every(i => Math.abs(p[i] - rgb[i]) <= 3);
        return same ? p : null;
    }}"""
    arg = [layer, *lat_lon, list(rgb) if rgb is not None else None]
    rgba: list[int] = wait_on_map(
        page, predicate, arg, what=f"{layer} at {lat_lon} painted {rgb or 'nothing'}"
    )
    return rgba


IN_VIEW = re.compile(r"^In view: \d+$")


def set_view(page: Page, lat: float, lon: float, zoom: int, *, settle: bool = False) -> None:
    """Move the map and wait until Leaflet is there.

    With ``settle``, also wait until the app has the new view: its "In view: N" line (English
    pages) changes. Do that before touching a widget, or the rerun that the view starts can
    swallow the widget's change; the caller picks a view whose count differs.
    """
    before = page.get_by_text(IN_VIEW).inner_text() if settle else None
    on_map(page, f"() => window.map.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
    wait_on_map(
        page,
        f"""() => window.map.getZoom() === {zoom}
            && Math.abs(window.map.getCenter().lat - {lat}) < 1e-4""",
        what=f"the view at zoom {zoom}",
    )
    if before is not None:
        expect(page.get_by_text(IN_VIEW)).not_to_have_text(before, timeout=WAIT_MS)


def choose(page: Page, key: str, option: str) -> None:
    """Pick an option in the multiselect with this key."""
    page.locator(f".st-key-{key} [role='combobox']").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def choose_no_tiles(page: Page) -> None:
    """Pick the "No tiles" basemap in the sidebar and wait for a map without tile layers."""
    page.locator(".st-key-basemap").get_by_text("No tiles (offline)").click()
    wait_on_map(page, f"() => ({TILE_LAYERS_JS})() === 0", what="no tile layers")


def listed(page: Page, key: str = "place_list") -> Locator:
    """Return the locator of the options of a list of places."""
    return page.locator(f".st-key-{key} [role='radiogroup'] label")


def listed_names(page: Page, key: str = "place_list") -> list[str]:
    """Return the names in a list of places (each option's first line; its caption follows)."""
    return [t.split("\n")[0].strip() for t in listed(page, key).all_inner_texts()]


def query(url: str) -> dict[str, list[str]]:
    """Return the query parameters of a URL."""
    return parse_qs(urlparse(url).query)


def wait_for_query(page: Page, key: str, value: str | re.Pattern[str]) -> str:
    """Wait until the address bar has ``key=value`` (a string or a pattern); return the value."""

    def matches(url: str) -> bool:
        got = query(url).get(key, [None])[0]
        if got is None:
            return False
        return got == value if isinstance(value, str) else bool(value.match(got))

    page.wait_for_url(matches, timeout=WAIT_MS)
    return query(page.url)[key][0]
