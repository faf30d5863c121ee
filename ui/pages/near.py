"""Near me: set a position (search, map click, browser location or link), see the nearest places."""

from __future__ import annotations

import logging
import re

import streamlit as st
from streamlit_folium import st_folium

from geo.cities import CITY_IDS, view_of
from geo.near_results import NearPlace, describe, filters_in_city, unknown_count
from geo.nearest import (
    MAX_RESULTS,
    WALKING_SPEED_KMH,
    city_of,
    listed_near,
    nearest,
)
from geo.schema import EXACT_WITHIN_M
from geo.search import (
    EXACT_SCORE,
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    Entry,
    QueryTooLongError,
    check_query,
)
from layers.i18n import label, number, plural, t
from layers.near_render import NearResult, near_map
from layers.registry import KIND_COLORS, PLACE_LAYER_IDS, VENUE_COLOR, VENUES_LAYER_ID
from layers.render import LayerSource
from sources.nominatim import DEADLINE_S, TIMED_OUT, lookup
from ui import state
from ui.assets import ASSET_URL_PREFIX, layer_url
from ui.cache import Data
from ui.map_events import MapEvent, parse_map_event
from ui.shell import notice_text
from ui.text import md_escape
from ui.url_state import RADII_KM, ViewState, check_position, format_near

log = logging.getLogger("creative_map")

NEAR_MAP_HEIGHT_PX = 460
MAX_MATCHES = 6
_COORDINATES = re.compile(r"\s*[-+]?[0-9.]+\s*,\s*[-+]?[0-9.]+\s*")
_KIND_COLOR = dict(KIND_COLORS)


def _set_position(lat: float, lon: float, source: str) -> None:
    """Set the position if it is usable; else keep the old one and say why beside the input."""
    position, why = check_position(f"{lat},{lon}")
    if position is None:
        state.NEAR_ERROR.set(why)
        return
    state.set_position(position, source)


def _pick(entry: Entry) -> None:
    if entry.lat is not None and entry.lon is not None:
        _set_position(entry.lat, entry.lon, f"search:{entry.id}")


def _run_search(data: Data, view: ViewState) -> None:
    """Search on submit: a LAT,LON position directly, else the gazetteer and the geocoder."""
    query = (state.NEAR_QUERY.get() or "").strip()
    state.NEAR_MATCHES.set([])
    if not query:
        state.NEAR_ERROR.set("near.err.empty")
        return
    try:
        check_query(query)  # first: a query past the cap costs nothing more
    except QueryTooLongError:
        log.info("search query refused: %d characters", len(query))
        state.NEAR_ERROR.set("near.err.too_long")
        return
    if _COORDINATES.fullmatch(query):
        position, why = check_position(query)
        if position is None:
            state.NEAR_ERROR.set(why)
            return
        _set_position(*position, "typed")
        return
    city = None if view.city == "both" else view.city
    matches = data.search_index().search(query, city=city, limit=MAX_MATCHES)
    found = [m.entry for m in matches]
    problem = None
    if not any(m.score >= EXACT_SCORE for m in matches):  # an exact name needs no geocoder
        for c in [city] if city else list(CITY_IDS):
            answer = lookup(query, c, lang=view.lang)
            found += answer.entries
            problem = problem or answer.problem
            if answer.problem == TIMED_OUT:  # a slow server: do not wait for it twice
                break
    state.NEAR_MATCHES.set(found[: MAX_MATCHES + 3])
    if found:
        state.NEAR_ERROR.set(None)
    else:  # and say why the online search found nothing, when it failed
        state.NEAR_ERROR.set(
            f"near.err.nothing_online_{problem}" if problem else "near.err.nothing"
        )
    placed = [e for e in found if e.lat is not None]
    # One place, or one whose whole name was typed (a street named "Абай даңғылы" beside the
    # places on it), is where to start; the others stay listed to pick instead.
    whole = [m.entry for m in matches if m.score >= EXACT_SCORE and m.entry.lat is not None]
    if len(placed) == 1 or len(whole) == 1:
        _pick((whole or placed)[0])


