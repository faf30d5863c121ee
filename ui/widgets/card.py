"""The place card and the readable list of places in view."""

from __future__ import annotations

import logging

import geopandas as gpd
import pandas as pd
import streamlit as st
from shapely.geometry.base import BaseGeometry

from geo.schema import EXACT_WITHIN_M, SOURCES_SEPARATOR
from geo.venues import OSM_LICENCE
from geo.weburl import WebUrlError, parse_web_url
from layers.escape import markdown_link
from layers.i18n import date_text, label, number, t
from ui import state
from ui.text import md_escape

log = logging.getLogger("creative_map")


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""


def _exactness(geom: object, accuracy: object) -> tuple[str, float]:
    """Return how exact a location is: ``"unknown"``, ``"exact"`` or ``"approx"``, and metres."""
    if not isinstance(geom, BaseGeometry) or geom.is_empty or not _present(accuracy):
        return "unknown", float("nan")
    metres = float(accuracy)  # type: ignore[arg-type]  (a number: checked by the loader)
    return ("exact" if metres <= EXACT_WITHIN_M else "approx"), metres


# The same three cases in a list's caption (standing alone) and on the card (after its label).
_LIST_WORDS = {"unknown": "ui.location_unknown", "exact": "map.exact", "approx": "map.approx"}
_CARD_WORDS = {
    "unknown": "card.location_unknown",
    "exact": "card.location_exact",
    "approx": "card.location_approx",
}


def _location_words(geom: object, accuracy: object, lang: str) -> str:
    how, metres = _exactness(geom, accuracy)
    return t(_LIST_WORDS[how], lang, m=number(metres, lang))


def card_location_line(row: pd.Series, lang: str) -> str:
    """Return the card's location line as Markdown: the label once, then how exact, then the note.

    Parameters
    ----------
    row
        A catalogue record.
    lang
        Language code.

    Returns
    -------
    str
        Markdown, every value escaped.
    """
    how, metres = _exactness(row.geometry, row.get("location_accuracy_m"))
    words = t(_CARD_WORDS[how], lang, m=number(metres, lang))
    note = row.get(f"location_note_{lang}")
    sentences = [words, str(note).strip()] if _present(note) else [words]
    text = " ".join(s if s.endswith((".", "!", "?", "…")) else f"{s}." for s in sentences if s)
    return f"**{t('ui.location', lang)}:** {md_escape(text)}"


def source_link(url: object, lang: str) -> str:
    """Return a link to a record's source as Markdown, or the words "no link".

    The link is rebuilt from the parts ``parse_web_url`` checked, each escaped, so a value
    that is not a plain http(s) address (one that would end the link early and add an
    image or another link) is shown as no link at all.

    Parameters
    ----------
    url
        The record's ``source_url``.
    lang
        Language code.

    Returns
    -------
    str
        Markdown.
    """
    if _present(url):
        try:
            href = parse_web_url(url).href
        except WebUrlError:
            log.warning("source_url %r is not a web link; shown as no link", url)
        else:
            return markdown_link(t("ui.source", lang), href)
    return md_escape(t("ui.no_link", lang))


def further_sources_line(value: object, lang: str) -> str | None:
    """Return a record's further sources as one Markdown line of links named by their hosts.

    Parameters
    ----------
    value
        The record's ``other_sources``: web addresses separated by " ; ".
    lang
        Language code.

    Returns
    -------
    str or None
        ``**Other sources:** [host](url), ...``, or ``None`` when there is none. An address
        that is not a plain http(s) one is left out (and logged), as for ``source_link``.
    """
    if not _present(value):
        return None
    links = []
    for part in str(value).split(SOURCES_SEPARATOR):
        if not part.strip():
            continue
        try:
            url = parse_web_url(part.strip())
        except WebUrlError:
            log.warning("other source %r is not a web link; not shown", part)
            continue
        host = url.host.removeprefix("www.")
        # OpenStreetMap's licence asks for its credit wherever its data is shown.
        text = f"OpenStreetMap ({OSM_LICENCE})" if host == "openstreetmap.org" else host
        links.append(markdown_link(text, url.href))
    if not links:
        return None
    return f"**{t('ui.other_sources', lang)}:** {', '.join(links)}"


