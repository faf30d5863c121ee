"""The planners' page: a district choropleth, walking coverage and a gap finder, with exports.

The map is built once per base (basemap, language, documents, number of classes); a filter,
measure, scheme or walking-distance change sends only a view update: the choropleth's class
channel, and the covered area and candidates as small GeoJSON in the update's group.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from geo.cities import CITY_IDS, view_of
from layers.analysis_map import (
    CHOROPLETH_ID,
    DISPLAY_TOLERANCE_M,
    add_overlay,
    choropleth_classes,
    choropleth_spec,
    display_geojson,
    legend_html,
)
from layers.assets import ASSET_DIRS, ASSETS
from layers.draw import DRAW_RETURNED, drawings_from
from layers.i18n import label, number, t
from layers.registry import PLACE_LAYER_IDS
from layers.render import LayerSource, LayerState, build_base_map, view_update_group
from ui import state
from ui.assets import ASSET_URL_PREFIX, LAYER_DATA_URL_PREFIX, LAYER_DOCUMENTS, layer_url
from ui.cache import (
    BANKS_LAYER_ID,
    Data,
    analysis_inputs,
    cached_bank_analysis,
    cached_candidates,
    cached_choropleth_document,
    cached_coverage,
    cached_coverage_geojson,
    cached_district_table,
    cached_place_names,
)
from ui.map_events import parse_map_event
from ui.url_state import K_CHOICES, MEASURES, SCHEMES, ViewState
from ui.widgets.analysis_panels import (
    Results,
    render_banks,
    render_candidates,
    render_coverage,
    render_districts,
    render_exports,
)
from ui.widgets.candidates import (
    candidates,
    clear_candidates,
    drawing_buttons,
    handle_click,
    remove_candidate,
)
from ui.widgets.measure import render_measurements

log = logging.getLogger(__name__)

MAP_HEIGHT_PX = 560
RETURNED = ["last_clicked", *DRAW_RETURNED]
WALK_STEP_M = 100
DRAW_ASSET = "leaflet_draw_js"
MAX_RING_POINTS = 500  # a drawn polygon used as a candidate or filter (more: simplified)


def _draw_available() -> bool:
    """Return whether Leaflet.draw is installed (``make install`` puts it in node_modules)."""
    bundle, filename = ASSETS[DRAW_ASSET]
    return (ASSET_DIRS[bundle] / filename).is_file()


def _pick_city(lang: str) -> None:
    st.info(t("analysis.pick_city", lang), icon="ℹ️")
    for city, col in zip(CITY_IDS, st.columns(len(CITY_IDS)), strict=True):
        col.button(
            label("city", city, lang),
            key=f"analysis_city_{city}",
            on_click=state.CITY.set,
            args=(city,),
            use_container_width=True,
        )


def _notices_for(params: set[str], lang: str) -> None:
    for n in state.ANALYSIS_NOTICES.get():
        if n.param in params:
            text = t("ui.ignored_param", lang, param=n.param, value=n.value, why=t(n.why_key, lang))
            st.warning(text, icon="⚠️")


def _controls(lang: str) -> None:
    """Draw the walking distance, the choropleth's measure, scheme and classes (URL state)."""
    st.number_input(
        t("analysis.walk", lang),
        min_value=300,
        max_value=3000,
        step=WALK_STEP_M,
        key=state.WALK.name,
        help=t("analysis.walk_help", lang),
    )
    _notices_for({"walk"}, lang)
    st.segmented_control(
        t("analysis.measure", lang),
        MEASURES,
        key=state.MEASURE.name,
        format_func=lambda m: t(f"analysis.measure.{m}", lang),
        required=True,
    )
    scheme_col, k_col = st.columns([3, 2])
    scheme_col.selectbox(
        t("analysis.scheme", lang),
        SCHEMES,
        key=state.SCHEME.name,
        format_func=lambda s: t(f"analysis.scheme.{s}", lang),
    )
    k_col.selectbox(t("analysis.k", lang), K_CHOICES, key=state.K.name)
    _notices_for({"scheme", "k", "measure"}, lang)


def _base_origin(view: ViewState, key: tuple[Any, ...]) -> tuple[tuple[float, float], int]:
    """Return where the base map starts; it changes only when the base map is rebuilt."""
    origin = state.ANALYSIS_ORIGIN.get()
    if state.ANALYSIS_BASE_KEY.get() != key or origin is None:
        (lat_lon, zoom) = view_of(view.city)
        origin = (lat_lon, zoom - 1)  # the whole district layer, not only the centre
        state.ANALYSIS_ORIGIN.set(origin)
        state.ANALYSIS_BASE_KEY.set(key)
    return origin


