"""The near-me map: the user's position, the nearest places, a line to each, and "locate me"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import folium
from branca.element import Element, Figure
from jinja2 import Template

from layers.assets import MAP_SCRIPT, localize_assets
from layers.escape import escape_text
from layers.i18n import t
from layers.render import LayerSource, ScriptElement, build_base_map, script_json

POSITION_COLOR = "#000000"
LINE_COLOR = "#444444"
RESULT_RADIUS_PX = 9


@dataclass(frozen=True)
class NearResult:
    """One place to draw: where it is, its rank, its tooltip lines (plain text) and colour."""

    lat: float
    lon: float
    rank: int
    lines: tuple[str, ...]
    color: str
    approximate: bool


class LocateControl(ScriptElement):
    """A map button that asks the browser for its position and sets it as a map click does.

    The position reaches the app through streamlit-folium's ``last_clicked``, the same way a
    click on the map does. When the browser refuses or cannot tell, a notice on the map says
    why and what to do instead.
    """

    default_js = [(MAP_SCRIPT, "creative_map.js")]  # noqa: RUF012 - folium's declaration
    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    var texts = {{ this.texts_js }};
    var notice = null;
    function say(text) {
        notice = notice || window.__creativeNotice(map, '', 'creative-map-locate-msg');
        notice.textContent = text;
    }
    var control = L.control({position: 'topleft'});
    control.onAdd = function () {
        var button = L.DomUtil.create('button', 'creative-map-locate');
        button.type = 'button';
        button.textContent = texts.button;
        button.title = texts.title;
        button.setAttribute('aria-label', texts.title);
        L.DomEvent.disableClickPropagation(button);
        L.DomEvent.on(button, 'click', function () {
            if (!window.isSecureContext || !navigator.geolocation) {
                say(texts.unavailable);
                return;
            }
            say(texts.asking);
            navigator.geolocation.getCurrentPosition(function (pos) {
                var here = L.latLng(pos.coords.latitude, pos.coords.longitude);
                say(texts.found.replace('{m}', Math.round(pos.coords.accuracy)));
                map.fire('click', {latlng: here});
            }, function (err) {
                var why = {1: texts.denied, 3: texts.timeout}[err.code];
                say(why || texts.unavailable);
            }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
        });
        return button;
    };
    control.addTo(map);
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, lang: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LocateControl"
        keys = ("button", "title", "asking", "found", "denied", "timeout", "unavailable")
        # textContent, never innerHTML: escaping still applies, as to every string from here.
        self.texts_js = script_json({k: t(f"near.locate.{k}", lang) for k in keys})


_LOCATE_CSS = """
<style>
.creative-map-locate { font: 600 15px/1 sans-serif; padding: 12px 14px; min-height: 44px;
  background: #fff; border: 2px solid rgba(0,0,0,0.3); border-radius: 6px; cursor: pointer; }
.creative-map-rank { font: 700 12px/1 sans-serif; color: #fff; background: #222;
  border-radius: 9px; padding: 3px 6px; white-space: nowrap; }
</style>
"""


def near_map(
    *,
    context: Sequence[LayerSource] = (),
    position: tuple[float, float] | None,
    center_lat_lon: tuple[float, float],
    zoom: int,
    results: Sequence[NearResult],
    basemap: str,
    lang: str,
    asset_url_prefix: str,
) -> folium.Map:
    """Return the near-me map: position, results with lines to them, and the locate button.

    Parameters
    ----------
    context
        Context layers to draw under the results (city outline, river, ...).
    position
        The user's (lat, lon) in WGS 84 degrees, or ``None`` before one is chosen.
    center_lat_lon, zoom
        Where the map starts when there are no results to frame.
    results
        The nearest places, nearest first.
    basemap
        A key of ``layers.render.BASEMAPS``.
    lang
        Language of the map's texts.
    asset_url_prefix
        Where the app serves Leaflet.

    Returns
    -------
    folium.Map
        The map; every text on it went through ``escape_text``.
    """
    fmap = build_base_map(
        center_lat_lon=center_lat_lon,
        zoom=zoom,
        basemap=basemap,
        lang=lang,
        asset_url_prefix=asset_url_prefix,
        layers=context,
    )
    cast(Figure, fmap.get_root()).header.add_child(Element(_LOCATE_CSS))
    fmap.add_child(LocateControl(lang))
    if position is None:
        return localize_assets(fmap, url_prefix=asset_url_prefix)
    for r in results:
        folium.PolyLine(  # type: ignore[no-untyped-call]
            [position, (r.lat, r.lon)],
            color=LINE_COLOR,
            weight=2,
            dash_array="4 6",
            interactive=False,
        ).add_to(fmap)
        tip = "<br>".join(escape_text(line) for line in r.lines)
        folium.CircleMarker(
            (r.lat, r.lon),
            radius=RESULT_RADIUS_PX,
            color=r.color,
            fill=True,
            fill_color=r.color,
            fill_opacity=0.35 if r.approximate else 0.85,
            weight=3,
            dash_array="4 3" if r.approximate else None,
            bubbling_mouse_events=False,  # a click on a place must not move the position
            tooltip=folium.Tooltip(tip),
        ).add_to(fmap)
        folium.Marker(
            (r.lat, r.lon),
            icon=folium.DivIcon(
                html=f'<span class="creative-map-rank">{r.rank}</span>',
                icon_size=(0, 0),
                icon_anchor=(-8, 18),
            ),
            interactive=False,
        ).add_to(fmap)
    folium.CircleMarker(
        position,
        radius=8,
        color="#FFFFFF",
        weight=3,
        fill=True,
        fill_color=POSITION_COLOR,
        fill_opacity=1.0,
        tooltip=folium.Tooltip(escape_text(t("near.you_are_here", lang))),
        bubbling_mouse_events=False,
    ).add_to(fmap)
    points = [position, *[(r.lat, r.lon) for r in results]]
    if len(points) > 1:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30))
    else:
        fmap.location = list(position)
    return localize_assets(fmap, url_prefix=asset_url_prefix)
