"""The current view (or a tour) as one standalone HTML file: every asset and every place inside.

The file opens from a USB stick in any browser with no internet and no Python. It is the same
map the app draws (``render.build_base_map``, ``layers/js/creative_map.js``), with:

- Leaflet's JS and CSS, the map's script and Leaflet's images inlined (``inline_assets``);
- each shown layer's document, holding only the places the view shows, as a ``data:`` URL
  that the map's script fetches like any other URL (no server);
- no tile layer (tiles need the internet); the city outline, districts and river, when the
  view shows them, give the places their context;
- a caption (title, date, attribution) and, with ``stops``, tour controls: previous and next
  buttons and the arrow keys over a list of stops, each with a short card.

Every text from data goes through ``escape_text`` and reaches the page through
``script_json``; scripts are added verbatim (``render.ScriptElement``), never compiled as
Jinja2 templates.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import cast

import geopandas as gpd
from branca.element import Element, Figure
from jinja2 import Template

from layers.assets import ASSET_DIRS
from layers.escape import escape_text
from layers.i18n import t
from layers.payload import layer_document
from layers.render import LayerSource, ScriptElement, build_base_map, script_json
from layers.spec import LayerSpec

# Assets are first linked under this prefix, then replaced by their content (``inline_assets``).
INLINE_PREFIX = "creative-inline:"
_SCRIPT_LINK = re.compile(
    r'<script src="' + re.escape(INLINE_PREFIX) + r'([a-z_]+)/([A-Za-z0-9_.-]+)(?:\?v=[0-9a-f]+)?">'
    r"\s*</script>"
)
_CSS_LINK = re.compile(
    r'<link rel="stylesheet" href="' + re.escape(INLINE_PREFIX) + r'([a-z_]+)/([A-Za-z0-9_.-]+)"'
    r"\s*/?>"
)
_CSS_IMAGE = re.compile(r"url\((images/[A-Za-z0-9_.-]+\.png)\)")
_ANY_INLINE = re.compile(re.escape(INLINE_PREFIX))
TOUR_CARD_MAX_LINES = 8


class InlineAssetError(LookupError):
    """An asset link in the rendered page could not be inlined (the file would not stand alone)."""


@dataclass(frozen=True)
class ExportLayer:
    """One layer of an exported map: its spec and the features to put in the file."""

    spec: LayerSpec
    frame: gpd.GeoDataFrame


@dataclass(frozen=True)
class TourStop:
    """One stop of a tour: where the map goes and the card it shows (plain, unescaped text).

    ``center_lat_lon`` is (latitude, longitude) in degrees; ``lines`` are the card's facts
    (status, numbers, a note that the location is only a district's); ``source`` names where
    the facts come from.
    """

    title: str
    center_lat_lon: tuple[float, float]
    zoom: int
    lines: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class ExportView:
    """What an exported map shows besides its layers (plain, unescaped text)."""

    center_lat_lon: tuple[float, float]
    zoom: int
    lang: str
    title: str
    date_text: str
    attribution: str
    subtitle: str = ""


def data_url(text: str, media_type: str = "application/geo+json") -> str:
    """Return text as a base64 ``data:`` URL (UTF-8), which ``fetch`` reads with no server.

    Parameters
    ----------
    text
        The content.
    media_type
        Its media type.

    Returns
    -------
    str
        The URL.
    """
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"data:{media_type};charset=utf-8;base64,{encoded}"


def _asset_text(bundle: str, filename: str) -> str:
    folder = ASSET_DIRS.get(bundle)
    path = None if folder is None else folder / filename
    if path is None or not path.is_file():
        msg = f"asset {bundle}/{filename} is not installed; reinstall the package that has it"
        raise InlineAssetError(msg)
    return path.read_text(encoding="utf-8")


def _css_with_images(bundle: str, css: str) -> str:
    """Return a stylesheet whose ``url(images/x.png)`` point at ``data:`` URLs of the images."""

    def one(match: re.Match[str]) -> str:
        path = ASSET_DIRS[bundle] / match.group(1)
        if not path.is_file():
            return "url(data:,)"  # an image the package lacks: an empty one, still no request
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return _CSS_IMAGE.sub(one, css)


def inline_assets(page: str) -> str:
    r"""Return a rendered page with every ``INLINE_PREFIX`` link replaced by the file's content.

    Parameters
    ----------
    page
        HTML rendered from a map built with ``asset_url_prefix=INLINE_PREFIX``.

    Returns
    -------
    str
        The page; scripts in ``<script>``, stylesheets (with their images as ``data:`` URLs)
        in ``<style>``. ``</`` in a script is written ``<\/``, so no file can close its tag.

    Raises
    ------
    InlineAssetError
        If an asset file is missing, or a link under the prefix is left that was not inlined.
    """

    def script(match: re.Match[str]) -> str:
        text = _asset_text(match.group(1), match.group(2)).replace("</", "<\\/")
        return f"<script>\n{text}\n</script>"

    def css(match: re.Match[str]) -> str:
        bundle = match.group(1)
        text = _css_with_images(bundle, _asset_text(bundle, match.group(2)))
        return "<style>\n" + text.replace("</", "<\\/") + "\n</style>"

    out = _CSS_LINK.sub(css, _SCRIPT_LINK.sub(script, page))
    if _ANY_INLINE.search(out):
        msg = f"a link under {INLINE_PREFIX!r} was left in the page; it would not stand alone"
        raise InlineAssetError(msg)
    return out


class ExportCaption(ScriptElement):
    """A title, a subtitle (the filters), the date and the attribution, at the map's top left."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    var c = {{ this.caption_js }};
    var box = L.control({position: 'topleft'});
    box.onAdd = function () {
        var div = L.DomUtil.create('div', 'creative-export-caption');
        div.innerHTML = '<div class="creative-export-title">' + c.title + '</div>' +
            (c.subtitle ? '<div>' + c.subtitle + '</div>' : '') +
            '<div class="creative-export-meta">' + c.date + ' · ' + c.attribution + '</div>';
        return div;
    };
    box.addTo(map);
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, view: ExportView) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "ExportCaption"
        self.caption_js = script_json(
            {
                "title": escape_text(view.title),
                "subtitle": escape_text(view.subtitle),
                "date": escape_text(view.date_text),
                "attribution": escape_text(view.attribution),
            }
        )


