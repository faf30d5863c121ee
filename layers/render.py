"""Folium elements for the map: layers fetched once from the app, small view updates, base map."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, cast

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from layers.assets import use_local_assets
from layers.escape import escape_text
from layers.i18n import t
from layers.spec import LayerSpec

APPROX_MIN_RADIUS_PX = 7  # an approximate circle never shrinks below this on screen
SELECTED_COLOR = "#000000"

BASEMAPS: dict[str, dict[str, str] | None] = {
    "osm": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
    },
    "none": None,
}
DEFAULT_BASEMAP = "osm"


def clicked_feature_id(out: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """Return (layer id, feature id) of the feature a click on the map reported, if any."""
    import re  # noqa: PLC0415 - temporary until the map protocol reports ids

    from layers.payload import ID_MARK  # noqa: PLC0415

    match = re.search(re.escape(ID_MARK) + r"([a-z0-9_]+)", str((out or {}).get("last_object_clicked_tooltip")))
    return ("places", match.group(1)) if match else None


class LayerState(TypedDict):
    """What a view update says about one layer: shown at all, which features, which selected."""

    visible: bool
    mask: str | None  # base64 bit array from payload.visibility_mask; None shows every feature
    selected: int  # index of the selected feature in the layer's document, or -1


@dataclass(frozen=True)
class LayerSource:
    """Where the browser fetches a layer's document, and how to show it."""

    layer_id: str
    url: str
    title: str
    tooltips: bool

    @classmethod
    def of(cls, spec: LayerSpec, *, url: str, lang: str) -> LayerSource:
        """Return the source of a registered layer whose document the app serves at ``url``."""
        return cls(spec.id, url, spec.title_in(lang), bool(spec.tooltip_fields))


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


class _ScriptElement(MacroElement):
    """A MacroElement whose script is added verbatim (see ``_VerbatimScript``)."""

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add this element's script to the figure without compiling it as a template."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = f"{type(self).__name__} must be inside a folium Map (in a Figure) to render"
            raise TypeError(msg)
        script = self._template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(_VerbatimScript(script), name=self.get_name())


# Shared by every layer on the page: the store of fetched layers, the one-pass point layer and
# the function that applies a view (visibility, mask of shown features, selection) to a layer.
_STORE_JS = (Path(__file__).parent / "js" / "store.js").read_text(encoding="utf-8")
# The map's notice box, shared by every element that has something to say on the map.
NOTICE_JS = (Path(__file__).parent / "js" / "notice.js").read_text(encoding="utf-8")


