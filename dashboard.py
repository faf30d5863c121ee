"""Entry point: page config, the data, the shared sidebar and header, and the pages."""

from __future__ import annotations

# First, before anything imports pyogrio: GDAL reads only GeoPackage and GeoJSON, no network.
import layers.safe_files  # noqa: F401

# isort: split

import logging
from functools import partial

import streamlit as st

from geo.errors import InputError
from layers.i18n import LANGS, t
from layers.render import BASEMAPS
from layers.safe_files import RefusedFile
from settings import load_settings
from store import StoreUnavailable
from ui import shell, state
from ui.cache import Data, load_data
from ui.pages import analysis as analysis_page
from ui.pages import map as map_page
from ui.pages import near as near_page
from ui.pages import present as present_page
from ui.pages import targets as targets_page
from ui.text import md_escape, problem_lines
from ui.url_state import Vocabulary
from ui.widgets.sidebar import render_sidebar

log = logging.getLogger("creative_map")


def _error_text(err: InputError, lang: str) -> str:
    """Return an error's message, in the page's language where it has one."""
    return err.in_lang(lang) if isinstance(err, RefusedFile) else str(err)


def _load(lang: str) -> Data:
    """Return the run's data; show one clear message and stop when it cannot be had."""
    try:
        data, failed, notes = load_data(load_settings())
    except StoreUnavailable as err:
        log.exception("the data store is unavailable")
        st.error(f"{t('ui.store_error', lang)}\n\n{md_escape(err)}")
        st.stop()
    except RefusedFile as err:
        log.exception("catalogue refused")
        st.error(f"{t('ui.data_error_short', lang)}\n\n{md_escape(err.in_lang(lang))}")
        st.stop()
    except InputError as err:
        log.exception("catalogue failed to load")
        translated = problem_lines(err, lang)
        st.error(f"{t('ui.data_error', lang)}\n\n{translated}\n\n```\n{err}\n```")
        st.stop()
    for spec, err in failed:
        message = md_escape(_error_text(err, lang))
        st.warning(f"{t('ui.layer_error', lang, layer=spec.title_in(lang))} {message}")
    for note in notes:
        st.warning(md_escape(note))
    return data


def main() -> None:
    """Compose the dashboard: data, URL state, sidebar and header, then the page."""
    st.set_page_config(
        page_title="Creative spaces · Astana & Almaty",
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="auto",  # collapsed on a phone, open on a wider screen
    )
    url_lang = st.query_params.get("lang")
    lang = state.LANG.get() if state.INITIALISED.get() else url_lang
    lang = lang if lang in LANGS else state.browser_lang()
    data = _load(lang)
    layer_ids, default_layers = data.layer_ids, data.default_layers
    state.keep_widget_values(layer_ids)
    pages = {
        "map": st.Page(partial(_page, data, "map"), title="map", url_path="map", default=True),
        "near": st.Page(partial(_page, data, "near"), title="near", url_path="near"),
        "targets": st.Page(partial(_page, data, "targets"), title="targets", url_path="targets"),
        "analysis": st.Page(
            partial(_page, data, "analysis"), title="analysis", url_path="analysis"
        ),
    }
    current = st.navigation(list(pages.values()), position="hidden")
    page = current.url_path if current.url_path in pages else "map"
    vocab = Vocabulary(
        filters=data.vocabulary(),
        place=data.place_ids(),
        layers=frozenset(layer_ids),
        basemaps=frozenset(BASEMAPS),
    )
    defaults = {spec.id: spec.visible_by_default for spec in data.layers}
    view, from_url = state.init_from_url(vocab, layer_defaults=defaults, page=page)

    def switch_to(target: str) -> None:
        params = state.switch_page_soon(target, layer_ids=layer_ids, default_layers=default_layers)
        st.switch_page(pages[target], query_params=params)

    if from_url and view.page != page:  # an older link: ?mode=near or ?near=LAT,LON
        switch_to(view.page)
    if page == "map" and state.PRESENT.get():  # presentation: no sidebar, header or notices
        current.run()
        return
    render_sidebar(
        options=data.options(state.CITY.get()),
        layers=data.layers,
        missing_context=data.missing_context,
    )
    lang = state.LANG.get()
    shell.render_header(lang)
    if state.MODE.get() != page:
        switch_to(state.MODE.get())
    notices = state.link_notices(page=page, layer_ids=layer_ids, default_layers=default_layers)
    shell.show_notices(notices, lang)
    shell.show_filter_notices(lang)
    current.run()


def _page(data: Data, page: str) -> None:
    """Run one page with the session's view, then write the view to the address bar."""
    view = state.current_view(page=page, layer_ids=data.layer_ids)
    if page == "near":
        near_page.render(data, view)
    elif view.present:
        present_page.render(data, view)
    elif page == "targets":
        targets_page.render(data, view)
    elif page == "analysis":
        analysis_page.render(data, view)
    else:
        map_page.render(data, view)
    view = state.current_view(page=page, layer_ids=data.layer_ids)  # as the page left it
    state.sync_url(view, default_layers=data.default_layers)


main()
