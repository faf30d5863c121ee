"""Build data/catalogue.gpkg from its reviewable sources: the curated records and the venues table.

``data/curated_places.csv`` holds the project's own records (clusters, hubs, Arbats, context
landmarks), one row per place with its geometry as WKT; ``data/curated_targets.csv`` the
programme targets; ``data/curated_tour.csv`` the guided tour's stops (``geo.tour``).
``../shared/venues.csv`` (the fact sheet's table of 63 existing cultural
venues, each with the pages its facts came from) is brought into the same schema by
``venue_records``:

- names: the table's; a language it lacks takes another's (Kazakh from Russian, Russian from
  Kazakh, else English);
- coordinates exactly as published; their accuracy reflects the table's confidence (high 50 m,
  medium 150 m, low 300 m) and the precision they were published to (a point given to the
  arc-minute is only good to about 1.1 km), with the per-venue reasons in ``LOCATION_OVERRIDES``;
- a row without coordinates has no geometry (location not confirmed), its address kept;
- the source is the page the coordinates came from, else the first page listed; the other pages
  go to ``other_sources``; a source's outlet is its web host, the same in every language;
- location notes in Kazakh, Russian and English, from the templates below;
- in Astana, the bank and district of a placed venue from the districts of 2024
  (``../shared/geodata``), when that folder is present.

Where a venue is a place the project already records (``SAME_PLACE``), the curated record stays
the one place and gains the venue's address and pages, so the map shows it once.

Run ``python -m sources.catalogue_build`` (``make catalogue``) after editing either source; it
validates everything and replaces the file only whole.
"""

from __future__ import annotations

import argparse
import csv
import logging
import math
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

import layers.safe_files  # noqa: F401  (first: GDAL's drivers and network off before any read)
from geo.district_ids import KNOWN_DISTRICTS
from geo.schema import EXACT_WITHIN_M, PLACE_COLUMNS, SOURCES_SEPARATOR, TARGET_COLUMNS
from geo.tour import validate_tour
from geo.validate import validate_places, validate_targets
from geo.weburl import WebUrlError, parse_web_url

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CURATED_PLACES = DATA_DIR / "curated_places.csv"
CURATED_TARGETS = DATA_DIR / "curated_targets.csv"
CURATED_TOUR = DATA_DIR / "curated_tour.csv"
CATALOGUE = DATA_DIR / "catalogue.gpkg"
SHARED = ROOT.parent / "shared"
VENUES_CSV = SHARED / "venues.csv"
DISTRICTS_2024 = SHARED / "geodata" / "astana_districts_2024.geojson"
BANKS = SHARED / "geodata" / "astana_banks.geojson"

BANKS_GOOD_WEST_OF_LON = 71.45
# The venues table records no dates: this is when the project read it into the catalogue.
VENUES_READ = "2026-11-29"
LANGS = ("kk", "ru", "en")

CONFIDENCE_ACCURACY_M = {"high": 50.0, "medium": 150.0, "low": 300.0}
# Half the diagonal of one arc-minute cell at 51° N (926 m by 583 m halves), rounded up.
ARC_MINUTE_ACCURACY_M = 1100.0
# Six decimals of a degree are 0.00006 of an arc-minute: anything closer is a whole minute.
WHOLE_MINUTE_TOLERANCE = 1e-3

# Venue ids of the table that are places the curated records already hold.
SAME_PLACE: Mapping[str, str] = {
    "astana_hub": "astana_hub",
    "astana_zhastar_palace": "astana_zhastar_sarayy",
    "astana_omarov_street_arbat": "astana_omarov_arbat",
}

