"""The guided tour's card: a stop's name, status, key facts and numbers, and its source."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from shapely.geometry.base import BaseGeometry

from geo.cities import view_of
from geo.errors import InputError
from geo.schema import EXACT_WITHIN_M
from layers.export_html import TourStop
from layers.i18n import date_text, is_plural, label, number, plural, t
from ui.cache import TARGETS, TOUR, Data
from ui.text import md_escape

log = logging.getLogger("creative_map")


@dataclass(frozen=True)
class StopView:
    """Where the map goes for a stop, and what it shows when the place has no position.

    ``area`` is ``None`` for a placed stop, else ``"bank"``, ``"district"`` or ``"city"``.
    """

    center_lat_lon: tuple[float, float]
    zoom: int
    area: str | None


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""


def stop_view(data: Data, stop: pd.Series) -> StopView:
    """Return where the map goes for a stop (its place, else its fallback view or its city)."""
    anchor = data.anchor(str(stop["place_id"]))
    if anchor is not None:
        return StopView(anchor, int(stop["zoom"]), None)
    if _present(stop["view_lat"]) and _present(stop["area"]):
        lat_lon = (float(stop["view_lat"]), float(stop["view_lon"]))
        return StopView(lat_lon, int(stop["zoom"]), str(stop["area"]))
    row = data.place_row(str(stop["place_id"]))
    city = str(row["city"]) if row is not None else "both"
    center, zoom = view_of(city)
    return StopView(center, zoom, "city")


def _area_name(row: pd.Series, area: str, lang: str) -> str:
    text = label(area, row.get(area), lang)
    return text if area == "city" else text[:1].lower() + text[1:]


def _status_line(row: pd.Series, lang: str) -> str:
    stated = row.get("status_as_of")
    return t(
        "ui.status_as_of" if _present(stated) else "ui.status_undated",
        lang,
        status=label("status", row["status"], lang),
        date=date_text(stated, lang) if _present(stated) else stated,
    )


def _where_line(row: pd.Series, where: StopView, lang: str) -> str | None:
    if where.area is not None:
        return t(f"present.unconfirmed.{where.area}", lang, area=_area_name(row, where.area, lang))
    geom, accuracy = row.geometry, row.get("location_accuracy_m")
    if isinstance(geom, BaseGeometry) and _present(accuracy) and accuracy > EXACT_WITHIN_M:
        return t("present.approximate", lang, metres=number(float(accuracy), lang))
    return None


def _target_lines(target: pd.Series, lang: str, *, today: date) -> list[str]:
    key, amount = f"present.unit.{target['unit']}", float(target["quantity"])
    shown = number(amount, lang)
    # A currency agrees with its number in Russian: 1 доллар, 2 доллара, 500 000 000 долларов.
    count = int(amount) if amount.is_integer() else amount
    quantity = plural(key, count, lang, n=shown) if is_plural(key) else t(key, lang, n=shown)
    year = target["deadline_year"]
    lines = []
    if _present(year):
        lines.append(t("present.promised", lang, quantity=quantity, year=int(year)))
        if int(year) < today.year:
            lines.append(t("present.deadline_passed", lang, year=int(year)))
    else:
        lines.append(t("present.promised_undated", lang, quantity=quantity))
    lines.append(t("present.progress_unknown", lang))
    return lines


def _date(value: object, lang: str) -> object:
    return date_text(str(value), lang) if _present(value) else value


def _source(*parts: object) -> str:
    return ", ".join(str(p) for p in parts if _present(p))


def tour_stop_texts(
    data: Data, stop: pd.Series, where: StopView, lang: str, *, today: date | None = None
) -> tuple[str, list[str], str] | None:
    """Return a stop's card as plain text: its title, its lines and its source.

    The same facts as ``render_tour_card`` shows, unescaped, for a file that escapes them
    itself (the tour exported as one HTML file, ``layers.export_html.TourStop``). ``None``
    when the stop's place is not in the data.
    """
    row = data.place_row(str(stop["place_id"]))
    if row is None:
        return None
    place_name = str(row[f"name_{lang}"])
    caption = str(stop[f"caption_{lang}"])
    if _present(stop["target_id"]):
        targets = data.targets()
        found = targets[targets["id"] == stop["target_id"]]
        if not found.empty:
            target = found.iloc[0]
            lines = [t("present.target_of", lang, place=place_name), caption]
            lines += _target_lines(target, lang, today=today or date.today())
            source = _source(target["source_outlet"], _date(target["source_date"], lang))
            return str(target[f"what_{lang}"]), lines, source
    lines = [f"{t('ui.status', lang)}: {_status_line(row, lang)}"]
    where_line = _where_line(row, where, lang)
    if where_line:
        lines.append(where_line)
    lines.append(caption)
    source = _source(row.get(f"source_outlet_{lang}"), _date(row.get("source_date"), lang))
    return place_name, lines, source


def export_stops(data: Data, lang: str) -> tuple[TourStop, ...]:
    """Return the whole tour as the stops of an exported HTML file (none without a tour).

    Built once per data version, language and day (a deadline passes with the day), not on
    every rerun of the map page.
    """
    versions = tuple(data.versions.get(name) for name in (TOUR, TARGETS))
    return _cached_stops(data, data.key, versions, lang, date.today().isoformat())


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_stops(
    _data: Data, key: object, versions: tuple[object, ...], lang: str, day: str
) -> tuple[TourStop, ...]:
    return _export_stops(_data, lang)


def _export_stops(data: Data, lang: str) -> tuple[TourStop, ...]:
    try:
        tour = data.tour()
    except InputError:  # the presentation page shows what is wrong with it
        log.exception("the tour is not exported: its table is invalid")
        return ()
    if tour is None:
        return ()
    stops = []
    for _, stop in tour.iterrows():
        where = stop_view(data, stop)
        texts = tour_stop_texts(data, stop, where, lang)
        if texts is not None:
            title, lines, source = texts
            stops.append(TourStop(title, where.center_lat_lon, where.zoom, tuple(lines), source))
    return tuple(stops)


def render_tour_card(
    data: Data, stop: pd.Series, where: StopView, lang: str, *, today: date | None = None
) -> None:
    """Show a stop's card: name, status, its caption's facts and numbers, and the source.

    Parameters
    ----------
    data
        The run's data (the place and target records).
    stop
        One row of the tour table.
    where
        Where the map went for it (``stop_view``).
    lang
        Language code.
    today
        The date a deadline is compared with; today by default.
    """
    row = data.place_row(str(stop["place_id"]))
    if row is None:  # the tour is checked against the places: only a changed store gets here
        return
    place_name = str(row[f"name_{lang}"])
    target = None
    if _present(stop["target_id"]):
        targets = data.targets()
        found = targets[targets["id"] == stop["target_id"]]
        target = found.iloc[0] if not found.empty else None
    with st.container(key="tour_card"):
        if target is not None:
            st.markdown(f"## {md_escape(target[f'what_{lang}'])}")
            st.markdown(md_escape(t("present.target_of", lang, place=place_name)))
            st.markdown(md_escape(stop[f"caption_{lang}"]))
            for line in _target_lines(target, lang, today=today or date.today()):
                st.markdown(md_escape(line))
            source = _source(target["source_outlet"], _date(target["source_date"], lang))
        else:
            st.markdown(f"## {md_escape(place_name)}")
            st.markdown(f"**{t('ui.status', lang)}:** {md_escape(_status_line(row, lang))}")
            where_line = _where_line(row, where, lang)
            if where_line:
                with st.container(key="tour_where"):
                    st.markdown(md_escape(where_line))
            st.markdown(md_escape(stop[f"caption_{lang}"]))
            source = _source(row.get(f"source_outlet_{lang}"), _date(row.get("source_date"), lang))
        st.markdown(f"**{t('ui.source', lang)}:** {md_escape(source)}")
