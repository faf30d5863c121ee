"""Sidebar widgets: language, city, filters, layers and basemap, keyed for URL state and tests."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from geo.cities import CITY_IDS, city_by_id
from layers.i18n import LANGS, label, t
from layers.registry import DISTRICT_LAYER_IDS, layer_by_id
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


def offered_layers(layers: Sequence[LayerSpec], city: str) -> list[LayerSpec]:
    """Return the loaded layers the sidebar offers for a city choice, in registry order.

    A context layer about one city (its districts, the Esil's banks) is offered only when
    that city, or both, is chosen; every other layer always.

    Parameters
    ----------
    layers
        The layers that loaded.
    city
        The city choice: a city id or ``"both"``.

    Returns
    -------
    list of LayerSpec
        The layers to offer a checkbox for.
    """
    return [spec for spec in layers if spec.is_for_city(city)]


def cities_without_districts(layers: Sequence[LayerSpec], city: str) -> list[str]:
    """Return the chosen cities (one, or both) whose district layer did not load.

    Parameters
    ----------
    layers
        The layers that loaded.
    city
        The city choice: a city id or ``"both"``.

    Returns
    -------
    list of str
        City ids, in ``CITY_IDS`` order.
    """
    loaded = {spec.id for spec in layers}
    chosen = CITY_IDS if city == "both" else (city,)
    return [c for c in chosen if c in DISTRICT_LAYER_IDS and DISTRICT_LAYER_IDS[c] not in loaded]


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
        Whether optional context layers are absent: a hint is shown when none loaded, and
        a chosen city without a district layer is named with the way to get one.
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
        for spec in offered_layers(layers, city):
            st.checkbox(spec.title_in(lang), key=state.layer_key(spec.id).name)
        if missing_context and not any(spec.folder == "context" for spec in layers):
            st.caption(t("ui.context_missing", lang))
        for city_id in cities_without_districts(layers, city):
            st.caption(
                t(
                    "ui.context_no_districts",
                    lang,
                    city=label("city", city_id, lang),
                    file=layer_by_id(DISTRICT_LAYER_IDS[city_id]).path,
                )
            )
        st.radio(
            t("ui.basemap", lang),
            tuple(BASEMAPS),
            key=state.BASEMAP.name,
            format_func=lambda v: t(f"ui.basemap.{v}", lang),
        )
        st.caption(t("ui.share", lang))
    if dropped:
        state.FILTER_NOTICES.set(dropped)
