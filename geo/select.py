"""Selecting places: by filter values and by the map's visible bounding box."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

from geo.cities import CITY_IDS, city_by_id
from geo.schema import KINDS, STATUSES

UNKNOWN = "unknown"


def _value_or_unknown(series: pd.Series) -> pd.Series:
    return series.astype("object").where(series.notna(), UNKNOWN).astype(str)


def _matches(series: pd.Series, allowed: set[str]) -> pd.Series:
    """Return which values, as text (a missing one as ``"unknown"``), are in ``allowed``.

    A column of strings is compared as it is (converting 100,000 values to text costs more
    than the comparison itself); any other column goes through ``_value_or_unknown``.
    """
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        return series.isin(allowed).fillna(False).astype(bool) | (
            series.isna() & (UNKNOWN in allowed)
        )
    return _value_or_unknown(series).isin(allowed)


def _year_text(series: pd.Series) -> pd.Series:
    """Return years as text (``"2025"``), ``"unknown"`` when missing; once per distinct value."""
    text = {y: str(int(y)) for y in series.dropna().unique()}
    return series.map(text).astype(object).where(series.notna(), UNKNOWN)


def year_of(dates: pd.Series) -> pd.Series:
    """Return the year of ISO dates (``"2018-05-14"``, ``"2018"``); missing where none or bad.

    Parameters
    ----------
    dates
        ISO 8601 dates as text (or missing).

    Returns
    -------
    pandas.Series
        The years (float, ``NaN`` where the date is missing or not a date).
    """
    return pd.to_datetime(dates, errors="coerce", format="ISO8601").dt.year


def filter_mask(
    places: gpd.GeoDataFrame,
    *,
    cities: Collection[str] | None = None,
    kinds: Collection[str] | None = None,
    statuses: Collection[str] | None = None,
    banks: Collection[str] | None = None,
    districts: Collection[str] | None = None,
    years: Collection[str] | None = None,
    announced: Collection[str] | None = None,
) -> pd.Series:
    """Return a boolean mask of places matching every given filter.

    A filter that is ``None`` or empty does not restrict. A place whose value is missing
    matches the value ``"unknown"``; target years and the years of ``announced_date`` are
    compared as strings (``"2025"``).

    Parameters
    ----------
    places
        The catalogue.
    cities, kinds, statuses, banks, districts, years, announced
        Allowed values per column (``years`` is for ``target_year``, ``announced`` for the
        year of ``announced_date``).

    Returns
    -------
    pandas.Series
        Boolean mask aligned to ``places.index``.
    """
    mask = pd.Series(True, index=places.index)
    for col, allowed in (
        ("city", cities),
        ("kind", kinds),
        ("status", statuses),
        ("bank", banks),
        ("district", districts),
    ):
        if allowed:
            mask &= _matches(places[col], set(allowed))
    if years:
        mask &= _year_text(places["target_year"]).isin(set(years))
    if announced:
        mask &= _year_text(year_of(places["announced_date"])).isin(set(announced))
    return mask


FILTER_PARAMS: tuple[str, ...] = ("kind", "status", "bank", "district", "year", "announced")
CITY_CHOICES: tuple[str, ...] = ("both", *CITY_IDS)


@dataclass(frozen=True)
class Ignored:
    """A filter value that was set aside, and why.

    ``why`` is a code for translated messages: ``"unknown"`` (not a value the data has),
    ``"no_banks"`` (a bank filter for a city on one bank only) or ``"other_city"`` (a
    district of another city).
    """

    param: str
    value: str
    why: str


@dataclass(frozen=True)
class FilterVocabulary:
    """The values each filter may take, taken from the loaded places.

    ``districts`` maps each city id to its districts (as shown in filters, ``"unknown"``
    included when some place has none), with every district of the city's district layer.
    """

    kinds: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    banks: frozenset[str] = frozenset()
    districts: tuple[tuple[str, frozenset[str]], ...] = ()
    years: frozenset[str] = frozenset()
    announced: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        places: gpd.GeoDataFrame,
        *,
        layer_districts: Mapping[str, Iterable[str]] | None = None,
    ) -> FilterVocabulary:
        """Return the vocabulary of a frame of places.

        Parameters
        ----------
        places
            Place records with ``city``, ``kind``, ``status``, ``bank``, ``district``,
            ``target_year`` and ``announced_date``.
        layer_districts
            City id to the district ids of its district layer: each is a value of the
            district filter, with places in it or not.

        Returns
        -------
        FilterVocabulary
            Every value present, as filters show them.
        """
        layer = layer_districts or {}
        return cls(
            kinds=frozenset(distinct_values(places["kind"])),
            statuses=frozenset(distinct_values(places["status"])),
            banks=frozenset(distinct_values(places["bank"])),
            districts=tuple(
                (
                    c,
                    frozenset(distinct_values(places.loc[places["city"] == c, "district"]))
                    | frozenset(layer.get(c, ())),
                )
                for c in CITY_IDS
            ),
            years=frozenset(distinct_values(places["target_year"])),
            announced=frozenset(distinct_values(year_of(places["announced_date"]))),
        )

    def districts_of(self, city: str) -> frozenset[str]:
        """Return the districts of a city choice (``"both"``: of every city)."""
        sets = [d for c, d in self.districts if city in ("both", c)]
        return frozenset().union(*sets)


def _split(raw: str) -> list[str]:
    out: list[str] = []
    for value in (v.strip() for v in raw.split(",")):
        if value and value not in out:
            out.append(value)
    return out


@dataclass(frozen=True)
class Filters:
    """Which places to show: a frozen, hashable record, so it is also a cache key.

    Empty tuples mean "no restriction". ``city`` is ``"both"`` or a city id.
    """

    city: str = "both"
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    banks: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    announced: tuple[str, ...] = ()

    @property
    def cities(self) -> tuple[str, ...]:
        """Return the city ids allowed (empty for both cities)."""
        return () if self.city == "both" else (self.city,)

    def is_unrestricted(self) -> bool:
        """Return whether the filters let every place through."""
        return self == Filters()

    def mask(self, places: gpd.GeoDataFrame) -> pd.Series:
        """Return a boolean mask of the places these filters let through.

        Parameters
        ----------
        places
            Place records (see ``filter_mask``).

        Returns
        -------
        pandas.Series
            Boolean mask aligned to ``places.index``.
        """
        return filter_mask(
            places,
            cities=self.cities,
            kinds=self.kinds,
            statuses=self.statuses,
            banks=self.banks,
            districts=self.districts,
            years=self.years,
            announced=self.announced,
        )

    def values_of(self, param: str) -> tuple[str, ...]:
        """Return the values of one filter by its URL parameter name (``kind``, ...)."""
        return tuple(getattr(self, _FIELD_OF[param]))

    def with_values(self, param: str, values: tuple[str, ...]) -> Filters:
        """Return a copy with one filter (by URL parameter name) set to ``values``."""
        changes: dict[str, Any] = {_FIELD_OF[param]: tuple(values)}
        return replace(self, **changes)

    def to_params(self) -> dict[str, str]:
        """Return the filters as URL query parameters (``city`` always, the rest when set).

        Returns
        -------
        dict
            Parameter name to value; several values are comma-separated.
        """
        out = {"city": self.city}
        for param in FILTER_PARAMS:
            values = self.values_of(param)
            if values:
                out[param] = ",".join(values)
        return out

    @classmethod
    def from_params(
        cls, params: Mapping[str, str], vocabulary: FilterVocabulary
    ) -> tuple[Filters, list[Ignored]]:
        """Return the filters URL parameters describe, and every value set aside.

        Unknown values are dropped one by one, keeping the rest; so are values that exist but
        do not apply to the chosen city (a bank filter for Almaty, a district of the other
        city). Parameters that are not filters are left alone.

        Parameters
        ----------
        params
            Query parameters, one string each (``city``, ``kind``, ``status``, ``bank``,
            ``district``, ``year``, ``announced``).
        vocabulary
            The values the data has.

        Returns
        -------
        tuple of (Filters, list of Ignored)
            The filters, and what was set aside.
        """
        ignored: list[Ignored] = []
        filters = cls()
        if "city" in params:
            city = params["city"].strip()
            if city in CITY_CHOICES:
                filters = replace(filters, city=city)
            else:
                ignored.append(Ignored("city", city, "unknown"))
        allowed = {
            "kind": vocabulary.kinds,
            "status": vocabulary.statuses,
            "bank": vocabulary.banks,
            "district": vocabulary.districts_of("both"),
            "year": vocabulary.years,
            "announced": vocabulary.announced,
        }
        for param in FILTER_PARAMS:
            if param not in params:
                continue
            kept = []
            for value in _split(params[param]):
                if value in allowed[param]:
                    kept.append(value)
                else:
                    ignored.append(Ignored(param, value, "unknown"))
            filters = filters.with_values(param, tuple(kept))
        return filters.applicable(vocabulary, ignored)

    def applicable(
        self, vocabulary: FilterVocabulary, ignored: list[Ignored] | None = None
    ) -> tuple[Filters, list[Ignored]]:
        """Return these filters without the values that cannot apply to the chosen city.

        A bank filter needs a city on both banks of the Esil (or both cities); a district
        must be one of the chosen city's districts.

        Parameters
        ----------
        vocabulary
            The values the data has.
        ignored
            Values already set aside, to add to.

        Returns
        -------
        tuple of (Filters, list of Ignored)
            The filters that apply, and everything set aside.
        """
        out = list(ignored or [])
        banks = self.banks
        if self.city != "both" and not city_by_id(self.city).has_banks:
            out.extend(Ignored("bank", b, "no_banks") for b in banks)
            banks = ()
        known = vocabulary.districts_of(self.city)
        districts = tuple(d for d in self.districts if d in known)
        out.extend(Ignored("district", d, "other_city") for d in self.districts if d not in known)
        return replace(self, banks=banks, districts=districts), out

    def in_city(self, city: str, vocabulary: FilterVocabulary) -> tuple[Filters, bool]:
        """Return the filters for places around a position in ``city``, and if any were set aside.

        The position decides the city, so the city filter is replaced by it; a bank filter
        applies only in a city on both banks, and a district filter only with that city's
        districts.

        Parameters
        ----------
        city
            The city id of the position.
        vocabulary
            The values the data has.

        Returns
        -------
        tuple of (Filters, bool)
            The filters, and ``True`` if a bank or district value was set aside.
        """
        filters, ignored = replace(self, city=city).applicable(vocabulary)
        return filters, bool(ignored)

    def hides_cities_without_banks(self) -> bool:
        """Return whether a bank filter with both cities hides every place of a one-bank city."""
        return bool(self.banks) and self.city == "both"


_FIELD_OF: dict[str, str] = {
    "kind": "kinds",
    "status": "statuses",
    "bank": "banks",
    "district": "districts",
    "year": "years",
    "announced": "announced",
}


def in_bbox_mask(
    places: gpd.GeoDataFrame, bbox_lon_lat: tuple[float, float, float, float]
) -> pd.Series:
    """Return a boolean mask of places whose geometry intersects a lon/lat bounding box.

    Places without a geometry are never in view.

    Parameters
    ----------
    places
        Places in EPSG:4326.
    bbox_lon_lat
        (minx, miny, maxx, maxy) in degrees: west, south, east, north.

    Returns
    -------
    pandas.Series
        Boolean mask aligned to ``places.index``.
    """
    has_geom = places.geometry.notna() & ~places.geometry.is_empty
    mask = pd.Series(False, index=places.index)
    if has_geom.any():
        mask.loc[has_geom] = places.geometry[has_geom].intersects(box(*bbox_lon_lat))
    return mask


def filter_options(
    places: gpd.GeoDataFrame,
    city: str,
    *,
    layer_districts: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, list[str]]:
    """Return the choices each filter offers for a city choice, in display order.

    Kinds and statuses follow the schema's order; banks come from Astana's places; districts
    from the chosen city's district layer (every one, with places in it or not) and its
    places; target and announcement years from the chosen city's places (``"both"`` means
    both cities).

    Parameters
    ----------
    places
        The catalogue.
    city
        ``"both"``, ``"astana"`` or ``"almaty"``.
    layer_districts
        City id to the district ids of its district layer.

    Returns
    -------
    dict
        Filter name (``kind``, ``status``, ``bank``, ``district``, ``year``, ``announced``) to
        its choices.
    """
    in_city = places if city == "both" else places[places["city"] == city]
    kinds = set(distinct_values(places["kind"]))
    statuses = set(distinct_values(places["status"]))
    return {
        "kind": [k for k in KINDS if k in kinds],
        "status": [s for s in STATUSES if s in statuses],
        "bank": distinct_values(places.loc[places["city"] == "astana", "bank"]),
        "district": _district_choices(in_city["district"], city, layer_districts or {}),
        "year": distinct_values(in_city["target_year"]),
        "announced": distinct_values(year_of(in_city["announced_date"])),
    }


def _district_choices(
    district: pd.Series, city: str, layer_districts: Mapping[str, Iterable[str]]
) -> list[str]:
    """Return the districts of the places and of the city's layer, sorted, ``unknown`` last."""
    from_layer = {d for c, ids in layer_districts.items() if city in ("both", c) for d in ids}
    from_places = distinct_values(district)
    known = sorted((set(from_places) - {UNKNOWN}) | from_layer)
    return known + ([UNKNOWN] if UNKNOWN in from_places else [])


