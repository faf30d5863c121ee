"""Serve the map's JavaScript, CSS and layer documents from the app itself, through Streamlit."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import streamlit.components.v1 as components

from layers.assets import ASSET_DIRS
from layers.payload import write_document
from ui.cache import Data

# Streamlit serves a declared component's folder at /component/<module>.<name>/; the map runs in
# streamlit-folium's iframe at /component/streamlit_folium.st_folium/, hence the "../".
ASSET_URL_PREFIX = f"../{__name__}."

# Layer documents (GeoJSON the map fetches once per layer, language and data version) are
# written by dashboard.py into a private folder of this process (mkdtemp: mode 0700, a name no
# other user can claim in advance) and served under LAYER_DATA_URL_PREFIX.
LAYER_DATA_DIR = Path(tempfile.mkdtemp(prefix="creative-map-layers-"))
atexit.register(shutil.rmtree, LAYER_DATA_DIR, ignore_errors=True)
LAYER_DATA_URL_PREFIX = f"{ASSET_URL_PREFIX}layer_data/"

for _bundle, _folder in ASSET_DIRS.items():
    components.declare_component(_bundle, path=str(_folder))
components.declare_component("layer_data", path=str(LAYER_DATA_DIR))


def layer_url(data: Data, layer_id: str, lang: str) -> str:
    """Return where the browser fetches a layer's document, writing it there if needed.

    Parameters
    ----------
    data
        The run's data.
    layer_id
        A loaded layer.
    lang
        Language of the document's tooltips.

    Returns
    -------
    str
        A URL relative to the map's frame.
    """
    name, text = data.document(layer_id, lang)
    write_document(LAYER_DATA_DIR, name, text)  # cheap when present; restores a purged file
    return LAYER_DATA_URL_PREFIX + name
