"""Near me: set a position (search, map click, browser location or link), see the nearest places."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.near_results import NearPlace, describe, filters_in_city, unknown_count
from geo.nearest import WALKING_SPEED_KMH, PlaceIndex, city_of, nearest
from geo.schema import EXACT_WITHIN_M
from geo.search import EXACT_SCORE, Entry, search
from layers.i18n import label, t
from layers.near_render import NearResult, near_map
from layers.registry import KIND_COLORS, PLACE_LAYER_IDS, VENUE_COLOR, VENUES_LAYER_ID
from layers.render import LayerSource
from layers.spec import LayerSpec
from ui.assets import ASSET_URL_PREFIX
from ui.map_page import CITY_VIEWS
from ui.shell import ANY_RADIUS, filter_key, notice_text
from ui.text import md_escape
from ui.url_state import RADII_KM, ViewState, check_position, format_near

NEAR_MAP_HEIGHT_PX = 460
MAX_MATCHES = 6
_COORDINATES = re.compile(r"\s*[-+]?[0-9.]+\s*,\s*[-+]?[0-9.]+\s*")
_KIND_COLOR = dict(KIND_COLORS)


@dataclass(frozen=True)
class NearData:
    """What the page needs from dashboard.py's cached loaders (see there)."""

    places: Callable[[], gpd.GeoDataFrame]
    index: Callable[[str], PlaceIndex]
    entries: Callable[[], Sequence[Entry]]
    geocode: Callable[[str, str, str], list[Entry]]
    bank_of: Callable[[float, float], str | None]
    has_banks: bool
    has_venues: bool
    layer_url: Callable[[str, str], str]
    layers: tuple[LayerSpec, ...]


def _set_position(lat: float, lon: float, source: str) -> None:
    """Set the position if it is usable; else keep the old one and say why beside the input."""
    s = st.session_state
    position, why = check_position(f"{lat},{lon}")
    if position is None:
        s["near_error"] = why
        return
    s["near"] = format_near(position)
    s["near_source"] = source
    s["near_error"] = None
    s["near_map_error"] = None
    s["near_notices"] = []


def _pick(entry: Entry) -> None:
    if entry.lat is not None and entry.lon is not None:
        _set_position(entry.lat, entry.lon, f"search:{entry.id}")


def _run_search(data: NearData, state: ViewState) -> None:
    """Search on submit: a LAT,LON position directly, else the gazetteer and the geocoder."""
    s = st.session_state
    query = (s.get("near_query") or "").strip()
    s["near_matches"] = []
    if not query:
        s["near_error"] = "near.err.empty"
        return
    if _COORDINATES.fullmatch(query):
        position, why = check_position(query)
        if position is None:
            s["near_error"] = why
            return
        _set_position(*position, "typed")
        return
    city = None if state.city == "both" else state.city
    matches = search(query, data.entries(), city=city, limit=MAX_MATCHES)
    found = [m.entry for m in matches]
    if not any(m.score >= EXACT_SCORE for m in matches):  # an exact name needs no geocoder
        for c in [city] if city else ["astana", "almaty"]:
            found += data.geocode(query, c, state.lang)
    s["near_matches"] = found[: MAX_MATCHES + 3]
    s["near_error"] = None if found else "near.err.nothing"
    placed = [e for e in found if e.lat is not None]
    if len(placed) == 1:
        _pick(placed[0])


def _position_inputs(data: NearData, state: ViewState) -> None:
    lang = state.lang
    with st.form("near_form", border=False):
        st.text_input(
            t("near.search_label", lang),
            key="near_query",
            placeholder=t("near.search_placeholder", lang),
        )
        st.form_submit_button(
            t("near.search_button", lang), on_click=_run_search, args=(data, state)
        )
    # One slot for what the last input caused, so the elements below keep their place in
    # the page (Streamlit would otherwise show the old results beside the new for a moment).
    with st.container(key="near_feedback"):
        s = st.session_state
        if s.get("near_error"):
            st.error(t(s["near_error"], lang, q=md_escape(s.get("near_query", ""))), icon="⚠️")
        for n in s.get("near_notices", []):
            st.error(notice_text(n, lang), icon="⚠️")
        _matches(s.get("near_matches", []), lang)
    st.caption(t("near.how", lang))


def _matches(matches: list[Entry], lang: str) -> None:
    """Show what a search found, to pick from; places with no known position are only named."""
    if not matches:
        return
    with st.container(key="near_matches"):
        st.caption(t("near.matches", lang))
        for i, entry in enumerate(matches):
            where = label("city", entry.city, lang)
            origin = t(f"near.origin.{entry.origin}", lang)
            name = entry.label_in(lang)
            if entry.lat is None:
                st.caption(md_escape(f"{name} · {where} · {t('ui.location_unknown', lang)}"))
                continue
            if entry.accuracy_m is not None and entry.accuracy_m > EXACT_WITHIN_M:
                origin += " · " + t("near.approx", lang, m=f"{entry.accuracy_m:,.0f}")
            st.button(
                md_escape(f"{name} · {where} · {origin}"),
                icon=":material/place:",
                key=f"near_pick_{i}",
                on_click=_pick,
                args=(entry,),
            )


def _crossing_text(place: NearPlace, data: NearData, lang: str) -> str:
    where = label("bank", place.bank, lang) if place.bank else t("near.bank_unknown", lang)
    if not data.has_banks:
        return f"{where} · {t('near.crossing_no_layer', lang)}"
    if place.crossing is None:
        return f"{where} · {t('near.crossing_unknown', lang)}"
    return f"{where} · {t('near.crossing_yes' if place.crossing else 'near.crossing_no', lang)}"