def anchor_points(places: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    """Return a point on each placed record, as ``id -> (lat, lon)``, for centring a map on it.

    Lines use their midpoint along the line; other shapes a point guaranteed inside them.

    Parameters
    ----------
    places
        Records with ``id`` and a geometry in EPSG:4326 (unplaced ones are skipped).

    Returns
    -------
    dict
        Id to (latitude, longitude) in degrees.
    """
    placed = places[places.geometry.notna() & ~places.geometry.is_empty]
    geoms = np.asarray(placed.geometry.values, dtype=object)
    # Whole arrays at once (shapely's vectorised functions): 100,000 places in milliseconds.
    points = shapely.point_on_surface(geoms)  # what representative_point() returns
    is_line = shapely.get_type_id(geoms) == int(shapely.GeometryType.LINESTRING)
    if is_line.any():
        points[is_line] = shapely.line_interpolate_point(geoms[is_line], 0.5, normalized=True)
    lat, lon = shapely.get_y(points).tolist(), shapely.get_x(points).tolist()
    ids = placed["id"].astype(str).tolist()
    return {pid: (y, x) for pid, y, x in zip(ids, lat, lon, strict=True)}


def distinct_values(series: pd.Series) -> list[str]:
    """Return the sorted distinct values of a column, with ``"unknown"`` for missing ones last.

    Parameters
    ----------
    series
        Any column of the catalogue.

    Returns
    -------
    list of str
        Sorted values as strings; whole-number floats are shown without ``.0``.
    """
    values = {  # over the distinct values: a column of 100,000 places has a few
        str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
        for v in series.dropna().unique()
    }
    out = sorted(values)
    if series.isna().any():
        out.append(UNKNOWN)
    return out
