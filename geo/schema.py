"""The catalogue's vocabulary: cities, banks, kinds, statuses, columns and city envelopes."""

from __future__ import annotations

from geo.cities import CITIES as _CITIES
from geo.cities import CITY_IDS

CITIES: tuple[str, ...] = CITY_IDS
BANKS: tuple[str, ...] = ("left", "right")
# Cultural venues of the sourced venues table (../shared/venues.csv), which the OpenStreetMap
# venues share where their tags say the same.
CULTURAL_VENUE_KINDS: tuple[str, ...] = (
    "theatre",
    "concert_hall",
    "museum",
    "gallery",
    "library",
    "cinema",
    "palace_of_culture",
    "arts_education",
)
CATALOGUE_KINDS: tuple[str, ...] = (
    "creative_cluster",
    "creative_hub",
    "it_hub",
    "studio",
    "arts_centre",
    "pedestrian_zone",
    "business_centre",
    "landmark",
    *CULTURAL_VENUE_KINDS,
)
# Kinds of existing venues imported from OpenStreetMap (geo/venues.py); arts_centre is shared.
VENUE_KINDS: tuple[str, ...] = (
    "arts_centre",
    "theatre",
    "museum",
    "gallery",
    "library",
    "cinema",
    "music_venue",
    "concert_hall",
    "coworking",
    "community_centre",
)
KINDS: tuple[str, ...] = CATALOGUE_KINDS + tuple(k for k in VENUE_KINDS if k not in CATALOGUE_KINDS)
STATUSES: tuple[str, ...] = (
    "existing",
    "under_reconstruction",
    "closed",
    "under_construction",
    "planned",
    "announced",
    "proposed",
)

# Each city's envelope (minx, miny, maxx, maxy) in WGS 84 lon/lat, from its City record.
CITY_BBOX_LON_LAT: dict[str, tuple[float, float, float, float]] = {
    c.id: c.bbox_lon_lat for c in _CITIES
}

# Data text written in each language: where the position came from, and who published the source.
LOCALISED_NOTES: tuple[str, ...] = tuple(
    f"{column}_{lang}"
    for column in ("location_note", "source_outlet")
    for lang in ("kk", "ru", "en")
)
PLACE_COLUMNS: tuple[str, ...] = (
    "id",
    "name_kk",
    "name_ru",
    "name_en",
    "city",
    "bank",
    "district",
    "kind",
    "status",
    "status_as_of",
    "announced_date",
    "target_year",
    "area_m2",
    "summary_kk",
    "summary_ru",
    "summary_en",
    "address",
    "location_accuracy_m",
    *LOCALISED_NOTES,
    "source_title",
    "source_date",
    "source_url",
    "other_sources",
    "checked_date",
)
REQUIRED_PLACE_VALUES: tuple[str, ...] = (
    "id",
    "name_kk",
    "name_ru",
    "name_en",
    "city",
    "kind",
    "status",
    *LOCALISED_NOTES,
    "checked_date",
)
# A record's further sources: web addresses separated by this (the venues table's convention).
SOURCES_SEPARATOR = " ; "

TARGET_COLUMNS: tuple[str, ...] = (
    "id",
    "city",
    "what_kk",
    "what_ru",
    "what_en",
    "promised_by_kk",
    "promised_by_ru",
    "promised_by_en",
    "quantity",
    "unit",
    "deadline_year",
    "progress_kk",
    "progress_ru",
    "progress_en",
    "progress_as_of",
    "places_filter",
    "progress_measure",
    "source_outlet",
    "source_title",
    "source_date",
    "source_url",
    "checked_date",
)
REQUIRED_TARGET_VALUES: tuple[str, ...] = (
    "id",
    "city",
    "what_kk",
    "what_ru",
    "what_en",
    "promised_by_kk",
    "promised_by_ru",
    "promised_by_en",
    "unit",
    "progress_kk",
    "progress_ru",
    "progress_en",
    "source_outlet",
    "source_date",
    "checked_date",
)
TARGET_UNITS: tuple[str, ...] = ("count", "m2", "kzt", "usd", "percent_of_economy", "event")
# How a target's progress is read from the places its ``places_filter`` selects: ``count``
# (how many there are, against the promised quantity) or ``status`` (each one's status as of
# its last source). A target without a filter has no progress in the catalogue.
TARGET_MEASURES: tuple[str, ...] = ("count", "status")

# Limits that keep one record from costing the server much (geo/validate.py): a name is a
# name, not a document, and a place's outline needs nothing near this many vertices (a city
# district's outline has a few thousand).
NAME_COLUMNS: tuple[str, ...] = ("name_kk", "name_ru", "name_en")
MAX_NAME_CHARS = 500
MAX_VERTICES = 100_000

# A position known to within this many metres is drawn as an exact point; anything coarser is
# drawn as an approximate area (a circle of its accuracy radius, or a dashed line or outline).
EXACT_WITHIN_M = 50.0
