"""The planners' results as files: tables as CSV and layers as GeoPackage, assumptions inside.

A number from the analysis means little without what it assumed (the walking distance, how a
catchment was drawn, how residents were spread inside a district, whose population figures
of which date, which district layer and what was wrong with it, the filters). Every file
carries them: a CSV as leading ``# name: value`` lines (``pandas.read_csv(comment="#")``
skips them), a GeoPackage as an ``assumptions`` table beside its layers. Pure: frames and
values in, bytes out; the UI hands the bytes to a download button.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from shapely.geometry.base import BaseGeometry

from geo.select import FILTER_PARAMS, Filters
from layers.export_table import CSV_ENCODING, neutralise_cell
from layers.i18n import label, number, t

ASSUMPTIONS_TABLE = "assumptions"
_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_FIELD_OF_PARAM = {"year": "target_year"}  # URL parameter -> the field its values are labelled by


@dataclass(frozen=True)
class Assumptions:
    """What an analysis assumed, in the user's language: (name, value) pairs, in order."""

    rows: tuple[tuple[str, str], ...]

    def lines(self) -> list[str]:
        """Return the rows as ``# name: value`` lines (a value's line breaks become spaces)."""
        return [f"# {_one_line(name)}: {_one_line(value)}" for name, value in self.rows]

    def frame(self) -> pd.DataFrame:
        """Return the rows as a table with the columns ``name`` and ``value``."""
        return pd.DataFrame(list(self.rows), columns=["name", "value"], dtype=object)


def _one_line(text: str) -> str:
    """Return text on one line: line breaks (not the no-break spaces of numbers) become spaces."""
    return _BREAKS.sub(" ", str(text)).strip()


def filters_text(filters: Filters, lang: str) -> str:
    """Return the filters in words: ``Kind: Theatre, Museum; Status: Existing`` (or "none").

    Parameters
    ----------
    filters
        The view's filters (the city is stated on its own line of the assumptions).
    lang
        Language of the labels.

    Returns
    -------
    str
        One phrase.
    """
    parts = []
    for param in FILTER_PARAMS:
        values = filters.values_of(param)
        if values:
            field = _FIELD_OF_PARAM.get(param, param)
            words = ", ".join(label(field, v, lang) for v in sorted(values))
            parts.append(f"{t(f'analysis.filter.{param}', lang)}: {words}")
    return "; ".join(parts) if parts else t("analysis.assume.no_filters", lang)


@dataclass(frozen=True)
class AnalysisFacts:
    """The facts an analysis rests on, as plain values (see ``build_assumptions``).

    ``method`` is ``"buffer"`` or ``"network"``; ``spread`` is ``"uniform"`` or ``"grid"``;
    ``population_dates`` and ``population_sources`` are the distinct reference dates and
    sources of the district population figures (empty when there are none);
    ``district_issues`` are the problems found in the district layer, already in words.
    """

    city: str
    walk_m: float
    method: str
    spread: str
    population_dates: tuple[str, ...]
    population_sources: tuple[str, ...]
    district_layer: str
    district_issues: tuple[str, ...]
    filters: Filters
    day: dt.date
    simplify_m: float | None = None


def build_assumptions(facts: AnalysisFacts, lang: str) -> Assumptions:
    """Return the assumptions of an analysis in a language, one (name, value) per fact.

    Parameters
    ----------
    facts
        What the analysis used.
    lang
        Language of names and values.

    Returns
    -------
    Assumptions
        City, walking distance, catchment method, how residents are spread, population date
        and source, district layer and its issues, filters, date of the file (and the display
        simplification of drawn areas when given).
    """
    walk = number(facts.walk_m, lang)
    none = t("analysis.assume.none", lang)
    rows = [
        (t("analysis.assume.city", lang), label("city", facts.city, lang)),
        (t("analysis.assume.walk", lang), t("analysis.assume.metres", lang, m=walk)),
        (t("analysis.assume.method", lang), t(f"analysis.method.{facts.method}", lang, walk=walk)),
        (t("analysis.assume.spread", lang), t(f"analysis.spread.{facts.spread}", lang)),
        (t("analysis.assume.population_date", lang), ", ".join(facts.population_dates) or none),
        (
            t("analysis.assume.population_source", lang),
            "; ".join(facts.population_sources) or none,
        ),
        (t("analysis.assume.district_layer", lang), facts.district_layer or none),
        (t("analysis.assume.district_issues", lang), "; ".join(facts.district_issues) or none),
        (t("analysis.assume.filters", lang), filters_text(facts.filters, lang)),
        (t("analysis.assume.date", lang), facts.day.isoformat()),
    ]
    if facts.simplify_m is not None:
        rows.append(
            (
                t("analysis.assume.simplified", lang),
                t("analysis.assume.metres", lang, m=number(facts.simplify_m, lang)),
            )
        )
    return Assumptions(tuple(rows))


