"""A minimal Streamlit app for the drawing browser test: the base map with draw on, measured.

Started by tests/browser/test_draw_browser.py as the other browser tests start servers
(``bench.server.start_streamlit``), with the project root on ``PYTHONPATH``. URL parameters:
``lang`` (kk, ru, en) and ``city`` (astana, almaty, both).
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.cities import CITY_IDS, view_of
from layers.draw import DRAW_RETURNED, drawings_from
from layers.i18n import LANGS
from layers.render import build_base_map
from ui.assets import ASSET_URL_PREFIX
from ui.widgets.measure import render_measurements

DRAW_ZOOM = 15  # about 3 m per pixel in Astana: a 300-pixel shape is about a kilometre

lang = st.query_params.get("lang", "en")
lang = lang if lang in LANGS else "en"
city = st.query_params.get("city", "astana")
city = city if city in (*CITY_IDS, "both") else "astana"
center_lat_lon, zoom = view_of(city)
fmap = build_base_map(
    center_lat_lon=center_lat_lon,
    zoom=DRAW_ZOOM if city != "both" else zoom,
    basemap="none",
    lang=lang,
    asset_url_prefix=ASSET_URL_PREFIX,
    draw=True,
)
output = st_folium(
    fmap,
    key="draw_map",
    height=560,
    use_container_width=True,
    returned_objects=list(DRAW_RETURNED),
)
render_measurements(drawings_from(output), city, lang)