def render(data: Data, view: ViewState) -> None:  # noqa: PLR0915 - the page, in reading order
    """Draw the planners' page (the sidebar and header are drawn by ``dashboard.py``)."""
    lang = view.lang
    st.header(t("analysis.title", lang), anchor=False)
    st.caption(t("analysis.intro", lang))
    city = view.city
    if city not in CITY_IDS:
        _pick_city(lang)
        return
    inputs = analysis_inputs(data, city)
    if inputs is None:
        st.info(t("analysis.no_districts", lang, city=label("city", city, lang)), icon="ℹ️")
        return
    partition, akey = inputs.partition, inputs.key
    map_col, side_col = st.columns([7, 3], gap="medium")
    with side_col, st.container(key="analysis_controls"):
        _controls(lang)
    view = state.current_view(page="analysis", layer_ids=data.layer_ids)
    filters, area, walk = view.filters, state.AREA_FILTER.get(), view.walk_m
    table = cached_district_table(data.store, partition, akey, filters, area)
    coverage = cached_coverage(
        data.store, partition, inputs.grid, inputs.network, akey, filters, area, walk
    )
    chosen = candidates()
    results, shapes = cached_candidates(
        data.store,
        partition,
        inputs.grid,
        inputs.network,
        inputs.banks,
        akey,
        filters,
        area,
        walk,
        chosen,
    )
    values = table.set_index("district")[
        "places" if view.measure == "count" else "per_100k"
    ].reindex(partition.frame["district"])
    with map_col, st.container(key="analysis_map_box"):
        name, text = cached_choropleth_document(data.store, partition, akey, view.k, lang)
        LAYER_DOCUMENTS.write(name, text, layer_id=CHOROPLETH_ID, lang=lang)
        spec = choropleth_spec(k=view.k, scheme=view.scheme)  # type: ignore[arg-type]
        shown = set(view.layers or ())
        context = [s for s in data.layers if s.id not in PLACE_LAYER_IDS]
        places = [s for s in data.layers if s.id in PLACE_LAYER_IDS]
        sources = [
            LayerSource.of(spec, url=LAYER_DATA_URL_PREFIX + name, lang=lang),
            *(LayerSource.of(s, url=layer_url(data, s.id, lang), lang=lang) for s in context),
            *(LayerSource.of(s, url=layer_url(data, s.id, lang), lang=lang) for s in places),
        ]
        center, zoom = _base_origin(view, (view.basemap, lang, tuple(s.url for s in sources)))
        fmap = build_base_map(
            center_lat_lon=center,
            zoom=zoom,
            basemap=view.basemap,
            lang=lang,
            asset_url_prefix=ASSET_URL_PREFIX,
            layers=sources,
            draw=_draw_available(),
        )
        classes = choropleth_classes(values, k=view.k, scheme=view.scheme, lang=lang)  # type: ignore[arg-type]
        states: dict[str, LayerState] = {
            CHOROPLETH_ID: {"visible": True, "mask": None, "selected": None, **classes}  # type: ignore[typeddict-item]
        }
        for s in context + places:
            states[s.id] = {
                "visible": s.id in shown,
                "mask": data.mask(s.id, filters) if s.id in PLACE_LAYER_IDS else None,
                "selected": None,
            }
        group = view_update_group(states)
        labels = [r.label for r in results]
        add_overlay(
            group,
            coverage=cached_coverage_geojson(
                data.store, partition, inputs.grid, inputs.network, akey, filters, area, walk
            ),
            catchments=display_geojson(
                list(shapes), crs=partition.crs, properties=[{"label": x} for x in labels]
            ),
            candidates=[
                (r.label, r.geometry_wgs84.centroid.y, r.geometry_wgs84.centroid.x) for r in results
            ],
        )
        output = st_folium(
            fmap,
            key=state.ANALYSIS_MAP.name,
            height=MAP_HEIGHT_PX,
            use_container_width=True,
            returned_objects=RETURNED,
            feature_group_to_add=group,
        )
        event = parse_map_event(output)
    drawings = drawings_from(output)
    with side_col:
        legend = legend_html(
            classes["labels"],
            k=view.k,
            title=t(f"analysis.legend.{view.measure}", lang),
            no_data=t("analysis.no_data", lang),
        )
        st.markdown(legend, unsafe_allow_html=True)
        st.toggle(t("analysis.add_toggle", lang), key=state.ADD_CANDIDATE.name)
        message = state.ANALYSIS_MESSAGE.get()
        if message:
            st.warning(message, icon="⚠️")
        _notices_for({"candidate"}, lang)
        if chosen:
            st.button(t("analysis.clear", lang), key="analysis_clear", on_click=clear_candidates)
        if area is not None:
            st.info(t("analysis.area_filter_on", lang), icon="ℹ️")
            st.button(
                t("analysis.area_filter_clear", lang),
                key="analysis_area_clear",
                on_click=state.AREA_FILTER.set,
                args=(None,),
            )
        render_measurements(drawings, city, lang)
        drawing_buttons(drawings, city, lang)
    handle_click(event.clicked_lat_lon, city, lang)
    names = cached_place_names(data.store, data.key, lang)
    panel = Results(
        city=city,
        partition=partition,
        table=table,
        coverage=coverage,
        candidates=results,
        candidate_kinds=tuple(kind for kind, _ in chosen),
        catchments=shapes,
        banks=(
            cached_bank_analysis(data.store, akey, data.versions[BANKS_LAYER_ID], filters, area)
            if city == "astana" and data.has_layer(BANKS_LAYER_ID)
            else None
        ),
        names=names,
        filters=filters,
        district_layer=inputs.district_layer,
        day=dt.date.today(),
    )
    tabs = st.tabs(
        [
            t("analysis.tab.districts", lang),
            t("analysis.tab.coverage", lang),
            t("analysis.tab.candidates", lang),
            t("analysis.tab.banks", lang),
            t("analysis.tab.export", lang),
        ]
    )
    with tabs[0]:
        render_districts(panel, scheme=view.scheme, k=view.k, measure=view.measure, lang=lang)
    with tabs[1]:
        render_coverage(panel, lang)
    with tabs[2]:
        render_candidates(panel, lang, on_remove=remove_candidate)
    with tabs[3]:
        render_banks(panel, lang)
    with tabs[4]:
        render_exports(panel, lang, simplify_m=DISPLAY_TOLERANCE_M)
    st.caption(t("analysis.count_note", lang, n=number(int(table["places"].sum()), lang)))
