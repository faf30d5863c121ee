"""Safe reading of data files: GDAL limited to GeoPackage and GeoJSON, with no network access.

Importing this module, before ``pyogrio`` is first imported, configures GDAL for the whole
process through its environment variables (GDAL reads them when it registers its drivers,
which ``pyogrio`` does on import):

- ``GDAL_SKIP`` unregisters every vector driver but GeoPackage and GeoJSON, so a file that
  is really a VRT (which can point at any local file or URL), a CSV or a GDAL pipeline is not
  opened, whatever its name;
- ``CPL_VSIL_CURL_ALLOWED_FILENAME`` set to a name no URL can have, so GDAL's network file
  systems (``/vsicurl/``, ``/vsis3/``, ...) refuse every address without sending a request;
  the ``HTTP`` and web-service drivers are skipped as well;
- ``GDAL_DRIVER_PATH=disable``: no driver plug-ins are loaded from disk.

Every package that reads files (``layers``, ``store``, ``sources``) and ``dashboard.py`` import
it first. Each file is then checked by its content before GDAL sees it (``check_file``): a
GeoPackage must start with SQLite's header and carry a GeoPackage ``application_id``, a
GeoJSON file must parse as JSON with a GeoJSON ``type``. Anything else is refused with
``RefusedFile``, which names the file and what it is (in each language, ``in_lang``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from geo.errors import LayerLoadError
from layers.i18n import t

FileKind = Literal["gpkg", "geojson"]
ALLOWED_DRIVERS: frozenset[str] = frozenset({"GPKG", "GeoJSON"})
# Every other driver of pyogrio's GDAL build (0.13.0, GDAL 3.12) that can open vector data,
# and the raster VRT driver. GDAL has no allow-list, only this deny-list; `require_safe_gdal`
# checks after import that nothing else is registered, so a new build cannot add one unseen.
SKIPPED_DRIVERS: tuple[str, ...] = (
    "ADBC",
    "AIVector",
    "AVCBin",
    "AVCE00",
    "AmigoCloud",
    "CSV",
    "CSW",
    "Carto",
    "DGN",
    "DXF",
    "EDIGEO",
    "EEDA",
    "ESRI Shapefile",
    "ESRIJSON",
    "Elasticsearch",
    "FlatGeobuf",
    "GDALG",
    "GML",
    "GPSBabel",
    "GPX",
    "GTFS",
    "GeoJSONSeq",
    "GeoRSS",
    "HTTP",
    "Idrisi",
    "JML",
    "JSONFG",
    "KML",
    "LIBKML",
    "LVBAG",
    "MBTiles",
    "MEM",
    "MVT",
    "MapInfo File",
    "MapML",
    "MiraMonVector",
    "NGW",
    "OAPIF",
    "ODS",
    "OGCAPI",
    "OGR_GMT",
    "OGR_PDS",
    "OGR_VRT",
    "OSM",
    "OpenFileGDB",
    "PCIDSK",
    "PDF",
    "PDS4",
    "PGDUMP",
    "PLSCENES",
    "PMTiles",
    "S57",
    "SQLite",
    "SXF",
    "Selafin",
    "TopoJSON",
    "VDV",
    "VFK",
    "VICAR",
    "VRT",
    "WAsP",
    "WFS",
    "XLSX",
)
# A value no /vsicurl/ (or /vsis3/, ...) file name can equal: GDAL then treats every remote
# file as absent and sends no request.
NO_NETWORK_FILENAME = "creative-map: network access is disabled"
GDAL_ENVIRONMENT: dict[str, str] = {
    "GDAL_SKIP": ",".join(SKIPPED_DRIVERS),
    "GDAL_DRIVER_PATH": "disable",
    "CPL_VSIL_CURL_ALLOWED_FILENAME": NO_NETWORK_FILENAME,
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".creative-map-no-network",
    "GDAL_HTTP_MAX_RETRY": "0",
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    "GDAL_ALLOW_REMOTE_RESOURCE_TO_ACCESS_LOCAL_FILE": "NO",
}
MAX_GEOPACKAGE_BYTES = 2 * 1024**3  # 2 GiB: far above 100,000 places (about 60 MB)
MAX_GEOJSON_BYTES = 32 * 1024**2  # 32 MiB: a context layer is well under 1 MB; parsed whole
_SQLITE_MAGIC = b"SQLite format 3\x00"
# PRAGMA application_id, big-endian at byte 68: "GPKG" (1.2+), "GP10" and "GP11" (older).
_GEOPACKAGE_IDS = frozenset({b"GPKG", b"GP10", b"GP11"})
_GEOJSON_TYPES = frozenset(
    {
        "FeatureCollection",
        "Feature",
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    }
)
_HEAD_BYTES = 4096


class RefusedFile(LayerLoadError):  # noqa: N818 (the name says what happened to the file)
    """A data file that is not a GeoPackage or a GeoJSON file, so it was not opened.

    Parameters
    ----------
    file_name
        The file's name (not its folder: messages reach users).
    found
        What it is: ``"vrt"``, ``"text"``, ``"too_large"``, ... (the translation keys
        ``file.found.<found>`` in ``layers/i18n.py`` say it in words).
    limit_mb
        The size limit, for ``found == "too_large"``.
    """

    def __init__(self, file_name: str, found: str, *, limit_mb: int = 0) -> None:
        self.file_name = file_name
        self.found = found
        self.limit_mb = limit_mb
        super().__init__(self.in_lang("en"))

    def in_lang(self, lang: str) -> str:
        """Return the message in a language (``"kk"``, ``"ru"`` or ``"en"``).

        Parameters
        ----------
        lang
            Language code.

        Returns
        -------
        str
            The message, naming the file and what it is (the file name is not escaped).
        """
        found = t(f"file.found.{self.found}", lang, limit_mb=self.limit_mb)
        return t("file.refused", lang, file=self.file_name, found=found)


class UnsafeGdal(LayerLoadError):  # noqa: N818
    """GDAL has drivers registered that this module should have skipped."""


def harden_gdal() -> None:
    """Set GDAL's environment: only GeoPackage and GeoJSON, no network, no plug-ins.

    Takes effect for drivers only if ``pyogrio`` has not been imported yet (GDAL registers
    its drivers once); ``require_safe_gdal`` checks that it did. A ``GDAL_SKIP`` already in
    the environment is kept and extended.
    """
    earlier = os.environ.get("GDAL_SKIP", "")
    separator = "," if "," in earlier else " "  # as GDAL splits it
    for key, value in GDAL_ENVIRONMENT.items():
        os.environ[key] = value
    # An operator's own list is kept, once: a name twice makes GDAL warn on every start (and
    # a child process inherits this very list).
    names = dict.fromkeys([*(n.strip() for n in earlier.split(separator)), *SKIPPED_DRIVERS])
    os.environ["GDAL_SKIP"] = ",".join(n for n in names if n)


_checked_gdal = False


def require_safe_gdal() -> None:
    """Import GDAL (``pyogrio``) and check that it can open only the allowed formats.

    Raises
    ------
    UnsafeGdal
        If another vector driver is registered: ``pyogrio`` was imported before this
        module, or its GDAL build has a driver ``SKIPPED_DRIVERS`` does not list.
    """
    global _checked_gdal  # noqa: PLW0603 (checked once per process)
    if _checked_gdal:
        return
    import pyogrio  # noqa: PLC0415 (after harden_gdal, never at this module's import)

    extra = sorted(set(pyogrio.list_drivers()) - ALLOWED_DRIVERS)
    if extra:
        msg = (
            f"GDAL can open formats the app does not allow ({', '.join(extra)}): pyogrio was "
            "imported before layers.safe_files, or its GDAL build has drivers that "
            "SKIPPED_DRIVERS does not list; no data file is read until that is fixed"
        )
        raise UnsafeGdal(msg)
    _checked_gdal = True


def without_folders(text: object, path: Path) -> str:
    """Return a message with the file's folders taken out: only its name reaches a user.

    Parameters
    ----------
    text
        A message (or an exception) that may quote the file's full path.
    path
        The file.

    Returns
    -------
    str
        The message with ``path`` (and its folder) replaced by the file's name.
    """
    message = str(text)
    for full in (str(path), str(Path(path).resolve())):
        message = message.replace(full, path.name)
    for folder in (str(path.parent), str(Path(path).resolve().parent)):
        message = message.replace(folder, "…")
    return message


def _kind_of_text(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = text[:512].lower()
    if text.startswith(b"<"):
        return "vrt" if b"<ogrvrtdatasource" in lower or b"<vrtdataset" in lower else "xml"
    if b"\x00" in head:
        return "unknown"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:  # not just a character cut at the end of the head
            return "unknown"
    return "text"


def _check_geojson(path: Path, size: int) -> None:
    if size > MAX_GEOJSON_BYTES:
        raise RefusedFile(path.name, "too_large", limit_mb=MAX_GEOJSON_BYTES // 1024**2)
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, RecursionError):
        raise RefusedFile(path.name, "broken_json") from None
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "gdal_streamed_alg":
        raise RefusedFile(path.name, "gdalg")
    if kind not in _GEOJSON_TYPES:
        raise RefusedFile(path.name, "json")


def check_file(path: Path) -> FileKind:
    """Return what a data file is, refusing anything but a GeoPackage or a GeoJSON file.

    Reads the first bytes (and parses a GeoJSON file whole, after checking its size), so
    the file's name or extension decides nothing. Also makes sure GDAL is restricted
    (``require_safe_gdal``), since the caller opens the file with it next.

    Parameters
    ----------
    path
        A local file (``data_dir`` or ``context_dir`` joined with a dataset's file name).

    Returns
    -------
    {"gpkg", "geojson"}
        The file's kind.

    Raises
    ------
    RefusedFile
        If the file is of another kind, too large, not a regular file, or the path is a
        GDAL special path (``/vsi...``) or an address.
    UnsafeGdal
        If GDAL could open other formats (see ``require_safe_gdal``).
    FileNotFoundError
        If there is no file (callers check first, with their own message).
    """
    text = str(path)
    if text.startswith("/vsi") or "://" in text:
        raise RefusedFile(Path(text).name, "gdal_path")
    path = Path(path)
    info = path.stat()
    if not path.is_file():
        raise RefusedFile(path.name, "not_a_file")
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    kind: FileKind
    if head.startswith(_SQLITE_MAGIC):
        if head[68:72] not in _GEOPACKAGE_IDS:
            raise RefusedFile(path.name, "sqlite")
        if info.st_size > MAX_GEOPACKAGE_BYTES:
            raise RefusedFile(path.name, "too_large", limit_mb=MAX_GEOPACKAGE_BYTES // 1024**2)
        kind = "gpkg"
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        _check_geojson(path, info.st_size)
        kind = "geojson"
    else:
        raise RefusedFile(path.name, _kind_of_text(head))
    require_safe_gdal()
    return kind


harden_gdal()