_CONFIDENCE_WORDS = {
    "high": {"kk": "жоғары", "ru": "высокая", "en": "high"},
    "medium": {"kk": "орташа", "ru": "средняя", "en": "medium"},
    "low": {"kk": "төмен", "ru": "низкая", "en": "low"},
}
_PUBLISHED = {
    "kk": "Дереккөз жариялаған координаттар ({dms}); сенімділігі: {confidence}.",
    "ru": "Координаты в том виде, как их публикует источник ({dms}); достоверность: {confidence}.",
    "en": "Coordinates as the source publishes them ({dms}); confidence: {confidence}.",
}
_ARC_MINUTE = {
    "kk": "Тек бұрыштық минутқа дейінгі дәлдікпен жарияланған: шамамен ±1 км.",
    "ru": "Опубликованы с точностью лишь до угловой минуты: около ±1 км.",
    "en": "Published to the arc-minute only: about ±1 km.",
}
_ADDRESS_ONLY = {
    "kk": "Тек мекенжайы жарияланған; оқылған дереккөздерде координаттар табылмады.",
    "ru": "Опубликован только адрес; в прочитанных источниках координат не нашлось.",
    "en": "Only the address is published; no coordinates were found in the sources read.",
}
_NOTHING = {
    "kk": "Оқылған дереккөздерде мекенжай да, координаттар да табылмады.",
    "ru": "В прочитанных источниках не нашлось ни адреса, ни координат.",
    "en": "Neither an address nor coordinates were found in the sources read.",
}


_RECORD_CONFIDENCE = {
    "kk": "Жазбаның сенімділігі: {confidence}.",
    "ru": "Достоверность записи: {confidence}.",
    "en": "Confidence in the record: {confidence}.",
}
_STILL_OPEN = {
    "kk": "Қазір жұмыс істейтіні расталмаған: дереккөздері ескі немесе күнсіз.",
    "ru": "Работает ли сейчас, не подтверждено: источники старые или без даты.",
    "en": "Whether it still operates is not confirmed: its sources are old or undated.",
}
# What a venue's notes warn a visitor of, in each language: the table's caveats, one by one.
CAVEATS: Mapping[str, Mapping[str, str]] = {
    "almaty_tengri_umai_gallery": _STILL_OPEN,
    "almaty_gallery_state": _STILL_OPEN,
    "astana_kulanshi_art_centre": _STILL_OPEN,
    "astana_has_sanat_gallery": _STILL_OPEN,
    "astana_presidential_culture_centre": {
        "kk": "2014 жылы Ұлттық музей ашылғаннан кейінгі қазіргі қызметі тексерілмеген.",
        "ru": "Нынешнее назначение здания после открытия Национального музея (2014) не проверено.",
        "en": "Its current use since the National Museum opened (2014) was not verified.",
    },
    "astana_baiseitova_opera_theatre": {
        "kk": "Дереккөздері ескі; труппаның қазіргі атауы мен сахнасы тексерілмеген.",
        "ru": "Источники старые; нынешнее название труппы и её сцена не проверены.",
        "en": "Its sources are old; the company's current name and venue were not verified.",
    },
    "almaty_kunaev_museum": {
        "kk": "Дереккөздерде үй нөмірі әртүрлі: Төлебаев көшесі, 117 немесе 119.",
        "ru": "Источники расходятся в номере дома: Тулебаева, 117 или 119.",
        "en": "Sources differ on the house number: Tulebaev street 117 or 119.",
    },
    "almaty_korean_theatre": {
        "kk": "Театр 2018 жылы көшті; ескі беттер бұрынғы мекенжайды береді "
        "(Папанин көшесі, 70/1).",
        "ru": "Театр переехал в 2018 году; старые страницы дают прежний адрес (Папанина, 70/1).",
        "en": "The theatre moved in 2018; older pages give its former address (Papanin 70/1).",
    },
    "almaty_auezov_theatre": {
        "kk": "Дереккөздер мекенжайды әртүрлі береді (Абай даңғылы, 103; Құрманғазы көшесі).",
        "ru": "Источники указывают адрес по-разному (проспект Абая, 103; улица Курмангазы).",
        "en": "Sources word the address differently (Abai avenue 103; Kurmangazy street).",
    },
    "almaty_park_innovative_technologies": {
        "kk": "Аумақтың қазіргі Алматы шекарасында екені тексерілмеген.",
        "ru": "Находится ли площадка в нынешних границах Алматы, не проверено.",
        "en": "Whether the site lies inside Almaty's current city limits was not verified.",
    },
    "astana_first_president_museum": {
        "kk": "Билет сайты (күнсіз) музейді уақытша жабық деп жазады.",
        "ru": "Сайт продажи билетов (без даты) пишет, что музей временно закрыт.",
        "en": "A ticket site (undated) says the museum is temporarily closed.",
    },
    "almaty_iskra_cinema": {
        "kk": "Жабық: энциклопедия бойынша 2016 жылы жұмыс істемеген; басқа дереккөз 2009 жылы "
        "жабылғанын айтады.",
        "ru": "Закрыт: по энциклопедии, в 2016 году не работал; другой источник пишет, что он "
        "закрылся в 2009 году.",
        "en": "Closed: not working in 2016 (encyclopedia); another source says it closed in 2009.",
    },
}


