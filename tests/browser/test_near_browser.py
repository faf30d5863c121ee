"""Near me in Debian's headless Chromium, offline: link, map click, browser location, phone."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.map_page import (
    MAP_FRAME,
    map_frame,
    map_locator,
    on_map,
    query,
    wait_for_query,
    wait_on_map,
)
from tests.catalogue import BAITEREK_LAT_LON, DEFAULT_N, PLACED, TSELINNY_LAT_LON, nearest_names
from ui.url_state import PAGES

RESULTS = ".st-key-near_results"
TSELINNY = "Tselinny Center of Contemporary Culture"
ALMATY = PLACED[PLACED["city"] == "almaty"]
# What the near map draws: the lines to the results and the circles of the results and the
# position (context layers, which come from GeoJSON documents and carry a feature, aside).
DRAWN_JS = """() => {
    let lines = 0, markers = 0;
    window.map.eachLayer(l => {
        if (l.feature) { return; }
        if (l instanceof L.Polyline && !(l instanceof L.Polygon)) { lines++; }
        if (l instanceof L.CircleMarker) { markers++; }
    });
    return [lines, markers];
}"""


def _near(page) -> str | None:
    return query(page.url).get("near", [None])[0]


def result_titles(page):
    """Return the locator of the results' titles ("1. Name")."""
    return page.locator(f"{RESULTS} strong").filter(has_text=re.compile(r"^\d+\. "))


def expect_results(page, names: list[str]) -> None:
    """Wait until the results are exactly these names, in this order."""
    assert names, "a test of results must expect some"
    titles = [f"{k}. {name}" for k, name in enumerate(names, start=1)]
    expect(result_titles(page)).to_have_text(titles, timeout=30_000)


def wait_drawn(page, lines: int) -> list[int]:
    """Wait until the near map draws ``lines`` lines; return [lines, circle markers]."""
    return wait_on_map(
        page,
        f"() => {{ const d = ({DRAWN_JS})(); return d[0] === {lines} ? d : null; }}",
        what=f"{lines} lines to the results",
    )


def test_a_near_link_lists_and_draws_the_nearest_places_offline(app, page, offline):
    page.goto(f"{app.url}/?lang=en&near=51.12800,71.43000")
    names = nearest_names((51.128, 71.43))
    assert len(names) == DEFAULT_N
    assert names[:2] == ["Water-Green Boulevard", "Nura recording studio"]
    expect_results(page, names)
    _, markers = wait_drawn(page, DEFAULT_N)
    assert markers == DEFAULT_N + 1  # the places and the position
    links = page.locator(f"{RESULTS} a[href*='directions']")
    expect(links).to_have_count(2 * DEFAULT_N)
    hrefs = links.evaluate_all("as => as.map(a => a.href)")
    assert sum("2gis.kz/astana/directions" in h for h in hrefs) == DEFAULT_N
    assert sum("openstreetmap.org/directions" in h for h in hrefs) == DEFAULT_N
    assert offline.local
    assert all(urlparse(u).hostname == "127.0.0.1" for _, u in offline.local)
    assert not [u for kind, u in offline.external if kind in ("script", "stylesheet")]


