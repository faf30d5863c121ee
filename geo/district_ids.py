"""District and city ids of context layers: names in any language matched to canonical ids.

Real layers name a district in many ways: "Yesil (Esil) District", "Есильский район",
"Есіл ауданы", "Есиль", "esil". Each is folded (``geo.fold``: case, script, Kazakh letters,
Yesil/Esil/Есиль/Есіл) and stripped of the words "район", "ауданы", "District" and the like
before it is looked up among the spellings of the canonical ids, which are the keys of the
``district.<Id>`` messages and the values of the catalogue's ``district`` column. A district
that matches none keeps its own name as its id.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.cities import CITIES, CITY_IDS
from geo.errors import InputError
from geo.fold import fold

KNOWN_DISTRICTS: dict[str, tuple[str, ...]] = {
    "astana": ("Yesil", "Almaty", "Saryarka", "Baikonur", "Nura", "Saraishyk"),
    "almaty": (
        "Alatau",
        "Almaly",
        "Auezov",
        "Bostandyk",
        "Zhetysu",
        "Medeu",
        "Nauryzbay",
        "Turksib",
    ),
}
# OpenStreetMap relations of the districts, only as ../shared/geodata/README.md lists them
# (Astana's six); Almaty's districts are matched by name.
OSM_RELATIONS: dict[str, dict[int, str]] = {
    "astana": {
        3479876: "Yesil",
        3482819: "Almaty",
        3486954: "Saryarka",
        8593081: "Baikonur",
        20593940: "Nura",
        19733918: "Saraishyk",
    },
    "almaty": {},
}
# Folded spellings besides the id itself: the Russian adjective forms ("Есильский район"),
# Kazakh and transliterated variants that fold differently.
_EXTRA_SPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "astana": {
        "Yesil": ("esilski", "ishim"),
        "Almaty": ("almatinski",),
        "Saryarka": ("sariarkinski", "sariarkaski"),
        "Baikonur": ("baikonir", "baikonurski", "baikonirski"),
        "Nura": ("nurinski",),
        "Saraishyk": ("saraishikski",),
    },
    "almaty": {
        "Alatau": ("alatauski",),
        "Almaly": ("almalinski",),
        "Auezov": ("auezovski",),
        "Bostandyk": ("bostandikski",),
        "Zhetysu": ("jetisuski",),
        "Medeu": ("medeuski",),
        "Nauryzbay": ("naurizbaiski",),
        "Turksib": ("turksibski",),
    },
}
# Words that say "district" or "city" in kk, ru and en, once folded ("р-н" folds to "r n").
_DISTRICT_WORDS = frozenset(
    {"raion", "rn", "r", "n", "audani", "audan", "district", "g", "gorod", "kala", "kalasi"}
)
_PARENTHESES = re.compile(r"\(([^()]*)\)")
# Columns a normaliser keeps when present: attribution, and the population OpenStreetMap tags a
# district with (`make data` writes them; used when no population table is present).
KEPT_COLUMNS = ("source", "fetched", "population", "population_date")
TOTAL = "__total__"  # the district of a population table's row for the whole city
# Values the app gives a meaning of its own beside district ids: places without a district in
# the filter (geo.select.UNKNOWN), the leftover rows of geo.districts.district_table, the city
# total of a population table and the "no bank" row of geo.banks_analysis. A layer's own
# district name equal to one of them (case-insensitively) is refused.
RESERVED_IDS = ("unknown", "__outside__", "__unplaced__", "__total__", "__none__")
_TOTAL_KEY = fold("CITY TOTAL")
NAME_COLUMNS = ("name_kk", "name_ru", "name_en")
DISTRICT_COLUMNS = ("district", "id", *NAME_COLUMNS, "city", "osm_relation", "geometry")
POPULATION_COLUMNS = (
    "city",
    "district",
    "population",
    "reference_date",
    "source",
    "confidence",
)


def _key(text: str) -> str:
    words = [w for w in fold(text).split() if w not in _DISTRICT_WORDS]
    return " ".join(words)


def _spellings(city: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for district in KNOWN_DISTRICTS[city]:
        for spelling in (_key(district), *_EXTRA_SPELLINGS[city].get(district, ())):
            out[spelling] = district
    return out


_SPELLINGS: dict[str, dict[str, str]] = {city: _spellings(city) for city in KNOWN_DISTRICTS}


def _variants(name: str) -> list[str]:
    """Return the folded keys of a name: the whole, without its brackets, and each bracket."""
    inside = _PARENTHESES.findall(name)
    outside = _PARENTHESES.sub(" ", name)
    return [k for k in (_key(name), _key(outside), *(_key(i) for i in inside)) if k]


def _check_city(city: str) -> None:
    if city not in KNOWN_DISTRICTS:
        msg = f"city must be one of {sorted(KNOWN_DISTRICTS)}, got {city!r}; use a known city id"
        raise InputError(msg)


def district_id(city: str, *, names: Iterable[str], osm_relation: int | None) -> str | None:
    """Return the canonical id of a district from any of its names or its OSM relation.

    Parameters
    ----------
    city
        ``"astana"`` or ``"almaty"``.
    names
        The district's names as the layer gives them, in any language and script (empty and
        missing values are ignored).
    osm_relation
        The district's OpenStreetMap relation id, if the layer has one.

    Returns
    -------
    str or None
        The canonical id (``"Yesil"``, ``"Alatau"``, ...), ``None`` when nothing matches.

    Raises
    ------
    InputError
        If the city is not one the product covers.
    """
    _check_city(city)
    spellings = _SPELLINGS[city]
    for name in names:
        if not isinstance(name, str):
            continue
        for key in _variants(name):
            if key in spellings:
                return spellings[key]
    if osm_relation is not None:
        return OSM_RELATIONS[city].get(int(osm_relation))
    return None


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _relation(value: object) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and number > 0 else None


def polygonal(geometry: BaseGeometry | None) -> BaseGeometry | None:
    """Return a geometry made valid with only its polygonal parts (``None`` if none are left).

    Parameters
    ----------
    geometry
        Any shapely geometry, valid or not, or ``None``.

    Returns
    -------
    shapely geometry or None
        A valid Polygon or MultiPolygon, or ``None`` when nothing polygonal remains.
    """
    if geometry is None or geometry.is_empty:
        return None
    fixed = geometry if geometry.is_valid else shapely.make_valid(geometry)
    parts = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")] or [
        q
        for p in shapely.get_parts(fixed)
        if p.geom_type == "GeometryCollection"
        for q in shapely.get_parts(p)
        if q.geom_type == "Polygon"
    ]
    parts = [p for p in parts if not p.is_empty and p.area > 0]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return shapely.union_all(parts)


def _polygons(frame: gpd.GeoDataFrame, *, what: str) -> tuple[gpd.GeoSeries, pd.Series]:
    """Return the frame's geometries made valid and polygonal, and which rows kept one."""
    fixed = gpd.GeoSeries([polygonal(g) for g in frame.geometry], index=frame.index, crs=frame.crs)
    kept = fixed.notna()
    dropped = int((~kept).sum())
    if dropped:
        warnings.warn(
            f"{what}: skipped {dropped} rows without a polygon (empty, or not polygonal once "
            "made valid)",
            stacklevel=3,
        )
    return fixed, kept