# What kind of page published a venue's coordinates, in each language (part of its outlet).
PAGE_KINDS: Mapping[str, Mapping[str, str]] = {
    "wikipedia": {"kk": "Уикипедия", "ru": "Википедия", "en": "Wikipedia"},
    "mirror": {"kk": "Уикипедия айнасы", "ru": "зеркало Википедии", "en": "Wikipedia mirror"},
    "translated": {
        "kk": "Уикипедия айнасының машиналық аудармасы",
        "ru": "машинный перевод зеркала Википедии",
        "en": "machine-translated Wikipedia mirror",
    },
    "travel": {"kk": "туристік сайт", "ru": "туристический сайт", "en": "travel site"},
}
# The page each published point came from: its own title (in its own language) and its kind.
COORDINATE_PAGES: Mapping[str, tuple[str, str]] = {
    "almaty_abay_opera_house": ("Abay Opera House", "mirror"),
    "almaty_central_state_museum": ("Central State Museum of Kazakhstan", "translated"),
    "almaty_auezov_theatre": ("Aouézov Theater", "translated"),
    "almaty_lermontov_theatre": ("Russian Drama Theater named after M. Y. Lermontov", "travel"),
    "almaty_tengri_umai_gallery": (
        "Russian Drama Theater named after M. Y. Lermontov",
        "travel",
    ),
    "almaty_ykylas_museum": ("Museum of Kazakh Folk Musical Instruments", "travel"),
    "almaty_palace_of_the_republic": ("Palace of the Republic, Almaty", "mirror"),
    "almaty_national_library": ("National Library of Kazakhstan", "mirror"),
    "almaty_musrepov_youth_theatre": ("Musirepov Ungdomsteater", "translated"),
    "astana_opera": ("Astana Opera", "wikipedia"),
    "astana_central_concert_hall": ("Kazakhstan Central Concert Hall", "translated"),
    "astana_national_museum": ("National Museum of the Republic of Kazakhstan", "mirror"),
    "astana_palace_of_peace_and_reconciliation": ("Palace of Peace and Reconciliation", "mirror"),
    "astana_kulanshi_art_centre": ("Palace of Peace and Reconciliation", "mirror"),
    "astana_palace_of_independence": ("Palácio da Independência (Astana)", "translated"),
    "astana_first_president_museum": ("Museum of the First President", "travel"),
    "astana_kuanyshbayev_theatre": (
        "Казахский музыкально-драматический театр имени К. Куанышбаева",
        "travel",
    ),
}


@dataclass(frozen=True)
class LocationOverride:
    """A venue whose notes say more about its position than its confidence does."""

    accuracy_m: float
    note: Mapping[str, str]


