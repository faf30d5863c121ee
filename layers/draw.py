"""Drawing on the map: Leaflet.draw's control in the page's language, and what it returns.

The control (``add_draw_control``) is folium's ``Draw`` plugin with lines, polygons,
rectangles and markers (no circles), its assets served by the app by name
(``leaflet_draw_js``, ``leaflet_draw_css``: npm ``leaflet-draw``, see ``layers.assets``), and
every text of its toolbar, tooltips and actions (``L.drawLocal``) from ``t()``, escaped.
Leaflet.draw's own live length and area readouts are turned off: they use spherical formulas,
and the page's figures come from ``geo.measure.measure_drawing`` in the city's metric CRS.

streamlit-folium 0.27.4 reports drawings in ``all_drawings`` (the features of
``window.drawnItems``), which folium 0.20's ``Draw`` never sets (streamlit-folium renames
``drawnItems_draw_control_div_<digits>``, folium names it ``drawnItems_draw_control_<hex>``):
``DrawWiring`` points it at the control's layer group. ``drawings_from`` reads the list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import folium
from branca.element import Element, Figure
from folium.plugins import Draw
from jinja2 import Template

from geo.measure import DRAWING_KINDS, Measurement
from layers.escape import escape_text
from layers.i18n import number, t
from layers.render import ScriptElement, script_json

# What st_folium must return for ``drawings_from`` (pass as its ``returned_objects``).
DRAW_RETURNED = ("all_drawings",)
MAX_DRAWINGS = 50  # a planner compares a few shapes; more from the browser is not trusted
DRAW_COLOR = "#6A1B9A"  # a purple none of the layers' styles uses
_DRAW_ASSETS_JS = [("leaflet_draw_js", "leaflet.draw.js")]

# Leaflet.draw's options: the four tools, no live spherical readouts, no circle tools.
_SHAPE = {"color": DRAW_COLOR, "weight": 3, "opacity": 0.9}
DRAW_OPTIONS: dict[str, Any] = {
    "polyline": {"showLength": False, "metric": True, "shapeOptions": _SHAPE},
    "polygon": {"showArea": False, "showLength": False, "metric": True, "shapeOptions": _SHAPE},
    "rectangle": {"showArea": False, "metric": True, "shapeOptions": _SHAPE},
    "marker": True,
    "circle": False,
    "circlemarker": False,
}
EDIT_OPTIONS: dict[str, Any] = {"edit": True, "remove": True}


def draw_texts(lang: str) -> dict[str, Any]:
    """Return Leaflet.draw's ``L.drawLocal`` texts in a language, escaped as HTML.

    Leaflet.draw sets these as ``innerHTML`` (buttons, tooltips), so each is escaped.

    Parameters
    ----------
    lang
        Language code (``kk``, ``ru`` or ``en``).

    Returns
    -------
    dict
        The part of ``L.drawLocal`` for the tools the control offers, same nesting.
    """

    def pair(title: str, text: str) -> dict[str, str]:
        return {"title": escape_text(title), "text": escape_text(text)}

    def tip(**texts: str) -> dict[str, dict[str, str]]:
        return {"tooltip": {k: escape_text(v) for k, v in texts.items()}}

    return {
        "draw": {
            "toolbar": {
                "actions": pair(t("draw.cancel_title", lang), t("draw.cancel", lang)),
                "finish": pair(t("draw.finish_title", lang), t("draw.finish", lang)),
                "undo": pair(t("draw.undo_title", lang), t("draw.undo", lang)),
                "buttons": {
                    "polyline": escape_text(t("draw.button_polyline", lang)),
                    "polygon": escape_text(t("draw.button_polygon", lang)),
                    "rectangle": escape_text(t("draw.button_rectangle", lang)),
                    "marker": escape_text(t("draw.button_marker", lang)),
                },
            },
            "handlers": {
                "marker": tip(start=t("draw.marker_start", lang)),
                "polygon": tip(
                    start=t("draw.polygon_start", lang),
                    cont=t("draw.polygon_cont", lang),
                    end=t("draw.polygon_end", lang),
                ),
                "polyline": {
                    "error": escape_text(t("draw.polyline_error", lang)),
                    **tip(
                        start=t("draw.polyline_start", lang),
                        cont=t("draw.polyline_cont", lang),
                        end=t("draw.polyline_end", lang),
                    ),
                },
                "rectangle": tip(start=t("draw.rectangle_start", lang)),
                "simpleshape": tip(end=t("draw.simpleshape_end", lang)),
            },
        },
        "edit": {
            "toolbar": {
                "actions": {
                    "save": pair(t("draw.save_title", lang), t("draw.save", lang)),
                    "cancel": pair(t("draw.edit_cancel_title", lang), t("draw.edit_cancel", lang)),
                    "clearAll": pair(t("draw.clear_all_title", lang), t("draw.clear_all", lang)),
                },
                "buttons": {
                    "edit": escape_text(t("draw.button_edit", lang)),
                    "editDisabled": escape_text(t("draw.button_edit_disabled", lang)),
                    "remove": escape_text(t("draw.button_remove", lang)),
                    "removeDisabled": escape_text(t("draw.button_remove_disabled", lang)),
                },
            },
            "handlers": {
                "edit": tip(text=t("draw.edit_text", lang), subtext=t("draw.edit_subtext", lang)),
                "remove": tip(text=t("draw.remove_text", lang)),
            },
        },
    }


class DrawTexts(ScriptElement):
    """Sets Leaflet.draw's texts (``L.drawLocal``) before the control is built.

    Add it to the map before the ``Draw`` control: the toolbar reads its button titles when
    it is added to the map.
    """

    default_js = _DRAW_ASSETS_JS
    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (texts) {
    function merge(into, from) {
        Object.keys(from).forEach(function (k) {
            if (typeof from[k] === 'object' && into[k]) { merge(into[k], from[k]); }
            else { into[k] = from[k]; }
        });
    }
    merge(L.drawLocal, texts);
})({{ this.texts_js }});
{% endmacro %}
"""
    )

    def __init__(self, lang: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "DrawTexts"
        self.texts_js = script_json(draw_texts(lang))


class DrawWiring(ScriptElement):
    """Connects the control to streamlit-folium and keeps the map's canvas out of its way.

    ``window.drawnItems`` becomes the control's layer group (streamlit-folium reports its
    features as ``all_drawings``). While a drawing tool is active, the map container carries
    the class ``creative-map-drawing``, under which the layers' canvas takes no pointer events
    (``DRAW_CSS``): Leaflet 1.9's canvas renderer passes the map no ``mousemove`` where no
    feature is under the pointer, so Leaflet.draw's pointer marker (40 px) would stay behind a
    quick move and the next click would add no vertex; and a click meant as a vertex must not
    select a place under it.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    window.drawnItems = drawnItems_{{ this.draw_name }};
    var box = map.getContainer();
    map.on('draw:drawstart', function () { L.DomUtil.addClass(box, 'creative-map-drawing'); });
    map.on('draw:drawstop', function () { L.DomUtil.removeClass(box, 'creative-map-drawing'); });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, draw: Draw) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "DrawWiring"
        self.draw_name = draw.get_name()


DRAW_CSS = """
<style>
.creative-map-drawing .leaflet-overlay-pane canvas,
.creative-map-drawing .leaflet-overlay-pane svg { pointer-events: none !important; }
</style>
"""


def add_draw_control(fmap: folium.Map, *, lang: str) -> Draw:
    """Add the drawing control (lines, polygons, rectangles, markers) to a map.

    Call ``layers.assets.localize_assets`` afterwards (``build_base_map`` does), so the
    plugin's assets come from the app, not from folium's CDN URLs.

    Parameters
    ----------
    fmap
        The map.
    lang
        Language of the control's texts.

    Returns
    -------
    folium.plugins.Draw
        The control.
    """
    fmap.add_child(DrawTexts(lang))
    draw = Draw(  # type: ignore[no-untyped-call]
        export=False,
        position="topleft",
        show_geometry_on_click=False,  # folium would alert() the GeoJSON on a click
        draw_options=DRAW_OPTIONS,
        edit_options=EDIT_OPTIONS,
    )
    fmap.add_child(draw)
    fmap.add_child(DrawWiring(draw))
    cast(Figure, fmap.get_root()).header.add_child(Element(DRAW_CSS), name="creative_draw_css")
    return draw


def drawings_from(st_folium_output: object) -> list[dict[str, Any]]:
    """Return the GeoJSON geometries drawn on the map, from what ``st_folium`` returned.

    Reads ``all_drawings`` only (the features of the control's layer group; ask st_folium
    for ``DRAW_RETURNED``), never ``last_active_drawing``, which streamlit-folium also fills
    with a clicked feature (see ``layers.render.clicked_feature_id``): a click is never taken
    for a drawing. A feature of the map's layers (``properties`` with ``layer`` and ``id``, as
    ``creative_map.js`` reports clicks) is skipped, and so is anything that is not a feature
    with a Point, LineString or Polygon geometry. The geometries are not checked further:
    ``geo.measure.measure_drawing`` does that.

    Parameters
    ----------
    st_folium_output
        What ``st_folium`` returned: any JSON value, since a page can forge it.

    Returns
    -------
    list of dict
        GeoJSON geometry objects, in drawing order, at most ``MAX_DRAWINGS``.
    """
    if not isinstance(st_folium_output, Mapping):
        return []
    features = st_folium_output.get("all_drawings")
    if not isinstance(features, list):
        return []
    out: list[dict[str, Any]] = []
    for feature in features[:MAX_DRAWINGS]:
        if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
            continue
        props = feature.get("properties")
        if isinstance(props, Mapping) and ("layer" in props or "id" in props):
            continue
        geometry = feature.get("geometry")
        if isinstance(geometry, Mapping) and geometry.get("type") in DRAWING_KINDS:
            out.append(dict(geometry))
    return out


def length_text(length_m: float, lang: str) -> str:
    """Return a length in metres, with kilometres too from 1 km, in the language's numbers.

    Parameters
    ----------
    length_m
        Metres.
    lang
        Language code.

    Returns
    -------
    str
        For example ``2 345 м (2,35 км)``.
    """
    text = t("draw.metres", lang, value=number(round(length_m), lang))
    if length_m >= 1_000:  # noqa: PLR2004 - a kilometre
        km = t("draw.kilometres", lang, value=number(length_m / 1_000, lang, decimals=2))
        text = f"{text} ({km})"
    return text


def area_text(area_m2: float, lang: str) -> str:
    """Return an area in square metres, with hectares from 1 ha and km² from 1 km².

    Parameters
    ----------
    area_m2
        Square metres.
    lang
        Language code.

    Returns
    -------
    str
        For example ``1 168 422 m² (116,8 ha; 1,17 km²)``.
    """
    text = t("draw.square_metres", lang, value=number(round(area_m2), lang))
    more = []
    if area_m2 >= 10_000:  # noqa: PLR2004 - a hectare
        more.append(t("draw.hectares", lang, value=number(area_m2 / 10_000, lang, decimals=1)))
    if area_m2 >= 1_000_000:  # noqa: PLR2004 - a square kilometre
        more.append(
            t("draw.square_kilometres", lang, value=number(area_m2 / 1e6, lang, decimals=2))
        )
    return f"{text} ({'; '.join(more)})" if more else text


def measurement_text(index: int, measurement: Measurement, lang: str) -> str:
    """Return one line describing a drawn shape and its size (plain text, not escaped).

    Parameters
    ----------
    index
        The shape's number on the page, from 1.
    measurement
        Its measurement.
    lang
        Language code.

    Returns
    -------
    str
        For example ``2. Polygon: area 1,168,422 m² (116.8 ha; 1.17 km²), perimeter ...``.
    """
    if measurement.kind == "line":
        return t(
            "draw.line_measured", lang, n=index, length=length_text(measurement.length_m, lang)
        )
    if measurement.kind == "polygon":
        return t(
            "draw.polygon_measured",
            lang,
            n=index,
            area=area_text(measurement.area_m2, lang),
            perimeter=length_text(measurement.perimeter_m, lang),
        )
    return t("draw.point_measured", lang, n=index)