def _kept(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Return the attribution columns (``KEPT_COLUMNS``) the frame has, as text."""
    return {
        c: pd.Series([_text(v) for v in frame[c]], index=frame.index, dtype=object)
        for c in KEPT_COLUMNS
        if c in frame.columns
    }


def _name_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Return name_kk, name_ru and name_en as text, a missing one taken from another language."""
    names = pd.DataFrame(index=frame.index)
    for col in NAME_COLUMNS:
        values = frame[col] if col in frame.columns else pd.Series(None, index=frame.index)
        names[col] = [_text(v) for v in values]
    fallback = pd.Series("", index=frame.index, dtype=object)
    for col in ("name_en", "name_ru", "name_kk", "name", "id"):
        if col in frame.columns:
            values = pd.Series([_text(v) for v in frame[col]], index=frame.index, dtype=object)
            fallback = fallback.where(fallback != "", values)
    for col in NAME_COLUMNS:
        names[col] = names[col].where(names[col] != "", fallback)
    return names


def normalise_districts(frame: gpd.GeoDataFrame, city: str) -> gpd.GeoDataFrame:
    """Return a district layer with canonical ids, names in three columns and valid polygons.

    Parameters
    ----------
    frame
        A district layer as read (any CRS; names in any of ``name_kk``, ``name_ru``,
        ``name_en``, ``name``, ``id``; an optional ``osm_relation``).
    city
        The city the layer is of: ``"astana"`` or ``"almaty"``.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame in the input's CRS with ``district`` (the canonical id, or the layer's own
        name, English preferred, when none matches), ``id`` (the same: the map's feature
        id), ``name_kk``, ``name_ru``, ``name_en``
        (a name missing in one language is taken from another of the layer), ``city``,
        ``osm_relation`` (``Int64``, NA when unknown) and ``geometry`` (valid Polygon or
        MultiPolygon), in the layer's row order; ``source`` and ``fetched`` are kept when the
        layer has them (``make data`` writes them).

    Raises
    ------
    InputError
        If the city is unknown, a district has no name and no known relation, or its id (its
        own name) would be one of the reserved values ``RESERVED_IDS`` ("unknown",
        "__outside__", "__unplaced__", "__total__", "__none__", in any case), which the app
        uses for places without a district, leftover rows and totals.

    Warns
    -----
    UserWarning
        When rows without a polygon are skipped (says how many).
    """
    _check_city(city)
    what = f"{city} districts"
    fixed, kept = _polygons(frame, what=what)
    source = frame.loc[kept]
    names = _name_columns(source)
    raw_names = [
        [_text(source[c].iloc[i]) for c in (*NAME_COLUMNS, "name", "id") if c in source.columns]
        for i in range(len(source))
    ]
    relations = (
        [_relation(v) for v in source["osm_relation"]]
        if "osm_relation" in source.columns
        else [None] * len(source)
    )
    ids: list[str] = []
    for i, (row_names, relation) in enumerate(zip(raw_names, relations, strict=True)):
        found = district_id(city, names=row_names, osm_relation=relation)
        own = names["name_en"].iloc[i]
        if found is None and not own:
            msg = (
                f"{what}: row {i} has no name in name_kk, name_ru, name_en, name or id and no "
                "known osm_relation; name the district in the layer"
            )
            raise InputError(msg)
        district = found if found is not None else own
        if district.strip().casefold() in RESERVED_IDS:
            row = frame.index.get_loc(source.index[i])
            msg = (
                f"{what}: row {row} is named {district!r}, a value the app reserves for its own "
                f"use ({', '.join(RESERVED_IDS)}); rename the district in the layer"
            )
            raise InputError(msg)
        ids.append(district)
    out = gpd.GeoDataFrame(
        {
            "district": pd.Series(ids, index=source.index, dtype=object),
            # The map's feature id (a click names it; a class update addresses it).
            "id": pd.Series(ids, index=source.index, dtype=object),
            **{c: names[c].astype(object) for c in NAME_COLUMNS},
            "city": pd.Series(city, index=source.index, dtype=object),
            "osm_relation": pd.array(relations, dtype="Int64"),
            **_kept(source),
        },
        geometry=fixed.loc[kept],
        crs=frame.crs,
    )
    return out.reset_index(drop=True)


def city_id_of(value: object) -> str | None:
    """Return the city id a name means ("Astana", "Алматы", "astana"), ``None`` for another.

    Parameters
    ----------
    value
        A city's name in any language, or its id.

    Returns
    -------
    str or None
        ``"astana"``, ``"almaty"`` or ``None``.
    """
    key = _key(_text(value))
    for city in CITIES:
        if key in {_key(name) for _, name in city.names} | {city.id}:
            return city.id
    return None


def normalise_outlines(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return city outlines with a ``city`` id per row, names in three languages, valid polygons.

    The city is read from the first of ``city``, ``ADM1_EN``, ``name_en`` or ``name`` that
    the layer has (``"Astana"``, ``"Алматы"``, ``"astana"`` alike).

    Parameters
    ----------
    frame
        An outline layer as read (one or more rows).

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame in the input's CRS with ``city``, ``name_kk``, ``name_ru``, ``name_en``
        (the city's names) and ``geometry`` (valid Polygon or MultiPolygon).

    Raises
    ------
    InputError
        If a row names no city the product covers, or two rows name the same city.
    """
    fixed, kept = _polygons(frame, what="city outlines")
    source = frame.loc[kept]
    column = next((c for c in ("city", "ADM1_EN", "name_en", "name") if c in source.columns), None)
    if column is None:
        msg = (
            "city outlines: no column names the city; add `city` (astana or almaty), "
            f"`ADM1_EN` or `name`; the layer has {list(frame.columns)!r}"
        )
        raise InputError(msg)
    cities = [city_id_of(v) for v in source[column]]
    unknown = [_text(v)[:40] for v, c in zip(source[column], cities, strict=True) if c is None]
    if unknown:
        msg = f"city outlines: {column} {unknown!r} names no city of {list(CITY_IDS)!r}"
        raise InputError(msg)
    repeated = sorted({c for c in cities if cities.count(c) > 1 and c is not None})
    if repeated:
        msg = f"city outlines: {repeated!r} appear more than once; keep one outline per city"
        raise InputError(msg)
    names = {c.id: dict(c.names) for c in CITIES}
    out = gpd.GeoDataFrame(
        {
            "city": pd.Series(cities, index=source.index, dtype=object),
            **{
                f"name_{lang}": pd.Series(
                    [names[str(c)][lang] for c in cities], index=source.index, dtype=object
                )
                for lang in ("kk", "ru", "en")
            },
            **_kept(source),
        },
        geometry=fixed.loc[kept],
        crs=frame.crs,
    )
    return out.reset_index(drop=True)


def normalise_population(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a population table with city ids and canonical district ids.

    Parameters
    ----------
    frame
        The table as read: ``city`` (any spelling of the city), ``population``, and the
        district's name in one or more of ``district``, ``district_en``, ``district_ru``,
        ``district_kk``; optional ``reference_date``, ``source``, ``confidence``. A row whose
        district is ``"CITY TOTAL"`` is the whole city's figure.

    Returns
    -------
    pandas.DataFrame
        A new table with ``city``, ``district`` (canonical id, the row's own English name when
        none matches, or ``"__total__"`` for the city's total), ``population`` (``int64``),
        ``reference_date``, ``source`` and ``confidence`` (text, ``""`` when absent).

    Raises
    ------
    InputError
        If a column is missing, a city is unknown, a population is not a whole number >= 0,
        or a district appears twice for a city.
    """
    name_columns = [
        c for c in ("district", "district_en", "district_ru", "district_kk") if c in frame
    ]
    missing = [c for c in ("city", "population") if c not in frame.columns]
    if missing or not name_columns:
        msg = (
            f"district population: missing columns {missing or ['district_en']!r}; the table "
            f"has {list(frame.columns)!r}"
        )
        raise InputError(msg)
    rows: list[dict[str, object]] = []
    for pos, (_, row) in enumerate(frame.iterrows()):
        city = city_id_of(row["city"])
        if city is None:
            msg = f"district population: row {pos}: city {_text(row['city'])[:40]!r} is unknown"
            raise InputError(msg)
        names = [_text(row[c]) for c in name_columns]
        population = pd.to_numeric(pd.Series([row["population"]]), errors="coerce").iloc[0]
        if pd.isna(population) or population < 0 or float(population) != int(population):
            msg = (
                f"district population: row {pos} ({names[0][:40]!r}): population must be a "
                f"whole number >= 0, got {_text(row['population'])[:40]!r}"
            )
            raise InputError(msg)
        if any(fold(n) == _TOTAL_KEY for n in names):
            district: str | None = TOTAL
        else:
            district = district_id(city, names=names, osm_relation=None)
        own = next((n for n in names if n), "")
        rows.append(
            {
                "city": city,
                "district": district if district is not None else own,
                "population": int(population),
                **{
                    c: _text(row[c]) if c in frame.columns else ""
                    for c in ("reference_date", "source", "confidence")
                },
            }
        )
    table = pd.DataFrame(rows, columns=list(POPULATION_COLUMNS))
    table["population"] = table["population"].astype("int64")
    for col in ("city", "district", "reference_date", "source", "confidence"):
        table[col] = table[col].astype(object)
    twice = table[table.duplicated(["city", "district"], keep=False)]
    if not twice.empty:
        pairs = sorted({f"{c}/{d}" for c, d in zip(twice["city"], twice["district"], strict=True)})
        msg = f"district population: {pairs!r} appear more than once; keep one row each"
        raise InputError(msg)
    return table


def normalise_river(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a river layer with a ``name`` per row and its lines, in the input's CRS.

    Parameters
    ----------
    frame
        A river layer as read (``name``, ``name_en`` or neither).

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame with ``name`` (text, ``""`` when the layer has none) and ``geometry``.
    """
    column = next((c for c in ("name", "name_en") if c in frame.columns), None)
    names = [_text(v) for v in frame[column]] if column else [""] * len(frame)
    out = gpd.GeoDataFrame(
        {"name": pd.Series(names, index=frame.index, dtype=object), **_kept(frame)},
        geometry=frame.geometry,
        crs=frame.crs,
    )
    return out.reset_index(drop=True)


def population_from_layer(districts: pd.DataFrame, city: str) -> pd.DataFrame | None:
    """Return a population table from a district layer's own ``population`` column.

    ``make data`` keeps OpenStreetMap's ``population`` and ``population:date`` tags of each
    district; they stand in only when no population table is present, and say so in their
    source. Values that are not whole numbers >= 0 are left out (the district's population is
    then unknown, never zero).

    Parameters
    ----------
    districts
        A normalised district layer (``normalise_districts``).
    city
        The layer's city id.

    Returns
    -------
    pandas.DataFrame or None
        ``city``, ``district``, ``population`` (``int64``), ``reference_date``, ``source`` and
        ``confidence``, one row per district with a usable figure; ``None`` when there is none.
    """
    if "population" not in districts.columns:
        return None
    values = pd.to_numeric(
        districts["population"].astype(str).str.replace(r"[\s,]", "", regex=True), errors="coerce"
    )
    usable = values.notna() & (values >= 0) & (values == values.round())
    if not usable.any():
        return None
    rows = districts.loc[usable]
    dates = rows["population_date"] if "population_date" in rows.columns else None
    fetched = rows["fetched"] if "fetched" in rows.columns else None
    source = "OpenStreetMap, tag population"
    return pd.DataFrame(
        {
            "city": city,
            "district": rows["district"].astype(str).to_numpy(),
            "population": values[usable].astype("int64").to_numpy(),
            "reference_date": [
                _text(dates.iloc[i])
                if dates is not None and _text(dates.iloc[i])
                else (f"fetched {_text(fetched.iloc[i])}" if fetched is not None else "")
                for i in range(len(rows))
            ],
            "source": source,
            "confidence": "as tagged in OpenStreetMap",
        }
    )
