"""Sidebar widgets: language, city, filters, layers and basemap, keyed for URL state and tests."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from geo.cities import city_by_id
from layers.i18n import LANGS, label, t
from layers.render import BASEMAPS
from layers.spec import LayerSpec
from ui import state
from ui.url_state import CITY_CHOICES, Notice

LANG_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
FILTER_FIELDS: tuple[tuple[str, str, str], ...] = (
    # (widget key and URL parameter, catalogue field for labels, title key)
    ("kind", "kind", "ui.kind"),
    ("status", "status", "ui.status"),
    ("bank", "bank", "ui.bank"),
    ("district", "district", "ui.district"),
    ("year", "year", "ui.year"),
    ("announced", "announced", "ui.announced_in"),
)


def _keep_known(key: str, options: Sequence[str]) -> list[str]:
    """Drop selected values that are no longer options; return what was dropped."""
    current = state.FILTER_KEYS[key].get()
    kept = [v for v in current if v in options]
    if kept != current:
        state.FILTER_KEYS[key].set(kept)
    return [v for v in current if v not in options]


def _city_has_banks(city: str) -> bool:
    return city == "both" or city_by_id(city).has_banks


def render_sidebar(
    *,
    options: dict[str, list[str]],
    layers: Sequence[LayerSpec],
    missing_context: bool,
) -> None:
    """Draw the sidebar; values live in ``st.session_state`` under stable keys.

    A filter value that stops applying when the city changes (a bank for Almaty, a district
    of the other city) is dropped with a notice, never silently.

    Parameters
    ----------
    options
        Choices per filter key (``kind``, ``status``, ``bank``, ``district``, ``year``,
        ``announced``).
    layers
        Layers that loaded and can be toggled.
    missing_context
        Whether the optional context layers are absent (a hint is shown).
    """
    lang = state.LANG.get()
    dropped: list[Notice] = []
    with st.sidebar:
        st.selectbox(
            t("ui.language", lang), LANGS, key=state.LANG.name, format_func=LANG_NAMES.__getitem__
        )
        lang = state.LANG.get()
        st.radio(
            t("ui.city", lang),
            CITY_CHOICES,
            key=state.CITY.name,
            horizontal=True,
            format_func=lambda v: label("city", v, lang),
        )
        city = state.CITY.get()
        st.subheader(t("ui.filters", lang))
        for key, field, title_key in FILTER_FIELDS:
            if key == "bank" and not _city_has_banks(city):
                why = "ui.why_no_banks"
                dropped += [Notice(key, v, why) for v in _keep_known(key, [])]
                continue
            choices = options.get(key, [])
            why = "ui.why_other_city" if key == "district" else "ui.why_unknown"
            dropped += [Notice(key, v, why) for v in _keep_known(key, choices)]
            st.multiselect(
                t(title_key, lang),
                choices,
                key=state.FILTER_KEYS[key].name,
                placeholder=t("ui.all", lang),
                format_func=lambda v, f=field: label(f, v, lang),
                help=t("ui.bank_help", lang) if key == "bank" else None,
            )
        st.subheader(t("ui.layers", lang))
        for spec in layers:
            st.checkbox(spec.title_in(lang), key=state.layer_key(spec.id).name)
        if missing_context:
            st.caption(t("ui.context_missing", lang))
        st.radio(
            t("ui.basemap", lang),
            tuple(BASEMAPS),
            key=state.BASEMAP.name,
            format_func=lambda v: t(f"ui.basemap.{v}", lang),
        )
        st.caption(t("ui.share", lang))
    if dropped:
        state.FILTER_NOTICES.set(dropped)