def csv_with_assumptions(table: pd.DataFrame, assumptions: Assumptions) -> bytes:
    """Return a table as CSV with the assumptions as leading ``# `` lines.

    UTF-8 with a byte-order mark (Excel reads Cyrillic and Kazakh right), CRLF lines, and text
    cells a spreadsheet would run as a formula neutralised (``export_table.neutralise_cell``).

    Parameters
    ----------
    table
        The table, as shown (columns named for the reader).
    assumptions
        What the numbers assumed.

    Returns
    -------
    bytes
        The file.
    """
    out = pd.DataFrame(table).copy()
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):  # object or pandas' string dtype
            out[col] = out[col].map(neutralise_cell)
    buffer = io.StringIO()
    buffer.write("\r\n".join(assumptions.lines()) + "\r\n")
    out.to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode(CSV_ENCODING)


def geopackage_with_assumptions(
    layers: Sequence[tuple[str, gpd.GeoDataFrame]], assumptions: Assumptions
) -> bytes:
    """Return layers as one GeoPackage (EPSG:4326) with an ``assumptions`` table beside them.

    Parameters
    ----------
    layers
        (layer name, frame) pairs; names are constants of the code (``districts``,
        ``coverage``, ...). Frames in any CRS; an empty frame is left out.
    assumptions
        What the numbers assumed: the ``assumptions`` table, columns ``name`` and ``value``.

    Returns
    -------
    bytes
        The file (GDAL writes a GeoPackage only to a path: a private temporary folder).
    """
    with tempfile.TemporaryDirectory(prefix="creative-analysis-") as folder:
        path = Path(folder) / "analysis.gpkg"
        for name, frame in layers:
            if frame.empty:
                continue
            frame.to_crs("EPSG:4326").to_file(path, layer=name, driver="GPKG", engine="pyogrio")
        pyogrio.write_dataframe(
            assumptions.frame(), path, layer=ASSUMPTIONS_TABLE, driver="GPKG", append=False
        )
        return path.read_bytes()


def district_layer(
    districts: gpd.GeoDataFrame, table: pd.DataFrame, *, names: pd.Series
) -> gpd.GeoDataFrame:
    """Return the district choropleth as a layer: each district's polygon and its figures.

    Parameters
    ----------
    districts
        One row per district (``district`` and geometry; the partition's frame, metric CRS).
    table
        The figures per district (a ``district`` column and any others: ``places``,
        ``per_100k``, ``covered_share``, ...); rows for no district are left out.
    names
        Each district's display name, indexed by district id.

    Returns
    -------
    geopandas.GeoDataFrame
        ``district``, ``name``, the table's columns and the geometry, in the districts' CRS.
    """
    base = districts[["district", districts.geometry.name]].copy()
    base.insert(1, "name", base["district"].map(names).fillna(base["district"]).astype(object))
    merged = base.merge(table, on="district", how="left")
    return gpd.GeoDataFrame(merged, geometry=districts.geometry.name, crs=districts.crs)


def area_layer(
    geometries: Sequence[BaseGeometry], attributes: pd.DataFrame, *, crs: str
) -> gpd.GeoDataFrame:
    """Return areas (coverage, catchments) as a layer with their attributes.

    Parameters
    ----------
    geometries
        One geometry per row of ``attributes``, in ``crs``.
    attributes
        The rows' figures.
    crs
        The geometries' CRS (the city's metric CRS).

    Returns
    -------
    geopandas.GeoDataFrame
        The layer.
    """
    frame = pd.DataFrame(attributes).reset_index(drop=True)
    return gpd.GeoDataFrame(frame, geometry=list(geometries), crs=crs)
