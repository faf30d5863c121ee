"""Near me in Debian's headless Chromium, offline: link, map click, browser location, phone."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_map_browser import MAP_FRAME, map_frame

RESULTS = ".st-key-near_results"
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
    return parse_qs(urlparse(page.url).query).get("near", [None])[0]


def _wait_near(page, expected_prefix: str, timeout_ms: int = 30_000) -> str:
    for _ in range(timeout_ms // 100):
        near = _near(page)
        if near and near.startswith(expected_prefix):
            return near
        page.wait_for_timeout(100)
    raise AssertionError(f"near is {_near(page)!r}, expected it to start with {expected_prefix!r}")


def _result_names(page, count: int | None = None) -> list[str]:
    """Return the listed results once there are any (or ``count`` of them): a rerun redraws
    the list, so one read can catch it half drawn."""
    page.locator(RESULTS).wait_for(timeout=30_000)
    names: list[str] = []
    for _ in range(300):
        texts = page.locator(f"{RESULTS} strong").all_inner_texts()
        names = [t.split(". ", 1)[1] for t in texts if ". " in t]
        if (count is None and names) or len(names) == count:
            return names
        page.wait_for_timeout(100)
    raise AssertionError(f"results: {names}, expected {count or 'some'}")


def _wait_drawn(page, lines: int) -> list[int]:
    drawn = [-1, -1]
    for _ in range(300):
        try:
            drawn = map_frame(page).evaluate(DRAWN_JS)
        except Exception:  # noqa: BLE001 - the map iframe is being rebuilt
            drawn = [-1, -1]
        if drawn[0] == lines:
            return drawn
        page.wait_for_timeout(100)
    raise AssertionError(f"the near map shows {drawn}, expected {lines} lines")


def test_a_near_link_lists_and_draws_the_nearest_places_offline(app, page, offline):
    page.goto(f"{app.url}/?lang=en&near=51.12800,71.43000")
    names = _result_names(page, 5)
    assert names[:2] == ["Water-Green Boulevard", "Baiterek"]
    lines, markers = _wait_drawn(page, 5)
    assert markers == 6  # five places and the position
    links = page.locator(f"{RESULTS} a").evaluate_all("as => as.map(a => a.href)")
    assert sum("2gis.kz/astana/directions" in h for h in links) == 5
    assert sum("openstreetmap.org/directions" in h for h in links) == 5
    assert all(urlparse(u).hostname == "127.0.0.1" for _, u in offline.local)
    assert not [u for kind, u in offline.external if kind in ("script", "stylesheet")]


def test_a_click_on_the_map_sets_the_position(app, page):
    page.goto(f"{app.url}/?lang=en&city=almaty&mode=near")
    frame = map_frame(page)
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    x, y = frame.evaluate(
        "() => { const p = window.map.latLngToContainerPoint([43.2490, 76.9300]);"
        " return [p.x, p.y]; }"
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    near = _wait_near(page, "43.24")
    lat, lon = (float(v) for v in near.split(","))
    assert lat == pytest.approx(43.2490, abs=5e-4)
    assert lon == pytest.approx(76.9300, abs=5e-4)
    assert _result_names(page)[0] == "Tselinny Center of Contemporary Culture"
    _wait_drawn(page, 2)


def test_where_am_i_uses_the_browsers_location(app, make_page):
    page = make_page(
        geolocation={"latitude": 43.2483, "longitude": 76.9289, "accuracy": 20},
        permissions=["geolocation"],
    )
    page.goto(f"{app.url}/?lang=en&mode=near")
    frame = map_frame(page)
    frame.get_by_role("button", name="Ask your browser where you are").click()
    _wait_near(page, "43.24830,76.92890")
    assert _result_names(page)[0] == "Tselinny Center of Contemporary Culture"


def test_a_denied_location_says_so_on_the_map(app, make_page):
    page = make_page()  # no permission granted: headless Chromium denies the prompt
    page.goto(f"{app.url}/?lang=en&mode=near&kind=landmark")
    frame = map_frame(page)
    frame.get_by_role("button", name="Ask your browser where you are").click()
    message = frame.locator(".creative-map-locate-msg")
    message.wait_for(timeout=15_000)
    for _ in range(100):
        if "did not allow" in message.inner_text():
            break
        page.wait_for_timeout(100)
    assert "did not allow access to your location" in message.inner_text()
    assert _near(page) is None
    assert "Context landmark" in page.locator(".st-key-kind").inner_text()  # choices survive


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
    error = page.get_by_text(message)
    error.wait_for(timeout=30_000)
    assert page.get_by_text("First say where you are").count() == 1
    map_frame(page)  # the map still draws
    assert page.dialogs == []


def test_an_empty_search_says_so_and_keeps_the_position(app, page):
    page.goto(f"{app.url}/?lang=en&near=51.12800,71.43000")
    _result_names(page)
    box = page.get_by_label("Where are you? A place name, an address or LAT,LON")
    box.fill("   ")
    box.press("Enter")
    page.get_by_text("Type a place name or an address to search.").wait_for(timeout=30_000)
    assert _near(page) == "51.12800,71.43000"
    _result_names(page, 5)


def test_search_across_scripts_in_the_browser(app, page):
    page.goto(f"{app.url}/?lang=ru&mode=near")
    box = page.get_by_label("Где вы? Название места, адрес или ШИРОТА,ДОЛГОТА")
    box.fill("Бәйтерек")
    box.press("Enter")
    near = _wait_near(page, "51.12")
    assert near.startswith("51.128")
    assert "Байтерек" in _result_names(page)[:2]


def test_on_a_phone_everything_fits_and_is_easy_to_touch(app, make_page):
    page = make_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{app.url}/?lang=ru&near=51.12800,71.43000")
    _result_names(page)
    _wait_drawn(page, 5)
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
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390, (selector, box)
    search = page.get_by_role("button", name="Найти").bounding_box()
    assert search["height"] >= 44
    assert search["width"] >= 300
    for link in page.locator(f"{RESULTS} a").all():
        assert link.bounding_box()["height"] >= 44
    for button in page.locator("[data-testid='stSegmentedControl'] button").all():
        assert button.bounding_box()["height"] >= 44  # the mode switch
    frame = page.frame_locator(MAP_FRAME)
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
    picks.first.wait_for(timeout=30_000)
    assert picks.count() >= 2
    for pick in picks.all():
        b = pick.bounding_box()
        assert b["height"] >= 44
        assert b["x"] >= 0
        assert b["x"] + b["width"] <= 390, b
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "near-phone-top.png"))
    page.locator(RESULTS).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "near-phone-results.png"))
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "near-phone-map.png"))