class TourControls(ScriptElement):
    """Previous and next buttons and the arrow keys over a list of stops, each with a card.

    ``window.__creativeTour`` = ``{go(i), index(), count}`` lets a page (and a test) drive it.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    var tour = {{ this.tour_js }}, stops = tour.stops, at = -1;
    var box = L.control({position: 'topright'});
    var card, counter, prev, next;
    box.onAdd = function () {
        var div = L.DomUtil.create('div', 'creative-export-tour');
        var bar = L.DomUtil.create('div', 'creative-export-tour-bar', div);
        prev = L.DomUtil.create('button', 'creative-export-prev', bar);
        prev.type = 'button'; prev.innerHTML = '&#9664; ' + tour.prev;
        counter = L.DomUtil.create('span', 'creative-export-counter', bar);
        next = L.DomUtil.create('button', 'creative-export-next', bar);
        next.type = 'button'; next.innerHTML = tour.next + ' &#9654;';
        card = L.DomUtil.create('div', 'creative-export-card', div);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        L.DomEvent.on(prev, 'click', function () { go(at - 1); });
        L.DomEvent.on(next, 'click', function () { go(at + 1); });
        return div;
    };
    function go(i) {
        if (!stops.length) { return; }
        at = Math.max(0, Math.min(stops.length - 1, i));
        var s = stops[at];
        counter.innerHTML = (at + 1) + ' / ' + stops.length;
        prev.disabled = at === 0;
        next.disabled = at === stops.length - 1;
        // Every text is escaped HTML already (escape_text on the server).
        card.innerHTML = '<div class="creative-export-card-title">' + s.title + '</div>' +
            s.lines.map(function (l) { return '<div>' + l + '</div>'; }).join('') +
            (s.source ? '<div class="creative-export-source">' + s.source + '</div>' : '');
        card.setAttribute('data-stop', String(at));
        map.setView([s.lat, s.lon], s.zoom, {animate: false});
    }
    box.addTo(map);
    document.addEventListener('keydown', function (ev) {
        if (ev.key === 'ArrowRight' || ev.key === 'PageDown') { go(at + 1); ev.preventDefault(); }
        if (ev.key === 'ArrowLeft' || ev.key === 'PageUp') { go(at - 1); ev.preventDefault(); }
    });
    window.__creativeTour = {go: go, index: function () { return at; }, count: stops.length};
    go(0);
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, stops: Sequence[TourStop], *, lang: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "TourControls"
        self.tour_js = script_json(
            {
                "prev": escape_text(t("export.tour_prev", lang)),
                "next": escape_text(t("export.tour_next", lang)),
                "stops": [
                    {
                        "title": escape_text(s.title),
                        "lines": [escape_text(x) for x in s.lines[:TOUR_CARD_MAX_LINES]],
                        "source": escape_text(s.source),
                        "lat": float(s.center_lat_lon[0]),
                        "lon": float(s.center_lat_lon[1]),
                        "zoom": int(s.zoom),
                    }
                    for s in stops
                ],
            }
        )


_EXPORT_CSS = """
<style>
html, body { margin: 0; padding: 0; height: 100%; }
/* Inlined after this sheet, leaflet.css would paint the map grey: a stronger selector wins. */
.leaflet-container.leaflet-container { background: #F3F1EC; }
.folium-map { height: 100vh !important; }
.creative-export-caption { background: rgba(255,255,255,0.92); padding: 6px 10px;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 14px/1.3 sans-serif;
  max-width: 46vw; }
.creative-export-title { font-weight: 700; font-size: 18px; }
.creative-export-meta { color: #555; font-size: 12px; margin-top: 2px; }
.creative-export-tour { background: rgba(255,255,255,0.95); padding: 8px 10px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 16px/1.35 sans-serif; width: 340px; }
.creative-export-tour-bar { display: flex; align-items: center; justify-content: space-between;
  gap: 8px; margin-bottom: 6px; }
.creative-export-tour button { font: inherit; padding: 4px 10px; cursor: pointer; }
.creative-export-card-title { font-weight: 700; font-size: 18px; margin-bottom: 4px; }
.creative-export-source { color: #555; font-size: 13px; margin-top: 6px; }
</style>
"""


def standalone_html(
    layers: Sequence[ExportLayer],
    view: ExportView,
    *,
    city_labels: Sequence[tuple[str, float, float]] = (),
    stops: Sequence[TourStop] = (),
) -> str:
    """Return one HTML file that shows a view of the map with no server and no internet.

    Parameters
    ----------
    layers
        The layers to show, bottom first, each with only the features the view shows (for
        the places: ``export_table.visible_places``); any CRS.
    view
        Centre, zoom, language, title, date text and attribution.
    city_labels
        (name, latitude, longitude) of the city labels shown while zoomed out (plain text).
    stops
        A tour: with stops, the file has previous/next controls and arrow keys, and opens at
        the first stop; without, it opens at the view's centre and zoom.

    Returns
    -------
    str
        The page, UTF-8 text with no external reference that a browser would load.

    Raises
    ------
    InlineAssetError
        If an asset file is missing.
    """
    lang = view.lang
    urls = [data_url(layer_document(layer.spec, layer.frame, lang=lang)) for layer in layers]
    sources = [
        replace(LayerSource.of(layer.spec, url=url, lang=lang), visible=True)
        for layer, url in zip(layers, urls, strict=True)
    ]
    fmap = build_base_map(
        center_lat_lon=view.center_lat_lon,
        zoom=view.zoom,
        basemap="none",
        lang=lang,
        asset_url_prefix=INLINE_PREFIX,
        layers=sources,
        city_labels=city_labels,
    )
    fmap.add_child(ExportCaption(view))
    if stops:
        fmap.add_child(TourControls(stops, lang=lang))
    figure = cast(Figure, fmap.get_root())
    figure.title = escape_text(view.title)
    figure.header.add_child(Element(_EXPORT_CSS), name="creative_export_css")
    page = figure.render()
    page = page.replace("<html>", f'<html lang="{escape_text(lang)}">', 1)
    page = page.replace("<head>", '<head>\n<meta charset="utf-8">', 1)
    return inline_assets(page)