def _distance_text(metres: float, lang: str) -> str:
    if metres < 1000:  # noqa: PLR2004 - metres below a kilometre
        return t("near.metres", lang, m=f"{round(metres / 10) * 10:,.0f}")
    return t("near.km", lang, km=f"{metres / 1000:,.1f}")


def _results(data: NearData, state: ViewState, position: tuple[float, float]) -> list[NearResult]:
    """Show the nearest places as a readable list; return them for the map."""
    lang, (lat, lon) = state.lang, position
    city = city_of(lat, lon)
    places = data.places()
    allowed, ignored = filters_in_city(places, filter_key(state), city)
    radius_m = state.radius_km * 1000 if state.radius_km else None
    hits = nearest(data.index(city), lat, lon, k=state.n, allowed=allowed, max_distance_m=radius_m)
    user_bank = data.bank_of(lat, lon) if city == "astana" else None
    found = describe(places, hits, position, city=city, user_bank=user_bank)
    drawn: list[NearResult] = []
    with st.container(key="near_results"):
        if ignored:
            st.caption(t("near.filters_ignored", lang, city=label("city", city, lang)))
        st.markdown(f"#### {t('near.results_title', lang, n=len(found))}")
        if city == "astana":
            st.caption(t("near.you_bank", lang, bank=label("bank", user_bank, lang)))
        if not found:
            st.info(t("near.none", lang))
        for place in found:
            row = places.iloc[place.row]
            name = row[f"name_{lang}"]
            facts = [
                _distance_text(place.distance_m, lang),
                t("near.walk", lang, min=place.walk_min),
            ]
            if place.approximate:
                facts.append(t("near.approx", lang, m=f"{place.accuracy_m:,.0f}"))
            what = f"{label('kind', row['kind'], lang)} · {label('status', row['status'], lang)}"
            lines = [f"**{place.rank}. {md_escape(name)}** — {md_escape(what)}"]
            lines.append(md_escape(" · ".join(facts)))
            if city == "astana":
                lines.append(md_escape(_crossing_text(place, data, lang)))
            lines.append(
                f"[{t('near.route_2gis', lang)}]({place.route_2gis})"
                f" · [{t('near.route_osm', lang)}]({place.route_osm})"
            )
            st.markdown("  \n".join(lines))
            venue = row.get("layer") == VENUES_LAYER_ID
            drawn.append(
                NearResult(
                    lat=place.target[0],
                    lon=place.target[1],
                    rank=place.rank,
                    lines=(f"{place.rank}. {name}", " · ".join(facts)),
                    color=VENUE_COLOR if venue else _KIND_COLOR.get(row["kind"], "#555555"),
                    approximate=place.approximate,
                )
            )
        unknown = unknown_count(places, allowed, city)
        if unknown:
            st.caption(t("near.unknown_left_out", lang, n=unknown))
        st.caption(t("near.walk_assumption", lang, speed=f"{WALKING_SPEED_KMH:g}"))
    return drawn


def _handle_map_click(out: dict[str, Any] | None) -> None:
    clicked = (out or {}).get("last_clicked")
    if not clicked or clicked == st.session_state.get("_near_last_click"):
        return
    st.session_state["_near_last_click"] = clicked
    position, why = check_position(f"{clicked['lat']},{clicked['lng']}")
    if position is None:
        st.session_state["near_map_error"] = why
        st.rerun()
    _set_position(*position, "map")
    st.session_state["near_map_error"] = None
    st.rerun()


def render(data: NearData, state: ViewState) -> None:
    """Draw the near-me page."""
    lang = state.lang
    st.subheader(t("near.title", lang))
    _position_inputs(data, state)
    controls = st.columns(2)
    controls[0].number_input(t("near.n", lang), min_value=1, max_value=50, step=1, key="n")
    controls[1].selectbox(
        t("near.radius", lang),
        (ANY_RADIUS, *RADII_KM),
        key="radius",
        format_func=lambda km: (
            t("near.radius_any", lang) if km == ANY_RADIUS else t("near.km", lang, km=km)
        ),
    )
    position = state.near
    results_col, map_col = st.columns([4, 5], gap="medium")
    drawn: list[NearResult] = []
    with results_col:
        if position is None:
            st.info(t("near.no_position", lang))
        else:
            source = str(st.session_state.get("near_source") or "link")
            st.caption(
                md_escape(
                    t(
                        "near.position",
                        lang,
                        pos=format_near(position),
                        how=t(f"near.source.{source.split(':', maxsplit=1)[0]}", lang),
                    )
                )
            )
            drawn = _results(data, state, position)
    with map_col:
        city = (
            city_of(*position) if position else ("astana" if state.city == "both" else state.city)
        )
        (lat0, lon0), zoom0 = CITY_VIEWS[city]
        context = [
            LayerSource.of(spec, url=data.layer_url(spec.id, lang), lang=lang)
            for spec in data.layers
            if spec.id not in PLACE_LAYER_IDS and st.session_state.get(f"layer_{spec.id}")
        ]
        fmap = near_map(
            context=context,
            position=position,
            center_lat_lon=(lat0, lon0),
            zoom=zoom0,
            results=drawn,
            basemap=st.session_state["basemap"],
            lang=lang,
            asset_url_prefix=ASSET_URL_PREFIX,
        )
        out = st_folium(
            fmap,
            key="near_map",
            height=NEAR_MAP_HEIGHT_PX,
            use_container_width=True,
            returned_objects=["last_clicked"],
        )
        if st.session_state.get("near_map_error"):
            st.error(t(st.session_state["near_map_error"], lang), icon="⚠️")
        st.caption(t("near.map_hint", lang))
        _handle_map_click(out)
