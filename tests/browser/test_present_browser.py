"""Presentation mode in a real browser at 1920x1080 with no internet: the whole tour, labels.

The tour test runs on the shipped catalogue (data/catalogue.gpkg): the tour is the product's
own data, and each stop's screenshot goes to tests/browser/artifacts/ to be looked at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from geo.select import anchor_points
from geo.tour import validate_tour
from layers.i18n import t
from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from store.gpkg import GeoPackageStore
from tests.browser.conftest import ARTIFACTS
from tests.browser.map_page import map_frame, on_map, wait_on_map
from tests.catalogue import PLACED, PLACES, TOUR, write_catalogue
from tests.conftest import ROOT
from tests.layers.hostile import HOSTILE_NAMES
from ui.widgets.sidebar import LANG_NAMES

PROJECTOR = {"width": 1920, "height": 1080}
CARD_TITLE = ".st-key-tour_card h2"
# The map is where a stop puts it: its zoom, its centre within a few metres, labels drawn.
AT_STOP_JS = """([lat, lon, zoom]) => {
    const c = window.map.getCenter();
    const el = window.map.getContainer();
    const e = window.__creativeMap.layers.places;
    return !window.map._animatingZoom && window.map.getZoom() === zoom
        && Math.abs(c.lat - lat) < 1e-4
        && Math.abs(c.lng - lon) < 1e-4 && e && e.ready
        && Number(el.getAttribute('data-labels')) > 0;
}"""
LABEL_BOXES_JS = """() => Array.from(document.querySelectorAll('.creative-map-label')).map(el => {
    const r = el.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height, text: el.textContent,
            children: el.children.length, font: parseFloat(getComputedStyle(el).fontSize)};
})"""


def _catalogue():
    store = GeoPackageStore(data_dir=ROOT / "data", context_dir=ROOT / "data")
    places = store.read_layer("places")
    targets = store.read_table("targets")
    tour = validate_tour(
        store.read_table("tour"), place_ids=set(places["id"]), target_ids=set(targets["id"])
    )
    return places.set_index("id"), targets.set_index("id"), tour, anchor_points(places)


@pytest.fixture(scope="module")
def real_app(start_app, context_dir):
    """The app on the shipped catalogue, with the context layers when they are present."""
    return start_app(**{DATA_DIR_VAR: str(ROOT / "data"), CONTEXT_DIR_VAR: context_dir})


def _expected(stop, places, targets, anchors, lang):
    """Return (card title, (lat, lon)) a stop should show."""
    if isinstance(stop["target_id"], str):
        title = targets.loc[stop["target_id"], f"what_{lang}"]
    else:
        title = places.loc[stop["place_id"], f"name_{lang}"]
    where = anchors.get(stop["place_id"])
    if where is None:
        where = (float(stop["view_lat"]), float(stop["view_lon"]))
    return title, where


def _stop_line(page: Page, lang: str, n: int, total: int) -> None:
    bar = page.locator(".st-key-tour_bar")
    expect(bar).to_contain_text(t("present.stop_of", lang, n=n, total=total), timeout=30_000)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_whole_tour_runs_offline_with_the_arrow_keys(real_app, make_page, offline, lang):
    places, targets, tour, anchors = _catalogue()
    total = len(tour)
    page = make_page(viewport=PROJECTOR)
    page.goto(f"{real_app.url}/?mode=present&lang={lang}&basemap=none")
    map_frame(page)
    # Streamlit's chrome and the sidebar are gone; the map's frame fills the screen.
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator('[data-testid="stHeader"]')).to_be_hidden()
    frame_box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    assert frame_box == {"x": 0, "y": 0, **PROJECTOR}
    ARTIFACTS.mkdir(exist_ok=True)
    for n in range(1, total + 1):
        stop = tour.iloc[n - 1]
        title, (lat, lon) = _expected(stop, places, targets, anchors, lang)
        _stop_line(page, lang, n, total)
        expect(page.locator(CARD_TITLE)).to_have_text(title)
        expect(page.locator(".st-key-tour_card")).to_contain_text(stop[f"caption_{lang}"])
        if stop["place_id"] in ("astana_zhastar_sarayy", "astana_omarov_arbat"):
            expect(page.locator(".st-key-tour_where")).to_contain_text(
                t("present.unconfirmed.bank", lang, area="").split(":")[0]
            )
        wait_on_map(page, AT_STOP_JS, [lat, lon, int(stop["zoom"])], what=f"stop {n}")
        # The card's type is readable from the back of a hall.
        size = page.locator(".st-key-tour_card p").first.evaluate(
            "el => parseFloat(getComputedStyle(el).fontSize)"
        )
        assert size >= 24
        shot = ARTIFACTS / f"present-{lang}-stop{n}.png"
        page.screenshot(path=str(shot))
        if n < total:
            if n % 2:  # the page has the focus
                page.locator("body").press("ArrowRight")
            else:  # the map's frame has the focus: its keys step the tour too
                map_frame(page).locator(".leaflet-container").focus()
                page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # past the end: nothing happens
    _stop_line(page, lang, total, total)
    page.locator("body").press("ArrowLeft")
    _stop_line(page, lang, total - 1, total)
    page.wait_for_url(re.compile(rf"[?&]stop={total - 1}(&|$)"))
    # Switching the language mid-talk keeps the stop.
    other = "ru" if lang != "ru" else "en"
    switch = page.locator('.st-key-tour_bar [data-testid="stButtonGroup"]')
    switch.get_by_text(LANG_NAMES[other], exact=True).click()
    _stop_line(page, other, total - 1, total)
    expect(page.locator(CARD_TITLE)).to_have_text(
        _expected(tour.iloc[total - 2], places, targets, anchors, other)[0]
    )
    page.wait_for_url(re.compile(rf"lang={other}&.*[?&]stop={total - 1}(&|$)"))
    assert offline.external == [], offline.external


def test_name_labels_are_drawn_as_text_and_do_not_overlap(real_app, make_page, offline):
    page = make_page(viewport=PROJECTOR)
    page.goto(f"{real_app.url}/?mode=present&lang=en&basemap=none&stop=2")
    expect(page.locator(".st-key-tour_bar")).to_be_visible(timeout=60_000)
    wait_on_map(
        page,
        "() => Number(window.map.getContainer().getAttribute('data-labels')) >= 3",
        what="at least three name labels",
    )
    boxes = map_frame(page).evaluate(LABEL_BOXES_JS)
    count = on_map(page, "() => Number(window.map.getContainer().getAttribute('data-labels'))")
    assert len(boxes) == count >= 3
    names = set(_catalogue()[0]["name_en"])
    for box in boxes:
        assert box["children"] == 0  # text, never markup
        assert box["text"] in names
        assert box["font"] >= 24
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["w"] <= b["x"]
                or b["x"] + b["w"] <= a["x"]
                or a["y"] + a["h"] <= b["y"]
                or b["y"] + b["h"] <= a["y"]
            )
            assert apart, (a, b)
    # No label hides under the card, the controls floating over the map or the legend.
    legend = map_frame(page).locator(".creative-map-legend").bounding_box()
    for selector in (".st-key-tour_panel", ".st-key-tour_bar", None):
        over = page.locator(selector).bounding_box() if selector else legend
        for box in boxes:
            assert (
                box["x"] + box["w"] <= over["x"]
                or over["x"] + over["width"] <= box["x"]
                or box["y"] + box["h"] <= over["y"]
                or over["y"] + over["height"] <= box["y"]
            ), (selector, box)
    assert offline.external == [], offline.external


@pytest.fixture(scope="module")
def hostile_app(start_app, tmp_path_factory, context_dir):
    """The test catalogue with hostile names on its placed places, in every language."""
    folder = tmp_path_factory.mktemp("hostile_present")
    places = PLACES.copy()
    for pid, name in zip(PLACED["id"], HOSTILE_NAMES, strict=False):
        for lang in ("kk", "ru", "en"):
            places.loc[places["id"] == pid, f"name_{lang}"] = name
    write_catalogue(folder, places)
    return start_app(**{DATA_DIR_VAR: str(folder), CONTEXT_DIR_VAR: context_dir})


def test_hostile_names_are_labels_and_card_titles_as_plain_text(hostile_app, make_page):
    page = make_page(viewport=PROJECTOR)
    page.goto(f"{hostile_app.url}/?mode=present&lang=en&basemap=none&stop=1")
    first = PLACES.set_index("id").loc[TOUR.iloc[0]["place_id"]]
    expect(page.locator(CARD_TITLE)).to_have_text(
        dict(zip(PLACED["id"], HOSTILE_NAMES, strict=False))[first.name]
    )
    map_frame(page)
    on_map(page, "() => { window.map.setView([51.118, 71.42], 13, {animate: false}); return 1; }")
    wait_on_map(
        page,
        "() => Number(window.map.getContainer().getAttribute('data-labels')) >= 3",
        what="at least three labels",
    )
    boxes = map_frame(page).evaluate(LABEL_BOXES_JS)
    shown = [b["text"] for b in boxes if b["text"] in HOSTILE_NAMES]
    assert len(shown) >= 3, boxes
    assert all(b["children"] == 0 for b in boxes)
    assert page.dialogs == []
    assert map_frame(page).evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
