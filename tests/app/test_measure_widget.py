"""The measurements widget: each drawn shape's figures in three languages; bad drawings named."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.measure import measure_drawing
from layers.draw import area_text, length_text
from layers.i18n import LANGS, t
from tests.app.test_dashboard import _plain

RING = [[71.40, 51.10], [71.44, 51.10], [71.44, 51.13], [71.40, 51.13], [71.40, 51.10]]
SQUARE = {"type": "Polygon", "coordinates": [RING]}
LINE = {"type": "LineString", "coordinates": [[76.90, 43.24], [76.95, 43.26]]}
BOW = {
    "type": "Polygon",
    "coordinates": [
        [[71.40, 51.10], [71.44, 51.13], [71.44, 51.10], [71.40, 51.13], [71.40, 51.10]]
    ],
}
JUNK = {"type": "Polygon", "coordinates": [[["<b>x</b>", 51.1]]]}


def _app(drawings, city, lang):
    def script(drawings, city, lang):
        from ui.widgets.measure import render_measurements

        render_measurements(drawings, city, lang)

    at = AppTest.from_function(script, args=(drawings, city, lang), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(at):
    return [_plain(m.value) for m in at.markdown] + [_plain(c.value) for c in at.caption]


@pytest.mark.parametrize("lang", LANGS)
def test_each_shape_is_listed_with_its_figures_in_the_language(lang):
    at = _app([SQUARE], "astana", lang)
    measured = measure_drawing(SQUARE, city="astana")
    texts = _texts(at)
    expected = t(
        "draw.polygon_measured",
        lang,
        n=1,
        area=area_text(measured.area_m2, lang),
        perimeter=length_text(measured.perimeter_m, lang),
    )
    assert expected in texts
    assert t("draw.measure_note", lang, crs="EPSG:32642") in texts
    assert not at.warning


def test_with_both_cities_each_shape_is_measured_in_its_own_citys_zone():
    at = _app([SQUARE, LINE], "both", "en")
    texts = _texts(at)
    line = measure_drawing(LINE, city="almaty")
    assert t("draw.line_measured", "en", n=2, length=length_text(line.length_m, "en")) in texts
    assert any(text.startswith("1. Polygon: area ") for text in texts)
    assert t("draw.measure_note", "en", crs="EPSG:32642, EPSG:32643") in texts


def test_no_drawing_gives_the_hint():
    texts = _texts(_app([], "astana", "ru"))
    assert t("draw.measure_hint", "ru") in texts


def test_a_repaired_an_unreadable_and_an_outside_shape_are_each_said_so():
    at = _app([BOW, JUNK, LINE], "astana", "en")
    texts = _texts(at)
    assert t("draw.repaired", "en", n=1) in texts
    warnings = [_plain(w.value) for w in at.warning]
    assert warnings == [t("draw.invalid", "en", n=2), t("draw.outside", "en", n=3)]
    assert not any("<b>" in text for text in texts + warnings)
