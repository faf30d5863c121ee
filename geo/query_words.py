"""Words that mean the same in a search: street types across languages, and word endings.

Pure tables and string functions on folded words (see ``geo.search.fold``): an address says
"Abai Avenue 43", a resident types "проспект Абая" or "Абай даңғылы"; the street type is
one class of word in three languages and their abbreviations, and "Абая" is "Абай" with a
Russian case ending.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import LCSseq

from geo.fold import fold

# Street types, each as it is written in Kazakh, Russian and English, with the usual
# abbreviations (folded before use, so "пр." is "pr" and "көшесі" is "koshesi"). The first
# group's types are ways along which a building has a number: an address on one is often
# written with another ("Abai str. 103" is on Abai avenue), so they also match each other,
# less well. The other groups are areas or places, matched only within their own group.
LINEAR_STREET_TYPES: tuple[tuple[str, ...], ...] = (
    ("даңғыл", "даңғылы", "проспект", "просп", "пр", "avenue", "ave", "av", "prospekt",
     "prospect", "dangyly"),
    ("көше", "көшесі", "көш", "улица", "ул", "street", "st", "str", "ulitsa", "koshesi"),
    ("бульвар", "бульвары", "бул", "boulevard", "blvd", "bulvar"),
    ("жағалау", "жағалауы", "набережная", "наб", "embankment", "emb", "naberezhnaya"),
    ("тұйық", "переулок", "пер", "lane", "pereulok"),
    ("тас жолы", "шоссе", "highway", "hwy", "shosse"),
)  # fmt: skip
AREA_TYPES: tuple[tuple[str, ...], ...] = (
    ("алаң", "алаңы", "площадь", "пл", "square", "sq", "ploshchad"),
    ("шағын аудан", "шағынаудан", "микрорайон", "мкр", "microdistrict", "mkr", "mikrorayon"),
)  # fmt: skip

# Case and number endings of Russian and Kazakh nouns and adjectives, and English plurals,
# as they look after folding: "абая" -> "abaia" -> "abai", "театры" -> "teatri" -> "teatr",
# "галереясы" -> "galereiasi" -> "galereia", "museums" -> "museum". Longest first.
ENDINGS: tuple[str, ...] = tuple(
    sorted(
        {
            # Russian
            "a", "ia", "u", "iu", "e", "i", "om", "em", "oi", "ei", "ami", "iami", "ah", "iah",
            "ogo", "ego", "omu", "emu", "ie", "aia", "oe", "ih", "im", "imi",
            # Kazakh: possessive, genitive, locative, plural
            "si", "ni", "nin", "din", "tin", "da", "de", "ta", "te", "dagi", "degi", "tagi",
            "tegi", "lar", "ler", "dar", "der", "tar", "ter",
            # English
            "s", "es",
        },
        key=lambda e: (-len(e), e),
    )
)  # fmt: skip
_ENDING_SET = frozenset(ENDINGS)
_LONGEST_ENDING = max(len(e) for e in ENDINGS)
MIN_STEM_LENGTH = 4  # shorter stems match too many unrelated words ("bal", "dal")


def stems(word: str) -> tuple[str, ...]:
    """Return a folded word without each ending it has, longest ending first.

    Parameters
    ----------
    word
        One folded word (``geo.search.fold``).

    Returns
    -------
    tuple of str
        The stems at least ``MIN_STEM_LENGTH`` letters long, without the word itself; empty
        for a word with no such ending. ``stems("abaia")`` is ``("abai",)``
        (``"aba"`` is too short).
    """
    # Endings are 1 to 4 letters: four set lookups, not one test per ending (a vocabulary
    # of 100,000 words is stemmed when the search index is built).
    out = [
        word[:-n]
        for n in range(_LONGEST_ENDING, 0, -1)
        if len(word) - n >= MIN_STEM_LENGTH and word[-n:] in _ENDING_SET
    ]
    return tuple(out)


def forms(word: str) -> frozenset[str]:
    """Return a folded word and its stems (see ``stems``)."""
    return frozenset((word, *stems(word)))


@dataclass(frozen=True)
class WordGroups:
    """Folded words that stand for one another in a search, in groups.

    A group is one street type (``LINEAR_STREET_TYPES``, ``AREA_TYPES``) or one kind of
    place named by a one-word label ("театр", "Theatre"). A word belongs to a group when the
    word or one of its stems is a member or a member's stem ("улицы" -> "ulitsi" -> "ulits",
    the stem of "ulitsa").
    """

    group_of: Mapping[str, int]
    linear: frozenset[int]  # the groups of ways along which buildings are numbered
    street: frozenset[int]  # every street and area group (a query of those alone is vague)

    def of(self, word: str) -> int | None:
        """Return the group of a folded word, or ``None``."""
        group = self.group_of.get(word)
        if group is None:
            group = next((self.group_of[s] for s in stems(word) if s in self.group_of), None)
        return group


def word_groups(kind_names: Mapping[str, Sequence[str]] | None = None) -> WordGroups:
    """Return the street-type groups and, one per kind, the kind's one-word labels.

    Parameters
    ----------
    kind_names
        Each kind's labels in any languages (``{"theatre": ("Театр", "Theatre")}``).
        A label of several words ("Concert hall") is left out here: see ``kind_labels``.

    Returns
    -------
    WordGroups
        The groups, their words folded.
    """
    groups: list[tuple[str, ...]] = [*LINEAR_STREET_TYPES, *AREA_TYPES]
    n_linear, n_street = len(LINEAR_STREET_TYPES), len(LINEAR_STREET_TYPES) + len(AREA_TYPES)
    for labels in (kind_names or {}).values():
        one_word = tuple(lbl for lbl in labels if len(fold(lbl).split()) == 1)
        if one_word:
            groups.append(one_word)
    group_of: dict[str, int] = {}
    for number, members in enumerate(groups):
        for member in members:
            key = fold(member)
            if " " in key:  # "тас жолы": two words, not one word's synonym
                continue
            for form in forms(key):
                group_of.setdefault(form, number)
    return WordGroups(
        group_of=group_of, linear=frozenset(range(n_linear)), street=frozenset(range(n_street))
    )


@dataclass(frozen=True)
class KindLabels:
    """Each kind's labels, folded: the distinct words once, and each label as word numbers."""

    words: tuple[str, ...]
    labels: tuple[tuple[str, tuple[int, ...]], ...]  # (kind, its label's word numbers)
    by_form: Mapping[str, tuple[int, ...]]  # a word or stem -> the words having it as a form
    by_first: Mapping[str, tuple[int, ...]]  # a first letter -> the words starting with it

    @property
    def longest(self) -> int:
        """Return how many words the longest label has."""
        return max((len(ws) for _, ws in self.labels), default=0)


