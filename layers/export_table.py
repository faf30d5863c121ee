"""The visible places as files: GeoJSON, GeoPackage and CSV, and the exports' file names.

Every function here takes the places the view shows (``visible_places``) and returns bytes, so
the UI can hand them to a download button without touching the disk. Text from the data is
written as it is (these are data files, not HTML), except in CSV cells a spreadsheet would run
as a formula, which get a leading apostrophe (``neutralise_cell``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import tempfile
from collections.abc import Collection, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.crs import to_display
from geo.schema import PLACE_COLUMNS
from geo.select import FILTER_PARAMS, Filters, in_bbox_mask
from layers.i18n import LANGS, label

FILE_STEM = "creative-spaces"
# Columns of an exported place, in this order (those the frame has): the record's own columns,
# then the layer it comes from (the catalogue or OpenStreetMap venues).
EXPORT_COLUMNS: tuple[str, ...] = (*PLACE_COLUMNS, "layer")
# A cell that starts with one of these is a formula to Excel, LibreOffice or Google Sheets
# (OWASP "CSV injection"); tab and carriage return start one after the spreadsheet trims.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# UTF-8 with a byte-order mark: Excel on Windows reads a CSV without one in the ANSI code page,
# which turns Cyrillic and Kazakh letters into mojibake; pandas, Python and LibreOffice skip it.
CSV_ENCODING = "utf-8-sig"
GPKG_LAYER = "places"
LABELLED_FIELDS = ("kind", "status")
MAX_FILTER_VALUES_NAMED = 3  # more values than this are written as their count ("kind-5")
MAX_FILENAME_CHARS = 150
_UNSAFE = re.compile(r"[^a-z0-9]+")


def visible_places(
    places: gpd.GeoDataFrame,
    filters: Filters,
    *,
    layers: Collection[str],
    bbox_lon_lat: tuple[float, float, float, float] | None = None,
) -> gpd.GeoDataFrame:
    """Return the places a view shows: its filters, its place layers and, if given, its bounds.

    Parameters
    ----------
    places
        Every place, with a ``layer`` column (``ui.cache.Data.places``), in EPSG:4326.
    filters
        The view's filters.
    layers
        The place layers shown.
    bbox_lon_lat
        The map's view as (minx, miny, maxx, maxy) in degrees; ``None`` keeps every matching
        place, including those without a position (their geometry is empty).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of the matching rows in catalogue order, in EPSG:4326, with a new index.
    """
    chosen = filters.mask(places) & places["layer"].isin(list(layers))
    if bbox_lon_lat is not None:
        chosen &= in_bbox_mask(places, bbox_lon_lat)
    return to_display(places[chosen]).reset_index(drop=True)


def export_frame(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the columns an export holds, in ``EXPORT_COLUMNS`` order, and the geometry.

    Each coded field of ``LABELLED_FIELDS`` (``kind``, ``status``) is followed by its words in
    Kazakh, Russian and English (``kind_kk``, ``kind_ru``, ``kind_en``).

    Parameters
    ----------
    places
        Visible places (``visible_places``).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in EPSG:4326; text columns as Python strings (missing values as ``None``).
    """
    columns = [c for c in EXPORT_COLUMNS if c in places.columns]
    out = to_display(places)[[*columns, places.geometry.name]].copy()
    for col in columns:
        if not pd.api.types.is_numeric_dtype(out[col].dtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    # The coded fields in words, in each language, for a reader with no code list.
    for field in LABELLED_FIELDS:
        if field not in out.columns:
            continue
        at = out.columns.get_loc(field) + 1
        for lang in reversed(LANGS):
            words = {v: label(field, v, lang) for v in out[field].dropna().unique()}
            out.insert(at, f"{field}_{lang}", out[field].map(words).astype(object))
    out = out.set_geometry(places.geometry.name)
    return out if out.geometry.name == "geometry" else out.rename_geometry("geometry")


def geojson_bytes(places: gpd.GeoDataFrame) -> bytes:
    """Return the places as a GeoJSON FeatureCollection (RFC 7946: WGS 84, lon/lat), UTF-8.

    Parameters
    ----------
    places
        Visible places (``visible_places``).

    Returns
    -------
    bytes
        The file; a place without a position has a ``null`` geometry.
    """
    text: str = export_frame(places).to_json(ensure_ascii=False, drop_id=True)
    return text.encode("utf-8")


def geopackage_bytes(places: gpd.GeoDataFrame) -> bytes:
    """Return the places as a GeoPackage with one layer, ``places``, in EPSG:4326.

    Parameters
    ----------
    places
        Visible places (``visible_places``).

    Returns
    -------
    bytes
        The file (GDAL writes a GeoPackage only to a path, so it goes through a private
        temporary folder that is removed at once).
    """
    frame = export_frame(places)
    with tempfile.TemporaryDirectory(prefix="creative-export-") as folder:
        path = Path(folder) / "places.gpkg"
        frame.to_file(path, layer=GPKG_LAYER, driver="GPKG", engine="pyogrio")
        return path.read_bytes()


def neutralise_cell(value: object) -> object:
    """Return a CSV cell that no spreadsheet runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    apostrophe (Excel and LibreOffice then show it as text, apostrophe hidden); numbers and
    other text are returned as they are.

    Parameters
    ----------
    value
        A cell's value.

    Returns
    -------
    object
        The value, or the text with an apostrophe in front.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_frame(places: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the table a CSV export writes: the columns, then ``lon``, ``lat`` and the shape.

    ``lon`` and ``lat`` (degrees, WGS 84) are the place's position for a point, and a point
    inside it for a line or an area; ``geometry_type`` says which. Text cells are neutralised
    (``neutralise_cell``).

    Parameters
    ----------
    places
        Visible places (``visible_places``).

    Returns
    -------
    pandas.DataFrame
        One row per place.
    """
    frame = export_frame(places)
    geometry = frame.geometry
    placed = geometry.notna() & ~geometry.is_empty
    anchor = geometry[placed].representative_point()
    table = pd.DataFrame(frame.drop(columns="geometry"))
    table["lon"] = anchor.x.round(6).reindex(frame.index)
    table["lat"] = anchor.y.round(6).reindex(frame.index)
    table["geometry_type"] = geometry.geom_type.where(placed, None)
    for col in table.columns:
        if table[col].dtype == object:
            table[col] = table[col].map(neutralise_cell)
    return table


def csv_bytes(places: gpd.GeoDataFrame) -> bytes:
    """Return the places as CSV: UTF-8 with a byte-order mark, comma-separated, CRLF lines.

    Parameters
    ----------
    places
        Visible places (``visible_places``).

    Returns
    -------
    bytes
        The file (see ``csv_frame`` for its columns).
    """
    buffer = io.StringIO()
    csv_frame(places).to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode(CSV_ENCODING)


def _slug(value: str) -> str:
    """Return a value as lower-case ASCII letters, digits and hyphens (a hash if none remain)."""
    slug = _UNSAFE.sub("-", value.lower()).strip("-")
    return slug or "x" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:6]


