"""Hostile place names from a real catalogue file render as plain text and run nothing."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest

from tests.browser.test_map_browser import PLACED, listed_names, map_frame, wait_for_count
from tests.conftest import DATA_DIR
from tests.layers.hostile import HOSTILE_NAMES

TOOLTIP_TEXTS_JS = """() => {
    // Open the layer's tooltip on each place, as a hover does, and read what is shown.
    const e = window.__creativeMap.layers['places'];
    const read = (layer, at) => {
        layer.fire('mouseover', {latlng: at}, true);
        const el = e.container.getTooltip().getElement();
        const text = el ? el.querySelector('b').textContent : null;
        layer.fire('mouseout', {latlng: at}, true);
        return text;
    };
    const texts = e.points.features.map((f, k) => {
        e.points.hit = k;  // what hit-testing sets for the point under the pointer
        return read(e.points, L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]));
    });
    e.layers.filter(l => l).forEach(l => {
        texts.push(read(l, l.getLatLng ? l.getLatLng() : l.getBounds().getCenter()));
    });
    return texts;
}"""


@pytest.fixture(scope="module")
def hostile_app(start_app, tmp_path_factory, context_dir):
    folder = tmp_path_factory.mktemp("hostile")
    places = gpd.read_file(DATA_DIR / "catalogue.gpkg", layer="places")
    placed_ids = list(PLACED["id"])
    for pid, name in zip(placed_ids, HOSTILE_NAMES, strict=False):
        for lang in ("kk", "ru", "en"):
            places.loc[places["id"] == pid, f"name_{lang}"] = name
    places.loc[places["id"] == placed_ids[0], "summary_en"] = "{{ 7*7 }} <b>bold</b> `x` ${y}"
    places.to_file(folder / "catalogue.gpkg", layer="places")
    targets = pyogrio.read_dataframe(
        DATA_DIR / "catalogue.gpkg", layer="targets", read_geometry=False
    )
    pyogrio.write_dataframe(targets, folder / "catalogue.gpkg", layer="targets")
    server = start_app(CREATIVE_MAP_DATA_DIR=str(folder), CREATIVE_MAP_CONTEXT_DIR=context_dir)
    return server, placed_ids


def test_hostile_names_show_verbatim_on_the_map_and_run_nothing(hostile_app, page):
    server, _ = hostile_app
    page.goto(f"{server.url}/?lang=en")
    wait_for_count(page, len(PLACED))
    frame = map_frame(page)
    texts = frame.evaluate(TOOLTIP_TEXTS_JS)
    for name in HOSTILE_NAMES:
        assert name in texts, (name, texts)
    assert page.dialogs == []
    assert frame.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0


def test_hostile_names_show_verbatim_in_the_list_and_card(hostile_app, page):
    server, placed_ids = hostile_app
    page.goto(f"{server.url}/?lang=en")
    wait_for_count(page, len(PLACED))
    page.get_by_text("In view: 14").wait_for()
    listed = listed_names(page)
    for name in HOSTILE_NAMES:
        assert name in listed
    page.locator(".st-key-place_list [role='radiogroup'] label").filter(
        has_text=HOSTILE_NAMES[0]
    ).first.click()
    card = page.locator(".st-key-place_card")
    card.wait_for()
    text = card.inner_text()
    assert "{{ 7*7 }}" in text
    assert "{{ 7*7 }} <b>bold</b> `x` ${y}" in text
    assert "49" not in text.split("Names")[0]
    assert page.dialogs == []


NEAR_TOOLTIPS_JS = """() => {
    const texts = [];
    window.map.eachLayer(l => {
        if (!(l instanceof L.CircleMarker) || l.feature || !l.getTooltip()) { return; }
        l.openTooltip();
        texts.push(l.getTooltip().getElement().textContent);
        l.closeTooltip();
    });
    return texts;
}"""


def test_hostile_names_show_verbatim_in_near_results_and_their_map(hostile_app, page):
    server, placed_ids = hostile_app
    row = PLACED[PLACED["id"] == placed_ids[0]].iloc[0]
    point = row.geometry.representative_point()
    page.goto(f"{server.url}/?lang=en&n=20&near={point.y:.5f},{point.x:.5f}")
    results = page.locator(".st-key-near_results")
    results.wait_for(timeout=30_000)
    page.get_by_text("1. ").first.wait_for()
    text = results.inner_text()
    astana_hostile = [
        name
        for pid, name in zip(placed_ids, HOSTILE_NAMES, strict=False)
        if PLACED.loc[PLACED["id"] == pid, "city"].iloc[0] == row["city"]
    ]
    for name in astana_hostile:
        assert name in text
    tips = []
    for _ in range(100):
        tips = map_frame(page).evaluate(NEAR_TOOLTIPS_JS)
        if len(tips) > len(astana_hostile):
            break
        page.wait_for_timeout(100)
    joined = " ".join(tips)
    for name in astana_hostile:
        assert name in joined
    assert page.dialogs == []
    assert map_frame(page).evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
