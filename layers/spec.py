"""The LayerSpec record: everything the generic loader and renderer need to know about a layer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd

GeometryKind = Literal["Point", "LineString", "Polygon"]
ClassScheme = Literal["NaturalBreaks", "Quantiles", "EqualInterval"]


@dataclass(frozen=True)
class NumericClasses:
    """Numeric classes of a choropleth: ``k`` classes of ``column`` by a mapclassify scheme.

    Class ``i`` (0-based, lowest values first) is drawn in ``colors[i]``; ``len(colors)`` must
    be at least ``k``. Breaks are computed by ``layers.classify.classify`` from the values of
    the whole layer for its document, and from any subset for a class update.
    """

    column: str
    scheme: ClassScheme = "Quantiles"
    k: int = 5
    colors: tuple[str, ...] = ("#FEF0D9", "#FDCC8A", "#FC8D59", "#E34A33", "#B30000")
    no_data_color: str = "#D9D9D9"


@dataclass(frozen=True)
class Style:
    """How a layer's features are drawn, and what the map's legend says about them.

    Colours are CSS colours. A style colours features in one of two ways:

    - categories: ``palette`` maps values of ``color_by`` to colours; values not in it use
      ``color``. Features whose ``hollow_by`` value is in ``hollow_values`` are drawn with a
      light fill, so status (existing or not) reads apart from kind (the colour);
    - numeric classes: ``classes`` (a ``NumericClasses``) colours each feature by the class
      of a numeric column, and a view update can reclassify the layer in the browser.

    ``outline``, when set, is the stroke colour of exact points (their fill keeps the colour).
    The legend shows a layer with a palette or classes, or with ``legend=True`` (one swatch
    named by the layer's title).
    """

    color: str = "#555555"
    outline: str | None = None
    color_by: str | None = None
    palette: tuple[tuple[str, str], ...] = ()
    weight: float = 2.0
    fill: bool = True
    fill_opacity: float = 0.55
    hollow_by: str | None = None
    hollow_values: tuple[str, ...] = ()
    hollow_fill_opacity: float = 0.08
    dash_array: str | None = None
    radius_px: float = 7.0
    interactive: bool = True
    classes: NumericClasses | None = None
    legend: bool = False


@dataclass(frozen=True)
class LayerSpec:
    """One map layer, declared once; the loader and renderer are generic over these records.

    ``path`` is relative to ``data/`` when ``folder`` is ``"data"`` and relative to the context
    folder (``CREATIVE_MAP_CONTEXT_DIR``, default ``data/context``) when it is ``"context"``.
    Optional layers are skipped quietly when their file is absent.
    """

    id: str
    title: tuple[tuple[str, str], ...]
    path: str
    geometry_types: tuple[GeometryKind, ...]
    source: str
    folder: Literal["data", "context"] = "data"
    layer: str | None = None
    required_columns: tuple[str, ...] = ()
    style: Style = field(default_factory=Style)
    tooltip_fields: tuple[str, ...] = ()
    filterable_fields: tuple[str, ...] = ()
    visible_by_default: bool = True
    optional: bool = False
    allow_missing_geometry: bool = False
    validator: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] | None = None

    def title_in(self, lang: str) -> str:
        """Return the layer's title in a language, falling back to English.

        Parameters
        ----------
        lang
            Language code: ``"kk"``, ``"ru"`` or ``"en"``.

        Returns
        -------
        str
            The title.
        """
        titles = dict(self.title)
        return titles.get(lang) or titles["en"]
