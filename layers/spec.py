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
    ``fallback_paths`` are further candidate files in the same folder, tried in order when
    ``path`` is absent (the first present wins); ``layer`` names the layer of a GeoPackage
    candidate (a GeoJSON file has one). Optional layers are skipped quietly when no candidate
    is present. ``cities`` names the cities a context layer is about (empty: every city), so
    the sidebar offers it for those. ``normaliser`` runs on the frame in EPSG:4326 before the
    geometry checks: it renames, matches ids and repairs geometries (a context layer's own
    columns vary from one source to the next).
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
    fallback_paths: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    normaliser: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        """Return the candidate files, first choice first (``path``, then ``fallback_paths``)."""
        return (self.path, *self.fallback_paths)

    def layer_of(self, file_name: str) -> str | None:
        """Return the layer to read in a candidate file: ``layer`` for a GeoPackage, else None.

        Parameters
        ----------
        file_name
            One of ``paths``.

        Returns
        -------
        str or None
            The layer name, or ``None`` for a one-layer file (GeoJSON).
        """
        return self.layer if file_name.endswith(".gpkg") else None

    def is_for_city(self, choice: str) -> bool:
        """Return whether the layer is about a city choice (``"both"``: every layer is).

        Parameters
        ----------
        choice
            A city id or ``"both"``.

        Returns
        -------
        bool
            ``True`` when ``cities`` is empty, names the city, or the choice is ``"both"``.
        """
        return choice == "both" or not self.cities or choice in self.cities

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
