"""Baseline for the benchmark: a naive st_folium + MarkerCluster app, as commonly written.

One ``folium.Marker`` with a tooltip per place inside a ``MarkerCluster``, the whole map
rebuilt and sent on every run, ``st_folium`` with its default ``returned_objects`` (all).
Only two things differ from the usual recipe: Leaflet and MarkerCluster load from this app
(the benchmark machine has no internet), and the catalogue read is cached, as most such
apps do, so the comparison is about drawing the map rather than reading the file.

Run by bench/map_bench.py with ``CREATIVE_MAP_DATA_DIR`` pointing at a synthetic catalogue.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Streamlit puts this script's folder (bench/) on sys.path; the project root holds ui/ and
# layers/, which serve Leaflet and MarkerCluster without a CDN.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import geopandas as gpd  # noqa: E402
import streamlit as st  # noqa: E402
from folium.plugins import MarkerCluster  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

import ui.assets  # noqa: E402  (importing it registers the asset routes)
from layers.assets import use_local_assets, use_local_markercluster  # noqa: E402

DATA_DIR = Path(os.environ.get("CREATIVE_MAP_DATA_DIR", str(ROOT / "data")))
CENTER_LAT_LON = (47.3, 74.2)  # the same first view as the dashboard's "both cities"
ZOOM = 5


@st.cache_data
def load_places(path: str) -> gpd.GeoDataFrame:
    """Read the places layer of a catalogue GeoPackage."""
    return gpd.read_file(path, layer="places", engine="pyogrio")


def status_label(status: str) -> str:
    """Return a status id as a title, e.g. ``under_construction`` -> ``Under construction``."""
    return status.replace("_", " ").capitalize()


def build_map(places: gpd.GeoDataFrame) -> folium.Map:
    """Return a map with one clustered marker and tooltip per place."""
    fmap = folium.Map(location=list(CENTER_LAT_LON), zoom_start=ZOOM)
    use_local_assets(fmap, url_prefix=ui.assets.ASSET_URL_PREFIX)
    cluster = MarkerCluster()
    use_local_markercluster(cluster, url_prefix=ui.assets.ASSET_URL_PREFIX)
    cluster.add_to(fmap)
    for _, row in places.iterrows():
        point = row.geometry.representative_point()
        folium.Marker(
            location=[point.y, point.x],
            tooltip=f"{row['name_en']} ({status_label(row['status'])})",
        ).add_to(cluster)
    return fmap


def main() -> None:
    """Draw the baseline page."""
    st.set_page_config(page_title="Naive baseline", layout="wide")
    places = load_places(str(DATA_DIR / "catalogue.gpkg"))
    statuses = sorted(places["status"].dropna().unique())
    selected = st.sidebar.multiselect("Status", statuses, key="status", format_func=status_label)
    shown = places[places["status"].isin(selected)] if selected else places
    st.title("Naive baseline")
    st.write(f"{len(shown)} of {len(places)} places")
    st_folium(build_map(shown), height=600, use_container_width=True)


main()
