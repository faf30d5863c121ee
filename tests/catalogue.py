"""A small catalogue built in code: what AppTests and browser tests run the app on.

The places borrow names of real ones so the tests read naturally, but this is test input, not
data: positions are rounded and some facts are made up to cover every case the app handles.
Tests compute what they expect from ``PLACES`` and ``TARGETS``, never from ``data/``, so
adding a real place to ``data/catalogue.gpkg`` breaks no test (``tests/layers/
test_registry_load.py`` is the one check of the real files).

What it covers: both cities; Astana's left and right bank and a place whose bank is unknown;
exact points, approximate points (with their accuracy), a LineString, a Polygon and places with
no geometry; several kinds and statuses, including ones not built yet; target years and none;
districts and none; two places at one position (ties in distance).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geo.schema import CITY_BBOX_LON_LAT, PLACE_COLUMNS, TARGET_COLUMNS
from geo.tour import TOUR_COLUMNS, validate_tour
from geo.validate import validate_places, validate_targets

CATALOGUE_FILE = "catalogue.gpkg"
DEFAULT_N = 5  # results the near page shows unless told otherwise
GEOD = Geod(ellps="WGS84")
CHECKED = "2026-11-21"
SOURCE = "Test source"

# Positions (lat, lon) that tests click, search or stand at.
BAITEREK_LAT_LON = (51.12810, 71.43030)
EXPO_LAT_LON = (51.08930, 71.41640)
TSELINNY_LAT_LON = (43.24833, 76.92889)
RIGHT_BANK_LAT_LON = (51.17000, 71.43000)  # north of the Esil, near the Polygon


# A test record's location note in each language (the card shows the reader's).
NOTES = {
    True: {"kk": "Сынақ нүктесі.", "ru": "Тестовое положение.", "en": "Test position."},
    False: {
        "kk": "Тұрған жері белгісіз (сынақ).",
        "ru": "Положение неизвестно (тест).",
        "en": "Position unknown (test).",
    },
}


def _notes(*, placed: bool) -> dict[str, str]:
    return {f"location_note_{lang}": text for lang, text in NOTES[placed].items()}


def _place(  # noqa: PLR0913 - one keyword per column that varies between the test places
    pid: str,
    names: tuple[str, str, str],
    *,
    city: str,
    kind: str,
    status: str,
    geometry: BaseGeometry | None,
    accuracy_m: float | None,
    bank: str | None = None,
    district: str | None = None,
    target_year: int | None = None,
    area_m2: float | None = None,
    source_outlet: str = SOURCE,
) -> dict[str, object]:
    name_kk, name_ru, name_en = names
    return {
        "id": pid,
        "name_kk": name_kk,
        "name_ru": name_ru,
        "name_en": name_en,
        "city": city,
        "bank": bank,
        "district": district,
        "kind": kind,
        "status": status,
        "status_as_of": "2025-06-01",
        "announced_date": "2024-01-15" if status != "existing" else None,
        "target_year": np.nan if target_year is None else float(target_year),
        "area_m2": np.nan if area_m2 is None else float(area_m2),
        "summary_kk": f"{name_kk}: сынақ жазбасы.",
        "summary_ru": f"{name_ru}: тестовая запись.",
        "summary_en": f"{name_en}: a test record.",
        "location_accuracy_m": np.nan if accuracy_m is None else float(accuracy_m),
        "address": None,
        **_notes(placed=geometry is not None),
        **{f"source_outlet_{lang}": source_outlet for lang in ("kk", "ru", "en")},
        "source_title": f"About {name_en}",
        "source_date": "2024-01-15",
        "source_url": f"https://example.org/{pid}",
        "other_sources": None,
        "checked_date": CHECKED,
        "geometry": geometry,
    }


def _records() -> list[dict[str, object]]:
    blat, blon = BAITEREK_LAT_LON
    elat, elon = EXPO_LAT_LON
    tlat, tlon = TSELINNY_LAT_LON
    return [
        _place(
            "astana_expo_cluster",
            ("ЭКСПО креативті кластері", "Креативный кластер ЭКСПО", "EXPO creative cluster"),
            city="astana",
            kind="creative_cluster",
            status="proposed",
            geometry=Point(elon, elat),
            accuracy_m=300,
            bank="left",
            district="Yesil",
            target_year=2027,
            area_m2=250_000,
        ),
        _place(
            "astana_hub",  # the same position as the cluster: a tie in distance
            ("Astana Hub IT-паркі", "IT-парк Astana Hub", "Astana Hub IT park"),
            city="astana",
            kind="it_hub",
            status="existing",
            geometry=Point(elon, elat),
            accuracy_m=300,
            bank="left",
            district="Yesil",
        ),
        _place(
            "astana_water_green_boulevard",
            ("Су-жасыл бульвар", "Водно-зелёный бульвар", "Water-Green Boulevard"),
            city="astana",
            kind="creative_cluster",
            status="proposed",
            geometry=LineString([(71.4300, 51.1280), (71.4240, 51.1190), (71.4180, 51.1100)]),
            accuracy_m=150,
            bank="left",
        ),
        _place(
            "astana_baiterek",
            ("Бәйтерек", "Байтерек", "Baiterek"),
            city="astana",
            kind="landmark",
            status="existing",
            geometry=Point(blon, blat),
            accuracy_m=20,
            bank="left",
            district="Yesil",
        ),
        _place(
            "astana_khan_shatyr",
            ("Хан Шатыр", "Хан Шатыр", "Khan Shatyr"),
            city="astana",
            kind="landmark",
            status="existing",
            geometry=Point(71.4036, 51.1324),
            accuracy_m=50,
            bank="left",
            district="Nura",
        ),
        _place(
            "astana_music_studio",
            ("Нұра дыбыс студиясы", "Студия звукозаписи Нура", "Nura recording studio"),
            city="astana",
            kind="studio",
            status="under_construction",
            geometry=Point(71.4120, 51.1000),
            accuracy_m=40,
            bank="left",
            district="Nura",
            target_year=2026,
        ),
        _place(
            "astana_arena",  # placed, but its bank is not recorded
            ("Астана Арена", "Астана Арена", "Astana Arena"),
            city="astana",
            kind="landmark",
            status="existing",
            geometry=Point(71.4020, 51.1080),
            accuracy_m=100,
        ),
        _place(
            "astana_old_town_square",
            ("Ескі қала алаңы", "Площадь старого города", "Old town square"),
            city="astana",
            kind="pedestrian_zone",
            status="announced",
            geometry=Polygon(
                [(71.4220, 51.1660), (71.4280, 51.1660), (71.4280, 51.1690), (71.4220, 51.1690)]
            ),
            accuracy_m=30,
            bank="right",
            district="Saryarka",
            target_year=2028,
        ),
        _place(
            "astana_zhastar_sarayy",
            ("«Жастар сарайы»", "Дворец молодёжи «Жастар»", "Zhastar Palace of Youth"),
            city="astana",
            kind="creative_hub",
            status="planned",
            geometry=None,
            accuracy_m=None,
            bank="right",
            source_outlet="Kazinform",
        ),
        _place(
            "almaty_depo",
            (
                "Depo Art and Science Center (бұрынғы трамвай депосы)",
                "Depo Art and Science Center (бывшее трамвайное депо)",
                "Depo Art and Science Center",
            ),
            city="almaty",
            kind="creative_cluster",
            status="planned",
            geometry=Point(76.9050, 43.2560),
            accuracy_m=300,
            district="Almaly",
            target_year=2025,
            source_outlet="Zakon.kz",
        ),
        _place(
            "almaty_tselinny",
            (
                "«Целинный» заманауи мәдениет орталығы",
                "Центр современной культуры «Целинный»",
                "Tselinny Center of Contemporary Culture",
            ),
            city="almaty",
            kind="arts_centre",
            status="existing",
            geometry=Point(tlon, tlat),
            accuracy_m=30,
            district="Almaly",
        ),
        _place(
            "almaty_film_hub",
            ("Алматы кино хабы", "Киноцентр Алматы", "Almaty film hub"),
            city="almaty",
            kind="creative_hub",
            status="announced",
            geometry=None,
            accuracy_m=None,
        ),
    ]


def places_frame() -> gpd.GeoDataFrame:
    """Return the test places in EPSG:4326, in catalogue order, validated.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per place with every column of ``geo.schema.PLACE_COLUMNS``.
    """
    frame = pd.DataFrame(_records())
    places = gpd.GeoDataFrame(
        frame[list(PLACE_COLUMNS)], geometry=gpd.GeoSeries(frame["geometry"]), crs="EPSG:4326"
    )
    return validate_places(places)


def targets_frame() -> pd.DataFrame:
    """Return a small targets table, one row per city, validated."""
    rows = [
        {
            "id": "almaty_creative_hubs_2025",
            "city": "almaty",
            "what_kk": "Креативті хабтар",
            "what_ru": "Креативные хабы",
            "what_en": "Creative hubs",
            "promised_by_kk": "Әкімнің орынбасары (тест)",
            "promised_by_ru": "Заместитель акима (тест)",
            "promised_by_en": "Deputy akim (test)",
            "quantity": 3,
            "unit": "count",
            "deadline_year": 2025.0,
            "progress_kk": "Хабар жоқ (тест).",
            "progress_ru": "Не сообщается (тест).",
            "progress_en": "No progress reported (test).",
            "places_filter": "city=almaty&kind=creative_hub,it_hub",
            "progress_measure": "count",
            "progress_as_of": CHECKED,
            "source_outlet": "Zakon.kz",
            "source_title": "Test targets",
            "source_date": "2022-09-12",
            "source_url": None,
            "checked_date": CHECKED,
        },
        {
            "id": "astana_ideas_competition",
            "city": "astana",
            "what_kk": "Идеялар байқауы",
            "what_ru": "Конкурс идей",
            "what_en": "Ideas competition",
            "promised_by_kk": "Басқарма басшысы (тест)",
            "promised_by_ru": "Руководитель управления (тест)",
            "promised_by_en": "Head of the office (test)",
            "quantity": 1,
            "unit": "event",
            "deadline_year": np.nan,
            "progress_kk": "Жарияланды (тест).",
            "progress_ru": "Объявлен (тест).",
            "progress_en": "Announced (test).",
            "places_filter": None,
            "progress_measure": None,
            "progress_as_of": CHECKED,
            "source_outlet": SOURCE,
            "source_title": "Test targets",
            "source_date": "2024-01-15",
            "source_url": "https://example.org/ideas",
            "checked_date": CHECKED,
        },
    ]
    return validate_targets(pd.DataFrame(rows, columns=list(TARGET_COLUMNS)))


def tour_frame() -> pd.DataFrame:
    """Return a small guided tour: placed stops, an unplaced one, a line, and a target stop."""
    stops = [
        ("astana_expo_cluster", None, 15, None, None, None, "EXPO test caption"),
        ("astana_water_green_boulevard", None, 14, None, None, None, "Boulevard test caption"),
        ("astana_zhastar_sarayy", None, 13, "bank", 51.168, 71.43, "Zhastar test caption"),
        ("almaty_depo", None, 16, None, None, None, "Depo <b>test</b> {{ caption }}"),
        ("almaty_depo", "almaty_creative_hubs_2025", 13, None, None, None, "Hubs test caption"),
    ]
    rows = [
        {
            "stop": n,
            "place_id": place,
            "target_id": target,
            "zoom": zoom,
            "area": area,
            "view_lat": lat,
            "view_lon": lon,
            "caption_kk": f"{text} (kk)",
            "caption_ru": f"{text} (ru)",
            "caption_en": text,
        }
        for n, (place, target, zoom, area, lat, lon, text) in enumerate(stops, start=1)
    ]
    return validate_tour(pd.DataFrame(rows, columns=list(TOUR_COLUMNS)))


PLACES = places_frame()
TARGETS = targets_frame()
TOUR = tour_frame()
PLACED = PLACES[PLACES.geometry.notna()]
UNPLACED = PLACES[PLACES.geometry.isna()]


def metres_to(row: pd.Series, lat_lon: tuple[float, float]) -> float:
    """Geodesic metres from a position to the nearest point of a place (a line: its nearest)."""
    lat, lon = lat_lon
    point = nearest_points(row.geometry, Point(lon, lat))[0]
    _, _, metres = GEOD.inv(lon, lat, point.x, point.y)
    return float(metres)


def nearest_names(
    lat_lon: tuple[float, float],
    *,
    n: int = DEFAULT_N,
    radius_km: float | None = None,
    kind: str | None = None,
    lang: str = "en",
    landmarks: bool = False,
) -> list[str]:
    """Return the names of the nearest test places in a language, computed with geodesics.

    The position decides the city; ties keep the catalogue's order; ``radius_km`` and
    ``kind`` filter as the app's near page does, and landmarks are left out unless
    ``landmarks`` is true or ``kind`` asks for them.
    """
    lat, lon = lat_lon
    (city,) = [c for c, bbox in CITY_BBOX_LON_LAT.items() if box(*bbox).covers(Point(lon, lat))]
    rows = PLACED[PLACED["city"] == city]
    if kind is not None:
        rows = rows[rows["kind"] == kind]
    if not landmarks and kind != "landmark":
        rows = rows[rows["kind"] != "landmark"]
    ranked = sorted(
        (
            (metres_to(row, lat_lon), pos, row[f"name_{lang}"])
            for pos, (_, row) in enumerate(rows.iterrows())
        ),
    )
    if radius_km is not None:
        ranked = [r for r in ranked if r[0] <= radius_km * 1000]
    return [name for _, _, name in ranked[:n]]


def write_catalogue(
    folder: Path,
    places: gpd.GeoDataFrame | None = None,
    targets: pd.DataFrame | None = None,
    tour: pd.DataFrame | None = None,
) -> Path:
    """Write ``catalogue.gpkg`` (layers ``places``, ``targets`` and ``tour``) into ``folder``.

    Parameters
    ----------
    folder
        An existing folder; the app reads it through ``CREATIVE_MAP_DATA_DIR``.
    places
        The places to write; ``None`` writes ``PLACES``. Not validated here, so a test can
        write a broken catalogue on purpose.
    targets
        The targets table; ``None`` writes ``TARGETS``.
    tour
        The guided tour; ``None`` writes ``TOUR``.

    Returns
    -------
    pathlib.Path
        The GeoPackage's path.
    """
    path = folder / CATALOGUE_FILE
    path.unlink(missing_ok=True)
    pyogrio.write_dataframe(PLACES if places is None else places, path, layer="places")
    table = TARGETS if targets is None else targets
    pyogrio.write_dataframe(table, path, layer="targets")
    pyogrio.write_dataframe(TOUR if tour is None else tour, path, layer="tour")
    return path


def localised(column: str, text: str) -> dict[str, str]:
    """Return one text under a localised column in each language: ``{column}_kk`` and so on."""
    return {f"{column}_{lang}": text for lang in ("kk", "ru", "en")}
