"""The planners' map: the district choropleth layer, and coverage and candidates as an overlay.

The choropleth is a layer document like any other (``payload.layer_document``), fetched once;
a filter, measure or scheme change recolours it through the view update's class channel
(``payload.class_update``) without sending features or rebuilding the map. Only the number of
classes is part of the document (its class styles and legend rows). The covered area and the
candidates change with the walking distance and the filters: they travel as small GeoJSON in
the view update's group (``render.view_update_group``), simplified for display.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from layers.escape import escape_text
from layers.i18n import LANGS, t
from layers.payload import class_update, layer_document
from layers.spec import ClassScheme, LayerSpec, NumericClasses, Style

CHOROPLETH_ID = "district_choropleth"
VALUE_COLUMN = "value"
# ColorBrewer YlOrRd, one sequential palette per number of classes (colour-blind safe).
PALETTES: dict[int, tuple[str, ...]] = {
    3: ("#FFEDA0", "#FEB24C", "#F03B20"),
    4: ("#FFFFB2", "#FECC5C", "#FD8D3C", "#E31A1C"),
    5: ("#FFFFB2", "#FECC5C", "#FD8D3C", "#F03B20", "#BD0026"),
    6: ("#FFFFB2", "#FED976", "#FEB24C", "#FD8D3C", "#F03B20", "#BD0026"),
    7: ("#FFFFB2", "#FED976", "#FEB24C", "#FD8D3C", "#FC4E2A", "#E31A1C", "#B10026"),
}
# The covered area and catchments are drawn simplified to this tolerance (metres, in the
# city's metric CRS): a 10,000-place union keeps a few thousand vertices, not hundreds of
# thousands; every figure is computed on the exact geometry.
DISPLAY_TOLERANCE_M = 15.0
COORD_DECIMALS = 5  # about 1 m
COVERAGE_STYLE = {"color": "#1B7837", "weight": 1, "fillColor": "#5AAE61", "fillOpacity": 0.25}
CATCHMENT_STYLE = {"color": "#2166AC", "weight": 2, "fillColor": "#4393C3", "fillOpacity": 0.15}
CANDIDATE_COLOR = "#2166AC"
NO_DATA_COLOR = NumericClasses(column=VALUE_COLUMN).no_data_color


def choropleth_spec(*, k: int, scheme: ClassScheme = "Quantiles") -> LayerSpec:
    """Return the district choropleth's layer: ``k`` classes of ``value`` by ``scheme``.

    Parameters
    ----------
    k
        Number of classes, 3 to 7 (a key of ``PALETTES``).
    scheme
        The mapclassify scheme of its class updates.

    Returns
    -------
    LayerSpec
        The layer (not in the registry: its document is built by the planners' page).

    Raises
    ------
    ValueError
        If ``k`` has no palette.
    """
    if k not in PALETTES:
        msg = f"k must be one of {sorted(PALETTES)}, got {k!r}"
        raise ValueError(msg)
    classes = NumericClasses(column=VALUE_COLUMN, scheme=scheme, k=k, colors=PALETTES[k])
    return LayerSpec(
        id=CHOROPLETH_ID,
        title=tuple((lang, t("analysis.layer_title", lang)) for lang in LANGS),
        path="",
        geometry_types=("Polygon",),
        source="",
        style=Style(color="#555555", weight=1.0, fill_opacity=0.6, classes=classes),
        tooltip_fields=("name",),
    )


def choropleth_document(
    districts: gpd.GeoDataFrame, names: Mapping[str, str], values: pd.Series, *, k: int, lang: str
) -> str:
    """Return the choropleth's document: the districts in WGS 84, in the partition's order.

    Parameters
    ----------
    districts
        One row per district (``district`` and its effective polygon; any projected CRS).
    names
        District id to its display name (escaped when the document is built).
    values
        The first colouring's value per district (the view update then sets the classes).
    k
        Number of classes.
    lang
        Language of the tooltips and legend labels.

    Returns
    -------
    str
        The document (``payload.layer_document``); its features are the districts in order.
    """
    frame = gpd.GeoDataFrame(
        {
            "id": districts["district"].astype(str).to_numpy(),
            "name": [names.get(d, d) for d in districts["district"].astype(str)],
            VALUE_COLUMN: np.asarray(values, dtype=float),
        },
        geometry=list(districts.geometry.to_numpy()),
        crs=districts.crs,
    )
    return layer_document(choropleth_spec(k=k), frame, lang=lang)


def choropleth_classes(
    values: pd.Series, *, k: int, scheme: ClassScheme, lang: str
) -> dict[str, Any]:
    """Return the view update's ``classes`` and ``labels`` for the districts' values.

    Parameters
    ----------
    values
        The value per district in the document's order (NaN: no data).
    k
        Number of classes (the document's).
    scheme
        The mapclassify scheme.
    lang
        Language of the legend labels.

    Returns
    -------
    dict
        ``{"classes": ..., "labels": ...}`` (``payload.class_update``).
    """
    return class_update(choropleth_spec(k=k, scheme=scheme), values, lang=lang)


def display_geojson(
    geometries: Sequence[BaseGeometry], *, crs: str, properties: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """Return areas as a small GeoJSON FeatureCollection for the map (WGS 84, simplified).

    Parameters
    ----------
    geometries
        Areas in ``crs`` (metres).
    crs
        Their CRS.
    properties
        One properties dict per geometry (numbers and escaped text only).

    Returns
    -------
    dict
        The collection; each area simplified to ``DISPLAY_TOLERANCE_M`` (topology kept),
        coordinates rounded to ``COORD_DECIMALS``; empty areas left out.
    """
    series = gpd.GeoSeries(list(geometries), crs=crs)
    simple = series.simplify(DISPLAY_TOLERANCE_M, preserve_topology=True).to_crs("EPSG:4326")
    features = []
    for geom, props in zip(simple, properties, strict=True):
        if geom is None or geom.is_empty:
            continue
        rounded = shapely.set_precision(geom, 10**-COORD_DECIMALS)
        features.append(
            {"type": "Feature", "geometry": shapely.geometry.mapping(rounded), "properties": props}
        )
    return {"type": "FeatureCollection", "features": features}


def _style(style: dict[str, Any]) -> Any:
    return lambda _feature: dict(style)


def add_overlay(
    group: folium.FeatureGroup,
    *,
    coverage: dict[str, Any] | None,
    catchments: dict[str, Any] | None,
    candidates: Sequence[tuple[str, float, float]],
) -> folium.FeatureGroup:
    """Add the covered area, the candidates' catchments and markers to a view-update group.

    Parameters
    ----------
    group
        The group from ``render.view_update_group`` (re-evaluated on the live map when its
        script changes; the map itself is not rebuilt).
    coverage
        The covered area (``display_geojson``), or ``None``.
    catchments
        The candidates' catchments (``display_geojson``), or ``None``.
    candidates
        (label, latitude, longitude) of each candidate's marker, labelled by its letter.

    Returns
    -------
    folium.FeatureGroup
        The same group.
    """
    if coverage is not None and coverage["features"]:
        folium.GeoJson(
            coverage,
            name="coverage",
            style_function=_style(COVERAGE_STYLE),
            interactive=False,
            control=False,
        ).add_to(group)
    if catchments is not None and catchments["features"]:
        folium.GeoJson(
            catchments,
            name="catchments",
            style_function=_style(CATCHMENT_STYLE),
            interactive=False,
            control=False,
        ).add_to(group)
    for label_text, lat, lon in candidates:
        tip = escape_text(label_text)  # its letter: the same in every language
        folium.CircleMarker(
            location=[lat, lon],
            radius=9,
            color="#FFFFFF",
            weight=2,
            fill=True,
            fill_color=CANDIDATE_COLOR,
            fill_opacity=1.0,
            tooltip=folium.Tooltip(tip, permanent=True, direction="right"),
        ).add_to(group)
    return group


def legend_html(labels: Sequence[str], *, k: int, title: str, no_data: str) -> str:
    """Return the choropleth's legend as HTML for the page: one swatch and range per class.

    Parameters
    ----------
    labels
        The classes' ranges, escaped (``choropleth_classes``'s ``labels``); fewer than ``k``
        when there are fewer distinct values.
    k
        Number of classes (the palette).
    title
        Its heading (plain text; escaped here).
    no_data
        The label of districts without a value (plain text; escaped here).

    Returns
    -------
    str
        HTML: every text escaped, colours from ``PALETTES``.
    """
    swatch = (
        '<span style="display:inline-block;width:1.1em;height:1.1em;margin-right:0.5em;'
        'vertical-align:-0.2em;border:1px solid #555;background:{color}"></span>'
    )
    rows = [
        f"<div>{swatch.format(color=color)}{text}</div>"
        for color, text in zip(PALETTES[k], labels, strict=False)
    ]
    rows.append(f"<div>{swatch.format(color=NO_DATA_COLOR)}{escape_text(no_data)}</div>")
    return f'<div class="analysis-legend"><b>{escape_text(title)}</b>' + "".join(rows) + "</div>"
