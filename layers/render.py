"""The generic renderer (a LayerSpec and its frame become a FeatureGroup) and the base map."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any, cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from geo.crs import to_display
from geo.schema import EXACT_WITHIN_M
from layers.assets import use_local_assets
from layers.escape import escape_text
from layers.i18n import label, t
from layers.spec import LayerSpec, Style

# Marker pattern the UI reads back from a clicked feature's tooltip text to know its id.
ID_MARK = "#id:"
COORD_DECIMALS = 6  # about 0.1 m: far finer than any accuracy in the catalogue
APPROX_MIN_RADIUS_PX = 7  # an approximate circle never shrinks below this on screen
SELECTED_COLOR = "#000000"
LABELLED_FIELDS = frozenset({"kind", "status", "bank", "city", "district"})

BASEMAPS: dict[str, dict[str, str] | None] = {
    "osm": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
    },
    "none": None,
}
DEFAULT_BASEMAP = "osm"


class _VerbatimScript(Element):
    """Script text added to the figure as it is.

    branca's ``MacroElement.render`` wraps each rendered script in ``Element(text)``, which
    compiles it as a Jinja2 template: for a layer payload of several MB that costs hundreds of
    milliseconds per rerun (and would run any template syntax in it).
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        del kwargs
        return self._text


class PayloadGeoJson(MacroElement):
    """A whole layer drawn by one ``L.geoJSON`` call from a base64-encoded GeoJSON payload.

    Base64 keeps data out of every template and regular expression on the way to the
    browser (folium's Jinja2, streamlit-folium's variable renaming); text inside was already
    escaped by ``escape_text``. Points with an accuracy radius become circles in metres that
    never shrink below ``APPROX_MIN_RADIUS_PX`` on screen; exact points become circle markers.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
    var raw = atob({{ this.payload_js }});
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    var data = JSON.parse(new TextDecoder().decode(bytes));
    var styles = {{ this.styles_js }};
    var minPx = {{ this.min_px }};
    var ApproxCircle = L.Circle.extend({
        _project: function () {
            L.Circle.prototype._project.call(this);
            if (this._radius < minPx) {
                this._radius = minPx; this._radiusY = minPx; this._updateBounds();
            }
        }
    });
    return L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
            var s = styles[f.properties.s];
            if (f.properties.a) {
                return new ApproxCircle(latlng, L.extend({}, s, {radius: f.properties.a}));
            }
            return L.circleMarker(latlng, L.extend({}, s));
        },
        style: function (f) { return styles[f.properties.s]; },
        onEachFeature: function (f, layer) {
            if (f.properties.t) { layer.bindTooltip(f.properties.t, {sticky: true}); }
        }
    });
})().addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, payload_b64: str, styles: list[dict[str, Any]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "PayloadGeoJson"
        self.payload_js = json.dumps(payload_b64)
        self.styles_js = json.dumps(styles)
        self.min_px = APPROX_MIN_RADIUS_PX

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add this layer's script to the figure without compiling it as a template."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = "PayloadGeoJson must be inside a folium Map (in a Figure) to render"
            raise TypeError(msg)
        script = self._template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(_VerbatimScript(script), name=self.get_name())


def _field_column(gdf: gpd.GeoDataFrame, field: str, lang: str) -> str | None:
    for col in (f"{field}_{lang}", field, f"{field}_en", f"{field}_ru"):
        if col in gdf.columns:
            return col
    return None


def _escaped(values: pd.Series, field: str, lang: str) -> pd.Series:
    """Return each value as escaped display text (labels for coded fields), NaN if missing."""

    def one(value: object) -> str | None:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        return escape_text(label(field, value, lang) if field in LABELLED_FIELDS else value)

    uniques = {v: one(v) for v in values.dropna().unique()}
    return values.map(uniques).astype(object)


def _accuracy_text(accuracy: pd.Series, lang: str) -> pd.Series:
    def one(value: float) -> str:
        key = "map.exact" if value <= EXACT_WITHIN_M else "map.approx"
        return "<i>" + escape_text(t(key, lang, m=f"{value:,.0f}")) + "</i>"

    uniques = {v: one(float(v)) for v in accuracy.dropna().unique()}
    return accuracy.map(uniques).astype(object)


def _tooltips(
    display: gpd.GeoDataFrame, spec: LayerSpec, lang: str, has_accuracy: bool
) -> pd.Series | None:
    parts: list[pd.Series] = []
    for i, field in enumerate(spec.tooltip_fields):
        col = _field_column(display, field, lang)
        if col is None:
            continue
        text = _escaped(display[col], field, lang)
        parts.append("<b>" + text + "</b>" if i == 0 else text)
    if has_accuracy:
        parts.append(_accuracy_text(display["location_accuracy_m"], lang))
    if "id" in display.columns and spec.style.interactive:
        ids = display["id"].astype(str)
        parts.append("<span hidden>" + ids.map(lambda v: escape_text(ID_MARK + v)) + "</span>")
    if not parts:
        return None
    tips = pd.Series("", index=display.index, dtype=object)
    for part in parts:
        joined = tips.where(tips == "", tips + "<br>")
        tips = (joined + part).where(part.notna(), tips)
    return tips


def _style_for(
    style: Style, color: str, *, hollow: bool, approximate: bool, selected: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "color": SELECTED_COLOR if selected else color,
        "fillColor": color,
        "weight": style.weight * (2 if selected else 1),
        "fill": style.fill,
        "fillOpacity": style.hollow_fill_opacity if hollow else style.fill_opacity,
        "radius": style.radius_px * (1.4 if selected else 1),
        "interactive": style.interactive,
        "opacity": 1.0 if style.weight > 0 else 0.0,
    }
    dash = "6 5" if approximate else style.dash_array
    if dash:
        out["dashArray"] = dash
    return out


def _style_columns(
    display: gpd.GeoDataFrame, style: Style, approximate: pd.Series, selected_id: str | None
) -> pd.DataFrame:
    index = display.index
    if style.color_by:
        palette = dict(style.palette)
        color = display[style.color_by].astype(str).map(palette).fillna(style.color)
    else:
        color = pd.Series(style.color, index=index)
    hollow = (
        display[style.hollow_by].astype(str).isin(style.hollow_values)
        if style.hollow_by
        else pd.Series(False, index=index)
    )
    selected = (
        display["id"].astype(str) == selected_id
        if selected_id is not None and "id" in display.columns
        else pd.Series(False, index=index)
    )
    return pd.DataFrame(
        {"color": color, "hollow": hollow, "approximate": approximate, "selected": selected}
    )


def layer_payload(
    spec: LayerSpec, gdf: gpd.GeoDataFrame, *, lang: str, selected_id: str | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Return a layer's features as a base64 GeoJSON payload and its table of styles.

    Every text value in the payload has passed through ``escape_text``. Built column-wise,
    so 10,000 features take tens of milliseconds, not seconds.

    Parameters
    ----------
    spec
        The layer.
    gdf
        Its features (any CRS; converted to EPSG:4326). Rows without geometry are left out.
    lang
        Language of tooltips.
    selected_id
        The ``id`` of a feature to highlight, if any.

    Returns
    -------
    tuple of (str, list of dict)
        Base64 of the GeoJSON text, and the style table that features index into.
    """
    display = to_display(gdf)
    display = display[display.geometry.notna() & ~display.geometry.is_empty]
    has_accuracy = "location_accuracy_m" in display.columns
    accuracy = (
        display["location_accuracy_m"].astype(float)
        if has_accuracy
        else pd.Series(np.nan, index=display.index)
    )
    approximate = accuracy.gt(EXACT_WITHIN_M)
    combos = _style_columns(display, spec.style, approximate, selected_id)
    keys = list(combos.itertuples(index=False, name=None))
    style_index: dict[tuple[Any, ...], int] = {}
    for key in keys:
        style_index.setdefault(key, len(style_index))
    styles = [
        _style_for(spec.style, c, hollow=h, approximate=a, selected=s)
        for (c, h, a, s) in style_index
    ]
    props = pd.Series([f'{{"s":{style_index[k]}' for k in keys], index=display.index, dtype=object)
    is_point = display.geometry.geom_type.eq("Point")
    radius = accuracy.where(approximate & is_point)
    props = props.where(radius.isna(), props + ',"a":' + radius.round(1).astype(str))
    tips = _tooltips(display, spec, lang, has_accuracy)
    if tips is not None:
        props = props + ',"t":' + tips.map(json.dumps)
    geometry = shapely.to_geojson(
        shapely.transform(display.geometry.values, lambda xy: np.round(xy, COORD_DECIMALS))
    )
    features = '{"type":"Feature","geometry":' + pd.Series(geometry, index=display.index)
    features = features + ',"properties":' + props + "}}"
    text = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    return base64.b64encode(text.encode("utf-8")).decode("ascii"), styles


