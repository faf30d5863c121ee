"""The place card and the readable list of places in view."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st
from shapely.geometry.base import BaseGeometry

from geo.schema import EXACT_WITHIN_M
from layers.i18n import label, t
from ui.text import md_escape

MAX_LISTED = 20  # readable on a phone; the rest are counted, and zooming in narrows the list


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""


def location_text(row: pd.Series, lang: str) -> str:
    """Return how exact a place's location is, in words.

    Parameters
    ----------
    row
        A catalogue record.
    lang
        Language code.

    Returns
    -------
    str
        Plain text (not yet escaped).
    """
    accuracy = row.get("location_accuracy_m")
    geom = row.geometry
    if not isinstance(geom, BaseGeometry) or geom.is_empty or not _present(accuracy):
        return t("ui.location_unknown", lang)
    key = "map.exact" if float(accuracy) <= EXACT_WITHIN_M else "map.approx"
    return t(key, lang, m=f"{float(accuracy):,.0f}")


def render_card(row: pd.Series, lang: str) -> None:
    """Show one place's card: names, what it is, status, facts, source and location.

    Parameters
    ----------
    row
        The selected catalogue record.
    lang
        Language code.
    """
    with st.container(border=True, key="place_card"):
        st.markdown(f"### {md_escape(row[f'name_{lang}'])}")
        names = " · ".join(md_escape(row[f"name_{code}"]) for code in ("kk", "ru", "en"))
        st.markdown(f"**{t('ui.names', lang)}:** {names}")
        kind = label("kind", row["kind"], lang)
        city = label("city", row["city"], lang)
        extra = [label("bank", row["bank"], lang)] if _present(row["bank"]) else []
        if _present(row["district"]):
            extra.append(label("district", row["district"], lang))
        where = ", ".join([city, *extra])
        st.markdown(f"**{t('ui.what', lang)}:** {md_escape(kind)}, {md_escape(where)}")
        status = t(
            "ui.status_as_of",
            lang,
            status=label("status", row["status"], lang),
            date=row["status_as_of"],
        )
        year = row["target_year"]
        year_txt = f"; {t('ui.year', lang)}: {int(year)}" if _present(year) else ""
        st.markdown(f"**{t('ui.status', lang)}:** {md_escape(status + year_txt)}")
        if _present(row["announced_date"]):
            st.markdown(f"**{t('ui.announced', lang)}:** {md_escape(row['announced_date'])}")
        if _present(row["area_m2"]):
            area = t(
                "ui.area_value",
                lang,
                ha=f"{float(row['area_m2']) / 10_000:,.1f}",
                m2=f"{float(row['area_m2']):,.0f}",
            )
            st.markdown(f"**{t('ui.area', lang)}:** {md_escape(area)}")
        summary = row.get(f"summary_{lang}")
        if _present(summary):
            st.markdown(md_escape(summary))
        st.markdown(
            f"**{t('ui.location', lang)}:** {md_escape(location_text(row, lang))}. "
            f"{md_escape(row['location_note'])}"
        )
        source = ", ".join(
            str(row[c])
            for c in ("source_outlet", "source_title", "source_date")
            if _present(row[c])
        )
        url = row["source_url"]
        link = (
            f"[{md_escape(t('ui.source', lang))}]({url})"
            if _present(url) and str(url).startswith(("https://", "http://"))
            else md_escape(t("ui.no_link", lang))
        )
        st.markdown(f"**{t('ui.source', lang)}:** {md_escape(source)} ({link})")
        st.caption(md_escape(t("ui.checked", lang, date=row["checked_date"])))
        if st.button(t("ui.close_card", lang), key="close_card"):
            st.session_state["place"] = None
            st.rerun()


def render_place_list(
    in_view: gpd.GeoDataFrame, unplaced: gpd.GeoDataFrame, lang: str, *, selected: str | None
) -> None:
    """Show the places in view as buttons with readable text, then those without a position.

    Parameters
    ----------
    in_view
        Filtered places whose geometry is in the map's view.
    unplaced
        Filtered places that have no position.
    lang
        Language code.
    selected
        The selected place's id, marked in the list.
    """
    st.markdown(f"#### {t('ui.in_view', lang)}")
    st.caption(t("ui.in_view_count", lang, n=len(in_view)))
    if in_view.empty:
        st.info(t("ui.none_in_view", lang))
    ordered = in_view.sort_values([f"name_{lang}"]).head(MAX_LISTED)
    with st.container(key="place_list"):
        for _, row in ordered.iterrows():
            _list_item(row, lang, selected=selected)
    if len(in_view) > MAX_LISTED:
        st.caption(t("ui.more", lang, n=len(in_view) - MAX_LISTED))
    if not unplaced.empty:
        st.markdown(f"#### {t('ui.unplaced', lang)}")
        st.caption(t("ui.unplaced_note", lang))
        with st.container(key="unplaced_list"):
            for _, row in unplaced.sort_values([f"name_{lang}"]).iterrows():
                _list_item(row, lang, selected=selected)


def _list_item(row: pd.Series, lang: str, *, selected: str | None) -> None:
    mark = "▶ " if row["id"] == selected else ""
    name = md_escape(row[f"name_{lang}"])
    detail = " · ".join(
        (
            label("kind", row["kind"], lang),
            label("status", row["status"], lang),
            location_text(row, lang),
        )
    )
    if st.button(
        f"{mark}{name}",
        key=f"pick_{row['id']}",
        use_container_width=True,
    ):
        st.session_state["place"] = row["id"]
        st.session_state["pan_to_place"] = True
        st.rerun()
    st.caption(md_escape(detail))
