"""The real app in Debian's headless Chromium, with no internet: map, filters, URL, clicks."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import geopandas as gpd
import pytest

from tests.browser.conftest import ARTIFACTS
from tests.conftest import DATA_DIR, SHARED_GEODATA

PLACES = gpd.read_file(DATA_DIR / "catalogue.gpkg", layer="places")
PLACED = PLACES[PLACES.geometry.notna()]
ASTANA = PLACED[PLACED["city"] == "astana"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'

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


def map_frame(page):
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    for _ in range(600):
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.evaluate("() => !!window.map"):
                        return frame
                except Exception:  # noqa: BLE001 - the frame may be navigating
                    pass
        page.wait_for_timeout(100)
    raise AssertionError("the map never appeared")


def wait_for_count(page, expected: int, timeout_ms: int = 30_000) -> int:
    count = -1
    for _ in range(timeout_ms // 100):
        count = map_frame(page).evaluate(COUNT_PLACES_JS)
        if count == expected:
            return count
        page.wait_for_timeout(100)
    raise AssertionError(f"map shows {count} places, expected {expected}")


def choose(page, key: str, option: str) -> None:
    page.locator(f".st-key-{key} [role='combobox']").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


NO_TILES_JS = (
    "() => { let t = 0; window.map.eachLayer(l => { if (l instanceof L.TileLayer) t++; });"
    " return t === 0; }"
)


def choose_no_tiles(page) -> None:
    """Pick the "No tiles" basemap and wait for the remounted map (the old frame detaches)."""
    page.locator(".st-key-basemap").get_by_text("No tiles (offline)").click()
    for _ in range(300):
        try:
            if map_frame(page).evaluate(NO_TILES_JS):
                return
        except Exception:  # noqa: BLE001 - the old frame may detach while we ask it
            pass
        page.wait_for_timeout(100)
    raise AssertionError("the map never switched to no tiles")


def listed_names(page, key: str = "place_list") -> list[str]:
    """Return the names in a list of places (each option's first line; its caption follows)."""
    labels = page.locator(f".st-key-{key} [role='radiogroup'] label").all_inner_texts()
    return [text.split("\n")[0].strip() for text in labels]


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def wait_for_query(page, key: str, value: str) -> None:
    for _ in range(200):
        if query(page).get(key) == [value]:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"URL never got {key}={value}: {page.url}")


def test_map_draws_offline_with_every_placed_place(app, page, offline):
    page.goto(f"{app.url}/?lang=en")
    wait_for_count(page, len(PLACED))
    page.get_by_text("In view:").first.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"))
    external_assets = [
        url for kind, url in offline.external if kind in {"script", "stylesheet", "font"}
    ]
    assert external_assets == []
    frame = map_frame(page)
    srcs = frame.evaluate(
        "() => [...document.querySelectorAll('script[src], link[href]')].map(e => e.src || e.href)"
    )
    assert srcs, "the map iframe loads its assets from somewhere"
    assert all(urlparse(u).hostname == "127.0.0.1" for u in srcs), srcs
    assert any(u.endswith("/component/ui.assets.leaflet/leaflet.js") for u in srcs)


def test_tiles_fail_clearly_offline_and_no_tiles_needs_nothing(app, page, offline):
    page.goto(f"{app.url}/?lang=en&city=astana")
    wait_for_count(page, len(ASTANA))
    notice = map_frame(page).locator(".creative-map-notice")
    notice.wait_for(timeout=30_000)
    assert "Basemap tiles could not load" in notice.inner_text()
    choose_no_tiles(page)
    offline.external.clear()
    wait_for_count(page, len(ASTANA))
    frame = map_frame(page)
    assert frame.locator(".creative-map-notice").count() == 0
    assert (
        frame.evaluate(
            "() => { let t = 0; window.map.eachLayer(l => "
            "{ if (l instanceof L.TileLayer) t++; }); return t; }"
        )
        == 0
    )
    page.wait_for_timeout(1000)
    assert offline.external == []
    page.screenshot(path=str(ARTIFACTS / "no-tiles.png"))


@pytest.mark.skipif(not SHARED_GEODATA.is_dir(), reason="needs ../shared/geodata for context")
def test_no_tiles_view_still_shows_outline_and_river(app, page):
    page.goto(f"{app.url}/?lang=en&city=astana&place=astana_water_green_boulevard")
    wait_for_count(page, len(ASTANA))
    choose_no_tiles(page)
    wait_for_count(page, len(ASTANA))
    frame = map_frame(page)
    for _ in range(100):
        kinds = frame.evaluate(
            "() => { const k = {}; window.map.eachLayer(l => { if (l.feature) {"
            " const t = l.feature.geometry.type; k[t] = (k[t] || 0) + 1; } }); return k; }"
        )
        if kinds.get("MultiLineString", 0) + kinds.get("LineString", 0) >= 2:
            break
        page.wait_for_timeout(100)
    assert kinds.get("Polygon", 0) + kinds.get("MultiPolygon", 0) >= 1  # the city outline
    assert kinds.get("MultiLineString", 0) + kinds.get("LineString", 0) >= 2  # river, boulevard
    frame.evaluate("() => window.map.setView([51.12, 71.425], 13)")
    page.locator(".st-key-place_card").wait_for()
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "readme.png"))


