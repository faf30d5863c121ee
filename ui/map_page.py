"""The map page: filters, the map, the list of places in view and the place card, kept in sync."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.select import filter_mask_from_key, in_bbox_mask
from layers.i18n import DEFAULT_LANG, label, t
from layers.registry import PLACE_LAYER_IDS
from layers.render import (
    CLICK_RETURNED,
    LayerSource,
    LayerState,
    build_base_map,
    clicked_feature_id,
    view_update_group,
)
from layers.spec import LayerSpec
from ui.assets import ASSET_URL_PREFIX
from ui.card import render_card, render_place_list
from ui.shell import filter_key
from ui.url_state import ViewState

log = logging.getLogger(__name__)

MAP_HEIGHT_PX = 600
PLACE_ZOOM = 15
# (centre lat, lon) and zoom for each city choice; "both" frames the two cities together.
CITY_VIEWS: dict[str, tuple[tuple[float, float], int]] = {
    "astana": ((51.118, 71.425), 12),
    "almaty": ((43.252, 76.928), 13),
    "both": ((47.3, 74.2), 5),
}
RETURNED = [*CLICK_RETURNED, "bounds", "center", "zoom"]


@dataclass(frozen=True)
class PageData:
    """What the page needs from dashboard.py's cached loaders.

    Everything used before the map is drawn is small and cached (``anchors``, ``count``,
    ``view``), so a rerun reaches the map quickly; ``places()``, a copy of the whole frame
    (the catalogue and, when present, the OpenStreetMap venues, with a ``layer`` column), is
    called only after it. ``layer_url(layer_id, lang)`` returns where the browser fetches a
    layer's document; ``view(layer_id, filter_key)`` returns a place layer's visibility mask
    (``None`` for all) and the ids of its drawable features in document order.
    """

    places: Callable[[], gpd.GeoDataFrame]
    anchors: Callable[[], dict[str, tuple[float, float]]]
    count: Callable[[tuple[tuple[str, ...], ...]], int]
    total: int
    layers: tuple[LayerSpec, ...]
    layer_url: Callable[[str, str], str]
    view: Callable[[str, tuple[tuple[str, ...], ...]], tuple[str | None, tuple[str, ...]]]
    missing_context: bool
    targets_count: int
    options: Callable[[str], dict[str, list[str]]]


def _bbox_from(out: dict[str, Any] | None) -> tuple[float, float, float, float] | None:
    bounds = (out or {}).get("bounds") or {}
    sw, ne = bounds.get("_southWest") or {}, bounds.get("_northEast") or {}
    values = (sw.get("lng"), sw.get("lat"), ne.get("lng"), ne.get("lat"))
    if any(v is None for v in values):
        return None
    return values  # type: ignore[return-value]


def _handle_click(out: dict[str, Any] | None, anchors: dict[str, tuple[float, float]]) -> None:
    """Select the place that was clicked on the map, once per click."""
    clicked = clicked_feature_id(out)
    signature = (clicked, str((out or {}).get("last_object_clicked")))
    if clicked is None or signature == st.session_state.get("_last_click"):
        return
    st.session_state["_last_click"] = signature
    layer_id, place_id = clicked
    if layer_id in PLACE_LAYER_IDS and place_id in anchors:
        st.session_state["place"] = place_id
        st.session_state["pan_to_place"] = False
        st.rerun()


def _view_request(
    state: ViewState, anchors: dict[str, tuple[float, float]]
) -> tuple[list[float] | None, int | None]:
    """Return (centre, zoom) to move the map to on this run, or (None, None) to leave it."""
    s = st.session_state
    if s.get("pan_to_place") and state.place:
        s["pan_to_place"] = False
        if state.place in anchors:
            return list(anchors[state.place]), PLACE_ZOOM
    if s.get("_last_city") != state.city:
        first = "_last_city" not in s
        s["_last_city"] = state.city
        if not first:
            (lat, lon), zoom = CITY_VIEWS[state.city]
            return [lat, lon], zoom
    return None, None


def _base_origin(
    state: ViewState,
    anchors: dict[str, tuple[float, float]],
    out: dict[str, Any] | None,
    *,
    urls: tuple[str, ...],
) -> tuple[tuple[float, float], int]:
    """Return where the base map starts; it changes only when the base map is rebuilt anyway."""
    s = st.session_state
    base_key = (s["basemap"], state.lang, urls)
    if s.get("_base_key") != base_key or "_origin" not in s:
        last = out or s.get("map") or {}
        center, zoom = last.get("center"), last.get("zoom")
        if "_origin" in s and center and zoom:
            s["_origin"] = ((center["lat"], center["lng"]), int(zoom))
        else:
            s["_origin"] = CITY_VIEWS[state.city]
            if state.place in anchors:
                s["_origin"] = (anchors[state.place], PLACE_ZOOM)
        s["_base_key"] = base_key
    return s["_origin"]


def _layer_states(
    data: PageData, state: ViewState, key: tuple[tuple[str, ...], ...]
) -> dict[str, LayerState]:
    """Return what each layer shows: visible at all, which features, which one is selected."""
    states: dict[str, LayerState] = {}
    for spec in data.layers:
        visible = bool(st.session_state.get(f"layer_{spec.id}", spec.visible_by_default))
        mask, selected = None, None
        if spec.id in PLACE_LAYER_IDS:
            mask, ids = data.view(spec.id, key)
            selected = state.place if state.place in ids else None
        states[spec.id] = {"visible": visible, "mask": mask, "selected": selected}
    return states


def render(data: PageData, state: ViewState) -> None:
    """Draw the map page (the sidebar, title and mode switch are drawn by ``ui.shell``)."""
    anchors = data.anchors()
    lang = state.lang or DEFAULT_LANG
    key = filter_key(state)
    st.markdown(t("ui.matching", lang, n=data.count(key), total=data.total))

    map_col, side_col = st.columns([7, 3], gap="medium")
    with map_col:
        sources = [
            LayerSource.of(spec, url=data.layer_url(spec.id, lang), lang=lang)
            for spec in data.layers
        ]
        states = _layer_states(data, state, key)
        center, zoom = _view_request(state, anchors)
        origin_center, origin_zoom = _base_origin(
            state, anchors, st.session_state.get("map"), urls=tuple(x.url for x in sources)
        )
        fmap = build_base_map(
            center_lat_lon=origin_center,
            zoom=origin_zoom,
            basemap=st.session_state["basemap"],
            lang=lang,
            asset_url_prefix=ASSET_URL_PREFIX,
            layers=sources,
            city_labels=[(label("city", c, lang), *CITY_VIEWS[c][0]) for c in ("astana", "almaty")],
        )
        out = st_folium(
            fmap,
            key="map",
            height=MAP_HEIGHT_PX,
            use_container_width=True,
            returned_objects=RETURNED,
            feature_group_to_add=view_update_group(states),
            center=center,
            zoom=zoom,
        )
        _handle_click(out, anchors)

    places = data.places()  # the whole frame, only now that the map is on its way
    filtered = places[filter_mask_from_key(places, key)]
    has_geom = filtered.geometry.notna() & ~filtered.geometry.is_empty
    with side_col:
        selected_rows = places[places["id"] == state.place]
        if not selected_rows.empty:
            render_card(selected_rows.iloc[0], lang)
        else:
            st.caption(t("ui.card_hint", lang))
        bbox = _bbox_from(out)
        placed = filtered[has_geom]
        in_view = placed[in_bbox_mask(placed, bbox)] if bbox else placed
        render_place_list(in_view, filtered[~has_geom], lang, selected=state.place)
    st.caption(t("ui.targets_note", lang, n=data.targets_count))
    st.caption(t("ui.sources_footer", lang))