def render_layer(
    spec: LayerSpec, gdf: gpd.GeoDataFrame, *, lang: str, selected_id: str | None = None
) -> folium.FeatureGroup:
    """Return a folium FeatureGroup drawing one layer.

    Parameters
    ----------
    spec
        The layer.
    gdf
        Its features.
    lang
        Language of the layer name and tooltips.
    selected_id
        The ``id`` of a feature to highlight, if any.

    Returns
    -------
    folium.FeatureGroup
        A group holding a single ``PayloadGeoJson`` element.
    """
    payload, styles = layer_payload(spec, gdf, lang=lang, selected_id=selected_id)
    return feature_group_from_payload(spec, payload, styles, lang=lang)


def feature_group_from_payload(
    spec: LayerSpec, payload: str, styles: list[dict[str, Any]], *, lang: str
) -> folium.FeatureGroup:
    """Return a FeatureGroup from a payload made earlier by ``layer_payload`` (for caching).

    Parameters
    ----------
    spec
        The layer.
    payload, styles
        The output of ``layer_payload``.
    lang
        Language of the layer name.

    Returns
    -------
    folium.FeatureGroup
        The group.
    """
    group = folium.FeatureGroup(name=escape_text(spec.title_in(lang)), show=True)
    group.add_child(PayloadGeoJson(payload, styles))
    return group


