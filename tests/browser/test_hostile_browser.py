"""Hostile place names from a real catalogue file render as plain text and run nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.browser.map_page import listed, listed_names, on_map, wait_for_count, wait_on_map
from tests.catalogue import PLACED, PLACES, write_catalogue
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
INJECTED_IMAGES_JS = "() => document.querySelectorAll('img[src=\"x\"]').length"
PLACED_IDS = list(PLACED["id"])
HOSTILE_BY_ID = dict(zip(PLACED_IDS, HOSTILE_NAMES, strict=False))
SUMMARY = "{{ 7*7 }} <b>bold</b> `x` ${y}"


@pytest.fixture(scope="module")
def hostile_app(start_app, tmp_path_factory, context_dir):
    assert len(PLACED_IDS) >= len(HOSTILE_NAMES)  # every hostile name is on the map
    folder = tmp_path_factory.mktemp("hostile")
    places = PLACES.copy()
    for pid, name in HOSTILE_BY_ID.items():
        for lang in ("kk", "ru", "en"):
            places.loc[places["id"] == pid, f"name_{lang}"] = name
    places.loc[places["id"] == PLACED_IDS[0], "summary_en"] = SUMMARY
    write_catalogue(folder, places)
    return start_app(**{DATA_DIR_VAR: str(folder), CONTEXT_DIR_VAR: context_dir})


def test_hostile_names_show_verbatim_on_the_map_and_run_nothing(hostile_app, page):
    page.goto(f"{hostile_app.url}/?lang=en")
    wait_for_count(page, len(PLACED))
    texts = on_map(page, TOOLTIP_TEXTS_JS)
    assert len(texts) == len(PLACED)
    for name in HOSTILE_NAMES:
        assert name in texts, (name, texts)
    assert page.dialogs == []
    assert on_map(page, INJECTED_IMAGES_JS) == 0


def test_hostile_names_show_verbatim_in_the_list_and_card(hostile_app, page):
    page.goto(f"{hostile_app.url}/?lang=en")
    wait_for_count(page, len(PLACED))
    expect(page.get_by_text(f"In view: {len(PLACED)}")).to_be_visible()
    expect(listed(page)).to_have_count(len(PLACED))
    names = listed_names(page)
    for name in HOSTILE_NAMES:
        assert name in names
    listed(page).filter(has_text=HOSTILE_NAMES[0]).first.click()
    card = page.locator(".st-key-place_card")
    expect(card).to_contain_text(SUMMARY)
    assert "49" not in card.inner_text().split("Names")[0]
    assert page.dialogs == []


NEAR_TOOLTIPS_JS = """(atLeast) => {
    const texts = [];
    window.map.eachLayer(l => {
        if (!(l instanceof L.CircleMarker) || l.feature || !l.getTooltip()) { return; }
        l.openTooltip();
        texts.push(l.getTooltip().getElement().textContent);
        l.closeTooltip();
    });
    return texts.length >= atLeast ? texts : null;
}"""


def test_hostile_names_show_verbatim_in_near_results_and_their_map(hostile_app, page):
    (row,) = [r for _, r in PLACED.iterrows() if r["id"] == PLACED_IDS[0]]
    point = row.geometry.representative_point()
    same_city = PLACED[PLACED["city"] == row["city"]]
    hostile_here = [HOSTILE_BY_ID[pid] for pid in same_city["id"] if pid in HOSTILE_BY_ID]
    assert hostile_here
    # landmarks=1: every place of the city is listed, landmarks too.
    page.goto(f"{hostile_app.url}/?lang=en&n=20&landmarks=1&near={point.y:.5f},{point.x:.5f}")
    results = page.locator(".st-key-near_results")
    titles = results.locator("strong").filter(has_text=re.compile(r"^\d+\. "))
    expect(titles).to_have_count(len(same_city))
    text = results.inner_text()
    for name in hostile_here:
        assert name in text
    # One tooltip per result and one for the position.
    tips = wait_on_map(page, NEAR_TOOLTIPS_JS, len(same_city) + 1, what="the results' tooltips")
    joined = " ".join(tips)
    for name in hostile_here:
        assert name in joined
    assert page.dialogs == []
    assert on_map(page, INJECTED_IMAGES_JS) == 0
