"""The shapes drawn on the map, each with its length or area measured in the city's metric CRS."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from geo.cities import CITY_IDS
from geo.crs import metric_crs_for_city
from geo.errors import InputError
from geo.measure import Measurement, city_of_geometry, drawing_shape, measure_drawing
from layers.draw import measurement_text
from layers.escape import escape_markdown
from layers.i18n import t

MEASUREMENTS_KEY = "draw_measurements"  # the container's key: a stable handle for tests
_NBSP, _KEEP = "\u00a0", "\ue000"  # a private-use stand-in while the text is escaped


def _md(text: str) -> str:
    """Return ``escape_markdown(text)`` keeping its no-break spaces (``1 168 422`` in ru/kk).

    ``escape_markdown`` collapses every whitespace run into one plain space, and a number
    grouped by CLDR with no-break spaces could then wrap across lines.
    """
    return escape_markdown(text.replace(_NBSP, _KEEP)).replace(_KEEP, _NBSP)


def _measure(geometry: dict[str, Any], city: str) -> Measurement | str:
    """Return the measurement, or the message key saying why there is none."""
    try:
        drawing_shape(geometry)  # a bad drawing is "unreadable" whatever the city
        where = city if city in CITY_IDS else city_of_geometry(geometry)
    except InputError:
        return "draw.invalid"
    if where is None:
        return "draw.outside"
    try:
        return measure_drawing(geometry, city=where)
    except InputError:
        # The geometry itself was read above, so what fails now is its place.
        return "draw.outside"


def render_measurements(drawings: Sequence[dict[str, Any]], city: str, lang: str) -> None:
    """Show each drawn shape with its length (lines) or area and perimeter (polygons).

    Parameters
    ----------
    drawings
        GeoJSON geometries as ``layers.draw.drawings_from`` returned them (untrusted).
    city
        The city chosen on the page (its metric CRS measures every shape), or ``"both"``:
        then each shape is measured in the city whose area it lies in.
    lang
        Language of the texts and numbers.
    """
    with st.container(key=MEASUREMENTS_KEY):
        st.markdown(f"**{escape_markdown(t('draw.measure_title', lang))}**")
        if not drawings:
            st.caption(escape_markdown(t("draw.measure_hint", lang)))
            return
        for n, geometry in enumerate(drawings, start=1):
            result = _measure(geometry, city)
            if isinstance(result, Measurement):
                st.markdown(_md(measurement_text(n, result, lang)))
                if result.repaired:
                    st.caption(escape_markdown(t("draw.repaired", lang, n=n)))
            elif result == "draw.invalid":
                st.warning(escape_markdown(t("draw.invalid", lang, n=n)))
            else:
                st.warning(escape_markdown(t("draw.outside", lang, n=n)))
        crs = ", ".join(
            metric_crs_for_city(c) for c in (CITY_IDS if city not in CITY_IDS else (city,))
        )
        st.caption(escape_markdown(t("draw.measure_note", lang, crs=crs)))
