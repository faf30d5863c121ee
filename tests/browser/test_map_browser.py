"""The real app in Debian's headless Chromium, with no internet: map, filters, URL, clicks."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.map_page import (
    MAP_FRAME,
    TILE_LAYERS_JS,
    VIEW_JS,
    choose,
    choose_no_tiles,
    listed,
    listed_names,
    map_frame,
    map_locator,
    on_map,
    query,
    set_view,
    wait_for_count,
    wait_for_pixel,
    wait_for_query,
    wait_on_map,
)
from tests.catalogue import PLACED, PLACES, TSELINNY_LAT_LON
from tests.conftest import SHARED_GEODATA

ASTANA = PLACED[PLACED["city"] == "astana"]
ALMATY = PLACED[PLACED["city"] == "almaty"]


def test_map_draws_offline_with_every_placed_place(app, page, offline):
    page.goto(f"{app.url}/?lang=en")
    wait_for_count(page, len(PLACED))
    expect(page.get_by_text(f"In view: {len(PLACED)}")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"))
    external_assets = [
        url for kind, url in offline.external if kind in {"script", "stylesheet", "font"}
    ]
    assert external_assets == []
    srcs = map_frame(page).evaluate(
        "() => [...document.querySelectorAll('script[src], link[href]')].map(e => e.src || e.href)"
    )
    assert srcs, "the map iframe loads its assets from somewhere"
    assert all(urlparse(u).hostname == "127.0.0.1" for u in srcs), srcs
    assert any(u.endswith("/component/ui.assets.leaflet/leaflet.js") for u in srcs)


def test_tiles_fail_clearly_offline_and_no_tiles_needs_nothing(app, page, offline):
    page.goto(f"{app.url}/?lang=en&city=astana")
    wait_for_count(page, len(ASTANA))
    notice = map_locator(page).locator(".creative-map-notice")
    expect(notice).to_contain_text("Basemap tiles could not load")
    assert any(kind == "image" for kind, _ in offline.external)  # the tiles it tried
    choose_no_tiles(page)
    offline.external.clear()
    wait_for_count(page, len(ASTANA))
    expect(map_locator(page).locator(".creative-map-notice")).to_have_count(0)
    assert on_map(page, TILE_LAYERS_JS) == 0
    set_view(page, 51.15, 71.45, 12)  # a move would fetch tiles if there were a tile layer
    wait_for_count(page, len(ASTANA))
    assert offline.external == []
    page.screenshot(path=str(ARTIFACTS / "no-tiles.png"))


GEOMETRY_KINDS_JS = """() => { const k = {}; window.map.eachLayer(l => { if (l.feature) {
    const t = l.feature.geometry.type; k[t] = (k[t] || 0) + 1; } }); return k; }"""


@pytest.mark.skipif(not SHARED_GEODATA.is_dir(), reason="needs ../shared/geodata for context")
def test_no_tiles_view_still_shows_outline_and_river(app, page):
    (line_id,) = PLACED.loc[PLACED.geometry.geom_type == "LineString", "id"]
    page.goto(f"{app.url}/?lang=en&city=astana&place={line_id}")
    wait_for_count(page, len(ASTANA))
    choose_no_tiles(page)
    wait_for_count(page, len(ASTANA))
    kinds = wait_on_map(
        page,
        f"""() => {{ const k = ({GEOMETRY_KINDS_JS})();
            const lines = (k.LineString || 0) + (k.MultiLineString || 0);
            const areas = (k.Polygon || 0) + (k.MultiPolygon || 0);
            return lines >= 2 && areas >= 1 ? k : null; }}""",
        what="the river, the boulevard and the city outline",
    )
    assert kinds  # the river and the place's line, the city outline
    set_view(page, 51.12, 71.425, 13)
    expect(page.locator(".st-key-place_card")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "readme.png"))


def test_filter_change_redraws_overlay_and_keeps_map_and_view(app, page):
    page.goto(f"{app.url}/?lang=en&city=astana")
    wait_for_count(page, len(ASTANA))
    expect(page.get_by_text(f"In view: {len(ASTANA)}")).to_be_visible()
    on_map(page, "() => { window.__probe = 42; }")
    set_view(page, 51.12, 71.42, 14, settle=True)
    choose(page, "status", "Existing")
    existing = int((ASTANA["status"] == "existing").sum())
    assert 0 < existing < len(ASTANA)
    wait_for_count(page, existing)
    wait_for_query(page, "status", "existing")
    assert on_map(page, "() => window.__probe") == 42, "the map iframe was rebuilt"
    zoom, lat, _ = on_map(page, VIEW_JS)
    assert zoom == 14
    assert lat == pytest.approx(51.12, abs=1e-3)


def test_list_follows_the_map_view(app, page):
    page.goto(f"{app.url}/?lang=en")
    wait_for_count(page, len(PLACED))
    expect(listed(page)).to_have_count(len(PLACED))
    lat, lon = TSELINNY_LAT_LON
    set_view(page, lat, lon, 13)
    expected = sorted(ALMATY["name_en"])
    assert 0 < len(expected) < len(PLACED)
    expect(page.get_by_text(f"In view: {len(expected)}")).to_be_visible()
    expect(listed(page)).to_have_count(len(expected))
    assert sorted(listed_names(page)) == expected


def test_shared_url_restores_the_view(app, page):
    (row,) = [r for _, r in PLACES.iterrows() if r["id"] == "almaty_tselinny"]
    same_kind = ALMATY[ALMATY["kind"] == row["kind"]]
    page.goto(f"{app.url}/?lang=en&city=almaty&kind={row['kind']}&place={row['id']}")
    wait_for_count(page, len(same_kind))
    card = page.locator(".st-key-place_card")
    expect(card).to_contain_text(row["name_en"])
    expect(page.locator(".st-key-kind")).to_contain_text("Arts centre")
    q = query(page.url)
    assert q["city"] == ["almaty"]
    assert q["kind"] == [row["kind"]]
    assert q["place"] == [row["id"]]


def test_clicking_a_place_on_the_map_opens_its_card(app, page):
    page.goto(f"{app.url}/?lang=en&city=almaty")
    wait_for_count(page, len(ALMATY))
    lat, lon = TSELINNY_LAT_LON
    set_view(page, lat, lon, 15, settle=True)
    x, y = on_map(
        page,
        f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]);"
        " return [p.x, p.y]; }",
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.locator(".st-key-place_card")).to_contain_text("Tselinny")
    wait_for_query(page, "place", "almaty_tselinny")


def test_bad_url_values_are_ignored_with_a_notice(app, page):
    page.goto(f"{app.url}/?lang=en&city=paris&year=abc&place=%3Cscript%3Ealert(1)%3C/script%3E")
    wait_for_count(page, len(PLACED))
    body = page.locator("body")
    expect(body).to_contain_text("Ignored city=paris from the link: unknown value")
    expect(body).to_contain_text("Ignored year=abc from the link: unknown value")
    expect(body).to_contain_text(
        "Ignored place=<script>alert(1)</script> from the link: no such place"
    )
    assert page.dialogs == []


def test_places_are_painted_in_their_kind_colour_and_unpainted_when_filtered_out(app, page):
    # Only the places: the city outlines (Almaty's too) share the map's canvas and would tint
    # the pixel under a place that is filtered out.
    page.goto(f"{app.url}/?lang=en&city=almaty&layers=places")
    wait_for_count(page, len(ALMATY))
    choose_no_tiles(page)  # the sidebar: the URL does not carry the basemap yet
    wait_for_count(page, len(ALMATY))
    set_view(page, *TSELINNY_LAT_LON, 15, settle=True)
    green = (0x00, 0x9E, 0x73)  # arts_centre in KIND_COLORS
    wait_for_pixel(page, "places", TSELINNY_LAT_LON, green)
    choose(page, "kind", "Creative cluster")
    clusters = int((ALMATY["kind"] == "creative_cluster").sum())
    assert clusters > 0
    wait_for_count(page, clusters)
    wait_for_pixel(page, "places", TSELINNY_LAT_LON, None)
