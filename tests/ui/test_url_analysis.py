"""The planners' page's URL parameters: walk, candidate (repeatable), scheme, k and measure."""

from __future__ import annotations

import pytest

from geo.coverage import WALK_DEFAULT_M, WALK_MAX_M, WALK_MIN_M
from geo.select import Filters
from ui.url_state import (
    DEFAULT_K,
    DEFAULT_MEASURE,
    DEFAULT_SCHEME,
    MAX_CANDIDATES,
    Notice,
    ViewState,
    Vocabulary,
    parse_view,
    view_to_params,
    view_url,
)

VOCAB = Vocabulary()
ASTANA = (51.12810, 71.43030)
ALMATY = (43.24833, 76.92889)

ROUND_TRIP = [
    ViewState(page="analysis"),
    ViewState(page="analysis", walk_m=1200, candidates=(ASTANA,)),
    ViewState(
        lang="ru",
        filters=Filters(city="astana"),
        page="analysis",
        walk_m=WALK_MIN_M,
        candidates=(ASTANA, (51.09, 71.41)),
        scheme="NaturalBreaks",
        k=7,
        measure="per_100k",
    ),
    ViewState(lang="kk", page="analysis", walk_m=WALK_MAX_M, scheme="EqualInterval", k=3),
    ViewState(page="analysis", candidates=(ALMATY,), measure="per_100k"),
]


@pytest.mark.parametrize("state", ROUND_TRIP)
def test_an_analysis_view_survives_the_round_trip(state):
    params = view_to_params(state)
    assert parse_view({**params, "mode": "analysis"}, VOCAB) == (state, [])


def test_defaults_are_left_out_and_candidates_repeat():
    state = ViewState(page="analysis", candidates=(ASTANA, (51.09, 71.41)))
    params = view_to_params(state)
    assert params["candidate"] == ["51.12810,71.43030", "51.09000,71.41000"]
    assert not {"walk", "scheme", "k", "measure"} & set(params)
    url = view_url("http://x/analysis", {"candidate": params["candidate"]})
    assert url == "http://x/analysis?candidate=51.12810%2C71.43030&candidate=51.09000%2C71.41000"
    assert ViewState().walk_m == WALK_DEFAULT_M
    assert (ViewState().scheme, ViewState().k, ViewState().measure) == (
        DEFAULT_SCHEME,
        DEFAULT_K,
        DEFAULT_MEASURE,
    )


def test_other_pages_do_not_write_the_analysis_parameters():
    state = ViewState(page="map", walk_m=1500, candidates=(ASTANA,), k=7)
    params = view_to_params(state)
    assert not {"walk", "candidate", "k", "scheme", "measure"} & set(params)


@pytest.mark.parametrize("raw", ["299", "3001", "abc", "", "800.5", "-800", "１２００", "99999"])
def test_a_bad_walk_is_noticed_and_the_rest_kept(raw):
    state, notices = parse_view({"walk": raw, "k": "7", "candidate": "51.1281,71.4303"}, VOCAB)
    assert state.walk_m == WALK_DEFAULT_M
    assert state.k == 7
    assert state.candidates == ((51.1281, 71.4303),)
    assert notices == [Notice("walk", raw, "ui.why_walk")]


def test_bad_candidates_are_dropped_each_with_a_notice_naming_it():
    raws = ["51.1281,71.4303", "nonsense", "48.0,60.0", "95,71", "43.24833,76.92889"]
    state, notices = parse_view({"candidate": raws, "walk": "1000"}, VOCAB)
    assert state.candidates == ((51.1281, 71.4303), (43.24833, 76.92889))
    assert state.walk_m == 1000
    assert notices == [
        Notice("candidate", "nonsense", "near.err.format"),
        Notice("candidate", "48.0,60.0", "near.err.outside"),
        Notice("candidate", "95,71", "near.err.latitude"),
    ]


def test_too_many_candidates_are_noticed_and_duplicates_merged():
    raws = [f"51.1{i},71.43" for i in range(MAX_CANDIDATES + 2)] + ["51.10,71.43"]
    state, notices = parse_view({"candidate": raws}, VOCAB)
    assert len(state.candidates) == MAX_CANDIDATES
    assert [n.why_key for n in notices] == ["ui.why_candidates"] * 2


@pytest.mark.parametrize(
    ("param", "raw", "why"),
    [
        ("scheme", "Jenks", "ui.why_scheme"),
        ("scheme", "quantiles", "ui.why_scheme"),
        ("k", "2", "ui.why_k"),
        ("k", "8", "ui.why_k"),
        ("k", "five", "ui.why_k"),
        ("measure", "density", "ui.why_measure"),
    ],
)
def test_bad_classes_and_measure_are_noticed_and_the_rest_kept(param, raw, why):
    state, notices = parse_view({param: raw, "walk": "2000"}, VOCAB)
    assert notices == [Notice(param, raw, why)]
    assert state.walk_m == 2000
    assert (state.scheme, state.k, state.measure) == (DEFAULT_SCHEME, DEFAULT_K, DEFAULT_MEASURE)


def test_the_analysis_page_is_a_mode():
    state, notices = parse_view({"mode": "analysis"}, VOCAB)
    assert (state.page, notices) == ("analysis", [])
