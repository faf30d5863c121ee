"""Places per bank of the Esil, by kind and status, and where the catalogue's bank disagrees."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.districts import is_placed
from geo.errors import InputError
from geo.schema import BANKS

NO_BANK = "__none__"
_REQUIRED = ("id", "kind", "status", "bank")


@dataclass(frozen=True)
class BankAnalysis:
    """Places per bank, from the bank layer.

    Attributes
    ----------
    counts
        Long form, one row per (bank, kind, status) that holds places: ``bank`` (``"left"``,
        ``"right"`` or ``"__none__"``), ``kind``, ``status``, ``places`` (int).
    totals
        One row per bank, always ``"left"``, ``"right"``, ``"__none__"`` in that order:
        ``bank``, ``places`` (int).
    disagreements
        Placed Astana places whose stated bank (the catalogue's) differs from the layer's:
        ``id``, ``stated``, ``by_layer``.
    """

    counts: pd.DataFrame
    totals: pd.DataFrame
    disagreements: pd.DataFrame


def bank_analysis(places: gpd.GeoDataFrame, by_layer: pd.Series, mask: pd.Series) -> BankAnalysis:
    """Return the places per bank (by the bank layer), per kind and status, and disagreements.

    Parameters
    ----------
    places
        Places with ``id``, ``kind``, ``status``, ``bank`` (the stated bank, may be empty) and
        optionally ``city``; any CRS.
    by_layer
        The bank of each place from the bank layer (``geo.bank.classify_bank_by_polygons``):
        ``"left"``, ``"right"`` or ``None``, aligned to ``places.index``.
    mask
        Which places to count (the filters), aligned to ``places.index``.

    Returns
    -------
    BankAnalysis
        Counts and totals of the masked places by the layer's bank (``"__none__"`` for places
        the layer does not decide: no position, off both banks, or not in Astana), and the
        masked, placed Astana places whose stated bank is not the layer's (a place either side
        leaves undecided is not listed).

    Raises
    ------
    InputError
        If a column is missing, the series are not aligned to ``places``, or ``by_layer`` holds
        a value other than left/right/None.
    """
    lacking = [c for c in _REQUIRED if c not in places.columns]
    if lacking:
        msg = f"places lack column(s) {lacking!r}, got {list(places.columns)!r}"
        raise InputError(msg)
    for name, series in (("by_layer", by_layer), ("mask", mask)):
        if not series.index.equals(places.index):
            msg = f"{name} must be aligned to places.index (same labels in the same order)"
            raise InputError(msg)
    bad = sorted(set(by_layer.dropna().astype(str)) - set(BANKS))
    if bad:
        msg = f"by_layer must hold only {BANKS!r} or None, got {bad!r}"
        raise InputError(msg)
    keep = mask.astype(bool).to_numpy()
    bank = by_layer.astype(object).where(by_layer.notna(), NO_BANK).astype(str)
    frame = pd.DataFrame(
        {
            "bank": bank.to_numpy()[keep],
            "kind": places["kind"].astype(str).to_numpy()[keep],
            "status": places["status"].astype(str).to_numpy()[keep],
        }
    )
    counts = (
        frame.groupby(["bank", "kind", "status"], sort=True)
        .size()
        .rename("places")
        .reset_index()
        .astype({"places": "int64"})
    )
    order = [*BANKS, NO_BANK]
    totals = (
        frame["bank"].value_counts().reindex(order, fill_value=0).rename("places").reset_index()
    )
    totals.columns = ["bank", "places"]
    totals["places"] = totals["places"].astype("int64")
    stated = places["bank"].astype(object)
    has_stated = stated.notna().to_numpy() & (stated.astype(str).str.strip() != "").to_numpy()
    in_astana = (
        places["city"].astype(str).eq("astana").to_numpy()
        if "city" in places.columns
        else pd.Series(True, index=places.index).to_numpy()
    )
    differs = (
        keep
        & in_astana
        & is_placed(places).to_numpy()
        & has_stated
        & by_layer.notna().to_numpy()
        & (stated.astype(str).to_numpy() != by_layer.astype(str).to_numpy())
    )
    disagreements = pd.DataFrame(
        {
            "id": places["id"].astype(str).to_numpy()[differs],
            "stated": stated.astype(str).to_numpy()[differs],
            "by_layer": by_layer.astype(str).to_numpy()[differs],
        }
    )
    return BankAnalysis(counts=counts, totals=totals, disagreements=disagreements)
