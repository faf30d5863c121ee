"""Serve the map's JavaScript and CSS from the installed XStatic packages, through Streamlit."""

from __future__ import annotations

import streamlit.components.v1 as components

from layers.assets import ASSET_DIRS

# Streamlit serves a declared component's folder at /component/<module>.<name>/; the map runs in
# streamlit-folium's iframe at /component/streamlit_folium.st_folium/, hence the "../".
ASSET_URL_PREFIX = f"../{__name__}."

for _bundle, _folder in ASSET_DIRS.items():
    components.declare_component(_bundle, path=str(_folder))
