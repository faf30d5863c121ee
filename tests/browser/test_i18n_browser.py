"""In a real browser: the language follows the browser, and the map's chrome speaks it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.map_page import WAIT_MS, map_frame

TITLES = {
    "kk": "Астана мен Алматының креативті кеңістіктері",
    "ru": "Креативные пространства Астаны и Алматы",
    "en": "Creative spaces of Astana and Almaty",
}
# (scale bar, zoom-in title, basemap attribution) in each language.
CHROME = {
    "ru": (r"^\d+(?:\u00a0\d{3})*\u00a0(?:м|км)$", "Приблизить", "© участники OpenStreetMap"),
    "kk": (r"^\d+(?:\u00a0\d{3})*\u00a0(?:м|км)$", "Жақындату", "© OpenStreetMap қатысушылары"),
    "en": (r"^\d+(?:,\d{3})*\u00a0(?:m|km)$", "Zoom in", "© OpenStreetMap contributors"),
}


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_map_chrome_is_in_the_language(app, page, lang) -> None:
    page.goto(f"{app.url}/?lang={lang}&city=astana&center=51.12800,71.43000&zoom=13")
    frame = map_frame(page)
    scale_text, zoom_in, attribution = CHROME[lang]
    scale = frame.locator(".leaflet-control-scale-line")
    expect(scale).to_have_count(1, timeout=WAIT_MS)  # metric only: no imperial bar
    expect(scale).to_have_text(re.compile(scale_text))
    expect(frame.locator(".leaflet-control-zoom-in")).to_have_attribute("title", zoom_in)
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text(attribution)


def test_the_enter_hint_is_in_the_language(app, page) -> None:
    page.goto(f"{app.url}/near?lang=ru")
    box = page.get_by_role("textbox", name=re.compile("."))
    expect(box).to_have_count(1, timeout=WAIT_MS)
    box.fill("Байтерек")
    hint = page.locator('[data-testid="InputInstructions"]')
    expect(hint).to_have_count(1, timeout=WAIT_MS)
    shown = hint.evaluate("e => getComputedStyle(e, '::after').content")
    assert shown == '"Нажмите Enter, чтобы применить"'
    words = hint.locator("span")
    assert words.count() > 0
    expect(words.first).to_be_hidden()  # Streamlit's English words


@pytest.mark.parametrize(("locale", "lang"), [("kk-KZ", "kk"), ("en-GB", "en"), ("de-DE", "ru")])
def test_a_first_visit_follows_the_browsers_language(app, make_page, locale, lang) -> None:
    page = make_page(locale=locale)
    page.goto(f"{app.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLES[lang], timeout=WAIT_MS)
    page.wait_for_url(re.compile(rf"[?&]lang={lang}(?:&|$)"), timeout=WAIT_MS)
