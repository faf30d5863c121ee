"""Place search across scripts: fold Kazakh, Russian and Latin spellings to one key and rank."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import geopandas as gpd
import pandas as pd

from geo.select import anchor_points

# Cyrillic (Russian and Kazakh letters) to a plain Latin skeleton. Kazakh-specific letters fold
# onto their nearest Russian ones first (ә→а, қ→к, ...), so "Бәйтерек" and "Байтерек" agree.
_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "j", "з": "z", "и": "i", "й": "i", "і": "i", "к": "k", "қ": "k", "л": "l", "м": "m",
    "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
# Latin spellings that mean the same sound in common transliterations and in the Kazakh Latin
# alphabet (2021): "Zhastar"/"Jastar", "Khan"/"Han", "Bayterek"/"Baiterek", "Qazaq"/"Kazak".
_LATIN_BEFORE_ACCENTS = {"ş": "sh", "ç": "ch", "ı": "i"}
_LATIN_DIGRAPHS = (("shch", "sh"), ("zh", "j"), ("kh", "h"), ("yu", "iu"), ("ya", "ia"))
_LATIN_LETTERS = str.maketrans({"y": "i", "q": "k", "w": "v", "x": "ks"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_REPEATED_I = re.compile(r"i{2,}")


def fold(text: str) -> str:
    """Return a search key: lower case, Latin letters, one space between words.

    Parameters
    ----------
    text
        A name or query in Kazakh, Russian or English, in Cyrillic or Latin letters.

    Returns
    -------
    str
        The folded key, for example ``"baiterek"`` for "Бәйтерек", "Байтерек" and "Baiterek".
    """
    out = unicodedata.normalize("NFC", text).lower()
    out = "".join(_CYRILLIC.get(ch, _LATIN_BEFORE_ACCENTS.get(ch, ch)) for ch in out)
    out = "".join(ch for ch in unicodedata.normalize("NFKD", out) if not unicodedata.combining(ch))
    for long, short in _LATIN_DIGRAPHS:
        out = out.replace(long, short)
    out = _REPEATED_I.sub("i", out.translate(_LATIN_LETTERS))  # "-ый", "-ий", "-y" alike
    return _NOT_WORD.sub(" ", out).strip()


@dataclass(frozen=True)
class Entry:
    """One searchable thing: a place or venue, its names and where it is.

    ``lat`` and ``lon`` are WGS 84 degrees, or ``None`` when its location is not confirmed.
    """

    id: str
    label: str
    names: tuple[str, ...]
    city: str
    lat: float | None
    lon: float | None
    origin: str  # the layer id ("places", "osm_venues"), "landmark", "street" or "geocoder"
    keys: tuple[str, ...] = ()  # the names folded once (see ``gazetteer``); empty: fold on use
    labels: tuple[tuple[str, str], ...] = ()  # (language, name) to show; else ``label``
    accuracy_m: float | None = None  # how far the point may be from what the name means

    def label_in(self, lang: str) -> str:
        """Return the entry's name in a language, or its one label."""
        return dict(self.labels).get(lang) or self.label

    @classmethod
    def named(
        cls,
        eid: str,
        kk_ru_en: tuple[str, str, str],
        *,
        city: str,
        lat_lon: tuple[float, float] | None,
        origin: str,
        also: str | None = None,
        accuracy_m: float | None = None,
    ) -> Entry:
        """Return a record's entry: names in three languages plus ``also`` (an address).

        The names are folded once; ``lat_lon`` is ``None`` for an unknown position.
        """
        names = (*kk_ru_en, also) if also and also.strip() else kk_ru_en
        unique = tuple(dict.fromkeys(names))
        return cls(
            id=eid,
            label=kk_ru_en[2],
            names=unique,
            city=city,
            lat=lat_lon[0] if lat_lon else None,
            lon=lat_lon[1] if lat_lon else None,
            origin=origin,
            keys=tuple(fold(n) for n in unique),
            labels=tuple(zip(("kk", "ru", "en"), kk_ru_en, strict=True)),
            accuracy_m=accuracy_m,
        )


@dataclass(frozen=True)
class Match:
    """A search hit and how well it matched (higher is better)."""

    entry: Entry
    score: float


EXACT_SCORE = 2.0  # the score of a query that is a whole name
FUZZY_MIN_RATIO = 0.8  # a word this similar to a query word counts as a (misspelled) match
FUZZY_MIN_LENGTH = 4  # shorter query words must match exactly, as a prefix or inside a word
FUZZY_MAX_LENGTH_GAP = 3


def _word_score(query_word: str, words: list[str], *, fuzzy: bool) -> float:
    best = 0.0
    for w in words:
        if w == query_word:
            return 1.0
        if w.startswith(query_word):
            best = max(best, 0.8)
        elif query_word in w:
            best = max(best, 0.5)
        elif fuzzy and len(query_word) >= FUZZY_MIN_LENGTH and _near_spelling(query_word, w):
            best = max(best, 0.4 * SequenceMatcher(None, query_word, w).ratio())
    return best