def combine_groups(groups: Iterable[folium.FeatureGroup], *, name: str) -> folium.FeatureGroup:
    """Return one FeatureGroup holding the elements of several, in order (bottom first).

    streamlit-folium swaps dynamic groups in and out as a list; merging keeps one group.

    Parameters
    ----------
    groups
        Groups made by ``render_layer``.
    name
        Name of the combined group (already escaped or a constant).

    Returns
    -------
    folium.FeatureGroup
        The combined group.
    """
    combined = folium.FeatureGroup(name=escape_text(name), show=True)
    for group in groups:
        for child in list(group._children.values()):
            combined.add_child(child)
    return combined


_BASE_CSS = """
<style>
.leaflet-container { background: #F3F1EC; font-size: 14px; }
.leaflet-tooltip { font-size: 14px; max-width: 320px; white-space: normal; }
.creative-map-notice { background: #FFF8E1; border: 1px solid #C9A227; padding: 6px 10px;
  max-width: 320px; font-size: 13px; }
</style>
"""


class TileErrorNotice(MacroElement):
    """Shows a notice on the map, once, when basemap tiles fail to load (for example offline)."""

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
            var box = L.control({position: 'bottomleft'});
            box.onAdd = function () {
                var div = L.DomUtil.create('div', 'creative-map-notice');
                div.setAttribute('role', 'status');
                div.innerHTML = {{ this.message_js }};
                return div;
            };
            box.addTo(map);
        });
    });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, message: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "TileErrorNotice"
        self.message_js = json.dumps(escape_text(message))


def build_base_map(
    *,
    center_lat_lon: tuple[float, float],
    zoom: int,
    basemap: str,
    lang: str,
    asset_url_prefix: str,
) -> folium.Map:
    """Return the base map: tiles (or none), scale bar, styling, and local Leaflet assets.

    Layers are not part of it: they travel separately so a filter change does not rebuild it.

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
        control_scale=True,
        min_zoom=4,
        max_zoom=19,
    )
    use_local_assets(fmap, url_prefix=asset_url_prefix)
    if tiles is not None:
        folium.TileLayer(
            tiles=tiles["url"], attr=escape_text(tiles["attribution"]), max_zoom=19
        ).add_to(fmap)
        fmap.add_child(TileErrorNotice(t("map.tiles_failed", lang)))
    cast(Figure, fmap.get_root()).header.add_child(Element(_BASE_CSS))
    return fmap
