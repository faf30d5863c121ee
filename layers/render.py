"""Folium elements for the map: layers fetched once from the app, small view updates, base map."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict, cast

import folium
import xyzservices
from branca.element import Element, Figure
from folium.elements import JSCSSMixin
from jinja2 import Template

from layers.assets import MAP_SCRIPT, localize_assets, use_local_assets
from layers.escape import escape_text
from layers.i18n import label, t
from layers.spec import LayerSpec

APPROX_MIN_RADIUS_PX = 7  # an approximate circle never shrinks below this on screen
SELECTED_COLOR = "#000000"
# What st_folium must return for clicked_feature_id (pass as its ``returned_objects``).
CLICK_RETURNED = ("last_active_drawing", "last_object_clicked")
MAX_CLICKED_ID_CHARS = 200  # layer ids and catalogue ids are far shorter

BASEMAPS: dict[str, dict[str, str] | None] = {
    "osm": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
    },
    "none": None,
}
DEFAULT_BASEMAP = "osm"


class LayerState(TypedDict):
    """One layer's part of a view update (see ``layers/js/PROTOCOL.md``).

    ``visible``: the layer is on the map at all. ``mask``: which drawable features are shown,
    from ``payload.visibility_mask`` (``None`` shows all). ``selected``: the id of the feature
    to outline (``None`` for none). ``classes``: each drawable feature's style class, from
    ``payload.class_array`` (``None`` or absent: the document's own styles). ``labels``: the
    legend's text per class (escaped, ``payload.class_labels``) when ``classes`` changes a
    classed layer's breaks.
    """

    visible: bool
    mask: str | None
    selected: str | None
    classes: NotRequired[str | None]
    labels: NotRequired[list[str] | None]


_SCRIPT_UNSAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "{": "\\u007b", "}": "\\u007d"}
)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def script_json(value: object) -> str:
    r"""Return JSON for a map script, with no character active in HTML or in a template.

    Inside every JSON string, ``< > & { }`` become ``\uXXXX`` escapes: the browser reads
    the same values, while the script text can neither close its ``<script>`` tag nor form
    a Jinja2 expression (or one of streamlit-folium's ``{{'name'}}`` references).

    Parameters
    ----------
    value
        Anything ``json.dumps`` accepts.

    Returns
    -------
    str
        JSON text (keys sorted).
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return _JSON_STRING.sub(lambda m: m.group(0).translate(_SCRIPT_UNSAFE), text)


@dataclass(frozen=True)
class LayerSource:
    """Where the browser fetches a layer's document, how to show it and its legend."""

    layer_id: str
    url: str
    title: str
    tooltips: bool
    legend: tuple[LegendRow, ...] = ()
    legend_title: str = ""
    visible: bool = True

    @classmethod
    def of(cls, spec: LayerSpec, *, url: str, lang: str) -> LayerSource:
        """Return the source of a registered layer whose document the app serves at ``url``.

        Parameters
        ----------
        spec
            The layer.
        url
            Where the app serves its document.
        lang
            Language of its title and legend.

        Returns
        -------
        LayerSource
            The source, with its legend rows from ``legend_rows``.
        """
        rows = legend_rows(spec, lang)
        titled = spec.style.palette or spec.style.classes is not None
        return cls(
            spec.id,
            url,
            spec.title_in(lang),
            bool(spec.tooltip_fields),
            legend=rows,
            legend_title=spec.title_in(lang) if titled else "",
            visible=spec.visible_by_default,
        )


@dataclass(frozen=True)
class LegendRow:
    """One line of the map's legend: a swatch and its (plain, unescaped) text.

    ``shape`` is ``"point"`` (a circle), ``"area"`` (a square), ``"hollow"`` (a light fill)
    or ``"dashed"`` (a dashed circle).
    """

    color: str
    text: str
    shape: str = "point"
    outline: str | None = None


MEANING_COLOR = "#777777"


def legend_rows(spec: LayerSpec, lang: str) -> tuple[LegendRow, ...]:
    """Return a layer's legend rows, built from its style.

    Categories give one row per palette value (its label in ``lang``) and, with
    ``hollow_by``, the meaning of solid, light and dashed marks; numeric classes give one row
    per class whose text the browser fills in from the document or a view update; a style
    with ``legend=True`` gives one row named by the layer's title.

    Parameters
    ----------
    spec
        The layer.
    lang
        Language of the texts.

    Returns
    -------
    tuple of LegendRow
        Empty for a layer the legend does not show.
    """
    style = spec.style
    shape = "point" if "Point" in spec.geometry_types else "area"
    if style.classes is not None:
        colors = style.classes.colors[: style.classes.k]
        return tuple(LegendRow(color=c, text="", shape="area") for c in colors)
    rows: list[LegendRow] = []
    if style.color_by and style.palette:
        # Values that share a colour share a row: "Theatre, concert hall, museum, ...".
        groups: dict[str, list[str]] = {}
        for value, color in style.palette:
            groups.setdefault(color, []).append(label(style.color_by, value, lang))
        rows.extend(
            LegendRow(color=color, text=_joined(names), shape=shape)
            for color, names in groups.items()
        )
    if style.hollow_by:
        rows.append(LegendRow(MEANING_COLOR, t("ui.legend_solid", lang), shape))
        rows.append(LegendRow(MEANING_COLOR, t("ui.legend_hollow", lang), "hollow"))
        rows.append(LegendRow(MEANING_COLOR, t("ui.legend_approx", lang), "dashed"))
    if style.legend and not rows:
        rows.append(LegendRow(style.color, spec.title_in(lang), shape, outline=style.outline))
    return tuple(rows)


def _joined(names: list[str]) -> str:
    """Return labels as one phrase: the first as it is, the others in lower case."""
    first, *rest = names
    return ", ".join([first, *(n[:1].lower() + n[1:] for n in rest)])


class _VerbatimScript(Element):
    """Script text added to the figure as it is.

    branca's ``MacroElement.render`` wraps each rendered script in ``Element(text)``, which
    compiles it as a Jinja2 template; scripts built from data must never be compiled.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        del kwargs
        return self._text


class ScriptElement(JSCSSMixin):
    """A map element whose script is added verbatim, with its assets declared by name.

    Subclasses set ``default_js`` / ``default_css`` to ``[(name, file)]`` with names from
    ``layers.assets.ASSETS`` (``layers.assets.localize_assets`` swaps in the app's URLs),
    and a Jinja2 ``_template`` with a ``script`` macro. Values from data go in through
    ``script_json`` or ``escape_text``; the rendered script is never compiled again (see
    ``_VerbatimScript``). Exported HTML gets one ``<script src>`` per asset name.
    """

    default_js: list[tuple[str, str]] = []  # noqa: RUF012 - folium's class-level declaration
    default_css: list[tuple[str, str]] = []  # noqa: RUF012

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add this element's asset links and its script to the figure, without compiling."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = f"{type(self).__name__} must be inside a folium Map (in a Figure) to render"
            raise TypeError(msg)
        for name, url in self.default_js:
            figure.header.add_child(folium.JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(folium.CssLink(url), name=name)
        script = self._template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(_VerbatimScript(script), name=self.get_name())


_USES_MAP_SCRIPT = [(MAP_SCRIPT, "creative_map.js")]


class LayerFromUrl(ScriptElement):
    """A layer whose features the browser fetches once from the app, then shows or hides.

    The browser side is ``store.addLayer`` in ``layers/js/creative_map.js``: one container
    group per layer, one tooltip on it, all points as one ``PointsPath`` drawn in one pass
    per style, lines and polygons as ordinary Leaflet layers. Approximate points are circles
    in metres that never shrink below ``APPROX_MIN_RADIUS_PX``.
    """

    default_js = _USES_MAP_SCRIPT
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = window.__creativeMap.addLayer({{ this._parent.get_name() }},
    {{ this.options_js }});
{% endmacro %}
"""
    )

    def __init__(self, source: LayerSource, *, lang: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LayerFromUrl"
        failed = escape_text(t("map.layer_failed", lang, layer=source.title))
        self.options_js = script_json(
            {
                "id": source.layer_id,
                "url": source.url,
                "tooltips": source.tooltips,
                "minPx": APPROX_MIN_RADIUS_PX,
                "failed": failed,
                "stackTitle": escape_text(t("map.stack_title", lang)),
                "stackHint": escape_text(t("map.stack_hint", lang)),
            }
        )


class ViewUpdate(ScriptElement):
    """Applies a view to layers already on the map: shown, which features, classes, selection.

    This is all a filter change sends to the browser: a few bytes per layer plus a bit per
    feature (and a byte per feature for a recoloured layer), instead of the features.
    It declares no asset: streamlit-folium evaluates it on a map whose elements loaded the
    map's script already.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
    var states = {{ this.states_js }};
    for (var id in states) { window.__creativeMap.apply(id, states[id]); }
})();
{% endmacro %}
"""
    )

    def __init__(self, states: Mapping[str, LayerState]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "ViewUpdate"
        self.states_js = script_json(dict(states))


def view_update_group(states: Mapping[str, LayerState]) -> folium.FeatureGroup:
    """Return the dynamic group streamlit-folium evaluates on the live map after each rerun.

    Pass it as ``st_folium(..., feature_group_to_add=...)``: streamlit-folium re-evaluates it
    whenever its script text changes, without rebuilding the map.

    Parameters
    ----------
    states
        Layer id to its state.

    Returns
    -------
    folium.FeatureGroup
        An empty group carrying a ``ViewUpdate``.
    """
    group = folium.FeatureGroup(name="view", show=True, control=False)
    group.add_child(ViewUpdate(states))
    return group


def clicked_feature_id(st_folium_output: object) -> tuple[str, str] | None:
    """Return (layer id, feature id) of the feature last clicked on the map, or ``None``.

    WORKAROUND for streamlit-folium 0.27, paired with ``store.reportClicks`` in
    ``layers/js/creative_map.js``: streamlit-folium returns no feature id, only a clicked
    layer's tooltip text and ``last_active_drawing`` (the clicked layer's ``toGeoJSON()``),
    so the map makes ``toGeoJSON`` of its features return ``{"properties": {"layer": ...,
    "id": ...}}`` and this reads it back. Ask st_folium for ``CLICK_RETURNED``. A drawing
    (streamlit-folium's draw plugin also fills ``last_active_drawing``) gives ``None``.

    Parameters
    ----------
    st_folium_output
        What ``st_folium`` returned: any JSON value, since a page can forge it.

    Returns
    -------
    tuple of (str, str) or None
        The clicked feature's layer id and id.
    """
    if not isinstance(st_folium_output, Mapping):
        return None
    return feature_id_from_drawing(st_folium_output.get("last_active_drawing"))


def feature_id_from_drawing(drawing: object) -> tuple[str, str] | None:
    """Return (layer id, feature id) from st_folium's ``last_active_drawing``, or ``None``.

    Both ids must be non-empty strings of at most ``MAX_CLICKED_ID_CHARS`` characters;
    anything else (a drawing, a forged value of another type) gives ``None``.

    Parameters
    ----------
    drawing
        The clicked layer's ``toGeoJSON()`` as the map reported it: any JSON value.

    Returns
    -------
    tuple of (str, str) or None
        The clicked feature's layer id and id.
    """
    props = drawing.get("properties") if isinstance(drawing, Mapping) else None
    if not isinstance(props, Mapping):
        return None
    layer_id, feature_id = props.get("layer"), props.get("id")
    if (
        isinstance(layer_id, str)
        and isinstance(feature_id, str)
        and 0 < len(layer_id) <= MAX_CLICKED_ID_CHARS
        and 0 < len(feature_id) <= MAX_CLICKED_ID_CHARS
    ):
        return layer_id, feature_id
    return None


class MapLegend(ScriptElement):
    """The map's legend: a Leaflet control built from the layers' styles.

    One section per layer with legend rows (``legend_rows``), shown while its layer is
    visible; a classed layer's range labels come with its document and with each view update
    that reclassifies it. Being part of the map, it is in an exported HTML map too. Every
    text goes through ``escape_text``.
    """

    default_js = _USES_MAP_SCRIPT
    _template = Template(
        """
{% macro script(this, kwargs) %}
window.__creativeMap.addLegend({{ this._parent.get_name() }}, {{ this.legend_js }});
{% endmacro %}
"""
    )

    def __init__(self, sources: Sequence[LayerSource], *, lang: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "MapLegend"
        sections = [
            {
                "layer": s.layer_id,
                "title": escape_text(s.legend_title),
                "visible": s.visible,
                "rows": [
                    {
                        "color": r.color,
                        "outline": r.outline,
                        "shape": r.shape,
                        "text": escape_text(r.text),
                    }
                    for r in s.legend
                ],
            }
            for s in reversed(sources)  # the top layer first
            if s.legend
        ]
        self.legend_js = script_json(
            {"title": escape_text(t("ui.legend", lang)), "sections": sections}
        )


_BASE_CSS = """
<style>
.leaflet-container { background: #F3F1EC; font-size: 14px; }
/* streamlit-folium fixes the map's height in pixels; the app sizes the map's frame to the
   window, and the map fills its frame. */
#map_div, #map_div2 { height: 100vh !important; }
.leaflet-tooltip { font-size: 14px; max-width: 320px; white-space: normal; }
.creative-map-city span { display: inline-block; transform: translate(-50%, 12px);
  font: 600 15px/1.2 sans-serif; color: #222; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
.creative-map-label { position: absolute; white-space: nowrap; color: #111; padding: 0 4px;
  line-height: 1.25; text-shadow: 0 0 4px #fff, 0 0 4px #fff, 0 0 2px #fff; }
.creative-map-notice { background: #FFF8E1; border: 1px solid #C9A227; padding: 6px 10px;
  max-width: 320px; font-size: 13px; }
.creative-map-legend { background: rgba(255,255,255,0.92); padding: 4px 8px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 12px; line-height: 1.25; max-width: 300px;
  max-height: 70%; overflow-y: auto; }
.creative-map-legend summary { font-weight: 600; cursor: pointer; }
.creative-map-legend-layer { display: grid; grid-template-columns: 1fr 1fr; column-gap: 8px; }
.creative-map-legend-title { grid-column: 1 / -1; font-weight: 600; margin-top: 3px; }
.creative-map-legend-row { display: flex; align-items: center; gap: 5px; margin: 1px 0; }
.creative-map-legend-row.wide { grid-column: 1 / -1; }
.creative-map-legend-layer[hidden], .creative-map-legend-row[hidden] { display: none; }
.creative-map-swatch { flex: none; width: 10px; height: 10px; border: 2px solid;
  border-radius: 50%; }
.creative-map-swatch.area { border-radius: 2px; }
.creative-map-swatch.hollow { background-color: transparent !important; }
.creative-map-swatch.dashed { border-style: dashed; background-color: transparent !important; }
@media (pointer: coarse) {  /* a map on a touch screen: buttons a thumb can hit */
  .leaflet-bar a, .leaflet-touch .leaflet-bar a { width: 44px; height: 44px; line-height: 44px; }
}
</style>
"""


class TileErrorNotice(ScriptElement):
    """Shows a notice on the map, once, when basemap tiles fail to load (for example offline)."""

    default_js = _USES_MAP_SCRIPT
    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    var shown = false;
    map.eachLayer(function (layer) {
        if (!(layer instanceof L.TileLayer)) { return; }
        layer.on('tileerror', function () {
            if (shown) { return; }
            shown = true;
            window.__creativeNotice(map, {{ this.message_js }});
        });
    });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, message: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "TileErrorNotice"
        self.message_js = script_json(escape_text(message))


class MapChrome(ScriptElement):
    """Leaflet's own controls in the page's language.

    A metric scale bar (no imperial one) whose numbers and units follow the language
    (``Intl.NumberFormat`` groups ``1 000`` as CLDR does), the zoom buttons' titles, and the
    attribution's prefix (its name, with a translated title). Leaflet 1.9 builds the scale's
    label in ``_updateMetric``; the subclass replaces only that.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    var words = {{ this.words_js }};
    var digits = new Intl.NumberFormat(words.locale);
    var Scale = L.Control.Scale.extend({
        _updateMetric: function (maxMeters) {
            var meters = this._getRoundNum(maxMeters);
            var text = meters < 1000 ? digits.format(meters) + '\u00a0' + words.m
                : digits.format(meters / 1000) + '\u00a0' + words.km;
            this._updateScale(this._mScale, text, meters / maxMeters);
        }
    });
    new Scale({metric: true, imperial: false}).addTo(map);
    var zoom = map.zoomControl;
    if (zoom) {
        [[zoom._zoomInButton, words.zoomIn], [zoom._zoomOutButton, words.zoomOut]].forEach(
            function (pair) {
                if (!pair[0]) { return; }
                pair[0].title = pair[1];
                pair[0].setAttribute('aria-label', pair[1]);
            });
    }
    if (map.attributionControl) {
        // No link: the map names no host but the tile server's (it must work offline).
        map.attributionControl.setPrefix('<span title="' + words.leaflet + '">Leaflet</span>');
    }
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, lang: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "MapChrome"
        words = {
            "locale": lang,
            "m": escape_text(t("map.scale_m", lang)),
            "km": escape_text(t("map.scale_km", lang)),
            "zoomIn": t("map.zoom_in", lang),
            "zoomOut": t("map.zoom_out", lang),
            "leaflet": escape_text(t("map.leaflet_title", lang)),
        }
        self.words_js = script_json(words)


def tiles_attribution(basemap: str, lang: str) -> str:
    """Return a basemap's attribution in a language (``map.attribution.<basemap>``), escaped.

    Parameters
    ----------
    basemap
        A key of ``BASEMAPS`` that draws tiles.
    lang
        Language code.

    Returns
    -------
    str
        The translated attribution, or the basemap's own when it has no translation.
    """
    key = f"map.attribution.{basemap}"
    text = t(key, lang)
    tiles = BASEMAPS[basemap] or {}
    return escape_text(text if text != key else tiles.get("attribution", ""))


CITY_LABEL_MAX_ZOOM = 8  # closer in, places themselves are readable and a label would hide them


class CityLabels(ScriptElement):
    """City names on the map while it is zoomed out, where each city's places merge into a dot.

    They are display aids placed at the centre of each city's view, not catalogue records.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    var labels = {{ this.labels_js }}.map(function (c) {
        return L.marker([c[1], c[2]], {
            icon: L.divIcon({className: 'creative-map-city',
                             html: '<span>' + c[0] + '</span>', iconSize: null}),
            interactive: false, keyboard: false
        });
    });
    function update() {
        var show = map.getZoom() <= {{ this.max_zoom }};
        labels.forEach(function (m) {
            if (show && !map.hasLayer(m)) { m.addTo(map); }
            if (!show && map.hasLayer(m)) { map.removeLayer(m); }
        });
    }
    map.on('zoomend', update);
    update();
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, labels: Sequence[tuple[str, float, float]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "CityLabels"
        self.labels_js = script_json([[escape_text(name), lat, lon] for name, lat, lon in labels])
        self.max_zoom = CITY_LABEL_MAX_ZOOM


MAX_LABELS = 200  # labels are placed greedily in the browser on every move: keep each pass cheap


class PlaceLabels(ScriptElement):
    """Name labels for the shown features of some layers, placed where they do not collide.

    The browser side (``__creativeMap.labels``) takes each name from the feature's escaped
    tooltip and sets it as text, never as HTML.
    """

    default_js = _USES_MAP_SCRIPT
    _template = Template(
        """
{% macro script(this, kwargs) %}
window.__creativeMap.labels({{ this._parent.get_name() }}, {{ this.options_js }});
{% endmacro %}
"""
    )

    def __init__(
        self, layer_ids: Sequence[str], *, font_px: int, avoid: Sequence[str] = ()
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "PlaceLabels"
        options = {"layers": list(layer_ids), "fontPx": font_px, "max": MAX_LABELS}
        self.options_js = script_json({**options, "avoid": list(avoid)})


def build_base_map(
    *,
    center_lat_lon: tuple[float, float],
    zoom: int,
    basemap: str,
    lang: str,
    asset_url_prefix: str,
    layers: Sequence[LayerSource] = (),
    city_labels: Sequence[tuple[str, float, float]] = (),
    label_layers: Sequence[str] = (),
    label_font_px: int = 14,
    label_avoid: Sequence[str] = (),
    draw: bool = False,
) -> folium.Map:
    """Return the base map: tiles (or none), scale bar, layers' sources, legend; assets by name.

    The layers' features are not in the map's script: the browser fetches each layer once
    from its URL, and ``view_update_group`` then shows or hides features, so neither a filter
    change nor a rerun sends or rebuilds them.

    Parameters
    ----------
    center_lat_lon
        Initial centre as (latitude, longitude) in degrees.
    zoom
        Initial zoom level.
    basemap
        A key of ``BASEMAPS``; ``"none"`` draws no tiles (works offline).
    lang
        Language of the map's own messages.
    asset_url_prefix
        Where the app serves Leaflet (see ``layers.assets``).
    layers
        Layers to fetch, bottom first; the map's legend (``MapLegend``) is built from them.
    city_labels
        (name, latitude, longitude) of labels shown while zoomed out.
    label_layers
        Ids of layers whose shown features carry name labels (``PlaceLabels``); none by
        default.
    label_font_px
        The name and city labels' font size in CSS pixels when ``label_layers`` is given.
    label_avoid
        CSS selectors (constants of the code) of the page's elements that float over the map;
        labels keep clear of them.
    draw
        Add the drawing control (``layers.draw.add_draw_control``: lines, polygons,
        rectangles, markers); off by default.

    Returns
    -------
    folium.Map
        The map.

    Raises
    ------
    KeyError
        If the basemap is unknown.
    """
    tiles = BASEMAPS[basemap]
    fmap = folium.Map(
        location=list(center_lat_lon),
        zoom_start=zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,  # MapChrome adds a metric scale bar in the page's language
        min_zoom=4,
        max_zoom=19,
    )
    use_local_assets(fmap, url_prefix=asset_url_prefix)  # Leaflet only, by name
    fmap.add_child(MapChrome(lang))
    if tiles is not None:
        # A TileProvider, not a URL string: folium looks a string up among xyzservices'
        # thousand providers first, a few milliseconds on every rerun.
        attribution = tiles_attribution(basemap, lang)
        provider = xyzservices.TileProvider(name=basemap, url=tiles["url"], attribution=attribution)
        folium.TileLayer(tiles=provider, attr=attribution, max_zoom=19).add_to(fmap)
        fmap.add_child(TileErrorNotice(t("map.tiles_failed", lang)))
    for source in layers:
        fmap.add_child(LayerFromUrl(source, lang=lang))
    if city_labels:
        fmap.add_child(CityLabels(city_labels))
    if label_layers:
        fmap.add_child(PlaceLabels(label_layers, font_px=label_font_px, avoid=label_avoid))
    # Always present: it also loads the map's script for the view updates that follow.
    fmap.add_child(MapLegend(layers, lang=lang))
    if draw:
        from layers.draw import add_draw_control  # noqa: PLC0415 - layers.draw imports this module

        add_draw_control(fmap, lang=lang)
    cast(Figure, fmap.get_root()).header.add_child(Element(_BASE_CSS))
    if label_layers:
        size = int(label_font_px) + 6  # a city's name above its places' names
        css = (
            f"<style>.creative-map-city span {{ font-size: {size}px; }}"
            ".creative-map-legend { font-size: 16px; max-width: 460px; }"
            ".leaflet-control-scale-line { font-size: 16px; }</style>"
        )
        cast(Figure, fmap.get_root()).header.add_child(Element(css))
    localize_assets(fmap, url_prefix=asset_url_prefix)
    return fmap
