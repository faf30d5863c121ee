"""A search query is capped: a long one is refused before any folding or matching (issue 8)."""

from __future__ import annotations

import pytest

import geo.search
from geo.search import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    Entry,
    QueryTooLongError,
    SearchIndex,
    check_query,
    score,
    search,
)

BAITEREK = Entry.named(
    "baiterek",
    ("Бәйтерек", "Байтерек", "Baiterek"),
    city="astana",
    lat_lon=(51.128, 71.430),
    origin="places",
)
# Thousands of names: the old matcher took each query whole to every one of them.
ENTRIES = [BAITEREK] * 2000


@pytest.fixture
def work(monkeypatch):
    """Count the work a search does: folds of text, and passes of the matcher over the index."""
    done = {"fold": 0, "index": 0, "match": 0}
    real_fold, real_init = geo.search.fold, SearchIndex.__init__

    def counting_fold(text):
        done["fold"] += 1
        return real_fold(text)

    def counting_init(self, entries, **kwargs):
        done["index"] += 1
        real_init(self, entries, **kwargs)

    def no_matching(self, q, *, fuzzy):
        done["match"] += 1
        raise AssertionError("a refused query reached the matcher")

    monkeypatch.setattr(geo.search, "fold", counting_fold)
    monkeypatch.setattr(SearchIndex, "__init__", counting_init)
    index = SearchIndex.of([BAITEREK])
    done["index"] = 0
    monkeypatch.setattr(SearchIndex, "scores", no_matching)
    return done, index


@pytest.mark.parametrize("n_bytes", [100_000, 10_000, MAX_QUERY_CHARS + 1])
def test_a_long_query_is_refused_before_it_is_folded_or_matched(work, n_bytes):
    done, index = work
    query = ("Байтерек " * (n_bytes // 9 + 1))[:n_bytes]
    for call in (
        lambda: search(query, ENTRIES),
        lambda: search(query, index),
        lambda: index.search(query),
        lambda: score(query, BAITEREK),
    ):
        with pytest.raises(QueryTooLongError, match=f"at most {MAX_QUERY_CHARS} characters"):
            call()
    # Nothing was folded, no index was built and the matcher never ran.
    assert done == {"fold": 0, "index": 0, "match": 0}


def test_too_many_words_are_refused_after_one_fold_of_a_short_query(work):
    done, index = work
    query = " ".join(["Бай"] * (MAX_QUERY_WORDS + 1))
    assert len(query) <= MAX_QUERY_CHARS
    with pytest.raises(QueryTooLongError, match=f"at most {MAX_QUERY_WORDS} words"):
        search(query, ENTRIES)
    with pytest.raises(QueryTooLongError, match=f"at most {MAX_QUERY_WORDS} words"):
        index.search(query)
    assert done == {"fold": 2, "index": 0, "match": 0}


def test_words_are_counted_after_folding():
    # Punctuation splits words: a query cannot pass the cap by joining its words with dashes.
    with pytest.raises(QueryTooLongError, match="words"):
        check_query("-".join(["a"] * (MAX_QUERY_WORDS + 1)))


def test_a_query_at_the_limits_is_searched():
    words = ["Байтерек"] + ["Baiterek"] * (MAX_QUERY_WORDS - 1)
    query = " ".join(words)
    query += " " * (MAX_QUERY_CHARS - len(query))
    assert len(query) == MAX_QUERY_CHARS
    assert len(check_query(query).split()) == MAX_QUERY_WORDS
    (hit,) = search(query, [BAITEREK])
    assert hit.entry.id == "baiterek"
