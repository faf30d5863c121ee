"""The drawing control: assets by name, texts in three languages, escaped, and what it returns."""

from __future__ import annotations

import re

import pytest

import layers.draw
from geo.measure import Measurement
from layers.assets import ASSET_DIRS, ASSETS, asset_url
from layers.draw import (
    DRAW_OPTIONS,
    MAX_DRAWINGS,
    area_text,
    draw_texts,
    drawings_from,
    length_text,
    measurement_text,
)
from layers.escape import escape_text
from layers.export_html import ExportView, standalone_html
from layers.i18n import LANGS, t
from layers.render import build_base_map, clicked_feature_id

PREFIX = "../ui.assets."
NBSP = "\u00a0"


def _map(lang="en", *, draw=True, basemap="none"):
    return build_base_map(
        center_lat_lon=(51.118, 71.425),
        zoom=13,
        basemap=basemap,
        lang=lang,
        asset_url_prefix=PREFIX,
        draw=draw,
    )


def _links(html):
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_leaflet_draw_files_are_installed_from_npm_and_mapped_by_folium_names():
    folder = ASSET_DIRS["leaflet_draw"]
    assert folder.parts[-3:] == ("node_modules", "leaflet-draw", "dist")
    for name, filename in (
        ("leaflet_draw_js", "leaflet.draw.js"),
        ("leaflet_draw_css", "leaflet.draw.css"),
    ):
        assert ASSETS[name] == ("leaflet_draw", filename)
        assert (folder / filename).is_file()
        assert asset_url(name, url_prefix=PREFIX) == f"{PREFIX}leaflet_draw/{filename}"
    # The images the stylesheet names are next to it, so the app serves them too.
    css = (folder / "leaflet.draw.css").read_text(encoding="utf-8")
    for image in re.findall(r"url\('?(images/[^')]+)'?\)", css):
        assert (folder / image).is_file(), image


def test_a_map_with_draw_on_loads_leaflet_draw_from_the_app_and_no_cdn_url_is_left():
    html = _map().get_root().render()
    links = _links(html)
    assert f"{PREFIX}leaflet_draw/leaflet.draw.js" in links
    assert f"{PREFIX}leaflet_draw/leaflet.draw.css" in links
    assert all(link.startswith(PREFIX) for link in links), links
    assert "cdnjs" not in html
    assert "http" not in "".join(links)
    assert "new L.Control.Draw(" in html


def test_draw_is_off_by_default_so_existing_maps_are_unchanged():
    html = (
        build_base_map(
            center_lat_lon=(51.118, 71.425),
            zoom=13,
            basemap="none",
            lang="en",
            asset_url_prefix=PREFIX,
        )
        .get_root()
        .render()
    )
    assert "leaflet.draw" not in html
    assert "L.Control.Draw" not in html
    assert "drawnItems" not in html


def test_the_exported_html_leaves_the_drawing_control_out():
    """Deliberately: a standalone file has no server to measure in the city's metric CRS."""
    view = ExportView(
        center_lat_lon=(51.118, 71.425),
        zoom=12,
        lang="en",
        title="t",
        subtitle="s",
        date_text="d",
        attribution="a",
    )
    page = standalone_html([], view)
    assert "L.Control.Draw" not in page
    assert "drawLocal" not in page


def test_only_lines_polygons_rectangles_and_markers_without_spherical_readouts():
    html = _map().get_root().render()
    offered = [k for k, v in DRAW_OPTIONS.items() if v]
    assert offered == ["polyline", "polygon", "rectangle", "marker"]
    assert '"circle": false' in html
    assert '"circlemarker": false' in html
    for tool in ("polyline", "polygon", "rectangle"):
        assert DRAW_OPTIONS[tool].get("showArea", False) is False
        assert DRAW_OPTIONS[tool].get("showLength", False) is False
    assert "alert(" not in html  # folium's show_geometry_on_click is off
    # streamlit-folium reads window.drawnItems for all_drawings: it is the control's group.
    name = re.search(r"var (drawnItems_draw_control_[0-9a-f]+) =", html).group(1)
    assert f"window.drawnItems = {name};" in html


@pytest.mark.parametrize("lang", LANGS)
def test_every_text_of_the_control_is_translated_and_in_the_map(lang):
    texts = draw_texts(lang)
    html = _map(lang).get_root().render()
    flat = []

    def walk(node):
        for value in node.values():
            if isinstance(value, dict):
                walk(value)
            else:
                flat.append(value)

    walk(texts)
    assert len(flat) == 33
    for text in flat:
        assert text
        assert not text.startswith("draw.")  # a key with no translation
    assert texts["draw"]["toolbar"]["buttons"]["polygon"] == t("draw.button_polygon", lang)
    # Non-ASCII travels as JSON escapes in the script; the parsed value is the text.
    assert "merge(L.drawLocal" in html
    if lang != "en":
        assert t("draw.button_polygon", lang) != t("draw.button_polygon", "en")