class LayerFromUrl(_ScriptElement):
    """A layer whose features the browser fetches once from the app, then shows or hides.

    The features live in a container group added to the map at once, so streamlit-folium's
    click handling (attached when the map starts) sees clicks on them, and one tooltip on the
    container serves every feature (10,000 tooltips cost more than drawing the features).
    All point features are one ``PointsPath`` (``layers/js/store.js``) drawn in one pass per
    style; lines and polygons are ordinary Leaflet layers. Approximate points are circles in
    metres that never shrink below ``APPROX_MIN_RADIUS_PX``.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (map) {
    {{ this.notice_js }}
    {{ this.store_js }}
    store.selectedColor = {{ this.selected_color_js }};
    var id = {{ this.layer_id_js }};
    var container = L.featureGroup().addTo(map);
    // Features in document order: `layers[i]` is a Leaflet layer for lines and polygons, null
    // for a point, which is `pointIndex[i]` in the layer's one PointsPath instead.
    var e = {container: container, ready: false, layers: [], pointIndex: [], shown: [],
             points: null, selected: -1, styles: [], state: null};
    e.styleOf = function (i) { return e.styles[e.layers[i].feature.properties.s]; };
    store.layers[id] = e;
    function featureOf(layer) {
        return layer === e.points ? e.points.hitFeature() : layer.feature;
    }
    if ({{ this.tooltips_js }}) {
        container.bindTooltip(function (layer) {
            var div = document.createElement('div');
            var f = featureOf(layer);
            div.innerHTML = (f && f.properties.t) || '';
            return div;
        }, {sticky: true});
    }
    fetch({{ this.url_js }}).then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
    }).then(function (data) {
        e.styles = data.styles;
        var points = [];
        var options = {
            pointToLayer: function (f, latlng) {
                return L.circleMarker(latlng, L.extend({}, data.styles[f.properties.s]));
            }
        };
        data.features.forEach(function (f) {
            if (f.geometry && f.geometry.type === 'Point') {
                e.pointIndex.push(points.length);
                e.layers.push(null);
                points.push(f);
            } else {
                // Straight into the container (no nested group): Leaflet 1.9.3 calls
                // getElement() on each child of a group whose tooltip opens.
                var layer = L.GeoJSON.geometryToLayer(f, options);
                layer.feature = f;
                if (layer.setStyle) { layer.setStyle(data.styles[f.properties.s]); }
                container.addLayer(layer);
                e.pointIndex.push(-1);
                e.layers.push(layer);
            }
            e.shown.push(true);
        });
        if (points.length) {
            e.points = new store.PointsPath(points, data.styles, {minPx: {{ this.min_px }}});
            // Moving from one point to the next stays inside this one layer: refresh the text.
            var tipFor = -1;
            e.points.on('mouseover mousemove', function () {
                var tip = container.getTooltip();
                if (tip && tip.isOpen() && tipFor !== e.points.hit) { tip.update(); }
                tipFor = e.points.hit;
            });
            container.addLayer(e.points);
        }
        e.ready = true;
        store.apply(id, e.state || {visible: true, mask: null, selected: -1});
    }).catch(function () { window.__creativeNotice(map, {{ this.failed_js }}); });
    return container;
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, source: LayerSource, *, lang: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LayerFromUrl"
        self.store_js = _STORE_JS
        self.notice_js = NOTICE_JS
        self.selected_color_js = json.dumps(SELECTED_COLOR)
        self.layer_id_js = json.dumps(source.layer_id)
        self.url_js = json.dumps(source.url)
        self.tooltips_js = json.dumps(source.tooltips)
        self.min_px = APPROX_MIN_RADIUS_PX
        self.failed_js = json.dumps(escape_text(t("map.layer_failed", lang, layer=source.title)))


class ViewUpdate(_ScriptElement):
    """Applies a view to layers already on the map: which are shown, which features, selection.

    This is all a filter change sends to the browser: a few bytes per layer plus a bit per
    feature, instead of the features themselves.
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
        self.states_js = json.dumps(dict(states), sort_keys=True)


def view_update_group(states: Mapping[str, LayerState]) -> folium.FeatureGroup:
    """Return the dynamic group streamlit-folium evaluates on the live map after each rerun.

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
.creative-map-notice { background: #FFF8E1; border: 1px solid #C9A227; padding: 6px 10px;
  max-width: 320px; font-size: 13px; }
@media (pointer: coarse) {  /* a map on a touch screen: buttons a thumb can hit */
  .leaflet-bar a, .leaflet-touch .leaflet-bar a { width: 44px; height: 44px; line-height: 44px; }
}
</style>
"""


class TileErrorNotice(_ScriptElement):
    """Shows a notice on the map, once, when basemap tiles fail to load (for example offline)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    {{ this.notice_js }}
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
        self.notice_js = NOTICE_JS
        self.message_js = json.dumps(escape_text(message))


CITY_LABEL_MAX_ZOOM = 8  # closer in, places themselves are readable and a label would hide them


class CityLabels(_ScriptElement):
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
        self.labels_js = json.dumps([[escape_text(name), lat, lon] for name, lat, lon in labels])
        self.max_zoom = CITY_LABEL_MAX_ZOOM


def build_base_map(
    *,
    center_lat_lon: tuple[float, float],
    zoom: int,
    basemap: str,
    lang: str,
    asset_url_prefix: str,
    layers: Sequence[LayerSource] = (),
    city_labels: Sequence[tuple[str, float, float]] = (),
) -> folium.Map:
    """Return the base map: tiles (or none), scale bar, local Leaflet, and the layers' sources.

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
        Layers to fetch, bottom first.
    city_labels
        (name, latitude, longitude) of labels shown while zoomed out.

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
    for source in layers:
        fmap.add_child(LayerFromUrl(source, lang=lang))
    if city_labels:
        fmap.add_child(CityLabels(city_labels))
    cast(Figure, fmap.get_root()).header.add_child(Element(_BASE_CSS))
    return fmap
