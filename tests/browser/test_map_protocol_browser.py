"""The map protocol in real Chromium, offline: clicks by id, class updates, one script.

Class updates and polygons are shown on a standalone map built by layers/ and served with the
app's own asset files from a tiny http.server on 127.0.0.1; clicks go through the real app and
streamlit-folium.
"""

from __future__ import annotations

import base64
import html
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect
from shapely.geometry import Point, box
from streamlit_folium import _get_feature_group_string

from bench.recolour_bench import COLORS, N_POLYGONS, SPEC, TIMED_UPDATE_JS
from bench.recolour_bench import districts as district_frame
from bench.server import free_port as _free_port
from layers.assets import ASSET_DIRS
from layers.payload import class_update, document_filename, layer_document, write_document
from layers.render import LayerSource, build_base_map, view_update_group
from layers.spec import LayerSpec, NumericClasses, Style
from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.browser.conftest import ARTIFACTS
from tests.browser.map_page import choose
from tests.catalogue import PLACES

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
DISTRICTS = SPEC  # the benchmark's 2,000 district-sized polygons in 5 classes
SPOTS = LayerSpec(
    id="spots",
    title=(("en", "Spots"),),
    path="unused.gpkg",
    geometry_types=("Point",),
    source="built in the test",
    style=Style(
        classes=NumericClasses(column="value", scheme="EqualInterval", k=3, colors=COLORS),
        weight=1.0,
        fill_opacity=1.0,
        radius_px=8.0,
    ),
    tooltip_fields=("name",),
)
# RGBA painted on the map's canvas at (lat, lon): what a user really sees there.
CANVAS_PIXEL_JS = """([lat, lon]) => {
    const r = window.map.getRenderer(window.map.options.renderer || L.canvas());
    const p = window.map.latLngToLayerPoint([lat, lon]);
    const m = window.devicePixelRatio || 1;
    const x = Math.round((p.x - r._bounds.min.x) * m), y = Math.round((p.y - r._bounds.min.y) * m);
    return Array.from(r._ctx.getImageData(x, y, 1, 1).data);
}"""
PIXEL_IS_JS = f"""([lat, lon, rgb]) => {{
    const px = ({CANVAS_PIXEL_JS})([lat, lon]);
    return px[3] > 200 && rgb.every((c, i) => Math.abs(px[i] - c) <= 3);
}}"""


def _rgb(color: str) -> list[int]:
    return [int(color[i : i + 2], 16) for i in (1, 3, 5)]


