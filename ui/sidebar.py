"""Sidebar widgets: language, city, filters, layers and basemap, keyed for URL state and tests."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from layers.i18n import LANGS, label, t
from layers.render import BASEMAPS
from layers.spec import LayerSpec
from ui.url_state import CITY_CHOICES

LANG_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
FILTER_FIELDS: tuple[tuple[str, str, str], ...] = (
    # (widget key and URL parameter, catalogue field for labels, title key)
    ("kind", "kind", "ui.kind"),
    ("status", "status", "ui.status"),
    ("bank", "bank", "ui.bank"),
    ("district", "district", "ui.district"),
    ("year", "year", "ui.year"),
)


def _keep_known(key: str, options: Sequence[str]) -> None:
    """Drop selected values that are no longer options (e.g. districts of a city now hidden)."""
    current = st.session_state.get(key)
    if isinstance(current, list):
        st.session_state[key] = [v for v in current if v in options]


def render_sidebar(
    *,
    options: dict[str, list[str]],
    layers: Sequence[LayerSpec],
    missing_context: bool,
) -> None:
    """Draw the sidebar; values live in ``st.session_state`` under stable keys.

    Parameters
    ----------
    options
        Choices per filter key (``kind``, ``status``, ``bank``, ``district``, ``year``).
    layers
        Layers that loaded and can be toggled.
    missing_context
        Whether the optional context layers are absent (a hint is shown).
    """
    lang = st.session_state.get("lang", "ru")
    with st.sidebar:
        st.selectbox(t("ui.language", lang), LANGS, key="lang", format_func=lambda v: LANG_NAMES[v])
        lang = st.session_state["lang"]
        st.radio(
            t("ui.city", lang),
            CITY_CHOICES,
            key="city",
            horizontal=True,
            format_func=lambda v: label("city", v, lang),
        )
        st.subheader(t("ui.filters", lang))
        for key, field, title_key in FILTER_FIELDS:
            choices = options.get(key, [])
            if key == "bank" and st.session_state.get("city") == "almaty":
                continue
            _keep_known(key, choices)
            st.multiselect(
                t(title_key, lang),
                choices,
                key=key,
                placeholder=t("ui.all", lang),
                format_func=lambda v, f=field: label(f, v, lang),
                help=t("ui.bank_help", lang) if key == "bank" else None,
            )
        st.subheader(t("ui.layers", lang))
        for spec in layers:
            st.checkbox(spec.title_in(lang), key=f"layer_{spec.id}")
        if missing_context:
            st.caption(t("ui.context_missing", lang))
        st.radio(
            t("ui.basemap", lang),
            tuple(BASEMAPS),
            key="basemap",
            format_func=lambda v: t(f"ui.basemap.{v}", lang),
        )
        st.caption(t("ui.share", lang))