def _position_inputs(data: Data, view: ViewState) -> None:
    lang = view.lang
    with st.form("near_form", border=False):
        st.text_input(
            t("near.search_label", lang),
            key=state.NEAR_QUERY.name,
            placeholder=t("near.search_placeholder", lang),
        )
        st.form_submit_button(
            t("near.search_button", lang), on_click=_run_search, args=(data, view)
        )
    # One slot for what the last input caused, so the elements below keep their place in
    # the page (Streamlit would otherwise show the old results beside the new for a moment).
    with st.container(key="near_feedback"):
        error = state.NEAR_ERROR.get()
        if error:
            # A refused query is not echoed: it may be 100 KB long.
            q = "" if error == "near.err.too_long" else md_escape(state.NEAR_QUERY.get())
            values = {"chars": MAX_QUERY_CHARS, "words": MAX_QUERY_WORDS, "s": f"{DEADLINE_S:g}"}
            st.error(t(error, lang, q=q, **values), icon="⚠️")
        for n in state.NEAR_NOTICES.get():
            st.error(notice_text(n, lang), icon="⚠️")
        _matches(state.NEAR_MATCHES.get(), lang)
    st.caption(t("near.how", lang))


def _matches(matches: list[Entry], lang: str) -> None:
    """Show what a search found: places to pick from, then those with no known position.

    A search that finds only places without a position says so plainly: near me cannot start
    from them, and the list below (if any) is still from the previous position.
    """
    if not matches:
        return
    placed = [e for e in matches if e.lat is not None]
    unplaced = [e for e in matches if e.lat is None]
    if not placed:
        names = ", ".join(e.label_in(lang) for e in unplaced)
        key = "near.found_unplaced_keep" if state.NEAR.get() else "near.found_unplaced"
        st.info(md_escape(t(key, lang, names=names)), icon="ℹ️")
        return
    with st.container(key="near_matches"):
        st.caption(t("near.matches", lang))
        for i, entry in enumerate(placed):
            where = label("city", entry.city, lang)
            origin = t(f"near.origin.{entry.origin}", lang)
            name = entry.label_in(lang)
            if entry.accuracy_m is not None and entry.accuracy_m > EXACT_WITHIN_M:
                origin += " · " + t("near.approx", lang, m=number(entry.accuracy_m, lang))
            st.button(
                md_escape(" · ".join(filter(None, (name, where, origin, entry.address)))),
                icon=":material/place:",
                key=f"near_pick_{i}",
                on_click=_pick,
                args=(entry,),
            )
        if unplaced:
            st.caption(t("near.matches_unplaced", lang))
            for entry in unplaced:
                where = label("city", entry.city, lang)
                st.caption(
                    md_escape(
                        " · ".join(filter(None, (entry.label_in(lang), where, entry.address)))
                    )
                )


def _crossing_text(place: NearPlace, data: Data, lang: str) -> str:
    where = label("bank", place.bank, lang) if place.bank else t("near.bank_unknown", lang)
    if data.key[1] is None:  # no bank polygons
        return f"{where} · {t('near.crossing_no_layer', lang)}"
    if place.crossing is None:
        return f"{where} · {t('near.crossing_unknown', lang)}"
    return f"{where} · {t('near.crossing_yes' if place.crossing else 'near.crossing_no', lang)}"


def _distance_text(metres: float, lang: str) -> str:
    if metres < 1000:  # noqa: PLR2004 - metres below a kilometre
        return t("near.metres", lang, m=number(round(metres / 10) * 10, lang))
    return t("near.km", lang, km=number(metres / 1000, lang, decimals=1))