LOCATION_OVERRIDES: Mapping[str, LocationOverride] = {
    # In the foyer of the Lermontov theatre: the building's point, which is well sourced.
    "almaty_tengri_umai_gallery": LocationOverride(
        50.0,
        {
            "kk": "Галерея орналасқан ғимараттың координаттары (Лермонтов атындағы театр).",
            "ru": "Координаты здания, где находится галерея (театр имени Лермонтова); "
            "галерея внутри него.",
            "en": "Coordinates of the host building (the Lermontov theatre); the gallery is "
            "inside it.",
        },
    ),
    "astana_kulanshi_art_centre": LocationOverride(
        50.0,
        {
            "kk": "Арт-орталық орналасқан ғимараттың координаттары (Бейбітшілік және келісім "
            "сарайы).",
            "ru": "Координаты здания, где находится арт-центр (Дворец мира и согласия); "
            "арт-центр внутри него.",
            "en": "Coordinates of the host building (the Palace of Peace and Reconciliation); "
            "the art centre is inside it.",
        },
    ),
    # The fact sheet rates the point low-medium: old building or new one, unknown.
    "astana_kuanyshbayev_theatre": LocationOverride(
        300.0,
        {
            "kk": "Дереккөз жариялаған GPS нүктесі (N51.16805 E71.41105); ол ескі ғимарат па "
            "(Омаров көшесі, 47А), әлде 2020 жылы ашылған жаңа ғимарат па, дереккөз айтпайды.",
            "ru": "GPS-точка из источника (N51.16805 E71.41105); источник не уточняет, старое "
            "это здание (улица Омарова, 47А) или новое, открытое в 2020 году.",
            "en": "GPS point as the source publishes it (N51.16805 E71.41105); the source does "
            "not say whether the point is the old building (Omarov street 47A) or the new one "
            "opened in 2020.",
        },
    ),
}


class BuildError(Exception):
    """A source of the catalogue cannot be read or does not validate."""


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    out = str(value).strip()
    return out or None


def urls_in(text: str | None) -> list[str]:
    """Return the web addresses of a venues-table cell, in order, each checked.

    Parts are separated by " ; "; a part may carry a remark after its address (for example
    ``http://kettik.kz/?p=24934 (address)``), which is dropped. A part that is not a plain web
    address is left out and logged.

    Parameters
    ----------
    text
        A ``coord_source_url`` or ``other_source_url`` cell.

    Returns
    -------
    list of str
        The addresses.
    """
    out: list[str] = []
    for part in (text or "").split(SOURCES_SEPARATOR):
        words = part.split()
        if not words:
            continue
        # Parentheses and non-ASCII letters percent-encoded: the same page, as a link that
        # cannot end early in Markdown.
        url = quote(words[0], safe=":/?#[]@!$&'*+,;=%~")
        parts = urlsplit(url)
        if parts.netloc.endswith("."):  # "ticketon.kz./en": the same host, written as a FQDN
            url = parts._replace(netloc=parts.netloc.rstrip(".")).geturl()
        try:
            out.append(parse_web_url(url).href)
        except WebUrlError:
            log.warning("not a web address, left out: %r", part)
    return out


