"""Programme targets against the catalogue: the places a target counts, and what they show."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import parse_qsl

import geopandas as gpd
import pandas as pd

from geo.errors import InputError
from geo.schema import BANKS, KINDS, STATUSES
from geo.select import CITY_CHOICES, FILTER_PARAMS, Filters

# Why a target's progress is unknown: no places are linked to it (``no_link``), or the
# places it is linked to are not in the catalogue (``none_in_catalogue``). Absence from the
# catalogue is not evidence that nothing was built, so neither reads as zero.
NO_LINK = "no_link"
NONE_IN_CATALOGUE = "none_in_catalogue"
_YEAR = re.compile(r"[0-9]{4}")
_LINK_PARAMS = ("city", *FILTER_PARAMS)
_ALLOWED: dict[str, tuple[str, ...]] = {
    "city": CITY_CHOICES,
    "kind": KINDS,
    "status": STATUSES,
    "bank": (*BANKS, "unknown"),
}


def link_filters(text: str) -> Filters:
    """Return the filters a target's ``places_filter`` names.

    The text is written as the map's own URL query (``city=almaty&kind=creative_hub,it_hub
    &status=existing``), so the places a target counts are exactly those the map shows with
    these filters.

    Parameters
    ----------
    text
        The query: ``city``, ``kind``, ``status``, ``bank``, ``district`` and ``year``, each at
        most once; several values are comma-separated.

    Returns
    -------
    Filters
        The filters.

    Raises
    ------
    InputError
        If the text is empty or malformed, names another parameter, repeats one, or gives a
        value the catalogue's vocabulary does not have.
    """
    shown = repr(text[:80])
    try:
        pairs = parse_qsl(text.strip(), keep_blank_values=True, strict_parsing=True)
    except ValueError as err:
        msg = f"places_filter must read like 'city=almaty&kind=it_hub', got {shown}"
        raise InputError(msg) from err
    if not pairs:
        msg = f"places_filter must read like 'city=almaty&kind=it_hub', got {shown}"
        raise InputError(msg)
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        msg = f"places_filter names a parameter twice: {shown}"
        raise InputError(msg)
    filters = Filters()
    for name, raw in pairs:
        values = tuple(v.strip() for v in raw.split(","))
        if name not in _LINK_PARAMS:
            msg = f"places_filter parameter must be one of {_LINK_PARAMS!r}, got {name!r}"
            raise InputError(msg)
        allowed = _ALLOWED.get(name)
        bad = [v for v in values if not v or (allowed is not None and v not in allowed)]
        if name == "year":
            bad = [v for v in values if not _YEAR.fullmatch(v)]
        if bad or (name == "city" and len(values) != 1):
            msg = f"places_filter {name}= has a value the catalogue does not know: {raw!r}"
            raise InputError(msg)
        if name == "city":
            filters = replace(filters, city=values[0])
        else:
            filters = filters.with_values(name, values)
    return filters


def deadline_passed(deadline_year: object, today: date) -> bool | None:
    """Return whether a target's deadline (the end of its year) is past; ``None`` without one.

    Parameters
    ----------
    deadline_year
        The announced year ("by 2025" means by the end of 2025), or a missing value.
    today
        The date to judge by.

    Returns
    -------
    bool or None
        ``True`` once the deadline's year is over.
    """
    year = _whole(deadline_year)
    return None if year is None else today > date(year, 12, 31)


def _whole(value: object) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) else None


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True)
class TargetProgress:
    """What the catalogue shows of one target.

    ``measure`` is ``"count"`` or ``"status"`` (see ``geo.schema.TARGET_MEASURES``), or
    ``"unknown"`` when the catalogue cannot tell: then ``why_unknown`` says why and ``known``
    is ``None``, never zero. ``place_ids`` are the places counted or listed, in catalogue
    order; ``filters`` selects exactly them on the map (``None`` without a link).
    """

    target_id: str
    measure: str
    filters: Filters | None
    place_ids: tuple[str, ...]
    known: int | None
    quantity: float | None
    deadline_year: int | None
    deadline_passed: bool | None
    why_unknown: str | None = None


def target_progress(
    target: Mapping[str, object], places: gpd.GeoDataFrame, *, today: date
) -> TargetProgress:
    """Return what the catalogue shows of one target's progress.

    Parameters
    ----------
    target
        One record of the targets table (``id``, ``quantity``, ``deadline_year``,
        ``places_filter``, ``progress_measure``).
    places
        The places the map can show (the catalogue, with any other place layers).
    today
        The date deadlines are judged by.

    Returns
    -------
    TargetProgress
        The places counted, how many, and whether the deadline is past.

    Raises
    ------
    InputError
        If the target's ``places_filter`` is malformed (see ``link_filters``).
    """
    year = _whole(target.get("deadline_year"))
    quantity = _whole(target.get("quantity"))
    common = {
        "target_id": str(target["id"]),
        "quantity": None if quantity is None else float(quantity),
        "deadline_year": year,
        "deadline_passed": deadline_passed(year, today),
    }
    link, measure = _text(target.get("places_filter")), _text(target.get("progress_measure"))
    if link is None or measure is None:
        return TargetProgress(
            measure="unknown",
            filters=None,
            place_ids=(),
            known=None,
            why_unknown=NO_LINK,
            **common,  # type: ignore[arg-type]
        )
    filters = link_filters(link)
    ids = tuple(places.loc[filters.mask(places), "id"].astype(str))
    if not ids:
        return TargetProgress(
            measure="unknown",
            filters=filters,
            place_ids=(),
            known=None,
            why_unknown=NONE_IN_CATALOGUE,
            **common,  # type: ignore[arg-type]
        )
    return TargetProgress(
        measure=measure,
        filters=filters,
        place_ids=ids,
        known=len(ids),
        **common,  # type: ignore[arg-type]
    )


def targets_progress(
    targets: pd.DataFrame, places: gpd.GeoDataFrame, *, today: date
) -> tuple[TargetProgress, ...]:
    """Return ``target_progress`` of every target, in the table's order.

    Parameters
    ----------
    targets
        The validated targets table.
    places
        The places the map can show.
    today
        The date deadlines are judged by.

    Returns
    -------
    tuple of TargetProgress
        One per target.
    """
    return tuple(
        target_progress(row, places, today=today) for row in targets.to_dict(orient="records")
    )