def kind_labels(kind_names: Mapping[str, Sequence[str]] | None) -> KindLabels:
    """Return each kind's labels, folded and split into words (see ``kinds_named``).

    Parameters
    ----------
    kind_names
        Each kind's labels in any languages.

    Returns
    -------
    KindLabels
        The labels' words and their forms, indexed.
    """
    words: dict[str, int] = {}
    labels = []
    for kind, names in (kind_names or {}).items():
        for key in dict.fromkeys(fold(name) for name in names):
            if key:
                ids = tuple(words.setdefault(w, len(words)) for w in key.split())
                labels.append((kind, ids))
    by_form: dict[str, list[int]] = {}
    by_first: dict[str, list[int]] = {}
    for word, i in words.items():
        for form in forms(word):
            by_form.setdefault(form, []).append(i)
        by_first.setdefault(word[0], []).append(i)
    return KindLabels(
        words=tuple(words),
        labels=tuple(labels),
        by_form={f: tuple(ids) for f, ids in by_form.items()},
        by_first={c: tuple(ids) for c, ids in by_first.items()},
    )


def _label_words_hit(
    word: str, labels: KindLabels, *, min_ratio: float | None, max_gap: int
) -> dict[int, float]:
    """Return the label words a query word names: number -> 1, or a near spelling's ratio.

    A query word names a label's word when they share a form (the word or a stem), when it
    is a prefix of at least ``MIN_STEM_LENGTH`` letters ("библиот"), when it is the label's
    short word with an ending ("zal" and "zali"), or, with ``min_ratio``, when it is a near
    spelling with the same first letter.
    """
    hit: dict[int, float] = {}
    for form in forms(word):
        for i in labels.by_form.get(form, ()):
            hit[i] = 1.0
    for n in range(1, _LONGEST_ENDING + 1):
        if word[-n:] in _ENDING_SET:
            for i in labels.by_form.get(word[:-n], ()):
                if labels.words[i] == word[:-n]:
                    hit[i] = 1.0
    for i in labels.by_first.get(word[0], ()):
        if i in hit:
            continue
        label_word = labels.words[i]
        if len(word) >= MIN_STEM_LENGTH and label_word.startswith(word):
            hit[i] = 1.0
        elif (
            min_ratio is not None
            and len(word) >= MIN_STEM_LENGTH
            and abs(len(word) - len(label_word)) <= max_gap
        ):
            ratio = 2.0 * LCSseq.similarity(word, label_word) / (len(word) + len(label_word))
            if ratio >= min_ratio:
                hit[i] = ratio
    return hit


def kinds_named(
    q_words: Sequence[str], labels: KindLabels, *, min_ratio: float | None, max_gap: int = 3
) -> dict[str, float]:
    """Return the kinds a whole query names, each with how well (1 for a label's words).

    A query names a kind when each of its words names a word of one of the kind's labels
    and each word of that label is named: "театр", "театры", "theatres", "concert hall",
    "концертные залы" and (as a prefix) "кинотеатр" or "библиот". A query with another word
    ("театр Абая") names no kind: its words are matched against names instead.

    Parameters
    ----------
    q_words
        The folded query's words.
    labels
        ``kind_labels``.
    min_ratio
        Near spellings at least this similar count too (their ratio is the score); ``None``
        for exact words, stems and prefixes only.
    max_gap
        A near spelling differs in length by at most this many letters.

    Returns
    -------
    dict
        Kind to score, best label.
    """
    unique = list(dict.fromkeys(q_words))
    if not unique or len(unique) > labels.longest:
        return {}
    hits = []
    for w in unique:  # most queries name no kind: the first word that names nothing ends it
        hit = _label_words_hit(w, labels, min_ratio=min_ratio, max_gap=max_gap)
        if not hit:
            return {}
        hits.append(hit)
    found: dict[str, float] = {}
    for kind, ids in labels.labels:
        per_query = [max((h.get(i, 0.0) for i in ids), default=0.0) for h in hits]
        if min(per_query) > 0 and all(any(i in h for h in hits) for i in ids):
            found[kind] = max(found.get(kind, 0.0), min(per_query))
    return found
