"""Presentation mode (``mode=present``): the map fills a projector's screen, with the guided tour.

The sidebar and Streamlit's own chrome are hidden; the tour's card, its previous and next
controls (and the keyboard's arrow keys), the language switch and the QR code of the view
float over the map. Every asset is the app's own, so the tour works with no network.
"""

from __future__ import annotations

import logging

import segno
import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from geo.cities import CITY_IDS, view_of
from geo.errors import InputError
from layers.i18n import LANGS, label, t
from layers.registry import PLACE_LAYER_IDS, PLACES_LAYER_ID
from layers.render import LayerSource, LayerState, build_base_map, view_update_group
from ui import state
from ui.assets import ASSET_URL_PREFIX, layer_url
from ui.cache import Data
from ui.text import md_escape
from ui.url_state import ViewState, view_to_params, view_url
from ui.widgets.sidebar import LANG_NAMES
from ui.widgets.tour_card import StopView, render_tour_card, stop_view

log = logging.getLogger(__name__)

OVER_MAP = (".st-key-tour_panel", ".st-key-tour_bar", ".st-key-tour_qr")  # labels avoid these
# Places first, then district names where room is left (when that layer is on the map).
LABELLED_LAYERS = (PLACES_LAYER_ID, "astana_districts")
LABEL_FONT_PX = 24  # readable from the back of a hall on a 1920x1080 projector
MAP_HEIGHT_PX = 1080
QR_SCALE = 8  # pixels per module: a version-5 code is about 370 px wide
# Streamlit's own chrome goes; the map's frame fills the window; the tour's panel, bar and
# QR code float over it. Type is at least 24 px.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stBottom"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
.st-key-present_map iframe { position: fixed; inset: 0; width: 100vw !important;
  height: 100vh !important; z-index: 1; border: 0; }
.st-key-tour_panel, .st-key-tour_bar, .st-key-tour_qr { position: fixed; z-index: 10;
  background: rgba(255,255,255,0.95); border-radius: 12px; box-shadow: 0 2px 12px rgba(0,0,0,0.35);
  padding: 16px 24px; font-size: 24px; }
.st-key-tour_panel { top: 24px; right: 24px; width: min(620px, 40vw);
  max-height: calc(100vh - 320px); overflow-y: auto; }
.st-key-tour_panel p, .st-key-tour_panel li, .st-key-tour_bar p, .st-key-tour_qr p {
  font-size: 24px !important; line-height: 1.35; }