def outlet_of(url: str) -> str:
    """Return a page's outlet: its web host without ``www.`` (``wildticketasia.com``)."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    return host.removeprefix("www.")


def coordinate_precision_m(lat: float, lon: float) -> float:
    """Return how coarse published coordinates are: 1,100 m for whole arc-minutes, else 0.

    A point given as 51°07′N 71°28′E is stored as 51.116667, 71.466667: both values are whole
    arc-minutes (to the 6 decimals the table keeps).
    """
    whole = all(abs(v * 60 - round(v * 60)) < WHOLE_MINUTE_TOLERANCE for v in (lat, lon))
    return ARC_MINUTE_ACCURACY_M if whole else 0.0


def dms(lat: float, lon: float) -> str:
    """Return a point as degrees, minutes and seconds: ``43°14′56″N 76°56′45″E``.

    A point published to the arc-minute is written to the arc-minute (``51°07′N 71°28′E``).
    """
    coarse = coordinate_precision_m(lat, lon) > 0

    def one(value: float, hemispheres: str) -> str:
        hemi = hemispheres[0] if value >= 0 else hemispheres[1]
        if coarse:
            deg, minutes = divmod(round(abs(value) * 60), 60)
            return f"{deg}°{minutes:02d}′{hemi}"
        tenths = round(abs(value) * 36_000)  # tenths of an arc-second: 39.3″ stays 39.3″
        deg, rest = divmod(tenths, 36_000)
        minutes, rest = divmod(rest, 600)
        seconds = f"{rest // 10:02d}" if rest % 10 == 0 else f"{rest // 10:02d}.{rest % 10}"
        return f"{deg}°{minutes:02d}′{seconds}″{hemi}"

    return f"{one(lat, 'NS')} {one(lon, 'EW')}"


def coordinate_page(vid: str) -> tuple[str, Mapping[str, str]]:
    """Return the title of the page a venue's coordinates came from, and what kind of page it is.

    The table's ``coord_source_title`` mixes the page's title with the compiler's description of
    the page and the coordinates it quotes; ``COORDINATE_PAGES`` holds them apart, venue by venue.

    Raises
    ------
    BuildError
        If a venue with coordinates is not in the table of coordinate pages.
    """
    try:
        title, kind = COORDINATE_PAGES[vid]
    except KeyError:
        msg = f"venue {vid!r} has coordinates, but COORDINATE_PAGES does not say from which page"
        raise BuildError(msg) from None
    return title, PAGE_KINDS[kind]


def _names(row: Mapping[str, str | None]) -> dict[str, str]:
    en = row["name_en"]
    if not en:
        msg = f"venue {row['id']!r}: name_en is empty"
        raise BuildError(msg)
    ru = row["name_ru"] or row["name_kk"] or en
    kk = row["name_kk"] or row["name_ru"] or en
    return {"kk": kk, "ru": ru, "en": en}


def _bank_from_address(address: str | None) -> str | None:
    text = (address or "").lower()
    if "left bank" in text:
        return "left"
    if "right bank" in text:
        return "right"
    return None


def _district_from_address(address: str | None, city: str | None) -> str | None:
    # An address may name its district ("Bekkhozhin Street 6A (Medeu district)").
    named = [d for d in KNOWN_DISTRICTS.get(city or "", ()) if f"{d} district" in (address or "")]
    return named[0] if len(named) == 1 else None


def venue_record(row: Mapping[str, str | None]) -> dict[str, object]:
    """Return one venues-table row as a record of the places schema (geometry under ``geometry``).

    Parameters
    ----------
    row
        A row of ``venues.csv`` (empty cells as ``None``).

    Returns
    -------
    dict
        The record, not yet validated.
    """
    vid = row["id"] or ""
    confidence = row["confidence"] or ""
    if confidence not in CONFIDENCE_ACCURACY_M:
        msg = f"venue {vid!r}: confidence must be high, medium or low, got {confidence!r}"
        raise BuildError(msg)
    coord_urls = urls_in(row["coord_source_url"])
    other_urls = urls_in(row["other_source_url"])
    sources = coord_urls + [u for u in other_urls if u not in coord_urls]
    if not sources:
        msg = f"venue {vid!r}: no source page with a web address"
        raise BuildError(msg)
    address = row["address"]
    geometry: Point | None = None
    accuracy: float | None = None
    if row["lat"] and row["lon"]:
        lat, lon = float(row["lat"]), float(row["lon"])
        geometry = Point(lon, lat)
        accuracy = max(CONFIDENCE_ACCURACY_M[confidence], coordinate_precision_m(lat, lon))
        notes = {
            lang: _PUBLISHED[lang].format(
                dms=dms(lat, lon), confidence=_CONFIDENCE_WORDS[confidence][lang]
            )
            for lang in LANGS
        }
        if coordinate_precision_m(lat, lon):
            notes = {lang: f"{notes[lang]} {_ARC_MINUTE[lang]}" for lang in LANGS}
        override = LOCATION_OVERRIDES.get(vid)
        if override is not None:
            accuracy, notes = override.accuracy_m, dict(override.note)
    else:
        notes = dict(_ADDRESS_ONLY if address else _NOTHING)
    record_confidence = {
        lang: _RECORD_CONFIDENCE[lang].format(confidence=_CONFIDENCE_WORDS[confidence][lang])
        for lang in LANGS
    }
    if geometry is None:  # a placed venue's note states its coordinates' confidence already
        notes = {lang: f"{notes[lang]} {record_confidence[lang]}" for lang in LANGS}
    caveat = CAVEATS.get(vid, {})
    names = _names(row)
    host = outlet_of(sources[0])
    outlet = dict.fromkeys(LANGS, host)
    title = None
    if geometry is not None:
        title, page_kind = coordinate_page(vid)
        outlet = {lang: f"{host} ({page_kind[lang]})" for lang in LANGS}
    return {
        "id": vid,
        **{f"name_{lang}": names[lang] for lang in LANGS},
        "city": row["city"],
        "bank": _bank_from_address(address) if row["city"] == "astana" else None,
        "district": _district_from_address(address, row["city"]),
        "kind": row["kind"],
        "status": row["status"],
        "status_as_of": None,  # the table says what is, not since when
        **{f"summary_{lang}": caveat.get(lang) for lang in LANGS},
        "announced_date": None,
        "target_year": None,
        "area_m2": None,
        "address": address,
        "location_accuracy_m": accuracy,
        **{f"location_note_{lang}": notes[lang] for lang in LANGS},
        **{f"source_outlet_{lang}": outlet[lang] for lang in LANGS},
        "source_title": title,
        "source_date": None,
        "source_url": sources[0],
        "other_sources": SOURCES_SEPARATOR.join(sources[1:]) or None,
        "checked_date": VENUES_READ,
        "geometry": geometry,
    }


def read_venues(path: Path) -> list[dict[str, str | None]]:
    """Return the venues table's rows, empty cells as ``None``.

    Raises
    ------
    BuildError
        If the file is missing or lacks a column.
    """
    if not path.is_file():
        msg = f"the venues table {path} is not there (it lives in ../shared beside the project)"
        raise BuildError(msg)
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = [{k: _text(v) for k, v in r.items()} for r in reader]
    need = {"id", "city", "name_en", "name_ru", "name_kk", "kind", "address", "lat", "lon"}
    need |= {"coord_source_url", "coord_source_title", "other_source_url", "status", "confidence"}
    missing = sorted(need - set(reader.fieldnames or ()))
    if missing:
        msg = f"{path}: missing columns {missing}"
        raise BuildError(msg)
    return rows


def read_curated(path: Path = CURATED_PLACES) -> gpd.GeoDataFrame:
    """Return the curated records: the CSV's columns, geometry from ``geometry_wkt``."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame = frame.replace({"": None})
    geoms = [shapely.from_wkt(w) if w else None for w in frame.pop("geometry_wkt")]
    for col in ("location_accuracy_m", "area_m2"):
        frame[col] = pd.to_numeric(frame[col]).astype("float64")
    frame["target_year"] = pd.to_numeric(frame["target_year"]).astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"))


