"""Map assets by name: Leaflet, plugins and the map's own script, served by the app, never CDNs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TypeVar

import branca.colormap
import folium
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from branca.element import Element
from folium.plugins import MarkerCluster

ElementT = TypeVar("ElementT", bound=Element)
MAP_SCRIPT = "creative_map"  # the map's own script: layers/js/creative_map.js
# npm packages (package.json, installed by `make run` / `make test` with `npm ci`).
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"

# Bundle name -> folder on disk. ui/assets.py serves each folder under the app's own URL.
ASSET_DIRS: dict[str, Path] = {
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "leaflet_markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
    MAP_SCRIPT: Path(__file__).parent / "js",
    "leaflet_draw": NODE_MODULES / "leaflet-draw" / "dist",  # npm leaflet-draw 1.0.4
}

# Every asset a map element may declare, by the name folium (or our element) gives it in
# ``default_js`` / ``default_css``: name -> (bundle, file in the bundle's folder).
ASSETS: dict[str, tuple[str, str]] = {
    "leaflet": ("leaflet", "leaflet.js"),
    "leaflet_css": ("leaflet", "leaflet.css"),
    "markerclusterjs": ("leaflet_markercluster", "leaflet.markercluster.js"),
    "markerclustercss": ("leaflet_markercluster", "MarkerCluster.css"),
    "markerclusterdefaultcss": ("leaflet_markercluster", "MarkerCluster.Default.css"),
    MAP_SCRIPT: (MAP_SCRIPT, "creative_map.js"),
    # folium.plugins.Draw's names (layers/draw.py); its CSS loads images/spritesheet.* next to it.
    "leaflet_draw_js": ("leaflet_draw", "leaflet.draw.js"),
    "leaflet_draw_css": ("leaflet_draw", "leaflet.draw.css"),
}
# What a folium.Map of ours declares: Leaflet only (none of folium's jQuery, Bootstrap,
# Awesome Markers or Font Awesome, which the dashboard does not use).
MAP_JS = ("leaflet",)
MAP_CSS = ("leaflet_css",)


class UnknownAssetError(LookupError):
    """A map element declares an asset the app does not serve (it would come from a CDN)."""


@cache
def _version(path: Path) -> str:
    """Return a short hash of a file, so a changed script gets a new URL past any cache."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(name: str, *, url_prefix: str) -> str:
    """Return the app's own URL of a named map asset.

    Parameters
    ----------
    name
        A key of ``ASSETS`` (folium's name for it where folium has one).
    url_prefix
        Prefix to which ``bundle/file`` is appended (see ``ui.assets.ASSET_URL_PREFIX``).

    Returns
    -------
    str
        The URL; the map's own script carries a hash of its content (``?v=``).

    Raises
    ------
    UnknownAssetError
        If the name is not in ``ASSETS``.
    FileNotFoundError
        If the file is not installed.
    """
    if name not in ASSETS:
        msg = (
            f"map asset {name!r} is not served by the app (known: {sorted(ASSETS)!r}); "
            "add its file to layers.assets.ASSETS instead of loading it from a CDN"
        )
        raise UnknownAssetError(msg)
    bundle, filename = ASSETS[name]
    path = ASSET_DIRS[bundle] / filename
    if not path.is_file():
        msg = f"asset {filename!r} is not in {str(path.parent)!r}; reinstall the package"
        raise FileNotFoundError(msg)
    url = f"{url_prefix}{bundle}/{filename}"
    return f"{url}?v={_version(path)}" if bundle == MAP_SCRIPT else url


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def localize_assets(root: ElementT, *, url_prefix: str) -> ElementT:
    """Point every asset declared anywhere under ``root`` at the app's own copy, by name.

    Walks the whole figure ``root`` is in (the folium Map, plugins, our own elements) and replaces
    each ``(name, url)`` of ``default_js`` and ``default_css`` by ``(name, asset_url(name))``,
    so the page and an exported HTML file load nothing from a CDN. Call it on the finished
    map (again after adding elements: it is idempotent).

    Parameters
    ----------
    root
        A folium Map (or any element) with everything added.
    url_prefix
        See ``asset_url``.

    Returns
    -------
    branca.element.Element
        The same element.

    Raises
    ------
    UnknownAssetError
        If an element declares an asset name the app does not serve, or is a branca colormap
        (streamlit-folium loads d3 from a CDN for those; use the map's legend instead).
    """
    for element in _walk(root.get_root()):
        if isinstance(element, branca.colormap.ColorMap):
            msg = (
                f"{type(element).__name__} makes streamlit-folium load d3 from a CDN; "
                "show classes with the map's legend (layers.render.MapLegend) instead"
            )
            raise UnknownAssetError(msg)
        for attr in ("default_js", "default_css"):
            declared = getattr(element, attr, None)
            if declared:
                urls = [(name, asset_url(name, url_prefix=url_prefix)) for name, _ in declared]
                setattr(element, attr, urls)
    return root


def use_local_assets(fmap: folium.Map, *, url_prefix: str) -> folium.Map:
    """Declare Leaflet only on a folium map and point the whole map at the app's assets.

    Parameters
    ----------
    fmap
        The map to change in place.
    url_prefix
        See ``asset_url``.

    Returns
    -------
    folium.Map
        The same map.
    """
    fmap.default_js = [(name, name) for name in MAP_JS]
    fmap.default_css = [(name, name) for name in MAP_CSS]
    localize_assets(fmap, url_prefix=url_prefix)
    return fmap


def use_local_markercluster(cluster: MarkerCluster, *, url_prefix: str) -> None:
    """Point a MarkerCluster at the app's own copy of the plugin (used by the bench baseline).

    Parameters
    ----------
    cluster
        The MarkerCluster to change in place.
    url_prefix
        See ``asset_url``.
    """
    localize_assets(cluster, url_prefix=url_prefix)