.st-key-tour_panel h2 { font-size: 36px; line-height: 1.15; padding: 0 0 8px 0; }
.st-key-tour_where p { font-weight: 600; color: #8A4B00; }
.st-key-tour_bar { bottom: 64px; left: 24px; width: max-content !important; }
.st-key-tour_panel [data-testid="stCaptionContainer"] p { font-size: 18px !important; }
.st-key-tour_bar button p { font-size: 24px !important; }
.st-key-tour_bar button { min-height: 56px; padding: 4px 18px; }
.st-key-tour_qr { bottom: 170px; left: 24px; width: auto; text-align: center; }
.st-key-tour_qr img { width: 360px; height: 360px; image-rendering: pixelated; }
.st-key-tour_qr [data-testid="stText"] { font-size: 16px; max-width: 360px;
  white-space: normal; word-break: break-all; }
</style>
"""
# The arrow keys (and a presenter's clicker: PageUp, PageDown) press the tour's buttons,
# wherever the focus is: the page or the map's frame (same origin). Attached once per page.
KEYS_SCRIPT = """
<script>
(function () {
  var top = window.parent, doc = top.document;
  if (top.__creativeTourKeys) { return; }
  top.__creativeTourKeys = true;
  function onKey(ev) {
    var tag = (ev.target && ev.target.tagName) || '';
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') { return; }
    var which = (ev.key === 'ArrowRight' || ev.key === 'PageDown') ? 'next'
      : (ev.key === 'ArrowLeft' || ev.key === 'PageUp') ? 'prev' : null;
    if (!which) { return; }
    var button = doc.querySelector('.st-key-tour_' + which + ' button');
    if (!button) { return; }
    ev.preventDefault();
    ev.stopPropagation();
    if (!button.disabled) { button.click(); }
  }
  function hook(frame) {
    function attach() {
      try {
        var d = frame.contentDocument;
        if (d && !d.__creativeTourKeys) {
          d.__creativeTourKeys = true;
          d.addEventListener('keydown', onKey, true);
        }
      } catch (err) { /* a frame of another origin: not ours */ }
    }
    if (!frame.__creativeTourHooked) {
      frame.__creativeTourHooked = true;
      frame.addEventListener('load', attach);
    }
    attach();
  }
  doc.addEventListener('keydown', onKey, true);
  doc.querySelectorAll('iframe').forEach(hook);
  new MutationObserver(function () { doc.querySelectorAll('iframe').forEach(hook); })
    .observe(doc.body, {childList: true, subtree: true});
})();
</script>
"""


def _step(delta: int, total: int) -> None:
    state.STOP.set(min(max((state.STOP.get() or 1) + delta, 1), total))


def _leave() -> None:
    state.PRESENT.set(False)


def _layer_states(data: Data, view: ViewState, selected: str | None) -> dict[str, LayerState]:
    shown = set(view.layers or ())
    return {
        spec.id: {
            "visible": spec.id in shown,
            "mask": data.mask(spec.id, view.filters) if spec.id in PLACE_LAYER_IDS else None,
            "selected": selected if spec.id in PLACE_LAYER_IDS else None,
        }
        for spec in data.layers
    }


def _origin(view: ViewState, where: StopView, urls: tuple[str, ...]) -> tuple[float, float, int]:
    """Return where the base map starts: the stop shown when it was (re)built.

    The base map is rebuilt only for another language, basemap or data version; a new stop
    moves the map already on the page.
    """
    key = (view.basemap, view.lang, urls)
    origin = state.PRESENT_ORIGIN.get()
    if state.PRESENT_BASE_KEY.get() != key or origin is None:
        origin = (*where.center_lat_lon, where.zoom)
        state.PRESENT_ORIGIN.set(origin)
        state.PRESENT_BASE_KEY.set(key)
    return origin


def _map(data: Data, view: ViewState, where: StopView, selected: str | None) -> None:
    lang = view.lang
    sources = [
        LayerSource.of(spec, url=layer_url(data, spec.id, lang), lang=lang) for spec in data.layers
    ]
    lat, lon, zoom = _origin(view, where, tuple(s.url for s in sources))
    fmap = build_base_map(
        center_lat_lon=(lat, lon),
        zoom=zoom,
        basemap=view.basemap,
        lang=lang,
        asset_url_prefix=ASSET_URL_PREFIX,
        layers=sources,
        city_labels=[(label("city", c, lang), *view_of(c)[0]) for c in CITY_IDS],
        label_layers=LABELLED_LAYERS,
        label_font_px=LABEL_FONT_PX,
        label_avoid=OVER_MAP,
    )
    with st.container(key="present_map"):
        st_folium(
            fmap,
            key=state.PRESENT_MAP.name,
            height=MAP_HEIGHT_PX,
            use_container_width=True,
            returned_objects=[],
            feature_group_to_add=view_update_group(_layer_states(data, view, selected)),
            center=list(where.center_lat_lon),
            zoom=where.zoom,
        )


def qr_data_uri(url: str) -> str:
    """Return a QR code of ``url`` as a PNG ``data:`` URI (made here, no network)."""
    return str(segno.make(url, error="m").png_data_uri(scale=QR_SCALE, border=4))


def _base_url() -> str:
    """Return the app's address as the browser sees it, without parameters."""
    url = st.context.url
    if url:
        return url
    host = st.get_option("browser.serverAddress") or "localhost"
    return f"http://{host}:{st.get_option('server.port')}/"


def _qr(data: Data, view: ViewState) -> None:
    url = view_url(_base_url(), view_to_params(view, default_layers=data.default_layers))
    with st.container(key="tour_qr"):
        alt = md_escape(t("present.qr_alt", view.lang))
        st.markdown(f'<img src="{qr_data_uri(url)}" alt="{alt}">', unsafe_allow_html=True)
        st.markdown(md_escape(t("present.qr_caption", view.lang)))
        st.text(url)  # plain text, never Markdown


def _bar(view: ViewState, n: int, total: int) -> None:
    lang = view.lang
    with st.container(
        key="tour_bar", horizontal=True, vertical_alignment="center", width="content", wrap=False
    ):
        st.button(
            t("present.prev", lang),
            key="tour_prev",
            disabled=n <= 1,
            on_click=_step,
            args=(-1, total),
        )
        st.markdown(md_escape(t("present.stop_of", lang, n=n, total=total)))
        st.button(
            t("present.next", lang),
            key="tour_next",
            disabled=n >= total,
            on_click=_step,
            args=(1, total),
            type="primary",
        )
        st.segmented_control(
            t("ui.language", lang),
            LANGS,
            key=state.LANG.name,
            format_func=LANG_NAMES.__getitem__,
            label_visibility="collapsed",
            required=True,
        )
        shown = state.PRESENT_QR.get()
        st.button(
            t("present.qr_hide" if shown else "present.qr_show", lang),
            key="tour_qr_toggle",
            on_click=state.PRESENT_QR.set,
            args=(not shown,),
        )
        st.button(t("present.exit", lang), key="present_exit", on_click=_leave)


def render(data: Data, view: ViewState) -> None:
    """Draw presentation mode: the map over the whole screen, the tour's card and controls."""
    lang = view.lang
    st.markdown(PRESENT_CSS, unsafe_allow_html=True)
    try:
        tour = data.tour()
    except InputError as err:
        log.exception("the tour table failed to load")
        st.error(f"{t('present.tour_error', lang)}\n\n```\n{err}\n```")
        tour = None
    if tour is None or tour.empty:
        if tour is None:
            st.info(t("present.no_tour", lang))
        with st.container(key="tour_bar"):
            st.button(t("present.exit", lang), key="present_exit", on_click=_leave)
        return
    total = len(tour)
    n = min(max(view.stop or 1, 1), total)
    state.STOP.set(n)
    stop = tour.iloc[n - 1]
    where = stop_view(data, stop)
    _map(data, view, where, str(stop["place_id"]))
    with st.container(key="tour_panel"):
        render_tour_card(data, stop, where, lang)
        st.caption(md_escape(t("present.keys", lang)))
    _bar(view, n, total)
    if state.PRESENT_QR.get():
        _qr(data, state.current_view(page="map", layer_ids=data.layer_ids))
    components.html(KEYS_SCRIPT, height=0)