def read_targets(path: Path = CURATED_TARGETS) -> pd.DataFrame:
    """Return the programme targets of the curated CSV."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame = frame.replace({"": None})
    frame["quantity"] = pd.to_numeric(frame["quantity"]).astype("float64")
    frame["deadline_year"] = pd.to_numeric(frame["deadline_year"]).astype("Int64")
    return frame[list(TARGET_COLUMNS)]


def read_tour(path: Path = CURATED_TOUR) -> pd.DataFrame:
    """Return the guided tour's stops of the curated CSV (checked by ``write_catalogue``)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.replace({"": None})


def _join_sources(*values: object) -> str | None:
    seen: dict[str, None] = {}
    for value in values:
        for part in str(value or "").split(SOURCES_SEPARATOR):
            if part.strip():
                seen.setdefault(part.strip(), None)
    return SOURCES_SEPARATOR.join(seen) or None


def _fold_into_curated(curated: gpd.GeoDataFrame, venue: Mapping[str, object]) -> None:
    """Add a venue's address and pages to the curated record of the same place, in place."""
    pid = SAME_PLACE[str(venue["id"])]
    where = curated.index[curated["id"] == pid]
    if len(where) != 1:
        msg = f"venue {venue['id']!r} is the curated record {pid!r}, which is not there"
        raise BuildError(msg)
    i = where[0]
    if curated.at[i, "address"] is None and venue["address"]:
        curated.at[i, "address"] = venue["address"]
    urls = [venue["source_url"], venue["other_sources"]]
    own = curated.at[i, "source_url"]
    merged = _join_sources(curated.at[i, "other_sources"], *urls)
    parts = [p for p in (merged or "").split(SOURCES_SEPARATOR) if p and p != own]
    curated.at[i, "other_sources"] = SOURCES_SEPARATOR.join(parts) or None


