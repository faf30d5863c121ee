"""Candidate sites of the planners' page: added by a click, a link or a drawn polygon.

Points travel in the URL (``candidate=LAT,LON``); drawn areas stay in the session. A drawn
polygon can also filter the places the analysis counts. Each drawn shape is checked (and
measured in the city's metric CRS) by ``geo.measure.measure_drawing`` before it is used.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from shapely.geometry import Polygon, shape

from geo.errors import InputError
from geo.measure import measure_drawing
from geo.nearest import PositionError, city_of
from layers.i18n import label, t
from ui import state
from ui.cache import Candidate
from ui.url_state import MAX_CANDIDATES

MAX_RING_POINTS = 500  # a drawn polygon used as a candidate or filter (more: simplified)


def remove_candidate(i: int) -> None:
    """Forget the ``i``-th candidate: points first, then drawn areas (on_click)."""
    points = state.CANDIDATES.get()
    if i < len(points):
        state.CANDIDATES.set([p for j, p in enumerate(points) if j != i])
    else:
        areas = state.CANDIDATE_AREAS.get()
        k = i - len(points)
        state.CANDIDATE_AREAS.set([a for j, a in enumerate(areas) if j != k])


def clear_candidates() -> None:
    """Forget every candidate and the notices about the link's candidates (on_click)."""
    state.CANDIDATES.set([])
    state.CANDIDATE_AREAS.set([])
    state.ANALYSIS_NOTICES.set([n for n in state.ANALYSIS_NOTICES.get() if n.param != "candidate"])


def candidates() -> tuple[Candidate, ...]:
    """Return the session's candidates: the points (as the URL has them), then drawn areas."""
    points: list[Candidate] = [("point", (p,)) for p in state.CANDIDATES.get()]
    areas: list[Candidate] = [("area", ring) for ring in state.CANDIDATE_AREAS.get()]
    return tuple(points + areas)


def handle_click(clicked: tuple[float, float] | None, city: str, lang: str) -> None:
    """Add a candidate where the map was clicked (once per click) when the toggle is on."""
    if clicked is None or clicked == state.ANALYSIS_LAST_CLICK.get():
        return
    state.ANALYSIS_LAST_CLICK.set(clicked)
    if not state.ADD_CANDIDATE.get():
        return
    lat, lon = round(clicked[0], 5), round(clicked[1], 5)
    try:
        where = city_of(lat, lon)
    except PositionError:
        where = None
    if where != city:
        state.ANALYSIS_MESSAGE.set(
            t("analysis.click_outside", lang, city=label("city", city, lang))
        )
        return
    if len(candidates()) >= MAX_CANDIDATES:
        state.ANALYSIS_MESSAGE.set(t("analysis.too_many", lang, n=MAX_CANDIDATES))
        return
    state.ANALYSIS_MESSAGE.set(None)
    state.CANDIDATES.set([*state.CANDIDATES.get(), (lat, lon)])
    st.rerun()


def _ring(geometry: dict[str, Any], city: str) -> tuple[tuple[float, float], ...] | None:
    """Return a drawn polygon's exterior ring (lon, lat), checked; ``None`` if unusable."""
    try:
        measure_drawing(geometry, city=city)
        polygon = shape(geometry).buffer(0)
    except (InputError, ValueError, TypeError, AttributeError):
        return None
    if polygon.geom_type == "MultiPolygon":
        polygon = max(polygon.geoms, key=lambda g: g.area)
    if not isinstance(polygon, Polygon) or polygon.is_empty:
        return None
    if len(polygon.exterior.coords) > MAX_RING_POINTS:
        polygon = polygon.simplify(1e-5, preserve_topology=True)
    return tuple((round(x, 6), round(y, 6)) for x, y in polygon.exterior.coords)


def drawing_buttons(drawings: list[dict[str, Any]], city: str, lang: str) -> None:
    """Offer each drawn polygon as a candidate area or as a filter of the places."""
    for n, geometry in enumerate(drawings, start=1):
        if geometry.get("type") != "Polygon":
            continue
        ring = _ring(geometry, city)
        if ring is None:
            continue
        area_col, filter_col = st.columns(2)
        area_col.button(
            t("analysis.draw_as_candidate", lang, n=n),
            key=f"draw_candidate_{n}",
            on_click=_add_area,
            args=(ring,),
            disabled=ring in state.CANDIDATE_AREAS.get() or len(candidates()) >= MAX_CANDIDATES,
        )
        filter_col.button(
            t("analysis.draw_as_filter", lang, n=n),
            key=f"draw_filter_{n}",
            on_click=state.AREA_FILTER.set,
            args=(ring,),
            disabled=state.AREA_FILTER.get() == ring,
        )


def _add_area(ring: tuple[tuple[float, float], ...]) -> None:
    state.CANDIDATE_AREAS.set([*state.CANDIDATE_AREAS.get(), ring])