def test_a_click_on_the_map_sets_the_position(app, page):
    page.goto(f"{app.url}/?lang=en&city=almaty&mode=near")
    map_frame(page)
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    target = (43.2490, 76.9300)
    on_map(page, f"() => window.map.setView([{target[0]}, {target[1]}], 14, {{animate: false}})")
    x, y = wait_on_map(
        page,
        f"""() => {{ if (window.map.getZoom() !== 14) {{ return null; }}
            const p = window.map.latLngToContainerPoint([{target[0]}, {target[1]}]);
            return [p.x, p.y]; }}""",
        what="the view at zoom 14",
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    near = wait_for_query(page, "near", re.compile(r"^43\.24"))
    lat, lon = (float(v) for v in near.split(","))
    assert lat == pytest.approx(target[0], abs=5e-4)
    assert lon == pytest.approx(target[1], abs=5e-4)
    expected = nearest_names((lat, lon))
    assert expected[0] == TSELINNY
    expect_results(page, expected)
    wait_drawn(page, len(ALMATY))


def test_where_am_i_uses_the_browsers_location(app, make_page):
    lat, lon = TSELINNY_LAT_LON
    page = make_page(
        geolocation={"latitude": lat, "longitude": lon, "accuracy": 20},
        permissions=["geolocation"],
    )
    page.goto(f"{app.url}/?lang=en&mode=near")
    map_locator(page).get_by_role("button", name="Ask your browser where you are").click()
    wait_for_query(page, "near", f"{lat:.5f},{lon:.5f}")
    expect_results(page, nearest_names((lat, lon)))
    expect(result_titles(page).first).to_have_text(f"1. {TSELINNY}")


def test_a_denied_location_says_so_on_the_map(app, make_page):
    page = make_page()  # no permission granted: headless Chromium denies the prompt
    page.goto(f"{app.url}/?lang=en&mode=near&kind=landmark")
    map_locator(page).get_by_role("button", name="Ask your browser where you are").click()
    message = map_locator(page).locator(".creative-map-locate-msg")
    expect(message).to_contain_text("did not allow access to your location", timeout=15_000)
    assert _near(page) is None
    expect(page.locator(".st-key-kind")).to_contain_text("Context landmark")  # choices survive


@pytest.mark.parametrize(
    ("near", "message"),
    [
        ("abc", "That is not a position"),
        ("200,71.4", "Latitude must be between"),
        ("55.75,37.62", "outside Astana and Almaty"),
    ],
)
def test_a_bad_link_shows_its_message_beside_the_input(app, page, near, message):
    page.goto(f"{app.url}/?lang=en&near={near}")
    expect(page.get_by_text(message)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("First say where you are")).to_have_count(1)
    map_frame(page)  # the map still draws
    expect(result_titles(page)).to_have_count(0)
    assert page.dialogs == []


def test_an_empty_search_says_so_and_keeps_the_position(app, page):
    page.goto(f"{app.url}/?lang=en&near=51.12800,71.43000")
    names = nearest_names((51.128, 71.43))
    expect_results(page, names)
    box = page.get_by_label("Where are you? A place name, an address or LAT,LON")
    box.fill("   ")
    box.press("Enter")
    expect(page.get_by_text("Type a place name or an address to search.")).to_be_visible()
    assert _near(page) == "51.12800,71.43000"
    expect_results(page, names)


def test_search_across_scripts_in_the_browser(app, page):
    page.goto(f"{app.url}/?lang=ru&mode=near")
    box = page.get_by_label("Где вы? Название места, адрес или ШИРОТА,ДОЛГОТА")
    box.fill("Бәйтерек")
    box.press("Enter")
    near = wait_for_query(page, "near", re.compile(r"^51\.12"))
    lat, lon = (float(v) for v in near.split(","))
    assert (lat, lon) == pytest.approx(BAITEREK_LAT_LON, abs=2e-4)
    expected = nearest_names((lat, lon), lang="ru")
    assert expected[0] == "Водно-зелёный бульвар"  # Байтерек is where the search starts
    assert "Байтерек" not in expected
    expect_results(page, expected)


def _inside_phone(box, width: int = 390) -> None:
    assert box is not None
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= width, box


def test_on_a_phone_everything_fits_and_is_easy_to_touch(app, make_page):
    page = make_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{app.url}/?lang=ru&near=51.12800,71.43000")
    expect_results(page, nearest_names((51.128, 71.43), lang="ru"))
    wait_drawn(page, DEFAULT_N)
    widths = page.evaluate(
        """() => {
        const main = document.querySelector('[data-testid="stMain"]') || document.body;
        return [document.documentElement.scrollWidth, document.documentElement.clientWidth,
                main.scrollWidth, main.clientWidth];
    }"""
    )
    assert widths[0] <= widths[1], widths  # no horizontal scrolling
    assert widths[2] <= widths[3], widths
    for selector in (".st-key-near_query input", RESULTS, MAP_FRAME):
        element = page.locator(selector)
        expect(element).to_have_count(1)
        _inside_phone(element.bounding_box())
    search = page.get_by_role("button", name="Найти").bounding_box()
    assert search["height"] >= 44
    assert search["width"] >= 300
    expect(page.locator(f"{RESULTS} a[href*='directions']")).to_have_count(2 * DEFAULT_N)
    for link in page.locator(f"{RESULTS} a").all():
        assert link.bounding_box()["height"] >= 44, link.inner_text()
    modes = page.locator(".st-key-mode [role='radio']")  # the page switch: one per page
    expect(modes).to_have_count(len(PAGES))
    for mode in modes.all():
        assert mode.bounding_box()["height"] >= 44
        _inside_phone(mode.bounding_box())
    frame = map_locator(page)
    for control in (
        ".leaflet-control-zoom-in",
        ".leaflet-control-zoom-out",
        ".creative-map-locate",
    ):
        box = frame.locator(control).bounding_box()
        assert box["height"] >= 44, (control, box)
    box = page.get_by_label("Где вы? Название места, адрес или ШИРОТА,ДОЛГОТА")
    box.fill("Astana")
    box.press("Enter")
    picks = page.locator(".st-key-near_matches button")
    expect(picks.first).to_be_visible(timeout=30_000)
    assert picks.count() >= 2
    for pick in picks.all():
        b = pick.bounding_box()
        assert b["height"] >= 44
        _inside_phone(b)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "near-phone-top.png"))
    page.locator(RESULTS).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "near-phone-results.png"))
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "near-phone-map.png"))


def test_include_landmarks_in_the_browser_lists_them_and_a_reload_keeps_it(app, page):
    lat, lon = BAITEREK_LAT_LON
    page.goto(f"{app.url}/?lang=en&near={lat:.5f},{lon:.5f}")
    without = nearest_names(BAITEREK_LAT_LON)
    assert "Baiterek" not in without
    expect_results(page, without)
    box = page.get_by_role("checkbox", name="Include landmarks")
    expect(box).not_to_be_checked()
    page.get_by_text("Include landmarks", exact=True).click()
    wait_for_query(page, "landmarks", re.compile(r"^1$"))
    with_them = nearest_names(BAITEREK_LAT_LON, landmarks=True)
    assert with_them[0] == "Baiterek"
    expect_results(page, with_them)
    page.reload()  # a shared link: the box and the results come back
    expect(page.get_by_role("checkbox", name="Include landmarks")).to_be_checked()
    expect_results(page, with_them)
