"""Place search across scripts: match folded names, addresses, street types and kinds; rank."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz.distance import LCSseq
from rapidfuzz.process import cdist

from geo.errors import InputError
from geo.fold import fold
from geo.query_words import (
    MIN_STEM_LENGTH,
    kind_labels,
    kinds_named,
    stems,
    word_groups,
)
from geo.select import anchor_points


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
    kind: str = ""  # the kind of place ("theatre"), found by a query naming it; "" for none
    address: str = ""  # shown beside the name; also one of ``names``

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
        kind: str = "",
    ) -> Entry:
        """Return a record's entry: names in three languages plus ``also`` (an address).

        The names are folded once; ``lat_lon`` is ``None`` for an unknown position.
        """
        address = also.strip() if also else ""
        names = (*kk_ru_en, address) if address else kk_ru_en
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
            kind=kind,
            address=address,
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
PREFIX_SCORE = 0.8  # a query word that starts a name's word
INSIDE_SCORE = 0.5  # a query word inside a name's word
FUZZY_WEIGHT = 0.4  # a near spelling scores this times its similarity ratio
# Words that mean the same (geo.query_words): "театр" and "Theatre", "проспект" and "Ave.".
SYNONYM_SCORE = 0.9  # a word of the query word's group, in another language or abbreviated
STEM_SCORE = 0.7  # the same word with another ending: "Абая" and "Abai", "театры" and "театр"
OTHER_STREET_SCORE = 0.6  # another street type: "проспект Абая" and "Abai str."
# A query that names a kind ("театр", "museums") finds every place of that kind, below the
# places whose names hold the word (1.0, or SYNONYM_SCORE in another language) and above
# those where it is only inside a longer word ("кинотеатр": INSIDE_SCORE).
KIND_SCORE = 0.6
# A query naming a kind that is only in a place's address names another place there
# ("Foyer of the Lermontov Drama Theatre"): such a match counts this much of its score.
ADDRESS_WEIGHT_OF_KIND = 0.5
# A query is refused past these limits before any work is done on it: a place name or an
# address is far shorter, and the cost of a search grows with the query's words.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
# Words up to this long are held in a fixed-width array (fast to scan); a longer one, which
# no real name has, switches the vocabulary to variable-width strings (slower, same answers).
_FIXED_WIDTH_MAX = 64


class QueryTooLongError(InputError):
    """A search query is longer than ``MAX_QUERY_CHARS`` or has more than ``MAX_QUERY_WORDS``."""


def check_query(query: str) -> str:
    """Return a query's folded key, refusing one that is too long before folding it.

    Parameters
    ----------
    query
        What the user typed.

    Returns
    -------
    str
        The folded key (see ``fold``); empty for a query with no letters or digits.

    Raises
    ------
    QueryTooLongError
        If the query has more than ``MAX_QUERY_CHARS`` characters, or its key more than
        ``MAX_QUERY_WORDS`` words.
    """
    if len(query) > MAX_QUERY_CHARS:
        msg = (
            f"query: expected at most {MAX_QUERY_CHARS} characters, got {len(query):,}; "
            "type a shorter name or address"
        )
        raise QueryTooLongError(msg)
    q = fold(query)
    n_words = len(q.split())
    if n_words > MAX_QUERY_WORDS:
        msg = (
            f"query: expected at most {MAX_QUERY_WORDS} words, got {n_words}; "
            "type a shorter name or address"
        )
        raise QueryTooLongError(msg)
    return q


def _csr(rows: list[list[int]]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Return (row pointers, values) of a list of integer lists, each non-empty."""
    ptr = np.zeros(len(rows) + 1, dtype=np.intp)
    ptr[1:] = np.cumsum([len(r) for r in rows])
    values = np.fromiter((v for r in rows for v in r), dtype=np.intp, count=int(ptr[-1]))
    return ptr, values


