"""Map assets (Leaflet and plugins) served by the app from installed XStatic packages, not CDNs."""

from __future__ import annotations

from pathlib import Path

import folium
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from folium.plugins import MarkerCluster

# Bundle name -> folder on disk. ui/assets.py serves each folder under the app's own URL.
ASSET_DIRS: dict[str, Path] = {
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "leaflet_markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
}

LEAFLET_JS = ("leaflet", "leaflet.js")
LEAFLET_CSS = ("leaflet", "leaflet.css")
MARKERCLUSTER_JS = ("leaflet_markercluster", "leaflet.markercluster.js")
MARKERCLUSTER_CSS = (
    ("leaflet_markercluster", "MarkerCluster.css"),
    ("leaflet_markercluster", "MarkerCluster.Default.css"),
)


def asset_url(bundle: str, filename: str, *, url_prefix: str) -> str:
    """Return the URL of one asset file as the map's page should request it.

    Parameters
    ----------
    bundle
        A key of ``ASSET_DIRS``.
    filename
        A file inside that bundle's folder.
    url_prefix
        Prefix to which ``bundle/filename`` is appended (see ``ui.assets.ASSET_URL_PREFIX``).

    Returns
    -------
    str
        The URL.

    Raises
    ------
    KeyError
        If the bundle is unknown.
    FileNotFoundError
        If the file is not in the installed package.
    """
    folder = ASSET_DIRS[bundle]
    if not (folder / filename).is_file():
        msg = f"asset {filename!r} is not in {str(folder)!r}; reinstall the XStatic package"
        raise FileNotFoundError(msg)
    return f"{url_prefix}{bundle}/{filename}"


def use_local_assets(fmap: folium.Map, *, url_prefix: str) -> folium.Map:
    """Point a folium map at the app's own copy of Leaflet instead of public CDNs.

    Only Leaflet is kept: the dashboard uses none of folium's other defaults (jQuery,
    Bootstrap, Awesome Markers, Font Awesome).

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
    fmap.default_js = [("leaflet", asset_url(*LEAFLET_JS, url_prefix=url_prefix))]
    fmap.default_css = [("leaflet_css", asset_url(*LEAFLET_CSS, url_prefix=url_prefix))]
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
    cluster.default_js = [("markerclusterjs", asset_url(*MARKERCLUSTER_JS, url_prefix=url_prefix))]
    cluster.default_css = [
        (f"markerclustercss{i}", asset_url(b, f, url_prefix=url_prefix))
        for i, (b, f) in enumerate(MARKERCLUSTER_CSS)
    ]
