"""The planners' figures in words: residents as rounded estimates, shares, areas, issues, tables.

Pure (no Streamlit): the page shows these strings and the exports write these tables, so the
screen and the files say the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from geo.districts import OUTSIDE, UNPLACED
from layers.i18n import label, number, t

SMALL_RESIDENTS = 1_000  # below this, residents are rounded to tens; from it, to hundreds


def round_residents(value: float) -> float:
    """Return an estimate of residents rounded as precisely as it deserves.

    A spread of district totals over areas is an estimate: to the nearest 10 below 1,000,
    to the nearest 100 from 1,000. NaN (unknown) stays NaN.

    Parameters
    ----------
    value
        Residents (an estimate).

    Returns
    -------
    float
        The rounded estimate.
    """
    if math.isnan(value):
        return value
    step = 10 if abs(value) < SMALL_RESIDENTS else 100
    return float(round(value / step) * step)


def residents_text(value: float, lang: str) -> str:
    """Return residents as an estimate: ``≈ 12 300``, or "unknown" for NaN."""
    if math.isnan(value):
        return t("analysis.unknown", lang)
    return "≈\u00a0" + number(round_residents(value), lang)


def share_text(share: float, lang: str) -> str:
    """Return a share (0..1) as a percentage with one decimal, or "unknown" for NaN."""
    if math.isnan(share):
        return t("analysis.unknown", lang)
    return number(share * 100, lang, decimals=1) + "\u00a0%"


def area_text(area_m2: float, lang: str) -> str:
    """Return an area in km² with two decimals (square metres below 0.01 km²)."""
    if area_m2 < 10_000:  # noqa: PLR2004 - below 0.01 km2, km2 would read as zero
        return t("analysis.m2", lang, n=number(area_m2, lang))
    return t("analysis.km2", lang, n=number(area_m2 / 1e6, lang, decimals=2))


def district_name(district: str, lang: str) -> str:
    """Return a district's display name; the rows for no district are named in words."""
    if district == OUTSIDE:
        return t("analysis.outside", lang)
    if district == UNPLACED:
        return t("analysis.unplaced", lang)
    return label("district", district, lang)


def district_rows(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the places per district as the page and the CSV show them (named columns).

    Parameters
    ----------
    table
        ``geo.districts.district_table``'s frame.
    lang
        Language of the names and headers.

    Returns
    -------
    pandas.DataFrame
        District name, id, places, residents (rounded estimate), places per 100,000, km².
    """
    return pd.DataFrame(
        {
            t("analysis.col.district", lang): [district_name(d, lang) for d in table["district"]],
            t("analysis.col.id", lang): table["district"].astype(str).to_numpy(),
            t("analysis.col.places", lang): table["places"].astype(int).to_numpy(),
            t("analysis.col.population", lang): table["population"].astype(float).to_numpy(),
            t("analysis.col.per_100k", lang): table["per_100k"].astype(float).round(2).to_numpy(),
            t("analysis.col.area_km2", lang): table["area_km2"].astype(float).round(2).to_numpy(),
        }
    )


def coverage_rows(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the coverage per district as the page and the CSV show them (named columns).

    Parameters
    ----------
    table
        ``Coverage.table``.
    lang
        Language of the names and headers.

    Returns
    -------
    pandas.DataFrame
        District, area km², covered km², share of area (%), residents, residents within reach
        (rounded estimate), share of residents (%).
    """
    residents = table["covered_residents"].astype(float).map(round_residents)
    return pd.DataFrame(
        {
            t("analysis.col.district", lang): [district_name(d, lang) for d in table["district"]],
            t("analysis.col.id", lang): table["district"].astype(str).to_numpy(),
            t("analysis.col.area_km2", lang): (table["area_m2"] / 1e6).round(2).to_numpy(),
            t("analysis.col.covered_km2", lang): (table["covered_m2"] / 1e6).round(2).to_numpy(),
            t("analysis.col.area_share", lang): (table["area_share"] * 100).round(1).to_numpy(),
            t("analysis.col.population", lang): table["population"].astype(float).to_numpy(),
            t("analysis.col.covered_residents", lang): residents.to_numpy(),
            t("analysis.col.residents_share", lang): (table["residents_share"] * 100)
            .round(1)
            .to_numpy(),
        }
    )


def candidate_rows(results: pd.DataFrame, names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Return the candidates side by side as a table (one row per candidate, named columns).

    Parameters
    ----------
    results
        One row per candidate: ``label``, ``lat``, ``lon``, ``kind`` (point or area),
        ``district``, ``bank``, ``new_area_m2``, ``new_residents``, ``catchment_area_m2``,
        ``nearest`` (tuple of (place id, metres)).
    names
        Place id to its name in ``lang``.
    lang
        Language of the headers and labels.

    Returns
    -------
    pandas.DataFrame
        The table.
    """

    def nearest_text(nearest: tuple[tuple[str, float], ...]) -> str:
        return "; ".join(
            t("analysis.nearest_item", lang, name=names.get(i, i), m=number(m, lang))
            for i, m in nearest
        )

    return pd.DataFrame(
        {
            t("analysis.col.candidate", lang): results["label"].to_numpy(),
            t("analysis.col.lat", lang): results["lat"].round(5).to_numpy(),
            t("analysis.col.lon", lang): results["lon"].round(5).to_numpy(),
            t("analysis.col.kind", lang): [
                t(f"analysis.candidate_kind.{k}", lang) for k in results["kind"]
            ],
            t("analysis.col.district", lang): [
                district_name(d, lang) if isinstance(d, str) else t("analysis.outside", lang)
                for d in results["district"]
            ],
            t("analysis.col.bank", lang): [
                label("bank", b, lang) if isinstance(b, str) else "" for b in results["bank"]
            ],
            t("analysis.col.new_area_km2", lang): (results["new_area_m2"] / 1e6)
            .round(3)
            .to_numpy(),
            t("analysis.col.new_residents", lang): results["new_residents"]
            .astype(float)
            .map(round_residents)
            .to_numpy(),
            t("analysis.col.catchment_km2", lang): (results["catchment_area_m2"] / 1e6)
            .round(3)
            .to_numpy(),
            t("analysis.col.nearest", lang): [nearest_text(n) for n in results["nearest"]],
        }
    )


def shown_table(table: pd.DataFrame, lang: str, *, hide: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return a table for the screen: numbers written as the language writes them, "—" for none.

    The files keep the numbers as numbers (``district_rows`` and the like); the screen shows
    ``1 234,5`` in Russian and Kazakh, ``1,234.5`` in English.

    Parameters
    ----------
    table
        A table from ``district_rows``, ``coverage_rows`` or ``candidate_rows``.
    lang
        Language of the numbers.
    hide
        Columns to leave out on screen (the ids, which the files keep).

    Returns
    -------
    pandas.DataFrame
        The same rows, every numeric column as text.
    """
    out = table.drop(columns=list(hide))
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]):
            out[col] = ["—" if pd.isna(v) else number(float(v), lang, decimals=2) for v in out[col]]
    return out