def _visit_lines(row: pd.Series, lang: str) -> None:
    """Show the address, website and opening hours, where the record's source gives them."""
    address, website, hours = (row.get(c) for c in ("address", "website", "opening_hours"))
    if _present(address):
        st.markdown(f"**{t('ui.address', lang)}:** {md_escape(address)}")
    if _present(website):
        try:
            link = parse_web_url(website)
        except WebUrlError:
            log.warning("website %r is not a web link; not shown", website)
        else:
            st.markdown(f"**{t('ui.website', lang)}:** {markdown_link(link.host, link.href)}")
    if _present(hours):
        st.markdown(f"**{t('ui.hours', lang)}:** {md_escape(hours)}")


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
        # Each name once: a language a source gives no name in shows another language's name.
        distinct = dict.fromkeys(str(row[f"name_{code}"]) for code in ("kk", "ru", "en"))
        names = " · ".join(md_escape(name) for name in distinct)
        st.markdown(f"**{t('ui.names', lang)}:** {names}")
        kind = label("kind", row["kind"], lang)
        city = label("city", row["city"], lang)
        extra = [label("bank", row["bank"], lang)] if _present(row["bank"]) else []
        if _present(row["district"]):
            extra.append(label("district", row["district"], lang))
        where = ", ".join([city, *extra])
        st.markdown(f"**{t('ui.what', lang)}:** {md_escape(kind)}, {md_escape(where)}")
        stated = row.get("status_as_of")
        status_key = "ui.status_as_of" if _present(stated) else "ui.status_undated"
        status = t(
            status_key,
            lang,
            status=label("status", row["status"], lang),
            date=date_text(stated, lang) if _present(stated) else "",
        )
        year = row["target_year"]
        year_txt = f"; {t('ui.year', lang)}: {int(year)}" if _present(year) else ""
        st.markdown(f"**{t('ui.status', lang)}:** {md_escape(status + year_txt)}")
        if _present(row["announced_date"]):
            announced = date_text(row["announced_date"], lang)
            st.markdown(f"**{t('ui.announced', lang)}:** {md_escape(announced)}")
        if _present(row["area_m2"]):
            area = t(
                "ui.area_value",
                lang,
                ha=number(float(row["area_m2"]) / 10_000, lang, decimals=1),
                m2=number(float(row["area_m2"]), lang),
            )
            st.markdown(f"**{t('ui.area', lang)}:** {md_escape(area)}")
        summary = row.get(f"summary_{lang}")
        if _present(summary):
            st.markdown(md_escape(summary))
        st.markdown(card_location_line(row, lang))
        _visit_lines(row, lang)
        source = ", ".join(
            str(row[c])
            for c in (f"source_outlet_{lang}", "source_title", "source_date")
            if _present(row.get(c))
        )
        link = source_link(row["source_url"], lang)
        st.markdown(f"**{t('ui.source', lang)}:** {md_escape(source)} ({link})")
        further = further_sources_line(row.get("other_sources"), lang)
        if further:
            st.markdown(further)
        st.caption(md_escape(t("ui.checked", lang, date=date_text(row["checked_date"], lang))))
        if st.button(t("ui.close_card", lang), key="close_card"):
            state.PLACE.set(None)
            st.rerun()


def render_place_list(
    listed: gpd.GeoDataFrame,
    n_in_view: int,
    unplaced: gpd.GeoDataFrame,
    lang: str,
    *,
    selected: str | None,
) -> None:
    """Show the places in view as a list to pick from, then those without a position.

    Each list is one radio group (readable text, one option per place with its kind, status
    and location accuracy as a caption): one element per rerun instead of two per place, which
    keeps every filter change quick.

    Parameters
    ----------
    listed
        The first ``MAX_LISTED`` filtered places in the map's view, in the order to list them
        (by name).
    n_in_view
        How many filtered places are in the map's view.
    unplaced
        Filtered places that have no position, in the order to list them.
    lang
        Language code.
    selected
        The selected place's id, checked in the list.
    """
    st.markdown(f"#### {t('ui.in_view', lang)}")
    st.caption(t("ui.in_view_count", lang, n=number(n_in_view, lang)))
    if listed.empty:
        st.info(t("ui.none_in_view", lang))
    else:
        _pick_list("place_list", listed, lang, selected=selected, title=t("ui.in_view", lang))
    if n_in_view > len(listed):
        st.caption(t("ui.more", lang, n=number(n_in_view - len(listed), lang)))
    if not unplaced.empty:
        st.markdown(f"#### {t('ui.unplaced', lang)}")
        st.caption(t("ui.unplaced_note", lang))
        _pick_list("unplaced_list", unplaced, lang, selected=selected, title=t("ui.unplaced", lang))


def _picked(key: str) -> None:
    state.PLACE.set(state.list_key(key).get())
    state.PAN_TO_PLACE.set(True)


def _pick_list(
    key: str, rows: gpd.GeoDataFrame, lang: str, *, selected: str | None, title: str
) -> None:
    ids = [str(i) for i in rows["id"]]
    names = dict(zip(ids, (md_escape(n) for n in rows[f"name_{lang}"]), strict=True))
    # Column by column: iterrows would convert every column of the frame, row by row.
    columns = zip(
        rows["kind"],
        rows["status"],
        rows.geometry,
        rows["location_accuracy_m"],
        strict=True,
    )
    captions = [
        md_escape(
            " · ".join(
                (
                    label("kind", kind, lang),
                    label("status", status, lang),
                    _location_words(geom, accuracy, lang),
                )
            )
        )
        for kind, status, geom, accuracy in columns
    ]
    # The selection lives in state.PLACE; the list only mirrors it.
    state.list_key(key).set(selected if selected in ids else None)
    st.radio(
        title,
        ids,
        key=key,
        format_func=names.__getitem__,
        captions=captions,
        label_visibility="collapsed",
        on_change=_picked,
        args=(key,),
    )