def test_hostile_translations_are_escaped_in_the_control(monkeypatch):
    """Leaflet.draw sets these as innerHTML; a translation is text, never markup."""
    hostile = "<img src=x onerror=alert(1)>{{ 7*7 }}`${x}`"
    monkeypatch.setattr(layers.draw, "t", lambda key, lang, **kw: hostile)
    texts = draw_texts("en")
    polygon = texts["draw"]["toolbar"]["buttons"]["polygon"]
    assert polygon == escape_text(hostile)
    assert polygon.startswith("&lt;img src=x")
    assert not set("<>{}`$") & set(polygon)
    html = _map().get_root().render()
    assert "<img src=x" not in html
    assert "{{ 7*7 }}" not in html


# What streamlit-folium 0.27.4 returns (its frontend, index.tsx): on draw:created,
# last_active_drawing = the new layer's toGeoJSON() and all_drawings = drawnItems' features;
# on a click of one of our features, last_active_drawing = its toGeoJSON() as creative_map.js
# reports it (no geometry; properties layer and id).
POLYGON = {
    "type": "Polygon",
    "coordinates": [[[71.40, 51.10], [71.45, 51.10], [71.45, 51.13], [71.40, 51.10]]],
}
DRAWN = {"type": "Feature", "properties": {}, "geometry": POLYGON}
CLICKED = {"type": "Feature", "geometry": None, "properties": {"layer": "places", "id": "p1"}}


def test_a_drawing_is_never_taken_for_a_click():
    after_drawing = {"all_drawings": [DRAWN], "last_active_drawing": DRAWN}
    assert drawings_from(after_drawing) == [POLYGON]
    assert clicked_feature_id(after_drawing) is None


def test_a_click_is_never_taken_for_a_drawing():
    after_click = {"all_drawings": [DRAWN], "last_active_drawing": CLICKED}
    assert clicked_feature_id(after_click) == ("places", "p1")
    assert drawings_from(after_click) == [POLYGON]  # the drawing, not the click
    assert drawings_from({"all_drawings": [], "last_active_drawing": DRAWN}) == []
    # A feature of the map's layers forged into all_drawings is not a drawing either.
    forged = {**CLICKED, "geometry": {"type": "Point", "coordinates": [71.4, 51.1]}}
    assert drawings_from({"all_drawings": [forged, DRAWN]}) == [POLYGON]


@pytest.mark.parametrize(
    "output",
    [
        None,
        [],
        "all_drawings",
        {},
        {"all_drawings": None},
        {"all_drawings": {"0": DRAWN}},
        {"all_drawings": ["Feature", 1, None, [DRAWN]]},
        {"all_drawings": [{"type": "FeatureCollection", "features": [DRAWN]}]},
        {"all_drawings": [{"type": "Feature", "geometry": None}]},
        {"all_drawings": [{"type": "Feature", "geometry": {"type": "MultiPolygon"}}]},
        {"all_drawings": [{"type": "Feature", "geometry": "POINT (71 51)"}]},
    ],
)
def test_drawings_from_ignores_anything_that_is_not_a_drawn_feature(output):
    assert drawings_from(output) == []


def test_drawings_from_keeps_order_and_caps_the_count():
    line = {"type": "LineString", "coordinates": [[71.4, 51.1], [71.5, 51.2]]}
    feature = {"type": "Feature", "properties": {}, "geometry": line}
    many = {"all_drawings": [DRAWN, feature] * MAX_DRAWINGS}
    got = drawings_from(many)
    assert len(got) == MAX_DRAWINGS
    assert got[:2] == [POLYGON, line]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1,168,422 m² (116.8 ha; 1.17 km²)"),
        ("ru", f"1{NBSP}168{NBSP}422 м² (116,8 га; 1,17 км²)"),
        ("kk", f"1{NBSP}168{NBSP}422 м² (116,8 га; 1,17 км²)"),
    ],
)
def test_areas_are_written_in_square_metres_with_hectares_and_km2_in_locale_numbers(lang, expected):
    assert area_text(1_168_422.4, lang) == expected


def test_small_areas_and_lengths_keep_to_metres():
    assert area_text(9_999.4, "en") == "9,999 m²"
    assert area_text(12_500, "en") == "12,500 m² (1.2 ha)"
    assert length_text(999.4, "en") == "999 m"
    assert length_text(2_345.2, "ru") == f"2{NBSP}345 м (2,35 км)"


@pytest.mark.parametrize("lang", LANGS)
def test_measurement_lines_name_the_shape_and_its_figures(lang):
    polygon = measurement_text(2, Measurement("polygon", 0.0, 4_321.0, 1_168_422.0), lang)
    assert polygon.startswith("2. ")
    assert area_text(1_168_422.0, lang) in polygon
    assert length_text(4_321.0, lang) in polygon
    line = measurement_text(1, Measurement("line", 1_500.0, 0.0, 0.0), lang)
    assert line == t("draw.line_measured", lang, n=1, length=length_text(1_500.0, lang))
    assert measurement_text(3, Measurement("point", 0.0, 0.0, 0.0), lang).startswith("3. ")