def _near_spelling(a: str, b: str) -> bool:
    # Cheap tests first: a misspelling keeps the first letter and about the same length.
    if a[0] != b[0] or abs(len(a) - len(b)) > FUZZY_MAX_LENGTH_GAP:
        return False
    return SequenceMatcher(None, a, b).ratio() >= FUZZY_MIN_RATIO


def _score_folded(q: str, keys: tuple[str, ...], *, fuzzy: bool) -> float:
    q_words = q.split()
    best = 0.0
    for key in keys:
        if not key:
            continue
        if key == q:
            return EXACT_SCORE
        words = key.split()
        scores = [_word_score(w, words, fuzzy=fuzzy) for w in q_words]
        if min(scores) > 0:
            best = max(best, sum(scores) / len(scores))
    return best


def score(query: str, entry: Entry, *, fuzzy: bool = True) -> float:
    """Return how well a query matches an entry: 0 for no match, up to 2 for an exact name.

    Every word of the query must match a word of one of the entry's names (exactly, as a
    prefix, inside it, or, with ``fuzzy``, as a near spelling); the best name counts.

    Parameters
    ----------
    query
        What the user typed.
    entry
        A gazetteer entry.
    fuzzy
        Whether near spellings count.

    Returns
    -------
    float
        The score.
    """
    q = fold(query)
    if not q:
        return 0.0
    return _score_folded(q, entry.keys or tuple(fold(n) for n in entry.names), fuzzy=fuzzy)


def search(
    query: str, entries: Sequence[Entry], *, city: str | None = None, limit: int = 8
) -> list[Match]:
    """Return the entries that match a query, best first.

    Exact, prefix and inside-a-word matches are looked for first; near spellings only when
    those find nothing, which keeps a search over tens of thousands of names quick.

    Parameters
    ----------
    query
        What the user typed.
    entries
        The gazetteer.
    city
        Keep only entries in this city; ``None`` keeps both.
    limit
        At most this many matches.

    Returns
    -------
    list of Match
        Ordered by score, then by entries with a known location, then by label.
    """
    q = fold(query)
    if not q:
        return []
    pool = [e for e in entries if city is None or e.city == city]
    hits: list[Match] = []
    for fuzzy in (False, True):
        for entry in pool:
            s = _score_folded(q, entry.keys or tuple(fold(n) for n in entry.names), fuzzy=fuzzy)
            if s > 0:
                hits.append(Match(entry, s))
        if hits:
            break
    hits.sort(key=lambda m: (-m.score, m.entry.lat is None, m.entry.label))
    return hits[:limit]


def gazetteer(places: gpd.GeoDataFrame, *, origin_col: str = "layer") -> list[Entry]:
    """Return a search entry for every place: its three names, its address, where it is.

    Parameters
    ----------
    places
        Records with ``id``, ``name_kk``, ``name_ru``, ``name_en``, ``city``, geometry in
        EPSG:4326 and optionally ``address`` and ``origin_col``. Places without a position get
        ``lat`` and ``lon`` of ``None``.
    origin_col
        Column naming where each record comes from.

    Returns
    -------
    list of Entry
        One per record, names folded once.
    """
    anchors = anchor_points(places)
    n = len(places)
    addresses = places["address"].tolist() if "address" in places.columns else [None] * n
    origins = places[origin_col].tolist() if origin_col in places.columns else ["places"] * n
    columns = zip(
        places["id"].astype(str),
        places["name_kk"].astype(str),
        places["name_ru"].astype(str),
        places["name_en"].astype(str),
        places["city"].astype(str),
        addresses,
        origins,
        strict=True,
    )
    return [
        Entry.named(
            pid,
            (kk, ru, en),
            city=city,
            lat_lon=anchors.get(pid),
            origin=str(origin) if pd.notna(origin) else "places",
            also=address if isinstance(address, str) else None,
        )
        for pid, kk, ru, en, city, address, origin in columns
    ]


def landmark_entries(gazetteer_frame: gpd.GeoDataFrame) -> list[Entry]:
    """Return search entries for the OSM landmarks and streets (``data/gazetteer.gpkg``).

    Parameters
    ----------
    gazetteer_frame
        Validated rows of ``geo.landmarks.COLUMNS`` with point geometries in EPSG:4326.

    Returns
    -------
    list of Entry
        One per row, origin ``"landmark"`` or ``"street"``.
    """
    columns = zip(
        gazetteer_frame["id"].astype(str),
        gazetteer_frame["name_kk"].astype(str),
        gazetteer_frame["name_ru"].astype(str),
        gazetteer_frame["name_en"].astype(str),
        gazetteer_frame["city"].astype(str),
        gazetteer_frame["kind"].astype(str),
        gazetteer_frame["accuracy_m"].astype(float),
        gazetteer_frame.geometry,
        strict=True,
    )
    return [
        Entry.named(
            eid,
            (kk, ru, en),
            city=city,
            lat_lon=(float(point.y), float(point.x)),
            origin="street" if kind == "street" else "landmark",
            accuracy_m=accuracy,
        )
        for eid, kk, ru, en, city, kind, accuracy, point in columns
    ]
