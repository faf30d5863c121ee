"""Counts of places for the summary page: by city, bank, district, kind and status, and by year.

Each bar of a breakdown comes with the filters that select exactly the places it counts, so
selecting it can show those places on the map.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd

from geo.cities import CITIES
from geo.schema import KINDS, STATUSES
from geo.select import UNKNOWN, Filters, year_of

BREAKDOWNS: tuple[str, ...] = ("city", "bank", "district", "kind", "status")
# Statuses of a place announced or promised but not yet there.
NOT_YET: tuple[str, ...] = ("under_construction", "planned", "announced", "proposed")
EXISTING: tuple[str, ...] = ("existing",)
ANNOUNCED, REALISED = "announced", "realised"
_BANK_CITIES = tuple(c.id for c in CITIES if c.has_banks)
_ORDER = {"kind": KINDS, "status": STATUSES, "city": tuple(c.id for c in CITIES)}


def _text(series: pd.Series) -> pd.Series:
    return series.astype("object").where(series.notna(), UNKNOWN).astype(str)


def breakdown(places: gpd.GeoDataFrame, field: str, filters: Filters) -> pd.DataFrame:
    """Return how many places the filters let through, per value of one column.

    Banks are counted in the cities on both banks of the Esil only, and districts per city
    (each city has its own), so every row is one set of places the map can show.

    Parameters
    ----------
    places
        The places the map can show.
    field
        One of ``BREAKDOWNS``.
    filters
        The filters the counts start from (the sidebar's).

    Returns
    -------
    pandas.DataFrame
        Columns ``city`` (the city a bank or district row is in, else ``""``), ``value``
        (the stored value, ``"unknown"`` where missing) and ``count`` (at least 1); kinds,
        statuses and cities in the catalogue's order, banks and districts by count.

    Raises
    ------
    ValueError
        If ``field`` is not one of ``BREAKDOWNS``.
    """
    if field not in BREAKDOWNS:
        msg = f"field must be one of {BREAKDOWNS!r}, got {field!r}"
        raise ValueError(msg)
    mask = filters.mask(places)
    if field == "bank":
        mask &= places["city"].isin(_BANK_CITIES)
    chosen = places[mask]
    per_city = field in ("bank", "district")
    frame = pd.DataFrame(
        {
            "city": chosen["city"].astype(str) if per_city else "",
            "value": _text(chosen[field]),
        }
    )
    counts = frame.groupby(["city", "value"], sort=False).size().rename("count").reset_index()
    order = _ORDER.get(field)
    if order is not None:
        rank = {v: i for i, v in enumerate((*order, UNKNOWN))}
        counts = counts.assign(_rank=counts["value"].map(rank).fillna(len(rank)))
        counts = counts.sort_values(["_rank", "value"]).drop(columns="_rank")
    else:
        counts = counts.sort_values(["count", "city", "value"], ascending=[False, True, True])
    return counts.reset_index(drop=True).astype({"count": "int64"})


def bar_filters(filters: Filters, field: str, value: str, city: str = "") -> Filters:
    """Return the filters that select exactly the places of one breakdown row.

    Parameters
    ----------
    filters
        The filters the breakdown started from.
    field
        One of ``BREAKDOWNS``.
    value
        The row's value (``"unknown"`` for a missing one).
    city
        The row's city, for a bank or district row.

    Returns
    -------
    Filters
        ``filters`` with the row's value (and city) chosen.
    """
    if field == "city":
        return replace(filters, city=value)
    out = filters.with_values(field, (value,))
    return replace(out, city=city) if city else out


@dataclass(frozen=True)
class Card:
    """One summary number: ``key`` names it, ``filters`` (``None``: no map view) selects it."""

    key: str
    count: int
    filters: Filters | None


def status_filters(filters: Filters, statuses: tuple[str, ...]) -> Filters:
    """Return ``filters`` narrowed to some statuses (those it already allows).

    Parameters
    ----------
    filters
        The filters to narrow.
    statuses
        Statuses to keep.

    Returns
    -------
    Filters
        The narrowed filters; with no status left, they let nothing through.
    """
    kept = tuple(s for s in statuses if not filters.statuses or s in filters.statuses)
    return filters.with_values("status", kept or ("",))


def summary_cards(places: gpd.GeoDataFrame, filters: Filters) -> tuple[Card, ...]:
    """Return the summary numbers: all places, existing, not yet built, and without a position.

    Parameters
    ----------
    places
        The places the map can show.
    filters
        The sidebar's filters.

    Returns
    -------
    tuple of Card
        ``places``, ``existing``, ``not_yet`` and ``unplaced``; the last has no filters
        (the map lists those places beside it, as it cannot draw them).
    """
    base = filters.mask(places)
    existing = status_filters(filters, EXISTING)
    not_yet = status_filters(filters, NOT_YET)
    unplaced = base & (places.geometry.isna() | places.geometry.is_empty)
    return (
        Card("places", int(base.sum()), filters),
        Card("existing", int(existing.mask(places).sum()), existing),
        Card("not_yet", int(not_yet.mask(places).sum()), not_yet),
        Card("unplaced", int(unplaced.sum()), None),
    )


@dataclass(frozen=True)
class Timeline:
    """Announced against realised by year, and how many places have no date to place them.

    ``by_year`` has columns ``year`` (int), ``series`` (``announced``: places announced in that
    year, by ``announced_date``; ``realised``: announced places that exist, by the date of the
    source that says so, ``status_as_of``) and ``count``. ``not_announced`` places have no
    announcement date (venues that were never part of a programme); ``not_realised`` were
    announced and do not exist as of their last source; ``realised_undated`` exist but no
    source dates it.
    """

    by_year: pd.DataFrame
    not_announced: int
    not_realised: int
    realised_undated: int


def announced_filters(filters: Filters, year: int) -> Filters:
    """Return the filters that select exactly the places of one "announced" bar of a timeline.

    A "realised" bar has none: no filter picks places by the year of ``status_as_of``, and
    its announcement years with ``status=existing`` would also take the places of that
    announcement realised in other years, or undated.

    Parameters
    ----------
    filters
        The filters the timeline started from (the bar's year is one they let through).
    year
        The bar's year.

    Returns
    -------
    Filters
        ``filters`` with the announcement year set to ``year`` only.
    """
    return filters.with_values("announced", (str(int(year)),))


def announced_realised(places: gpd.GeoDataFrame, filters: Filters) -> Timeline:
    """Return places announced and realised per year, among those the filters let through.

    Parameters
    ----------
    places
        The places the map can show (``announced_date``, ``status`` and ``status_as_of``).
    filters
        The sidebar's filters.

    Returns
    -------
    Timeline
        The counts per year and what could not be placed in time.
    """
    chosen = places[filters.mask(places)]
    announced_year = year_of(chosen["announced_date"])
    announced = announced_year.notna()
    exists = chosen["status"].isin(EXISTING)
    realised_year = year_of(chosen["status_as_of"]).where(announced & exists)
    rows = [
        (int(y), ANNOUNCED, int(n))
        for y, n in announced_year.dropna().value_counts().sort_index().items()
    ]
    rows += [
        (int(y), REALISED, int(n))
        for y, n in realised_year.dropna().value_counts().sort_index().items()
    ]
    by_year = pd.DataFrame(rows, columns=["year", "series", "count"]).sort_values(
        ["year", "series"], ignore_index=True
    )
    return Timeline(
        by_year=by_year.astype({"year": "int64", "count": "int64"}),
        not_announced=int((~announced).sum()),
        not_realised=int((announced & ~exists).sum()),
        realised_undated=int((announced & exists & realised_year.isna()).sum()),
    )