def _gather(
    ptr: npt.NDArray[np.intp], values: npt.NDArray[np.intp], rows: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Return the values of some rows of a CSR table, concatenated, and where each row starts."""
    lengths = ptr[rows + 1] - ptr[rows]
    starts = np.zeros(len(rows), dtype=np.intp)
    np.cumsum(lengths[:-1], out=starts[1:])
    total = int(lengths.sum())
    offsets = np.repeat(ptr[rows] - starts, lengths) + np.arange(total, dtype=np.intp)
    return values[offsets], starts


def _address_key(entry: Entry, keys: tuple[str, ...]) -> str | None:
    """Return the folded key of an entry's address, ``None`` if none or also a name's key."""
    if not entry.address or entry.address not in entry.names:
        return None
    address = keys[entry.names.index(entry.address)]
    names = {keys[j] for j, name in enumerate(entry.names) if name != entry.address}
    return None if address in names else address


class SearchIndex:
    """Entries with their folded names split into an indexed vocabulary of words.

    Built once per gazetteer (``SearchIndex.of``) and read-only after, so one index may be
    shared by every session. A query word is compared with each distinct word once, in
    vectorised passes (numpy for whole, prefix and inside-a-word matches, rapidfuzz for near
    spellings), and the names are scored from the matches, never one entry at a time.
    """

    def __init__(
        self,
        entries: Sequence[Entry],
        *,
        kind_names: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """Index entries (names folded once: their ``keys``, else folded here).

        ``kind_names`` gives each kind's labels in any languages (``layers.i18n``): a query
        naming a kind finds the entries of that kind, and one-word labels are synonyms.
        """
        self.entries: tuple[Entry, ...] = tuple(entries)
        word_ids: dict[str, int] = {}
        key_words: list[list[int]] = []
        key_entry: list[int] = []
        key_is_address: list[bool] = []
        exact: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            keys = entry.keys or tuple(fold(n) for n in entry.names)
            address = _address_key(entry, keys)
            for key in dict.fromkeys(k for k in keys if k):
                exact.setdefault(key, []).append(i)
                ids = [word_ids.setdefault(w, len(word_ids)) for w in dict.fromkeys(key.split())]
                key_words.append(ids)
                key_entry.append(i)
                key_is_address.append(key == address)
        # Word ids in sorted order: the index is the same whatever the entries' order.
        vocab = sorted(word_ids)
        new_id = np.empty(len(vocab), dtype=np.intp)
        for rank, word in enumerate(vocab):
            new_id[word_ids[word]] = rank
        key_words = [[int(new_id[w]) for w in ids] for ids in key_words]
        self._vocab = vocab
        self._word_id = {w: i for i, w in enumerate(vocab)}
        longest = max((len(w) for w in vocab), default=1)
        dtype: Any = np.str_ if longest <= _FIXED_WIDTH_MAX else np.dtypes.StringDType()
        self._vocab_array = np.array(vocab, dtype=dtype)
        self._vocab_len = np.fromiter((len(w) for w in vocab), dtype=np.intp, count=len(vocab))
        near_order = sorted(range(len(vocab)), key=lambda i: (vocab[i][0], len(vocab[i])))
        self._near_words = [vocab[i] for i in near_order]
        self._near_keys = [(w[0], len(w)) for w in self._near_words]
        self._near_ids = np.array(near_order, dtype=np.intp)
        self._key_ptr, self._key_words = _csr(key_words)
        words_keys: list[list[int]] = [[] for _ in vocab]
        for k, ids in enumerate(key_words):
            for w in ids:
                words_keys[w].append(k)
        self._word_ptr, self._word_keys = _csr(words_keys)
        self._key_entry = np.array(key_entry, dtype=np.intp)
        self._key_is_address = np.array(key_is_address, dtype=bool)
        self._exact = {k: np.array(v, dtype=np.intp) for k, v in exact.items()}
        self._unplaced = np.array([e.lat is None for e in self.entries], dtype=bool)
        by_label = sorted(range(len(self.entries)), key=lambda i: self.entries[i].label)
        self._label_rank = np.empty(len(self.entries), dtype=np.intp)
        self._label_rank[by_label] = np.arange(len(self.entries), dtype=np.intp)
        cities = np.array([e.city for e in self.entries], dtype=object)
        self._in_city = {c: cities == c for c in dict.fromkeys(cities.tolist())}
        self._index_related(kind_names)

    def _index_related(self, kind_names: Mapping[str, Sequence[str]] | None) -> None:
        """Index the words' stems and groups (``geo.query_words``) and the entries' kinds."""
        self._groups = word_groups(kind_names)
        self._kind_labels = kind_labels(kind_names)
        by_stem: dict[str, list[int]] = {}
        by_group: dict[int, list[int]] = {}
        group_of = self._groups.group_of
        for i, word in enumerate(self._vocab):
            word_stems = stems(word) if len(word) > MIN_STEM_LENGTH else ()
            for stem in word_stems:
                by_stem.setdefault(stem, []).append(i)
            group = group_of.get(word)
            if group is None:
                group = next((group_of[s] for s in word_stems if s in group_of), None)
            if group is not None:
                by_group.setdefault(group, []).append(i)
        self._stem_ids = {s: np.array(ids, dtype=np.intp) for s, ids in by_stem.items()}
        self._group_ids = {g: np.array(ids, dtype=np.intp) for g, ids in by_group.items()}
        linear = [i for g in self._groups.linear for i in by_group.get(g, [])]
        self._linear_ids = np.array(sorted(linear), dtype=np.intp)
        of_kind: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            if entry.kind:
                of_kind.setdefault(entry.kind, []).append(i)
        self._of_kind = {k: np.array(ids, dtype=np.intp) for k, ids in of_kind.items()}

    @classmethod
    def of(
        cls, entries: Sequence[Entry], *, kind_names: Mapping[str, Sequence[str]] | None = None
    ) -> SearchIndex:
        """Return the index of some entries (``kind_names``: see ``SearchIndex``)."""
        return cls(entries, kind_names=kind_names)

    def __len__(self) -> int:
        """Return how many entries the index holds."""
        return len(self.entries)

    def _word_scores(self, query_word: str, *, fuzzy: bool) -> npt.NDArray[np.float64]:
        """Return how well a query word matches each word of the vocabulary (0: not at all)."""
        scores = np.zeros(len(self._vocab), dtype=np.float64)
        if not self._vocab:
            return scores
        pos = np.strings.find(self._vocab_array, query_word)
        scores[pos > 0] = INSIDE_SCORE
        scores[pos == 0] = PREFIX_SCORE
        same = self._word_id.get(query_word)
        if same is not None:
            scores[same] = 1.0
        if fuzzy and len(query_word) >= FUZZY_MIN_LENGTH:
            # Only words with the same first letter, about the same length and not
            # containing the query word (those scored above) can be near spellings: one
            # slice of the words ordered by (first letter, length), compared in one call.
            first, n = query_word[0], len(query_word)
            lo = bisect_left(self._near_keys, (first, n - FUZZY_MAX_LENGTH_GAP))
            hi = bisect_right(self._near_keys, (first, n + FUZZY_MAX_LENGTH_GAP), lo)
            if hi > lo:
                common = cdist(
                    [query_word], self._near_words[lo:hi], scorer=LCSseq.similarity, dtype=np.int32
                )[0]
                span = self._near_ids[lo:hi]
                # The ratio difflib's SequenceMatcher.ratio() defines: 2 * matches / length.
                ratio = 2.0 * common / (n + self._vocab_len[span])
                near = (ratio >= FUZZY_MIN_RATIO) & (pos[span] < 0)
                scores[span[near]] = FUZZY_WEIGHT * ratio[near]
        return scores

    def _add_related(
        self, scores: npt.NDArray[np.float64], query_word: str, group: int | None, *, street: bool
    ) -> None:
        """Raise the scores of words related to a query word: same stem, same group.

        ``street`` says whether a street type's group counts: not when the query has
        nothing else ("улица" alone would find every address).
        """

        def lift(ids: npt.NDArray[np.intp] | None, value: float) -> None:
            if ids is not None and len(ids):
                scores[ids] = np.maximum(scores[ids], value)

        for form in (query_word, *stems(query_word)):
            lift(self._stem_ids.get(form), STEM_SCORE)  # words with this stem
            if form != query_word:
                same = self._word_id.get(form)  # the stem is itself a word
                if same is not None:
                    scores[same] = max(scores[same], STEM_SCORE)
        if group is None or (group in self._groups.street and not street):
            return
        lift(self._group_ids.get(group), SYNONYM_SCORE)
        if group in self._groups.linear:
            lift(self._linear_ids, OTHER_STREET_SCORE)

    def scores(self, q: str, *, fuzzy: bool) -> npt.NDArray[np.float64]:
        """Return every entry's score for a folded query (see ``score``).

        Parameters
        ----------
        q
            A folded query (``check_query``), not empty.
        fuzzy
            Whether near spellings count.

        Returns
        -------
        numpy.ndarray
            One score per entry, in the entries' order: 0 for no match, up to
            ``EXACT_SCORE``.
        """
        out = np.zeros(len(self.entries), dtype=np.float64)
        q_words = q.split()
        min_ratio = FUZZY_MIN_RATIO if fuzzy else None
        named = kinds_named(q_words, self._kind_labels, min_ratio=min_ratio)
        words: dict[str, npt.NDArray[np.float64]] = {}
        matched: dict[str, npt.NDArray[np.intp]] = {}
        groups = {w: self._groups.of(w) for w in dict.fromkeys(q_words)}
        # A street type counts as its synonyms only beside another word ("проспект Абая").
        street = any(g is None or g not in self._groups.street for g in groups.values())
        for w in dict.fromkeys(q_words):
            words[w] = self._word_scores(w, fuzzy=fuzzy)
            self._add_related(words[w], w, groups[w], street=street)
            matched[w] = np.flatnonzero(words[w])
            if not len(matched[w]):  # every word must match: no need to look at the others
                break
        if all(len(m) for m in matched.values()):
            # Candidates: the names holding a match of the most selective query word.
            def postings(w: str) -> int:
                m = matched[w]
                return int((self._word_ptr[m + 1] - self._word_ptr[m]).sum())

            rarest = min(matched, key=postings)
            held, _ = _gather(self._word_ptr, self._word_keys, matched[rarest])
            is_held = np.zeros(len(self._key_entry), dtype=bool)
            is_held[held] = True  # a mask, not np.unique: linear, and keys come out sorted
            keys = np.flatnonzero(is_held)
            tokens, starts = _gather(self._key_ptr, self._key_words, keys)
            best = {w: np.maximum.reduceat(s[tokens], starts) for w, s in words.items()}
            total = np.zeros(len(keys), dtype=np.float64)
            every = np.ones(len(keys), dtype=bool)
            for w in q_words:  # in the query's order: the same sum, in the same order, as before
                every &= best[w] > 0
                total = total + best[w]
            keys, total = keys[every], total[every] / len(q_words)
            if named:  # "театр": a theatre above a library "near the Drama Theatre"
                total[self._key_is_address[keys]] *= ADDRESS_WEIGHT_OF_KIND
            np.maximum.at(out, self._key_entry[keys], total)
        for kind, how_well in named.items():
            of_kind = self._of_kind.get(kind)
            if of_kind is not None:
                value = KIND_SCORE if how_well >= 1.0 else FUZZY_WEIGHT * how_well
                out[of_kind] = np.maximum(out[of_kind], value)
        exact = self._exact.get(q)
        if exact is not None:
            out[exact] = EXACT_SCORE
        return out

    def search(self, query: str, *, city: str | None = None, limit: int = 8) -> list[Match]:
        """Return the entries that match a query, best first (see ``search``)."""
        q = check_query(query)
        if not q or not self.entries:
            return []
        allowed = None if city is None else self._in_city.get(city)
        if city is not None and allowed is None:
            return []
        # Near spellings only when nothing else matches, and only for words long enough.
        can_be_fuzzy = any(len(w) >= FUZZY_MIN_LENGTH for w in q.split())
        for fuzzy in (False, True) if can_be_fuzzy else (False,):
            found = self.scores(q, fuzzy=fuzzy)
            hits = np.flatnonzero(found > 0 if allowed is None else (found > 0) & allowed)
            if len(hits):
                break
        order = np.lexsort((self._label_rank[hits], self._unplaced[hits], -found[hits]))
        return [Match(self.entries[i], float(found[i])) for i in hits[order[:limit]]]


def score(query: str, entry: Entry, *, fuzzy: bool = True) -> float:
    """Return how well a query matches an entry: 0 for no match, up to 2 for an exact name.

    Every word of the query must match a word of one of the entry's names (exactly, as a
    prefix, inside it, with another ending, as a street type's synonym, or, with ``fuzzy``,
    as a near spelling); the best name counts. Kinds are not known here (see ``SearchIndex``).

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

    Raises
    ------
    QueryTooLongError
        If the query is too long (``check_query``).
    """
    q = check_query(query)
    if not q:
        return 0.0
    return float(SearchIndex.of([entry]).scores(q, fuzzy=fuzzy)[0])


def search(
    query: str,
    entries: Sequence[Entry] | SearchIndex,
    *,
    city: str | None = None,
    limit: int = 8,
) -> list[Match]:
    """Return the entries that match a query, best first.

    Exact, prefix, inside-a-word, other-ending and synonym matches, and the places of a kind
    the query names, are looked for first; near spellings only when those find nothing. A
    query past ``MAX_QUERY_CHARS`` characters or ``MAX_QUERY_WORDS`` words is refused
    before any matching.

    Parameters
    ----------
    query
        What the user typed.
    entries
        The gazetteer, or its ``SearchIndex`` (build it once for repeated searches: a list
        of entries is indexed on every call).
    city
        Keep only entries in this city; ``None`` keeps both.
    limit
        At most this many matches.

    Returns
    -------
    list of Match
        Ordered by score, then by entries with a known location, then by label.

    Raises
    ------
    QueryTooLongError
        If the query is too long.
    """
    check_query(query)  # before indexing a list: a refused query costs nothing
    index = entries if isinstance(entries, SearchIndex) else SearchIndex.of(entries)
    return index.search(query, city=city, limit=limit)


def gazetteer(places: gpd.GeoDataFrame, *, origin_col: str = "layer") -> list[Entry]:
    """Return a search entry for every place: its three names, its address, where it is.

    Parameters
    ----------
    places
        Records with ``id``, ``name_kk``, ``name_ru``, ``name_en``, ``city``, geometry in
        EPSG:4326 and optionally ``address``, ``kind`` and ``origin_col``. Places without a
        position get ``lat`` and ``lon`` of ``None``.
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
    kinds = places["kind"].tolist() if "kind" in places.columns else [""] * n
    origins = places[origin_col].tolist() if origin_col in places.columns else ["places"] * n
    columns = zip(
        places["id"].astype(str),
        places["name_kk"].astype(str),
        places["name_ru"].astype(str),
        places["name_en"].astype(str),
        places["city"].astype(str),
        addresses,
        origins,
        kinds,
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
            kind=kind if isinstance(kind, str) else "",
        )
        for pid, kk, ru, en, city, address, origin, kind in columns
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