def _spots() -> gpd.GeoDataFrame:
    rows = [
        {
            "id": f"spot_{i}",
            "name": f"Spot {i}",
            "value": float(i),
            "geometry": Point(71.40 + i * 0.02, 51.24),
        }
        for i in range(3)
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


class StaticSite:
    """A standalone map page and the app's asset files, served by http.server on 127.0.0.1."""

    def __init__(self, root: Path):
        self.root = root
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (ARTIFACTS / f"http-{self.port}.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1"],
            cwd=root,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout_s: float = 30) -> None:
        import time

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/map.html", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)  # polling a subprocess, not a Playwright page
        raise TimeoutError("http.server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    for bundle, folder in ASSET_DIRS.items():
        (root / bundle).symlink_to(folder, target_is_directory=True)
    sources = []
    for spec, gdf in ((DISTRICTS, district_frame()), (SPOTS, _spots())):
        text = layer_document(spec, gdf, lang="en")
        name = document_filename(spec.id, text)
        write_document(root / "layer_data", name, text)
        sources.append(LayerSource.of(spec, url=f"./layer_data/{name}", lang="en"))
    fmap = build_base_map(
        center_lat_lon=(51.05, 71.55),
        zoom=9,
        basemap="none",
        lang="en",
        asset_url_prefix="./",
        layers=sources,
    )
    (root / "map.html").write_text(fmap.get_root().render(), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    server = StaticSite(root)
    try:
        server.wait_ready()
        yield server, fmap
    finally:
        server.stop()


def _open(page, site):
    server, fmap = site
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server.url}/map.html")
    page.wait_for_function(
        f"() => window.{fmap.get_name()} && window.__creativeMap"
        " && Object.values(window.__creativeMap.layers).every(e => e.ready)",
        timeout=30_000,
    )
    page.evaluate(f"() => {{ window.map = window.map_div = window.{fmap.get_name()}; }}")
    return fmap, requests


def _update(fmap, states) -> str:
    return _get_feature_group_string(view_update_group(states), map=fmap)


def test_a_class_update_recolours_polygons_without_a_new_document_or_map(site, page, offline):
    fmap, requests = _open(page, site)
    districts = district_frame()
    first = districts.geometry.iloc[0].centroid
    lat_lon = [first.y, first.x]
    page.evaluate("() => { window.__probe = 42; window.map.setView([50.95, 71.4], 11); }")
    page.wait_for_function(PIXEL_IS_JS, arg=[*lat_lon, _rgb(COLORS[0])])
    legend = page.locator('.creative-map-legend-layer[data-layer="districts_value"]')
    expect(legend.locator(".creative-map-legend-row").first).to_contain_text("0 – 400")

    # Reverse the values: the first polygon moves from the lowest class to the highest.
    update = class_update(DISTRICTS, districts["value"][::-1].reset_index(drop=True), lang="en")
    assert list(base64.b64decode(update["classes"]))[:2] == [4, 4]
    states = {"districts_value": {"visible": True, "mask": None, "selected": None, **update}}
    documents_before = [u for u in requests if "/layer_data/" in u]
    elapsed_ms = page.evaluate(TIMED_UPDATE_JS, _update(fmap, states))
    page.wait_for_function(PIXEL_IS_JS, arg=[*lat_lon, _rgb(COLORS[4])])
    print(f"\nrecolour of {N_POLYGONS} polygons by a class update: {elapsed_ms:.0f} ms")
    (ARTIFACTS / "recolour_ms.txt").write_text(f"{elapsed_ms:.1f}\n", encoding="utf-8")
    assert page.evaluate("() => window.__probe") == 42, "the map was rebuilt"
    assert [u for u in requests if "/layer_data/" in u] == documents_before
    expect(legend.locator(".creative-map-legend-row").last).to_contain_text(
        html.unescape(update["labels"][-1])
    )

    # null classes: back to the document's own styles (and the document's legend labels).
    states["districts_value"] |= {"classes": None, "labels": None}
    page.evaluate(TIMED_UPDATE_JS, _update(fmap, states))
    page.wait_for_function(PIXEL_IS_JS, arg=[*lat_lon, _rgb(COLORS[0])])
    expect(legend.locator(".creative-map-legend-row").first).to_contain_text("0 – 400")
    page.screenshot(path=str(ARTIFACTS / "classes.png"))
    assert offline.external == []


def test_a_class_update_recolours_points_too(site, page):
    fmap, _ = _open(page, site)
    spot = _spots().geometry.iloc[0]
    page.evaluate(f"() => {{ window.map.setView([{spot.y}, {spot.x}], 14, {{animate: false}}); }}")
    page.wait_for_function(PIXEL_IS_JS, arg=[spot.y, spot.x, _rgb(COLORS[0])])
    update = class_update(SPOTS, pd.Series([2.0, 1.0, 0.0]), lang="en")
    states = {"spots": {"visible": True, "mask": None, "selected": None, **update}}
    page.evaluate(TIMED_UPDATE_JS, _update(fmap, states))
    page.wait_for_function(PIXEL_IS_JS, arg=[spot.y, spot.x, _rgb(COLORS[2])])


def test_polygons_take_part_like_points_tooltip_selection_mask(site, page):
    fmap, _ = _open(page, site)
    districts = district_frame()
    centre = districts.geometry.iloc[5].centroid
    page.evaluate(
        f"() => {{ window.map.setView([{centre.y}, {centre.x}], 13, {{animate: false}}); }}"
    )
    x, y = page.evaluate(
        f"() => {{ const p = window.map.latLngToContainerPoint([{centre.y}, {centre.x}]);"
        " const b = window.map.getContainer().getBoundingClientRect();"
        " return [b.left + p.x, b.top + p.y]; }"
    )
    page.mouse.move(x - 20, y)
    page.mouse.move(x, y, steps=4)
    expect(page.locator(".leaflet-tooltip")).to_have_text("district 5")

    hide_first_six = base64.b64encode(np.packbits([False] * 6 + [True] * 1994).tobytes()).decode()
    states = {
        "districts_value": {"visible": True, "mask": None, "selected": "districts_value-5"},
        "spots": {"visible": True, "mask": None, "selected": "spot_1"},
    }
    page.evaluate(TIMED_UPDATE_JS, _update(fmap, states))
    outlined = page.evaluate(
        "() => { const e = window.__creativeMap.layers.districts_value;"
        " return [e.layers[5].options.color, e.layers[4].options.color,"
        " window.__creativeMap.layers.spots.points.selected]; }"
    )
    assert outlined[0] == "#000000"
    assert outlined[1] != "#000000"
    assert outlined[2] == 1
    states["districts_value"]["mask"] = hide_first_six
    page.evaluate(TIMED_UPDATE_JS, _update(fmap, states))
    page.wait_for_function(f"() => ({CANVAS_PIXEL_JS})([{centre.y}, {centre.x}])[3] === 0")
    shown = page.evaluate(
        "() => window.map.getContainer().getAttribute('data-shown-districts_value')"
    )
    assert shown == str(N_POLYGONS - 6)


def test_the_standalone_page_loads_our_script_once_by_name(site, page):
    _open(page, site)
    srcs = page.evaluate("() => [...document.querySelectorAll('script[src]')].map(s => s.src)")
    ours = [s for s in srcs if "creative_map.js" in s]
    assert len(ours) == 1
    inline = page.evaluate(
        "() => [...document.querySelectorAll('script:not([src])')].map(s => s.textContent)"
    )
    assert inline
    assert not any("PointsPath" in text for text in inline)


def _map_frame(page):
    frame = page.wait_for_selector(MAP_FRAME, timeout=60_000).content_frame()
    frame.wait_for_function(
        "() => window.map && window.__creativeMap && window.__creativeMap.layers.places"
        " && window.__creativeMap.layers.places.ready",
        timeout=60_000,
    )
    return frame


def _click_at(page, frame, lat: float, lon: float) -> None:
    frame.evaluate(f"() => {{ window.map.setView([{lat}, {lon}], 14, {{animate: false}}); }}")
    x, y = frame.evaluate(
        f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]);"
        " return [p.x, p.y]; }"
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_the_app_page_loads_our_script_once(app, page):
    page.goto(f"{app.url}/?lang=en")
    frame = _map_frame(page)
    srcs = frame.evaluate("() => [...document.querySelectorAll('script[src]')].map(s => s.src)")
    assert len([s for s in srcs if "/component/ui.assets.creative_map/creative_map.js" in s]) == 1
    inline = frame.evaluate(
        "() => [...document.querySelectorAll('script:not([src])')].map(s => s.textContent)"
    )
    assert inline
    assert not any("PointsPath = L.Path.extend" in text for text in inline)
    expect(frame.locator(".creative-map-legend")).to_contain_text("Arts centre")