def _where_in_astana(venues: gpd.GeoDataFrame, districts: Path, banks: Path) -> gpd.GeoDataFrame:
    """Fill bank and district of placed Astana venues from the 2024 districts, if present."""
    if not (districts.is_file() and banks.is_file()):
        log.warning("no %s: banks and districts of venues left empty", districts.parent)
        return venues
    placed = venues[(venues["city"] == "astana") & venues.geometry.notna()]
    if placed.empty:
        return venues
    d = gpd.read_file(districts).to_crs("EPSG:4326")[["name_en", "geometry"]]
    b = gpd.read_file(banks).to_crs("EPSG:4326")[["bank", "geometry"]]
    for i, point in placed.geometry.items():
        hit_d = d[d.covers(point)]
        hit_b = b[b.covers(point)]
        if len(hit_d) == 1:  # "Yesil (Esil) District" -> "Yesil", as the curated records say
            venues.at[i, "district"] = str(hit_d["name_en"].iloc[0]).split()[0]
        # East of 71.45° E the banks' line runs 2-3 km south of the river (geodata README).
        if len(hit_b) == 1 and point.x < BANKS_GOOD_WEST_OF_LON:
            venues.at[i, "bank"] = hit_b["bank"].iloc[0]
    return venues


def build_places(
    venues_csv: Path = VENUES_CSV,
    curated_csv: Path = CURATED_PLACES,
    *,
    districts: Path = DISTRICTS_2024,
    banks: Path = BANKS,
) -> gpd.GeoDataFrame:
    """Return every catalogue place: the curated records, then the venues table's own places.

    Parameters
    ----------
    venues_csv, curated_csv
        The two sources.
    districts, banks
        Astana's districts of 2024 and its banks (GeoJSON), for placed venues.

    Returns
    -------
    geopandas.GeoDataFrame
        Validated records of ``PLACE_COLUMNS`` in EPSG:4326.
    """
    curated = read_curated(curated_csv)
    records = [venue_record(r) for r in read_venues(venues_csv)]
    own = []
    for record in records:
        if record["id"] in SAME_PLACE:
            _fold_into_curated(curated, record)
        else:
            own.append(record)
    frame = pd.DataFrame.from_records(own, columns=[*PLACE_COLUMNS, "geometry"])
    venues = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    venues = _where_in_astana(venues, districts, banks)
    places = pd.concat([curated[[*PLACE_COLUMNS, "geometry"]], venues], ignore_index=True)
    places = gpd.GeoDataFrame(places, geometry="geometry", crs="EPSG:4326")
    places["target_year"] = places["target_year"].astype("Int64")
    for col in ("area_m2", "location_accuracy_m"):
        places[col] = places[col].astype("float64")
    return validate_places(places)


