"""Places at one point in real Chromium: a count badge, one tooltip for all, a click spreads them.

The app runs on a small catalogue written here: three places of three kinds at one coordinate
(as the EXPO cluster, Nur Alem, Astana Hub and the AIFC share one) and one place alone.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from playwright.sync_api import expect
from shapely.geometry import Point

from geo.validate import validate_places
from layers.registry import KIND_COLORS
from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.browser.conftest import ARTIFACTS
from tests.browser.map_page import MAP_FRAME, map_frame, on_map, wait_on_map
from tests.catalogue import PLACES, write_catalogue

SPOT_LAT_LON = (43.24833, 76.92889)
ALONE_LAT_LON = (43.25500, 76.94500)
ZOOM = 14
STACKED = (
    ("stack_cluster", "Stacked Cluster One", "creative_cluster"),
    ("stack_hub", "Stacked Hub Two", "it_hub"),
    # Markup in a name stays text in the stack's tooltip, as in every other.
    ("stack_arts", "Stacked <img src=x onerror=alert(1)>Arts Three", "arts_centre"),
)
COLOR_OF_KIND = dict(KIND_COLORS)

# The places layer's stacks: [[member ids...], ...], and the spread stack's member ids.
STACKS_JS = """() => {
    const e = window.__creativeMap && window.__creativeMap.layers.places;
    if (!e || !e.ready || !e.points || !e.points.stacks) { return null; }
    const p = e.points;
    return {
        stacks: p.stacks.map(s => s.members.map(k => p.features[k].properties.id)),
        spread: p.spread ? p.spread.members.map(k => p.features[k].properties.id) : null,
    };
}"""
# Container pixels of a place's drawn centre (a spread member's place on the circle).
PLACE_AT_JS = """(id) => {
    const p = window.__creativeMap.layers.places.points;
    const k = p.features.findIndex(f => f.properties.id === id);
    const c = window.map.layerPointToContainerPoint([p._px[k], p._py[k]]);
    return [c.x, c.y];
}"""
# A layer point inside the first stack's badge.
BADGE_AT_JS = """() => {
    const p = window.__creativeMap.layers.places.points;
    const b = p._badgeAt(0);
    return [b[0] - 5, b[1]];  // inside the white disc, left of the digit
}"""
# RGBA painted at a layer point (x, y) of the places' canvas.
PIXEL_AT_JS = """([x, y]) => {
    const r = window.__creativeMap.layers.places.points._renderer;
    const m = window.devicePixelRatio || 1;
    const px = Math.round((x - r._bounds.min.x) * m), py = Math.round((y - r._bounds.min.y) * m);
    return Array.from(r._ctx.getImageData(px, py, 1, 1).data);
}"""


def _rgb(color: str) -> list[int]:
    return [int(color[i : i + 2], 16) for i in (1, 3, 5)]


def _stacked_places() -> gpd.GeoDataFrame:
    template = PLACES[PLACES["id"] == "almaty_tselinny"].iloc[0]
    rows = []
    for pid, name, kind in (*STACKED, ("alone_studio", "Alone Studio", "studio")):
        row = template.copy()
        at = ALONE_LAT_LON if pid == "alone_studio" else SPOT_LAT_LON
        row["id"], row["kind"], row["geometry"] = pid, kind, Point(at[1], at[0])
        for lang in ("kk", "ru", "en"):
            row[f"name_{lang}"] = name
        rows.append(row)
    frame = pd.DataFrame(rows).reset_index(drop=True)
    places = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    return validate_places(places)


@pytest.fixture(scope="module")
def stacked_app(start_app, tmp_path_factory):
    folder = tmp_path_factory.mktemp("stacked")
    write_catalogue(folder, _stacked_places())
    context = tmp_path_factory.mktemp("stacked_context")
    return start_app(**{DATA_DIR_VAR: str(folder), CONTEXT_DIR_VAR: str(context)})


def _open(page, app):
    page.goto(f"{app.url}/?lang=en&city=almaty")
    map_frame(page)
    lat, lon = SPOT_LAT_LON
    on_map(page, f"() => window.map.setView([{lat}, {lon}], {ZOOM}, {{animate: false}})")
    return wait_on_map(
        page,
        f"() => {{ const s = ({STACKS_JS})(); return s && window.map.getZoom() === {ZOOM}"
        " && s.stacks.length ? s : null; }",
        what="a stack of places",
    )


def _page_xy(page, container_xy: list[float]) -> tuple[float, float]:
    box = page.locator(MAP_FRAME).bounding_box()
    assert box is not None
    return box["x"] + container_xy[0], box["y"] + container_xy[1]


def _spot_xy(page) -> tuple[float, float]:
    lat, lon = SPOT_LAT_LON
    xy = on_map(
        page,
        f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]);"
        " return [p.x, p.y]; }",
    )
    return _page_xy(page, xy)


def test_a_stack_shows_its_count_lists_all_and_spreads_into_clickable_places(stacked_app, page):
    state = _open(page, stacked_app)
    # One stack of the three (the lone studio is no stack), drawn with a white count badge.
    assert sorted(state["stacks"][0]) == sorted(pid for pid, _, _ in STACKED)
    assert len(state["stacks"]) == 1
    assert state["spread"] is None
    badge = on_map(page, BADGE_AT_JS)
    rgba = on_map(page, PIXEL_AT_JS, badge)
    assert rgba[3] > 200
    assert min(rgba[:3]) > 230, f"no white badge at the stack: {rgba}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "stacked-badge.png"))

    # Hovering the stack lists every place in it, with the count.
    page.mouse.move(*_spot_xy(page))
    tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("Places at this point: 3", timeout=10_000)
    items = tooltip.locator(".creative-map-stack-item")
    expect(items).to_have_count(3)
    for _, name, kind in STACKED:
        item = items.filter(has_text=name)
        expect(item).to_have_count(1)
        swatch = item.locator(".creative-map-swatch").evaluate(
            "s => getComputedStyle(s).backgroundColor"
        )
        assert swatch == "rgb({}, {}, {})".format(*_rgb(COLOR_OF_KIND[kind]))
    expect(tooltip).to_contain_text("Click to show each one")
    expect(tooltip.locator("img")).to_have_count(0)
    page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "stacked-tooltip.png"))

    # A click spreads the stack: each member on its own spot, in its own kind's colour.
    page.mouse.click(*_spot_xy(page))
    wait_on_map(page, f"() => ({STACKS_JS})().spread !== null", what="the stack spread out")
    page.mouse.move(0, 0)
    for pid, _, kind in STACKED:
        xy = on_map(page, PLACE_AT_JS, pid)
        layer_xy = on_map(
            page,
            f"() => {{ const p = window.map.containerPointToLayerPoint([{xy[0]}, {xy[1]}]);"
            " return [p.x, p.y]; }",
        )
        rgba = on_map(page, PIXEL_AT_JS, layer_xy)
        expected = _rgb(COLOR_OF_KIND[kind])
        assert rgba[3] > 100, f"{pid} is not drawn at its spread position"
        assert all(abs(rgba[i] - expected[i]) <= 3 for i in range(3)), (pid, rgba, expected)
    page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "stacked-spread.png"))

    # A click on each spread member opens that place's card, and the stack stays spread.
    card = page.locator(".st-key-place_card")
    for pid, name, _ in STACKED:
        page.mouse.click(*_page_xy(page, on_map(page, PLACE_AT_JS, pid)))
        expect(card).to_contain_text(name, timeout=30_000)
        drawing = on_map(page, "() => window.__GLOBAL_DATA__.previous_data.last_active_drawing")
        assert drawing["properties"] == {"layer": "places", "id": pid}
        assert on_map(page, STACKS_JS)["spread"] is not None
    assert page.dialogs == []
    page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "stacked-selected.png"))

    # A click away from it folds it back; so does a zoom.
    box = page.locator(MAP_FRAME).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 40, box["y"] + box["height"] - 60)
    wait_on_map(page, f"() => ({STACKS_JS})().spread === null", what="the stack folded")
    page.mouse.click(*_spot_xy(page))
    wait_on_map(page, f"() => ({STACKS_JS})().spread !== null", what="the stack spread again")
    on_map(page, f"() => window.map.setZoom({ZOOM + 1}, {{animate: false}})")
    wait_on_map(page, f"() => ({STACKS_JS})().spread === null", what="the stack folded on zoom")


def test_a_click_on_a_lone_place_still_selects_it(stacked_app, page):
    _open(page, stacked_app)
    lat, lon = ALONE_LAT_LON
    xy = on_map(
        page,
        f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]);"
        " return [p.x, p.y]; }",
    )
    page.mouse.click(*_page_xy(page, xy))
    expect(page.locator(".st-key-place_card")).to_contain_text("Alone Studio", timeout=30_000)
    assert on_map(page, STACKS_JS)["spread"] is None