def test_a_click_on_a_line_place_opens_its_card_by_id(app, page):
    line = PLACES[PLACES.geom_type == "LineString"].iloc[0]
    point = line.geometry.interpolate(0.5, normalized=True)
    page.goto(f"{app.url}/?lang=en&city=astana")
    frame = _map_frame(page)
    _click_at(page, frame, point.y, point.x)
    expect(page.locator(".st-key-place_card")).to_contain_text(line["name_en"], timeout=30_000)
    drawing = frame.evaluate("() => window.__GLOBAL_DATA__.previous_data.last_active_drawing")
    assert drawing["properties"] == {"layer": "places", "id": line["id"]}


def test_a_click_on_a_point_place_opens_its_card_by_id(app, page):
    place = PLACES[(PLACES["id"] == "almaty_tselinny")].iloc[0]
    page.goto(f"{app.url}/?lang=en&city=almaty")
    frame = _map_frame(page)
    _click_at(page, frame, place.geometry.y, place.geometry.x)
    expect(page.locator(".st-key-place_card")).to_contain_text(place["name_en"], timeout=30_000)
    drawing = frame.evaluate("() => window.__GLOBAL_DATA__.previous_data.last_active_drawing")
    assert drawing == {
        "type": "Feature",
        "geometry": None,
        "properties": {"layer": "places", "id": "almaty_tselinny"},
    }


@pytest.fixture(scope="module")
def district_app(start_app, catalogue_dir, tmp_path_factory):
    """The app with a districts layer built here: one district away from every place.

    Its name matches no district of Astana, so the loader keeps the name as its id (a known
    district's id would be canonical: ``"Yesil"``, ...).
    """
    folder = tmp_path_factory.mktemp("districts")
    district = gpd.GeoDataFrame(
        {"id": ["test_district"], "name": ["Test district"]},
        geometry=[box(71.60, 51.20, 71.66, 51.26)],
        crs="EPSG:4326",
    )
    district.to_file(folder / "astana_districts.geojson", driver="GeoJSON")
    return start_app(**{DATA_DIR_VAR: str(catalogue_dir), CONTEXT_DIR_VAR: str(folder)})


def test_a_click_on_a_polygon_reaches_streamlit_folium_with_its_id(district_app, page):
    page.goto(f"{district_app.url}/?lang=en&city=astana&layers=places,astana_districts")
    frame = _map_frame(page)
    frame.wait_for_function(
        "() => { const e = window.__creativeMap.layers.astana_districts;"
        " return e && e.ready && window.map.hasLayer(e.container); }",
        timeout=30_000,
    )
    _click_at(page, frame, 51.23, 71.63)
    frame.wait_for_function(
        "() => { const d = window.__GLOBAL_DATA__.previous_data.last_active_drawing;"
        " return d && d.properties.layer === 'astana_districts'"
        " && d.properties.id === 'Test district'; }",
        timeout=30_000,
    )
    # A district is not a place: no card. A later rerun (a filter change, whose count line
    # shows it is done) runs after the click's, so a card opened by the click would be there.
    choose(page, "status", "Existing")
    existing = int(((PLACES["status"] == "existing") & (PLACES["city"] == "astana")).sum())
    expect(page.get_by_text(f"{existing} of {len(PLACES)} places match")).to_be_visible(
        timeout=30_000
    )
    expect(page.locator(".st-key-place_card")).to_have_count(0)
    expect(page.get_by_text("Pick a place on the map or in the list.")).to_be_visible()


def test_view_update_json_matches_what_the_page_applies(site, page):
    """The states a view update carries are exactly what store.apply receives."""
    fmap, _ = _open(page, site)
    states = {"spots": {"visible": True, "mask": None, "selected": "spot_2"}}
    page.evaluate(TIMED_UPDATE_JS, _update(fmap, states))
    applied = page.evaluate("() => window.__creativeMap.layers.spots.state")
    assert applied == json.loads(json.dumps(states["spots"]))
    assert pd.isna(applied.get("classes", np.nan))
