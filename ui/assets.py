"""Serve the map's JavaScript, CSS and layer documents from the app itself, through Streamlit."""

from __future__ import annotations

import atexit
import shutil

import streamlit.components.v1 as components

from layers.assets import ASSET_DIRS
from layers.doc_folder import DocumentFolder, make_private_folder, remove_stale_folders
from ui.cache import Data

# Streamlit serves a declared component's folder at /component/<module>.<name>/; the map runs in
# streamlit-folium's iframe at /component/streamlit_folium.st_folium/, hence the "../".
ASSET_URL_PREFIX = f"../{__name__}."

# Layer documents (GeoJSON the map fetches once per layer, language and data version) are
# written into a private folder of this process (mode 0700, files 0600, the PID in its name)
# and served under LAYER_DATA_URL_PREFIX. Only the last versions of each layer and language
# are kept; the folder goes when the server exits, and a killed server's folder is removed by
# the next server that starts.
remove_stale_folders()
LAYER_DATA_DIR = make_private_folder()
atexit.register(shutil.rmtree, LAYER_DATA_DIR, ignore_errors=True)
LAYER_DOCUMENTS = DocumentFolder(LAYER_DATA_DIR)
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
    # Cheap when present; restores a purged file or folder and prunes old versions.
    LAYER_DOCUMENTS.write(name, text, layer_id=layer_id, lang=lang)
    return LAYER_DATA_URL_PREFIX + name