def filters_slug(filters: Filters) -> str:
    """Return the filters in short for a file name: ``kind-theatre_status-existing``.

    Parameters
    ----------
    filters
        The view's filters (the city is named separately, see ``export_filename``).

    Returns
    -------
    str
        ``param-value.value`` per restricting filter, joined by ``_``; a filter with more than
        ``MAX_FILTER_VALUES_NAMED`` values is written as its count (``kind-5``); ``""`` for
        none. Only ``a-z``, ``0-9``, ``-``, ``.`` and ``_``.
    """
    parts = []
    for param in FILTER_PARAMS:
        values = filters.values_of(param)
        if not values:
            continue
        if len(values) > MAX_FILTER_VALUES_NAMED:
            parts.append(f"{param}-{len(values)}")
        else:
            parts.append(f"{param}-" + ".".join(_slug(v) for v in sorted(values)))
    return "_".join(parts)


def export_filename(
    filters: Filters, *, day: dt.date, extension: str, extra: Sequence[str] = ()
) -> str:
    """Return an export's file name: what, the city, the filters in short, the date.

    ``creative-spaces_almaty_kind-theatre_2026-11-29.geojson``. Every part is slugged, so the
    name holds only ``a-z``, ``0-9``, ``-``, ``.`` and ``_`` whatever the filters' values.

    Parameters
    ----------
    filters
        The view's filters; its city choice (``"both"`` for both cities) comes first.
    day
        The date the file is made.
    extension
        Without the dot: ``geojson``, ``gpkg``, ``csv``, ``html``, ``png``.
    extra
        Further parts before the date (``"tour"``, ``"1920x1080"``).

    Returns
    -------
    str
        The name, at most ``MAX_FILENAME_CHARS`` characters (the filters' part is then cut
        and a hash of it keeps names of different views apart).
    """
    city = "astana-almaty" if filters.city == "both" else _slug(filters.city)
    middle = filters_slug(filters)
    tail = [_slug(x) for x in extra] + [day.isoformat()]
    ext = _slug(extension)
    fixed = len(FILE_STEM) + len(city) + sum(len(x) + 1 for x in tail) + len(ext) + 3
    room = MAX_FILENAME_CHARS - fixed
    if len(middle) > room:
        digest = hashlib.sha256(middle.encode("utf-8")).hexdigest()[:8]
        middle = middle[: max(room - 9, 0)].rstrip("-._") + "-" + digest
    parts = [FILE_STEM, city, *([middle] if middle else []), *tail]
    return "_".join(parts) + "." + ext
