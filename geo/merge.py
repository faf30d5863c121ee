"""Catalogue records and OpenStreetMap venues that are the same place: match them and merge them.

A sourced venue of the catalogue (the Astana Opera, the Abai opera house) is usually mapped in
OpenStreetMap too; without this module the map would draw it twice and list it twice. The rules,
in order of the evidence they need:

- A pair is never made across cities, and a context landmark (kind ``landmark``) never takes
  part: it is context, not a venue.
- ``near``: a catalogue record WITH a position and a venue within ``max(accuracy,
  MIN_REACH_M) + NEAR_EXTRA_M`` metres of its geometry (measured in the city's UTM zone) whose
  names are similar: ``name_similarity >= NAME_NEAR``.
- ``close``: the same record and a venue within ``CLOSE_M`` metres, of a compatible kind
  (``COMPATIBLE_KINDS``), with a weaker name match: ``>= NAME_CLOSE``.
- ``name``: a catalogue record WITHOUT a position and a venue of the same city, of a compatible
  kind, whose names match strongly (``>= NAME_STRONG``) and whose addresses do not disagree
  (``addresses_compatible``, when both have one). A record whose best name match is shared by
  two venues more than ``NEAR_EXTRA_M`` apart is ambiguous and gets none: a wrong position is
  worse than "location not confirmed".

Names are compared across every pair of languages after ``geo.search.fold`` (so Cyrillic and
Latin spellings meet), with rapidfuzz's ``token_set_ratio`` (a short name inside a long one
scores 100: "Astana Opera" in "Astana Opera (State Opera and Ballet Theatre)"), but only when the
two share a distinctive word; names that share only generic words ("theatre", "museum",
"state", ...) are compared as whole strings instead, so "Museum" is not "Museum of Modern Art".

Pairs are matched one to one, best first: position-backed pairs (``near``, ``close``) before
name-only ones, then by name similarity (higher first), distance (nearer first), and the two
ids, so the result never depends on row order.

The merged record keeps the catalogue's id, names, kind, status and, when it has one, its
curated position and accuracy: a curated fact is never overwritten. It gains the venue's page
in ``other_sources``, the venue's address, website and opening hours where it has none, and --
only when it has no position -- the venue's point and accuracy, with a location note in three
languages naming the OpenStreetMap element. ``osm_id`` names the merged venue record and
``osm_position`` says whether the position came from it. The matched venues leave the venues.
Everything is linear in the number of records apart from the candidate pairs: placed records
find venues through a spatial index per city, unplaced ones through a dictionary of folded
names and distinctive words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz

from geo.crs import metric_crs_for_city, require_crs
from geo.errors import CRSError
from geo.fold import fold
from geo.schema import SOURCES_SEPARATOR

MIN_REACH_M = 50.0  # a placed record reaches at least this far, however exact its point
NEAR_EXTRA_M = 100.0  # plus this: a venue's mapped point and a building's published one differ
CLOSE_M = 30.0  # this near, a compatible kind and a weaker name match are enough
NAME_NEAR = 80.0  # name similarity (0-100) for a venue within reach
NAME_CLOSE = 60.0  # ... for a venue within CLOSE_M of a compatible kind
NAME_STRONG = 90.0  # ... for a record without a position: the name is all the evidence
MAX_POSTINGS = 50  # a word this many venues of a city share identifies none of them
STREET_SIMILAR = 80.0  # two street words this similar are one street ("abai", "abaia")
MIN_WORD_CHARS = 3  # shorter words ("of", "im", "k") say nothing about which place

LANGS = ("kk", "ru", "en")
NAME_COLUMNS = tuple(f"name_{lang}" for lang in LANGS)
NOTE_COLUMNS = tuple(f"location_note_{lang}" for lang in LANGS)
VISIT_COLUMNS = ("address", "website", "opening_hours")  # filled where the catalogue has none
MATCH_COLUMNS = ("place_id", "osm_id", "rule", "name_score", "distance_m")

# Words that name what a place is, not which one, written as people write them in Kazakh,
# Russian and English and folded once (``geo.search.fold``: "library" becomes "librari").
# Two names sharing only these are no evidence of one place.
_GENERIC_TEXT = """
    the of and for at in on named after house hall centre center palace state national city
    republic republican academic academy kazakh kazakhstan theatre theater museum gallery
    library cinema concert art arts modern contemporary culture cultural children youth music
    musical drama opera ballet memorial
    театр театра музей музея галерея библиотека кино кинотеатр дворец центр зал дом
    государственный национальный академический республиканский городской казахский
    казахстана республики имени им для детей юношества культуры искусств искусства
    современного современной
    театры театрі мұражай мұражайы галереясы кітапхана кітапханасы сарай сарайы орталық
    орталығы мемлекеттік ұлттық академиялық қазақ қазақстан атындағы және залы үйі
    республикалық қалалық
    """
GENERIC_WORDS = frozenset(fold(w) for w in _GENERIC_TEXT.split())
# Words of an address that name what a street is, not which one (folded the same way).
_ADDRESS_TEXT = """
    street str st avenue ave prospect prospekt pr road boulevard square embankment
    microdistrict corner of the and with at junction building bld between
    улица ул проспект пр бульвар площадь набережная микрорайон мкр дом корпус угол
    көшесі көш даңғылы даңғ шағын ауданы
    """
ADDRESS_WORDS = frozenset(fold(w) for w in _ADDRESS_TEXT.split())

# What a catalogue kind may be called in OpenStreetMap's tags (geo/venues.py TAG_KINDS).
# Landmarks and pedestrian zones are absent: no venue tag describes them.
COMPATIBLE_KINDS: dict[str, frozenset[str]] = {
    "theatre": frozenset({"theatre", "music_venue", "concert_hall", "arts_centre"}),
    "concert_hall": frozenset(
        {"concert_hall", "music_venue", "theatre", "arts_centre", "community_centre"}
    ),
    "museum": frozenset({"museum", "gallery", "arts_centre"}),
    "gallery": frozenset({"gallery", "museum", "arts_centre"}),
    "library": frozenset({"library"}),
    "cinema": frozenset({"cinema"}),
    "palace_of_culture": frozenset(
        {"community_centre", "arts_centre", "theatre", "music_venue", "concert_hall"}
    ),
    "arts_education": frozenset(
        {"arts_centre", "music_venue", "concert_hall", "theatre", "community_centre"}
    ),
    "arts_centre": frozenset(
        {
            "arts_centre",
            "community_centre",
            "gallery",
            "museum",
            "theatre",
            "music_venue",
            "concert_hall",
        }
    ),
    "creative_cluster": frozenset({"arts_centre", "coworking", "community_centre", "gallery"}),
    "creative_hub": frozenset({"arts_centre", "coworking", "community_centre", "gallery"}),
    "it_hub": frozenset({"coworking"}),
    "business_centre": frozenset({"coworking"}),
    "studio": frozenset({"arts_centre", "music_venue", "cinema"}),
}
NEVER_MATCHED_KINDS = frozenset({"landmark"})

_RULE_RANK = {"near": 0, "close": 0, "name": 1}
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Merged:
    """The place layers after merging: one record per place.

    Attributes
    ----------
    places
        The catalogue, every record kept in order; matched ones enriched (see the module).
    venues
        The venues no catalogue record matched, in their order.
    matches
        One row per merged pair: ``place_id``, ``osm_id`` (the venue's record id), ``rule``
        (``near``, ``close`` or ``name``), ``name_score`` (0-100) and ``distance_m`` (NaN for
        a record without a position).
    """

    places: gpd.GeoDataFrame
    venues: gpd.GeoDataFrame
    matches: pd.DataFrame


def _present(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return not (isinstance(value, str) and not value.strip())


def name_keys(names: Iterable[object]) -> tuple[str, ...]:
    """Return the distinct folded forms of a record's names (empty and missing ones left out).

    Parameters
    ----------
    names
        Names in any language and script.

    Returns
    -------
    tuple of str
        Folded keys (``geo.search.fold``), in first-seen order.
    """
    keys = (fold(str(n)) for n in names if _present(n))
    return tuple(dict.fromkeys(k for k in keys if k))


def distinctive_words(key: str) -> frozenset[str]:
    """Return the words of a folded name that say which place it is, not what kind.

    Parameters
    ----------
    key
        A folded name.

    Returns
    -------
    frozenset of str
        Words of three letters or more, not all digits, not in ``GENERIC_WORDS``.
    """
    return frozenset(
        w
        for w in key.split()
        if len(w) >= MIN_WORD_CHARS and not w.isdigit() and w not in GENERIC_WORDS
    )


def _pair_similarity(a: str, b: str) -> float:
    if distinctive_words(a) & distinctive_words(b):
        return float(fuzz.token_set_ratio(a, b))
    return float(fuzz.ratio(a, b))


def _texts(values: Iterable[object]) -> tuple[str, ...]:
    return tuple(str(v) for v in values if _present(v))


def name_numbers(keys: Sequence[str]) -> str:
    """Return the numbers a record's names carry, sorted and space-separated.

    Parameters
    ----------
    keys
        Names, folded (``name_keys``) or as written: folding keeps digits.

    Returns
    -------
    str
        For example ``"16"`` for "Kinopark 16"; empty when no name has a number.
    """
    numbers = {str(int(n)) for key in keys for n in _DIGITS.findall(key)}
    return " ".join(sorted(numbers))


def name_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Return how alike two records' names are, 0-100: the best of every pair of languages.

    Names that carry numbers must carry the same ones ("Library No. 5" is not "Library No.
    7", "Kinopark 8" is not "Kinopark 16"): otherwise the similarity is 0.

    Parameters
    ----------
    a, b
        Folded names (``name_keys``) of each record.

    Returns
    -------
    float
        ``token_set_ratio`` for a pair that shares a distinctive word, else the whole-string
        ``ratio``; 0 if either record has no name, or their numbers differ.
    """
    numbers_a, numbers_b = name_numbers(a), name_numbers(b)
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return 0.0
    return max((_pair_similarity(x, y) for x in a for y in b), default=0.0)


def kinds_compatible(place_kind: str, venue_kind: str) -> bool:
    """Return whether a catalogue kind and an OpenStreetMap venue kind may be one place."""
    return venue_kind in COMPATIBLE_KINDS.get(place_kind, frozenset())


def _address_parts(address: str) -> tuple[frozenset[str], frozenset[str]]:
    key = fold(address)
    numbers = frozenset(_DIGITS.findall(key))
    words = frozenset(
        w
        for w in key.split()
        if len(w) >= MIN_WORD_CHARS and not any(c.isdigit() for c in w) and w not in ADDRESS_WORDS
    )
    return words, numbers


def addresses_compatible(a: object, b: object) -> bool:
    """Return whether two addresses may be of one place (``True`` when either is missing).

    They disagree when both name a street and no street word of one is like one of the other
    (``STREET_SIMILAR``), or when both give house numbers and none is shared.

    Parameters
    ----------
    a, b
        Addresses in any language and script, or missing values.

    Returns
    -------
    bool
        Whether nothing in them says they are different places.
    """
    if not (_present(a) and _present(b)):
        return True
    words_a, numbers_a = _address_parts(str(a))
    words_b, numbers_b = _address_parts(str(b))
    if numbers_a and numbers_b and not numbers_a & numbers_b:
        return False
    if not (words_a and words_b):
        return True
    return any(fuzz.ratio(x, y) >= STREET_SIMILAR for x in words_a for y in words_b)


def _keys_of(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    names = frame[list(NAME_COLUMNS)].to_numpy(dtype=object)
    return [name_keys(row) for row in names]


def _has_point(geoms: gpd.GeoSeries) -> np.ndarray:
    return np.asarray(geoms.notna() & ~geoms.is_empty, dtype=bool)


def _placed_pairs(
    places: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    venue_keys: list[tuple[str, ...]],
    metric: str,
) -> list[tuple[int, int, str, float, float]]:
    """Return candidate pairs (place row, venue row, rule, score, metres) of placed records."""
    place_geoms = places.geometry.to_crs(metric).to_numpy()
    venue_geoms = venues.geometry.to_crs(metric).to_numpy()
    accuracy = pd.to_numeric(places["location_accuracy_m"], errors="coerce").to_numpy(dtype=float)
    reach = np.fmax(np.nan_to_num(accuracy, nan=MIN_REACH_M), MIN_REACH_M) + NEAR_EXTRA_M
    tree = shapely.STRtree(venue_geoms)
    hits = tree.query(place_geoms, predicate="dwithin", distance=reach)
    metres = shapely.distance(place_geoms[hits[0]], venue_geoms[hits[1]])
    # Names with different numbers never match (see name_similarity): such pairs are dropped
    # here, in one pass over the raw names (digits survive folding), before any name is
    # folded, since a dense area's candidates are mostly such ("Library No. 5", "No. 7").
    place_names = places[list(NAME_COLUMNS)].to_numpy(dtype=object)
    venue_numbers = np.array([name_numbers(k) for k in venue_keys], dtype=object)
    place_numbers = np.full(len(places), "", dtype=object)
    for i in np.unique(hits[0]).tolist():  # only records with a venue within reach
        place_numbers[i] = name_numbers(_texts(place_names[i]))
    left, right = place_numbers[hits[0]], venue_numbers[hits[1]]
    keep = (left == "") | (right == "") | (left == right)
    # Only the names of records with a venue within reach are folded: most of a large
    # catalogue has none.
    place_keys = {i: name_keys(place_names[i]) for i in np.unique(hits[0][keep]).tolist()}
    place_kind = places["kind"].to_numpy(dtype=object)
    venue_kind = venues["kind"].to_numpy(dtype=object)
    pairs = []
    kept = zip(hits[0][keep].tolist(), hits[1][keep].tolist(), metres[keep].tolist(), strict=True)
    for i, j, d in kept:
        score = name_similarity(place_keys[i], venue_keys[j])
        if score >= NAME_NEAR:
            pairs.append((i, j, "near", score, d))
        elif (
            d <= CLOSE_M and score >= NAME_CLOSE and kinds_compatible(place_kind[i], venue_kind[j])
        ):
            pairs.append((i, j, "close", score, d))
    return pairs


def _name_index(
    venue_keys: list[tuple[str, ...]],
) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Return venue rows by whole folded name and by distinctive word (common words dropped)."""
    by_name: dict[str, list[int]] = {}
    by_word: dict[str, list[int]] = {}
    for j, keys in enumerate(venue_keys):
        for key in keys:
            by_name.setdefault(key, []).append(j)
        for word in frozenset().union(*(distinctive_words(k) for k in keys)):
            by_word.setdefault(word, []).append(j)
    return by_name, {w: rows for w, rows in by_word.items() if len(rows) <= MAX_POSTINGS}


def _unplaced_pairs(
    places: gpd.GeoDataFrame,
    venues: gpd.GeoDataFrame,
    venue_keys: list[tuple[str, ...]],
    metric: str,
) -> list[tuple[int, int, str, float, float]]:
    """Return each unplaced record's unambiguous best name match, as one candidate pair."""
    place_keys = _keys_of(places)
    by_name, by_word = _name_index(venue_keys)
    place_kind = places["kind"].to_numpy(dtype=object)
    venue_kind = venues["kind"].to_numpy(dtype=object)
    place_address = _column(places, "address")
    venue_address = _column(venues, "address")
    venue_points = venues.geometry.to_crs(metric).to_numpy()
    pairs = []
    for i, keys in enumerate(place_keys):
        candidates: set[int] = set()
        for key in keys:
            candidates.update(by_name.get(key, ()))
            for word in distinctive_words(key):
                candidates.update(by_word.get(word, ()))
        scored = []
        for j in sorted(candidates):
            if not kinds_compatible(place_kind[i], venue_kind[j]):
                continue
            score = name_similarity(keys, venue_keys[j])
            if score >= NAME_STRONG and addresses_compatible(place_address[i], venue_address[j]):
                scored.append((score, j))
        if not scored:
            continue
        best = max(s for s, _ in scored)
        tied = [j for s, j in scored if s == best]
        spread = shapely.distance(venue_points[tied[0]], venue_points[tied]).max()
        if spread <= NEAR_EXTRA_M:  # ties further apart than this are different places
            pairs.append((i, tied[0], "name", best, math.nan))
    return pairs


def _column(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col in frame.columns:
        values: np.ndarray = frame[col].to_numpy(dtype=object)
        return values
    return np.full(len(frame), None, dtype=object)


def match_venues(places: gpd.GeoDataFrame, venues: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return which catalogue records and OpenStreetMap venues are the same place.

    Parameters
    ----------
    places
        Catalogue records (the ``places`` layer): ``id``, ``name_kk``, ``name_ru``,
        ``name_en``, ``city``, ``kind``, ``location_accuracy_m`` (metres), optionally
        ``address``; geometry with a CRS, missing or empty for a record without a position.
    venues
        OpenStreetMap venues (geo/venues.py): the same columns, Point geometries with a CRS.

    Returns
    -------
    pandas.DataFrame
        One row per matched pair, columns ``MATCH_COLUMNS`` (see ``Merged.matches``), ordered
        by the places' rows. Each record and each venue appears at most once.

    Raises
    ------
    CRSError
        If either frame has no CRS.
    InputError
        If a city is not one the product covers.
    """
    require_crs(places, what="catalogue places")
    require_crs(venues, what="OpenStreetMap venues")
    chosen: list[tuple[int, int, str, float, float]] = []
    place_ids = places["id"].astype(str).to_numpy()
    venue_ids = venues["id"].astype(str).to_numpy()
    place_pos = np.arange(len(places))
    venue_pos = np.arange(len(venues))
    venue_placed = _has_point(venues.geometry)
    for city in sorted(set(places["city"]) & set(venues["city"])):
        metric = metric_crs_for_city(city)
        in_places = (places["city"] == city).to_numpy() & ~places["kind"].isin(
            NEVER_MATCHED_KINDS
        ).to_numpy()
        in_venues = (venues["city"] == city).to_numpy() & venue_placed
        if not in_venues.any():
            continue
        city_venues = venues[in_venues]
        v_rows = venue_pos[in_venues]
        v_keys = _keys_of(city_venues)
        placed = in_places & _has_point(places.geometry)
        unplaced = in_places & ~_has_point(places.geometry)
        for mask, find in ((placed, _placed_pairs), (unplaced, _unplaced_pairs)):
            if not mask.any():
                continue
            p_rows = place_pos[mask]
            found = find(places[mask], city_venues, v_keys, metric)
            chosen += [(p_rows[i], v_rows[j], rule, s, d) for i, j, rule, s, d in found]
    # Best first; the ids break every tie, so row order never decides.
    chosen.sort(
        key=lambda p: (
            _RULE_RANK[p[2]],
            -p[3],
            math.inf if math.isnan(p[4]) else p[4],
            place_ids[p[0]],
            venue_ids[p[1]],
        )
    )
    used_places: set[int] = set()
    used_venues: set[int] = set()
    rows = []
    for i, j, rule, score, metres in chosen:
        if i in used_places or j in used_venues:
            continue
        used_places.add(i)
        used_venues.add(j)
        rows.append((i, place_ids[i], venue_ids[j], rule, round(score, 1), metres))
    rows.sort()
    return pd.DataFrame([r[1:] for r in rows], columns=list(MATCH_COLUMNS)).astype(
        {"name_score": float, "distance_m": float}
    )


def _element(venue_id: str) -> str:
    """Return "node 123" for the venue record ``osm_node_123`` (``osm_node_new5``: node -5)."""
    parts = venue_id.split("_")
    if len(parts) == 3 and parts[0] == "osm":  # noqa: PLR2004 - osm, element, number
        number = parts[2].replace("new", "-")
        return f"{parts[1]} {number}"
    return venue_id


def location_notes(venue_id: str) -> dict[str, str]:
    """Return the location note, in each language, of a position taken from a venue.

    Parameters
    ----------
    venue_id
        The venue's record id, ``osm_<element>_<number>``.

    Returns
    -------
    dict
        ``{"location_note_kk": ..., "location_note_ru": ..., "location_note_en": ...}``.
    """
    element = _element(venue_id)
    return {
        "location_note_kk": (
            f"Орны OpenStreetMap деректерінен алынды ({element}); каталог көзінде орны "
            "көрсетілмеген"
        ),
        "location_note_ru": (
            f"Положение взято из OpenStreetMap ({element}); в источнике каталога его нет"
        ),
        "location_note_en": (
            f"Position from OpenStreetMap ({element}); the catalogue's source gives none"
        ),
    }


def _joined_sources(existing: object, url: object) -> object:
    if not _present(url):
        return existing
    parts = (
        [p.strip() for p in str(existing).split(SOURCES_SEPARATOR)] if _present(existing) else []
    )
    parts = [p for p in parts if p]
    if str(url) not in parts:
        parts.append(str(url))
    return SOURCES_SEPARATOR.join(parts)


def merge_venues(places: gpd.GeoDataFrame, venues: gpd.GeoDataFrame) -> Merged:
    """Merge OpenStreetMap venues into the catalogue records that are the same place.

    Parameters
    ----------
    places
        Catalogue records (see ``match_venues``), CRS EPSG:4326 as the layers are loaded.
    venues
        OpenStreetMap venues (see ``match_venues``), in the same CRS as ``places``, with
        ``source_url`` and optionally ``address``, ``website`` and ``opening_hours``.

    Returns
    -------
    Merged
        New frames; the arguments are not changed. ``places`` gains (where missing) the
        columns ``other_sources``, ``address``, ``website``, ``opening_hours``, the three
        ``location_note_*``, ``osm_id`` and ``osm_position``.

    Raises
    ------
    CRSError
        If either frame has no CRS, or their CRSs differ.
    InputError
        If a city is not one the product covers.
    """
    if places.crs != venues.crs:
        msg = (
            f"venues: expected the places' CRS {places.crs!r}, got {venues.crs!r}; "
            "load both layers through the loader"
        )
        raise CRSError(msg)
    matches = match_venues(places, venues)
    out = places.copy()
    for col in ("other_sources", *VISIT_COLUMNS, *NOTE_COLUMNS, "osm_id"):
        if col not in out.columns:
            out[col] = None
    out["osm_position"] = False
    rest = venues
    if not matches.empty:
        p_pos = pd.Index(places["id"].astype(str)).get_indexer(matches["place_id"])
        v_index = pd.Index(venues["id"].astype(str))
        v_pos = v_index.get_indexer(matches["osm_id"])
        matched = venues.iloc[v_pos]
        for col in VISIT_COLUMNS:
            if col not in matched.columns:
                continue
            current = out[col].iloc[p_pos].to_numpy(dtype=object)
            offered = matched[col].to_numpy(dtype=object)
            keep = np.array([_present(v) for v in current], dtype=bool)
            out.iloc[p_pos, out.columns.get_loc(col)] = np.where(keep, current, offered)
        sources = out["other_sources"].iloc[p_pos].to_numpy(dtype=object)
        urls = _column(matched, "source_url")
        joined = [_joined_sources(s, u) for s, u in zip(sources, urls, strict=True)]
        out.iloc[p_pos, out.columns.get_loc("other_sources")] = np.array(joined, dtype=object)
        out.iloc[p_pos, out.columns.get_loc("osm_id")] = matches["osm_id"].to_numpy(dtype=object)
        unplaced = ~_has_point(out.geometry.iloc[p_pos])
        if unplaced.any():
            rows, took = p_pos[unplaced], matched.iloc[np.flatnonzero(unplaced)]
            geoms = out.geometry.to_numpy().copy()
            geoms[rows] = took.geometry.to_numpy()
            out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=out.crs))
            out.iloc[rows, out.columns.get_loc("location_accuracy_m")] = pd.to_numeric(
                took["location_accuracy_m"]
            ).to_numpy(dtype=float)
            notes = [location_notes(v) for v in took["id"].astype(str)]
            for col in NOTE_COLUMNS:
                out.iloc[rows, out.columns.get_loc(col)] = np.array(
                    [n[col] for n in notes], dtype=object
                )
            out.iloc[rows, out.columns.get_loc("osm_position")] = True
        keep_venue = np.ones(len(venues), dtype=bool)
        keep_venue[v_pos] = False
        rest = venues[keep_venue]
    return Merged(places=out, venues=rest.copy(), matches=matches)
