"""The targets page: the announced programme against the catalogue, with summary cards and charts.

Each target says what was promised, by whom, by when and where it was said, and what the
catalogue shows of it (``geo.targets``); the cards and charts count the places the sidebar's
filters let through (``geo.summary``). Selecting a card's button or a chart's bar sets the
sidebar's filters to exactly the places it counts and opens the map with them; on the
timeline, so does an "announced" bar (a "realised" one cannot: see ``geo.summary``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from babel.dates import format_date

from geo.select import Filters
from geo.summary import (
    ANNOUNCED,
    BREAKDOWNS,
    REALISED,
    Card,
    Timeline,
    announced_filters,
    bar_filters,
)
from geo.targets import TargetProgress, targets_progress
from layers.i18n import label, number, t
from layers.registry import PLACE_LAYER_IDS
from ui import state
from ui.cache import Data
from ui.text import md_escape
from ui.url_state import ViewState

BAR = "bar"  # the charts' selection parameter
CHART_KEY = "chart_{field}"  # test handles: chart_city, chart_kind, ...
TIMELINE_KEY = "chart_timeline"
BAR_PX = 34  # a bar's height: readable and easy to hit on a phone and from a hall
LABEL_FONT_PX = 15
_LINK_FIELDS = {"bank", "district"}


def date_text(iso: object, lang: str) -> str:
    """Return an ISO date as the language writes it (``12 сентября 2022 г.``)."""
    return str(format_date(date.fromisoformat(str(iso)[:10]), format="long", locale=lang))


def _known(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""


def _place_layers(data: Data) -> tuple[str, ...]:
    return tuple(i for i in PLACE_LAYER_IDS if data.has_layer(i))


def _map_button(filters: Filters, *, key: str, lang: str, layers: tuple[str, ...]) -> None:
    st.button(
        t("targets.show_on_map", lang),
        key=key,
        icon=":material/map:",
        on_click=state.show_filtered_map,
        args=(filters, layers),
    )


def _render_cards(cards: Sequence[Card], lang: str, layers: tuple[str, ...]) -> None:
    st.subheader(t("targets.cards", lang), anchor=False)
    for card, col in zip(cards, st.columns(len(cards)), strict=True):
        with col, st.container(border=True, key=f"card_{card.key}"):
            st.metric(t(f"targets.card.{card.key}", lang), number(card.count, lang))
            if card.filters is not None and card.count:
                _map_button(card.filters, key=f"show_card_{card.key}", lang=lang, layers=layers)
            elif card.filters is None:
                st.caption(t("targets.card.unplaced_help", lang))


def _amount(row: dict[str, Any], lang: str) -> str:
    if not _known(row["quantity"]):
        return t("targets.amount_none", lang)
    n = number(float(row["quantity"]), lang, decimals=2)
    return t("targets.amount", lang, amount=t(f"targets.unit.{row['unit']}", lang, n=n))


def _deadline(progress: TargetProgress, lang: str) -> str:
    year = progress.deadline_year
    if year is None:
        return t("targets.deadline_none", lang)
    if progress.deadline_passed:
        return (
            ":red-badge[:material/event_busy: "
            + t("targets.deadline_passed", lang, year=year)
            + "]"
        )
    return t("targets.deadline", lang, year=year)


def _source(row: dict[str, Any], lang: str) -> str:
    title = row["source_title"] if _known(row["source_title"]) else "—"
    text = t(
        "targets.source",
        lang,
        outlet=row["source_outlet"],
        title=title,
        date=date_text(row["source_date"], lang),
    )
    url = row["source_url"]
    link = (
        f"[{t('targets.source_link', lang)}](<{url}>)"
        if _known(url)
        else f"({t('targets.source_no_link', lang)})"
    )
    return f"{md_escape(text)} {link}"


def _progress_lines(progress: TargetProgress, data: Data, lang: str) -> list[str]:
    if progress.known is None:
        why = t(f"targets.why.{progress.why_unknown}", lang)
        return [f"**{md_escape(t('targets.progress.unknown', lang))}**: {md_escape(why)}"]
    if progress.measure == "count":
        known = number(progress.known, lang)
        if progress.quantity is None:
            line = t("targets.progress.count_open", lang, known=known)
        else:
            quantity = number(progress.quantity, lang)
            line = t("targets.progress.count", lang, known=known, quantity=quantity)
        return [f"**{md_escape(line)}**"]
    lines = [f"**{md_escape(t('targets.progress.status', lang))}**"]
    for place_id in progress.place_ids:
        row = data.place_row(place_id)
        if row is None:
            continue
        values = {"name": row[f"name_{lang}"], "status": label("status", row["status"], lang)}
        if _known(row["status_as_of"]):
            line = t(
                "targets.progress.place", lang, date=date_text(row["status_as_of"], lang), **values
            )
        else:
            line = t("targets.progress.place_undated", lang, **values)
        lines.append(f"- {md_escape(line)}")
    return lines


def _render_target(
    row: dict[str, Any], progress: TargetProgress, data: Data, lang: str, layers: tuple[str, ...]
) -> None:
    with st.container(border=True, key=f"target_{row['id']}"):
        said = t(
            "targets.sources_say",
            lang,
            date=date_text(row["progress_as_of"], lang),
            text=row[f"progress_{lang}"],
        )
        lines = [
            f"##### {md_escape(row[f'what_{lang}'])}",
            md_escape(_amount(row, lang)),
            md_escape(t("targets.promised_by", lang, who=row[f"promised_by_{lang}"])),
            _deadline(progress, lang)
            if progress.deadline_passed
            else md_escape(_deadline(progress, lang)),
            *_progress_lines(progress, data, lang),
            md_escape(said),
            _source(row, lang),
        ]
        st.markdown("\n\n".join(lines))
        if progress.filters is not None and progress.known:
            _map_button(progress.filters, key=f"show_target_{row['id']}", lang=lang, layers=layers)


def _bar_label(field: str, row: pd.Series, lang: str, *, both: bool) -> str:
    text = label(field, row["value"], lang)
    if field in _LINK_FIELDS and both:
        text = f"{text} ({label('city', row['city'], lang)})"
    return text


def _on_bar(field: str, layers: tuple[str, ...]) -> None:
    """Show the selected bar's places on the map (the chart's ``on_select`` callback)."""
    selection = st.session_state[CHART_KEY.format(field=field)]["selection"].get(BAR) or []
    if not selection:
        return
    chosen = selection[0]
    filters = bar_filters(
        state.current_filters(), field, str(chosen["value"]), str(chosen.get("city") or "")
    )
    state.show_filtered_map(filters, layers)


def _bar_chart(frame: pd.DataFrame, field: str, lang: str) -> alt.LayerChart:
    pick = alt.selection_point(name=BAR, fields=["value", "city"], on="click")
    y = alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=260))
    x = alt.X("count:Q", title=t("targets.chart.places", lang), axis=alt.Axis(tickMinStep=1))
    bars = (
        alt.Chart(frame)
        .mark_bar(cursor="pointer", color="#3b6ea8")
        .encode(
            y=y,
            x=x,
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
            tooltip=[alt.Tooltip("label:N", title=None), alt.Tooltip("count:Q", title=None)],
        )
        .add_params(pick)
    )
    text = bars.mark_text(align="left", dx=4, fontSize=LABEL_FONT_PX).encode(text="count:Q")
    chart = alt.layer(bars, text).properties(height=alt.Step(BAR_PX))
    configured: alt.LayerChart = chart.configure_axis(
        labelFontSize=LABEL_FONT_PX, titleFontSize=LABEL_FONT_PX
    )
    return configured


def _render_charts(
    bars: dict[str, pd.DataFrame], filters: Filters, lang: str, layers: tuple[str, ...]
) -> None:
    st.subheader(t("targets.charts", lang), anchor=False)
    st.caption(t("targets.chart_hint", lang))
    both = filters.city == "both"
    columns: list[Any] = []
    for i, field in enumerate(BREAKDOWNS):
        frame = bars[field]
        if i % 2 == 0:  # rows of two, so a phone reads them in order
            columns = list(st.columns(2))
        with columns[i % 2], st.container(key=f"chart_box_{field}"):
            st.markdown(f"**{t(f'targets.chart.{field}', lang)}**")
            if frame.empty:
                why = "no_banks" if field == "bank" and filters.city != "both" else "empty"
                st.caption(t(f"targets.chart.{why}", lang))
                continue
            labelled = frame.assign(
                label=[_bar_label(field, r, lang, both=both) for _, r in frame.iterrows()]
            )
            st.altair_chart(
                _bar_chart(labelled, field, lang),
                key=CHART_KEY.format(field=field),
                on_select=lambda f=field, ls=layers: _on_bar(f, ls),
                selection_mode=BAR,
                width="stretch",
            )


def _on_timeline_bar(layers: tuple[str, ...]) -> None:
    """Show the places of the selected "announced" bar on the map (``on_select`` callback)."""
    selection = st.session_state[TIMELINE_KEY]["selection"].get(BAR) or []
    if not selection or selection[0].get("series") != ANNOUNCED:
        return  # "realised" bars carry no selection; this guards a hand-made one
    filters = announced_filters(state.current_filters(), int(selection[0]["year"]))
    state.show_filtered_map(filters, layers)


def _timeline_chart(frame: pd.DataFrame, lang: str) -> alt.LayerChart:
    # Both series in the legend, even one with no bar: "none realised" is what it says.
    names = {s: t(f"targets.timeline.{s}", lang) for s in (ANNOUNCED, REALISED)}
    shown = frame.assign(series_label=frame["series"].map(names))
    order = list(names.values())
    pick = alt.selection_point(name=BAR, fields=["year", "series"], on="click")
    base = alt.Chart(shown).encode(
        x=alt.X("year:O", title=t("targets.timeline.year", lang), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("series_label:N", sort=order, scale=alt.Scale(domain=order)),
        y=alt.Y("count:Q", title=t("targets.chart.places", lang), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color(
            "series_label:N",
            sort=order,
            title=None,
            scale=alt.Scale(domain=order, range=["#3b6ea8", "#2e8b57"]),
            legend=alt.Legend(orient="bottom", labelLimit=600, labelFontSize=LABEL_FONT_PX),
        ),
        tooltip=["series_label:N", "year:O", "count:Q"],
    )
    # Only the "announced" bars select: a filter picks exactly their places (announced_filters).
    announced = (
        base.transform_filter(alt.datum.series == ANNOUNCED)
        .mark_bar(cursor="pointer")
        .encode(opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)))
        .add_params(pick)
    )
    realised = base.transform_filter(alt.datum.series == REALISED).mark_bar()
    chart = alt.layer(announced, realised).properties(height=280)
    configured: alt.LayerChart = chart.configure_axis(
        labelFontSize=LABEL_FONT_PX, titleFontSize=LABEL_FONT_PX
    )
    return configured


def _render_timeline(timeline: Timeline, lang: str, layers: tuple[str, ...]) -> None:
    st.subheader(t("targets.timeline", lang), anchor=False)
    frame = timeline.by_year
    if frame.empty:
        st.caption(t("targets.timeline.none", lang))
    else:
        st.caption(t("targets.timeline.hint", lang))
        with st.container(key="chart_box_timeline"):
            st.altair_chart(
                _timeline_chart(frame, lang),
                key=TIMELINE_KEY,
                on_select=lambda ls=layers: _on_timeline_bar(ls),
                selection_mode=BAR,
                width="stretch",
            )
    st.caption(t("targets.timeline.axes", lang))
    st.caption(
        t(
            "targets.timeline.unknown",
            lang,
            not_announced=number(timeline.not_announced, lang),
            not_realised=number(timeline.not_realised, lang),
            undated=number(timeline.realised_undated, lang),
        )
    )


def render(data: Data, view: ViewState) -> None:
    """Draw the targets page (the sidebar and header are drawn by ``dashboard.py``)."""
    lang = view.lang
    today = date.today()
    layers = _place_layers(data)
    st.header(t("targets.title", lang), anchor=False)
    st.caption(t("targets.intro", lang, date=date_text(today.isoformat(), lang)))
    cards, bars, timeline = data.summary(view.filters)
    _render_cards(cards, lang, layers)
    st.subheader(t("targets.list", lang), anchor=False)
    targets = data.targets()
    progress = targets_progress(targets, data.places(), today=today)
    columns: list[Any] = []
    for i, (row, one) in enumerate(zip(targets.to_dict(orient="records"), progress, strict=True)):
        if i % 2 == 0:  # rows of two on a wide screen; one column, in order, on a phone
            columns = list(st.columns(2))
        with columns[i % 2]:
            _render_target(row, one, data, lang, layers)
    _render_charts(bars, view.filters, lang, layers)
    _render_timeline(timeline, lang, layers)
