"""AppTest: the near page's search with a huge query and with a hostile geocoder (issue 8).

The page says what happened beside the search box, keeps the query in the box and keeps
showing the places near the current position.
"""

from __future__ import annotations

import threading
import time
from http.server import ThreadingHTTPServer

import pytest
from streamlit.testing.v1 import AppTest

import geo.search
from geo.search import MAX_QUERY_CHARS, MAX_QUERY_WORDS, SearchIndex
from layers.i18n import t
from settings import GEOCODER_VAR
from sources import nominatim
from tests.app.test_dashboard import _run
from tests.catalogue import DEFAULT_N
from tests.sources.test_nominatim_hostile import GENEROUS_S, _Hostile

TOO_LONG = f"at most {MAX_QUERY_CHARS} characters and {MAX_QUERY_WORDS} words"


def _errors(at: AppTest) -> str:
    return " ".join(e.value.replace("\\", "") for e in at.error)


def _results(at: AppTest) -> int:
    return sum(m.value.replace("\\", "").startswith("**") for m in at.markdown)


def _search(at: AppTest, text: str, lang: str = "en") -> float:
    at.text_input(key="near_query").input(text)
    (button,) = [b for b in at.button if b.label == t("near.search_button", lang)]
    start = time.monotonic()
    button.click().run(timeout=60)
    elapsed = time.monotonic() - start
    assert not at.exception, at.exception
    return elapsed


@pytest.fixture
def matcher_runs(monkeypatch):
    """Count the passes of the search index's matcher and the folds of text."""
    runs = {"match": 0, "fold": 0, "longest_fold": 0}
    real_scores, real_fold = SearchIndex.scores, geo.search.fold

    def scores(self, q, *, fuzzy):
        runs["match"] += 1
        return real_scores(self, q, fuzzy=fuzzy)

    def fold(text):
        runs["fold"] += 1
        runs["longest_fold"] = max(runs["longest_fold"], len(text))
        return real_fold(text)

    monkeypatch.setattr(SearchIndex, "scores", scores)
    monkeypatch.setattr(geo.search, "fold", fold)
    return runs


@pytest.mark.parametrize("n_bytes", [100_000, 10_000])
def test_a_huge_query_is_refused_beside_the_box_and_the_page_keeps_working(matcher_runs, n_bytes):
    at = _run(lang="en", near="51.128,71.43")
    assert _results(at) == DEFAULT_N
    query = ("Baiterek " * (n_bytes // 9 + 1))[:n_bytes]
    _search(at, query)
    assert TOO_LONG in _errors(at)
    assert query[:50] not in _errors(at)  # the refused text is not echoed back
    assert at.text_input(key="near_query").value == query  # the box keeps what was typed
    assert at.query_params["near"] == "51.12800,71.43000"
    assert _results(at) == DEFAULT_N
    # Refused before any matching, and nothing as long as the query was folded.
    assert matcher_runs["match"] == 0
    assert matcher_runs["longest_fold"] < MAX_QUERY_CHARS
    # The next, ordinary search works.
    _search(at, "Baiterek")
    assert TOO_LONG not in _errors(at)
    assert matcher_runs["match"] >= 1
    assert at.query_params["near"].startswith("51.128")


def test_too_many_words_are_refused_with_the_same_message(matcher_runs):
    at = _run(lang="ru", near="51.128,71.43")
    _search(at, " ".join(["бай"] * (MAX_QUERY_WORDS + 1)), "ru")
    assert "Слишком длинный запрос" in _errors(at)
    assert matcher_runs["match"] == 0


@pytest.fixture
def hostile_geocoder(monkeypatch):
    _Hostile.seen = []
    _Hostile.stop = threading.Event()
    nominatim._cache.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv(GEOCODER_VAR, f"http://127.0.0.1:{httpd.server_address[1]}")
    yield
    _Hostile.stop.set()
    httpd.shutdown()
    httpd.server_close()
    nominatim._cache.clear()


def test_a_dripping_geocoder_is_stopped_at_its_deadline_with_a_message(hostile_geocoder):
    at = _run(lang="en", near="51.128,71.43", city="astana")
    elapsed = _search(at, "drip zzzqqq")
    assert f"did not answer within {nominatim.DEADLINE_S:g} s" in _errors(at)
    assert elapsed < GENEROUS_S  # the attack held a search 34 s
    assert _Hostile.seen == ["drip zzzqqq"]
    assert _results(at) == DEFAULT_N


def test_an_oversized_geocoder_answer_is_refused_with_a_message(hostile_geocoder):
    at = _run(lang="kk", near="51.128,71.43", city="astana")
    _search(at, "huge zzzqqq", "kk")
    assert "жауабы тым үлкен" in _errors(at)
    assert nominatim._cache == {}
    assert _results(at) == DEFAULT_N
