"""The map's own controls in the page's language: scale bar, zoom buttons, attribution."""

from __future__ import annotations

import json

import pytest

from layers.i18n import t
from layers.render import MapChrome, build_base_map, tiles_attribution


def _html(lang: str, basemap: str = "osm") -> str:
    fmap = build_base_map(
        center_lat_lon=(51.12, 71.43),
        zoom=12,
        basemap=basemap,
        lang=lang,
        asset_url_prefix="../ui.assets.",
    )
    return fmap.get_root().render()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_map_has_one_metric_scale_bar_with_units_in_the_language(lang: str) -> None:
    html = _html(lang)
    assert "L.control.scale(" not in html  # folium's own, with miles and feet, is off
    assert html.count("new Scale({metric: true, imperial: false})") == 1
    assert f'"locale": "{lang}"' in html or f'"locale":"{lang}"' in html
    for key in ("map.scale_km", "map.scale_m", "map.zoom_in", "map.zoom_out"):
        assert t(key, lang) in html


def test_the_units_differ_by_language() -> None:
    assert t("map.scale_km", "ru") == "км"
    assert t("map.scale_km", "en") == "km"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", "© участники OpenStreetMap"),
        ("kk", "© OpenStreetMap қатысушылары"),
        ("en", "© OpenStreetMap contributors"),
    ],
)
def test_the_basemap_attribution_is_in_the_language(lang: str, words: str) -> None:
    assert tiles_attribution("osm", lang) == words
    assert json.dumps(words) in _html(lang)  # folium writes the tile options as ASCII JSON


def test_a_basemap_without_a_translation_keeps_its_own_attribution(monkeypatch) -> None:
    from layers import render

    monkeypatch.setitem(
        render.BASEMAPS, "other", {"url": "x/{z}/{x}/{y}.png", "attribution": "© A"}
    )
    assert tiles_attribution("other", "ru") == "© A"


def test_the_chrome_words_cannot_break_out_of_the_script() -> None:
    chrome = MapChrome("ru")
    assert "<" not in chrome.words_js
    assert "{" not in chrome.words_js.strip()[1:-1]
