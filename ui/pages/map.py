"""The map page: the map, the list of places in view and the place card, kept in sync."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit_folium import st_folium

from geo.cities import CITY_IDS, view_of
from geo.select import Filters
from layers.i18n import date_text, label, number, plural, t
from layers.registry import DISTRICT_LAYER_IDS, PLACE_LAYER_IDS
from layers.render import (
    CLICK_RETURNED,
    LayerSource,
    LayerState,
    build_base_map,
    view_update_group,
)
from ui import state
from ui.assets import ASSET_URL_PREFIX, layer_url
from ui.cache import Data
from ui.map_events import MapEvent, parse_map_event
from ui.shell import scroll_into_view
from ui.url_state import ViewState
from ui.widgets.card import render_card, render_place_list
from ui.widgets.districts import district_disagreement_list, district_notices
from ui.widgets.exports import render_exports
from ui.widgets.tour_card import export_stops

log = logging.getLogger(__name__)

MAP_HEIGHT_PX = 600  # the frame's first height; the page's CSS then makes it follow the window
PLACE_ZOOM = 15
RETURNED = [*CLICK_RETURNED, "bounds", "center", "zoom"]


def _remember_view(event: MapEvent) -> None:
    """Keep where the map is, as the map reports it, for the URL and a rebuilt base map."""
    if event.center_lat_lon is not None and event.zoom is not None:
        lat, lon = event.center_lat_lon
        state.MAP_VIEW.set(((round(lat, 5), round(lon, 5)), event.zoom))


def _handle_click(event: MapEvent, place_ids: frozenset[str]) -> None:
    """Select the place that was clicked on the map, once per click."""
    clicked = event.clicked_feature
    signature = (clicked, event.object_clicked_lat_lon)
    if clicked is None or signature == state.LAST_CLICK.get():
        return
    state.LAST_CLICK.set(signature)
    layer_id, place_id = clicked
    if layer_id in PLACE_LAYER_IDS and place_id in place_ids:
        state.PLACE.set(place_id)
        state.PAN_TO_PLACE.set(False)
        st.rerun()


def _view_request(
    view: ViewState, anchor: tuple[float, float] | None
) -> tuple[list[float] | None, int | None]:
    """Return (centre, zoom) to move the map to on this run, or (None, None) to leave it.

    ``anchor`` is the selected place's point as (lat, lon), ``None`` if it has none.
    """
    if state.PAN_TO_PLACE.get() and view.place:
        state.PAN_TO_PLACE.set(False)
        if anchor is not None:
            return list(anchor), PLACE_ZOOM
    last_city = state.LAST_CITY.get()
    if last_city != view.city:
        state.LAST_CITY.set(view.city)
        if last_city is not None:
            (lat, lon), zoom = view_of(view.city)
            return [lat, lon], zoom
    return None, None


def _base_origin(
    view: ViewState, anchor: tuple[float, float] | None, *, urls: tuple[str, ...]
) -> tuple[tuple[float, float], int]:
    """Return where the base map starts; it changes only when the base map is rebuilt anyway.

    A rebuild (another basemap, language or data version) starts where the map last was.
    """
    base_key = (view.basemap, view.lang, urls)
    origin = state.ORIGIN.get()
    if state.BASE_KEY.get() != base_key or origin is None:
        last = state.MAP_VIEW.get()
        if origin is not None and last is not None:
            origin = last
        elif origin is None:
            origin = view_of(view.city)
            if anchor is not None:
                origin = (anchor, PLACE_ZOOM)
        state.ORIGIN.set(origin)
        state.BASE_KEY.set(base_key)
    return origin


def _layer_states(data: Data, view: ViewState) -> dict[str, LayerState]:
    """Return what each layer shows: visible at all, which features, which one is selected."""
    states: dict[str, LayerState] = {}
    shown = set(view.layers or ())
    for spec in data.layers:
        mask = data.mask(spec.id, view.filters) if spec.id in PLACE_LAYER_IDS else None
        states[spec.id] = {
            "visible": spec.id in shown,
            "mask": mask,
            "selected": view.place if spec.id in PLACE_LAYER_IDS else None,
        }
    return states


def _district_layer_notes(data: Data, view: ViewState) -> None:
    """Say what a shown district layer gets wrong, and list the places it puts elsewhere."""
    shown = set(view.layers or ())
    cities = [c for c in CITY_IDS if view.filters.city in ("both", c)]
    for city in cities:
        if DISTRICT_LAYER_IDS.get(city) not in shown:
            continue
        district_notices(data.partition(city), view.lang)
        listed = data.district_disagreements()
        listed = listed[listed["city"] == city]
        if listed.empty:
            continue
        places = data.places()
        named = places.loc[places["id"].isin(listed["id"]), ["id", f"name_{view.lang}"]]
        names = dict(
            zip(named["id"].astype(str), named[f"name_{view.lang}"].astype(str), strict=True)
        )
        district_disagreement_list(listed, view.lang, names=names)


def render(data: Data, view: ViewState) -> None:
    """Draw the map page (the sidebar and header are drawn by ``dashboard.py``)."""
    anchor = data.anchor(view.place)
    lang = view.lang
    shown_place_layers = tuple(i for i in PLACE_LAYER_IDS if i in (view.layers or ()))
    total = data.count(Filters(), shown_place_layers)
    matching = data.count(view.filters, shown_place_layers)
    if shown_place_layers:
        st.markdown(
            plural(
                "ui.matching",
                total,
                lang,
                n=number(matching, lang),
                total=number(total, lang),
            )
        )
    else:
        st.markdown(t("ui.no_place_layer", lang))
    if view.filters.hides_cities_without_banks():
        st.caption(t("ui.bank_hides_almaty", lang))
    _district_layer_notes(data, view)
    map_col, side_col = st.columns([7, 3], gap="medium")
    with map_col, st.container(key="map_box"):
        sources = [
            LayerSource.of(spec, url=layer_url(data, spec.id, lang), lang=lang)
            for spec in data.layers
        ]
        center, zoom = _view_request(view, anchor)
        origin_center, origin_zoom = _base_origin(view, anchor, urls=tuple(s.url for s in sources))
        fmap = build_base_map(
            center_lat_lon=origin_center,
            zoom=origin_zoom,
            basemap=view.basemap,
            lang=lang,
            asset_url_prefix=ASSET_URL_PREFIX,
            layers=sources,
            city_labels=[(label("city", c, lang), *view_of(c)[0]) for c in CITY_IDS],
        )
        event = parse_map_event(
            st_folium(
                fmap,
                key=state.MAP.name,
                height=MAP_HEIGHT_PX,
                use_container_width=True,
                returned_objects=RETURNED,
                feature_group_to_add=view_update_group(_layer_states(data, view)),
                center=center,
                zoom=zoom,
            )
        )
        _remember_view(event)
        _handle_click(event, data.place_ids())

    with side_col:
        selected_row = data.place_row(view.place)
        if selected_row is not None:
            render_card(selected_row, lang)
            scroll_into_view("place_card", token=str(view.place))
        else:
            st.caption(t("ui.card_hint", lang))
        listed, n_in_view, unplaced = data.listing(
            view.filters, shown_place_layers, event.bbox, lang
        )
        render_place_list(listed, n_in_view, unplaced, lang, selected=view.place)
        render_exports(
            data,
            filters=view.filters,
            shown_layers=view.layers or (),
            bbox=event.bbox,
            map_view=state.MAP_VIEW.get(),
            n_in_view=n_in_view,
            n_matching=matching,
            lang=lang,
            stops=export_stops(data, lang),
        )
    st.caption(t("ui.targets_note", lang, n=number(data.targets_count(), lang)))
    # The dates of the two articles the catalogue started from, written as the language writes them.
    footer = t(
        "ui.sources_footer",
        lang,
        pravda_date=date_text("2018-01-26", lang),
        zakon_date=date_text("2022-09-12", lang),
    )
    st.caption(footer)