def write_catalogue(
    places: gpd.GeoDataFrame,
    targets: pd.DataFrame,
    path: Path,
    *,
    tour: pd.DataFrame | None = None,
) -> None:
    """Write the tables to a temporary GeoPackage beside ``path``, then replace ``path`` whole.

    The tour (when given) is checked against the places' and targets' ids first.
    """
    validate_targets(targets)
    if tour is not None:
        tour = validate_tour(tour, place_ids=set(places["id"]), target_ids=set(targets["id"]))
    fd, tmp_name = tempfile.mkstemp(suffix=".gpkg", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        places.to_file(tmp, layer="places", driver="GPKG")
        with sqlite3.connect(tmp) as db:
            targets.to_sql("targets", db, index=False)
            db.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                "VALUES ('targets', 'attributes', 'targets')"
            )
            if tour is not None:
                tour.to_sql("tour", db, index=False)
                db.execute(
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                    "VALUES ('tour', 'attributes', 'tour')"
                )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


README = DATA_DIR / "README.md"
TABLE_START = "<!-- places table: written by `python -m sources.catalogue_build`; do not edit -->"
TABLE_END = "<!-- end of places table -->"


def _location_cell(geom: object, accuracy: object) -> str:
    if not isinstance(geom, shapely.Geometry) or geom.is_empty:
        return "not confirmed (no geometry)"
    metres = float(str(accuracy))  # validated: a number wherever there is a geometry
    how = "exact" if metres <= EXACT_WITHIN_M else "approximate"
    return f"{geom.geom_type}, {how} ±{metres:,.0f} m"


def records_table(places: gpd.GeoDataFrame) -> str:
    """Return the places as the Markdown table of ``data/README.md``, one row per record."""
    head = (
        "| id | name | city | kind | status (as of) | target | address | location | source |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    rows = [head]
    for rec in places.itertuples(index=False):
        year = "" if pd.isna(rec.target_year) else str(int(rec.target_year))
        source = ", ".join(
            str(v) for v in (rec.source_outlet_en, rec.source_date) if isinstance(v, str) and v
        )
        cells = (
            f"`{rec.id}`",
            rec.name_en,
            rec.city,
            rec.kind,
            f"{rec.status} ({rec.status_as_of})"
            if isinstance(rec.status_as_of, str)
            else rec.status,
            year,
            rec.address if isinstance(rec.address, str) else "",
            _location_cell(rec.geometry, rec.location_accuracy_m),
            source,
        )
        rows.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)


def write_readme_table(places: gpd.GeoDataFrame, readme: Path = README) -> None:
    """Replace the places table in ``data/README.md`` (between its markers) with the records."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(TABLE_START), text.index(TABLE_END)
    table = records_table(places)
    readme.write_text(
        f"{text[: start + len(TABLE_START)]}\n{table}\n{text[end:]}", encoding="utf-8"
    )


def main(argv: Iterable[str] | None = None) -> int:
    """Build the catalogue; print what it holds. Returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venues", type=Path, default=VENUES_CSV)
    parser.add_argument("--out", type=Path, default=CATALOGUE)
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        places = build_places(args.venues)
        write_catalogue(places, read_targets(), args.out, tour=read_tour())
        if args.out == CATALOGUE:
            write_readme_table(places)
    except BuildError as err:
        print(f"catalogue not built: {err}", file=sys.stderr)
        return 1
    placed = int(places.geometry.notna().sum())
    print(f"{args.out}: {len(places)} places ({placed} with a position), written whole")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