def test_filter_change_redraws_overlay_and_keeps_map_and_view(app, page):
    page.goto(f"{app.url}/?lang=en&city=astana")
    wait_for_count(page, len(ASTANA))
    frame = map_frame(page)
    frame.evaluate("() => { window.__probe = 42; window.map.setView([51.12, 71.42], 14); }")
    page.wait_for_timeout(800)
    choose(page, "status", "Existing")
    existing = int((ASTANA["status"] == "existing").sum())
    wait_for_count(page, existing)
    wait_for_query(page, "status", "existing")
    frame = map_frame(page)
    assert frame.evaluate("() => window.__probe") == 42, "the map iframe was rebuilt"
    view = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter().lat]")
    assert view[0] == 14
    assert view[1] == pytest.approx(51.12, abs=1e-3)


def test_list_follows_the_map_view(app, page):
    page.goto(f"{app.url}/?lang=en")
    wait_for_count(page, len(PLACED))
    map_frame(page).evaluate("() => window.map.setView([43.252, 76.928], 14)")
    expected = sorted(PLACED.loc[PLACED["city"] == "almaty", "name_en"])
    listed: list[str] = []
    for _ in range(300):
        listed = sorted(listed_names(page))
        if listed == expected and page.get_by_text("In view: 2").count():
            break
        page.wait_for_timeout(100)
    assert listed == expected


def test_shared_url_restores_the_view(app, page):
    page.goto(f"{app.url}/?lang=en&city=almaty&kind=arts_centre&place=almaty_tselinny")
    wait_for_count(page, 1)
    card = page.locator(".st-key-place_card")
    card.wait_for()
    assert "Tselinny Center of Contemporary Culture" in card.inner_text()
    assert "Arts centre" in page.locator(".st-key-kind").inner_text()
    q = query(page)
    assert q["city"] == ["almaty"]
    assert q["kind"] == ["arts_centre"]
    assert q["place"] == ["almaty_tselinny"]


def test_clicking_a_place_on_the_map_opens_its_card(app, page):
    page.goto(f"{app.url}/?lang=en&city=almaty")
    wait_for_count(page, 2)
    frame = map_frame(page)
    frame.evaluate("() => window.map.setView([43.25, 76.93], 15)")
    page.wait_for_timeout(800)
    x, y = frame.evaluate(
        "() => { const p = window.map.latLngToContainerPoint([43.24833, 76.92889]);"
        " return [p.x, p.y]; }"
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.locator(".st-key-place_card").wait_for(timeout=30_000)
    assert "Tselinny" in page.locator(".st-key-place_card").inner_text()
    wait_for_query(page, "place", "almaty_tselinny")


def test_bad_url_values_are_ignored_with_a_notice(app, page):
    page.goto(f"{app.url}/?lang=en&city=paris&year=abc&place=%3Cscript%3Ealert(1)%3C/script%3E")
    wait_for_count(page, len(PLACED))
    body = page.locator("body").inner_text()
    assert "Ignored city=paris from the link: unknown value" in body
    assert "Ignored year=abc from the link: unknown value" in body
    assert "Ignored place=<script>alert(1)</script> from the link: no such place" in body
    assert page.dialogs == []


def _pixel(page, lat_lon):
    for _ in range(50):  # the redraw follows the update by one animation frame
        frame = map_frame(page)
        rgba = frame.evaluate(CANVAS_PIXEL_JS, ["places", *lat_lon])
        yield rgba
        page.wait_for_timeout(100)


def test_places_are_painted_in_their_kind_colour_and_unpainted_when_filtered_out(app, page):
    tselinny = (43.24833, 76.92889)
    page.goto(f"{app.url}/?lang=en&city=almaty&basemap=none")
    wait_for_count(page, 2)
    map_frame(page).evaluate(f"() => window.map.setView([{tselinny[0]}, {tselinny[1]}], 15)")
    green = (0x00, 0x9E, 0x73)  # arts_centre in KIND_COLORS
    for rgba in _pixel(page, tselinny):
        if rgba[3] > 0 and all(abs(a - b) <= 2 for a, b in zip(rgba[:3], green, strict=True)):
            break
    else:
        raise AssertionError(f"Tselinny is not painted in its kind's colour: {rgba}")
    choose(page, "kind", "Creative cluster")
    wait_for_count(page, 1)
    for rgba in _pixel(page, tselinny):
        if rgba[3] == 0:
            break
    else:
        raise AssertionError(f"Tselinny is still painted after filtering it out: {rgba}")