def _results(data: Data, view: ViewState, position: tuple[float, float]) -> list[NearResult]:
    """Show the nearest places as a readable list; return them for the map."""
    lang, (lat, lon) = view.lang, position
    city = city_of(lat, lon)
    places = data.places()
    allowed, ignored = filters_in_city(places, view.filters, city, data.vocabulary())
    # A hidden layer of places takes no part, as on the map page.
    allowed = allowed & places["layer"].isin(view.layers or ()).to_numpy()
    # Landmarks are places to start from, not what a resident looks for: listed on request.
    listed = listed_near(
        places, with_landmarks=view.near_landmarks, chosen_kinds=view.filters.kinds
    )
    left_out = int((allowed & ~listed & (places["city"] == city).to_numpy()).sum())
    allowed = allowed & listed
    radius_m = view.radius_km * 1000 if view.radius_km else None
    hits = nearest(data.index(city), lat, lon, k=view.n, allowed=allowed, max_distance_m=radius_m)
    user_bank = data.bank_of(lat, lon) if city == "astana" else None
    found = describe(places, hits, position, city=city, user_bank=user_bank)
    drawn: list[NearResult] = []
    with st.container(key="near_results"):
        if not set(PLACE_LAYER_IDS) & set(view.layers or ()):
            st.info(t("ui.no_place_layer", lang))
        if ignored:
            st.caption(t("near.filters_ignored", lang, city=label("city", city, lang)))
        title = plural("near.results_title", len(found), lang, n=number(len(found), lang))
        st.markdown(f"#### {title}")
        if city == "astana":
            st.caption(t("near.you_bank", lang, bank=label("bank", user_bank, lang)))
        if not found:
            st.info(t("near.none", lang))
        for place in found:
            row = places.iloc[place.row]
            name = row[f"name_{lang}"]
            facts = [
                _distance_text(place.distance_m, lang),
                t("near.walk", lang, min=number(place.walk_min, lang)),
            ]
            if place.approximate:
                facts.append(t("near.approx", lang, m=number(place.accuracy_m, lang)))
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
        if left_out:
            st.caption(t("near.landmarks_left_out", lang, n=number(left_out, lang)))
        unknown = unknown_count(places, allowed, city)
        if unknown:
            st.caption(plural("near.unknown_left_out", unknown, lang, n=number(unknown, lang)))
        st.caption(
            t("near.walk_assumption", lang, speed=number(WALKING_SPEED_KMH, lang, decimals=1))
        )
    return drawn


def _handle_map_click(event: MapEvent) -> None:
    clicked = event.clicked_lat_lon
    if clicked is None or clicked == state.NEAR_LAST_CLICK.get():
        return
    state.NEAR_LAST_CLICK.set(clicked)
    position, why = check_position(f"{clicked[0]},{clicked[1]}")
    if position is None:
        state.NEAR_MAP_ERROR.set(why)
        st.rerun()
    _set_position(*position, "map")
    st.rerun()


def render(data: Data, view: ViewState) -> None:
    """Draw the near-me page (the sidebar and header are drawn by ``dashboard.py``)."""
    lang = view.lang
    st.subheader(t("near.title", lang))
    _position_inputs(data, view)
    controls = st.columns(3)
    controls[0].number_input(
        t("near.n", lang), min_value=1, max_value=MAX_RESULTS, step=1, key=state.N.name
    )
    controls[1].selectbox(
        t("near.radius", lang),
        (state.ANY_RADIUS, *RADII_KM),
        key=state.RADIUS.name,
        format_func=lambda km: (
            t("near.radius_any", lang)
            if km == state.ANY_RADIUS
            else t("near.km", lang, km=number(km, lang))
        ),
    )
    controls[2].checkbox(
        t("near.landmarks", lang),
        key=state.NEAR_LANDMARKS.name,
        help=t("near.landmarks_help", lang),
    )
    position = view.near
    results_col, map_col = st.columns([4, 5], gap="medium")
    drawn: list[NearResult] = []
    with results_col:
        if position is None:
            st.info(t("near.no_position", lang))
        else:
            source = str(state.NEAR_SOURCE.get() or "link")
            how = t(f"near.source.{source.split(':', maxsplit=1)[0]}", lang)
            st.caption(md_escape(t("near.position", lang, pos=format_near(position), how=how)))
            drawn = _results(data, view, position)
    with map_col, st.container(key="near_map_box"):
        city = city_of(*position) if position else ("astana" if view.city == "both" else view.city)
        (lat0, lon0), zoom0 = view_of(city)
        shown = set(view.layers or ())
        context = [
            LayerSource.of(spec, url=layer_url(data, spec.id, lang), lang=lang)
            for spec in data.layers
            if spec.id not in PLACE_LAYER_IDS and spec.id in shown
        ]
        fmap = near_map(
            context=context,
            position=position,
            center_lat_lon=(lat0, lon0),
            zoom=zoom0,
            results=drawn,
            basemap=view.basemap,
            lang=lang,
            asset_url_prefix=ASSET_URL_PREFIX,
        )
        event = parse_map_event(
            st_folium(
                fmap,
                key=state.NEAR_MAP.name,
                height=NEAR_MAP_HEIGHT_PX,
                use_container_width=True,
                returned_objects=["last_clicked"],
            )
        )
        map_error = state.NEAR_MAP_ERROR.get()
        if map_error:
            st.error(t(map_error, lang), icon="⚠️")
        st.caption(t("near.map_hint", lang))
        _handle_map_click(event)
