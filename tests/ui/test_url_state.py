"""The shareable view as URL parameters: parse_view and view_to_params, without Streamlit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo.nearest import MAX_RESULTS
from geo.select import Filters, FilterVocabulary
from ui.url_state import (
    DEFAULT_N,
    MAX_SHOWN_VALUE,
    RADII_KM,
    Notice,
    ViewState,
    Vocabulary,
    check_position,
    format_near,
    parse_view,
    view_to_params,
)

VOCAB = Vocabulary(
    filters=FilterVocabulary(
        kinds=frozenset({"creative_cluster", "landmark", "arts_centre"}),
        statuses=frozenset({"existing", "planned"}),
        banks=frozenset({"left", "right"}),
        districts=(("astana", frozenset({"Yesil"})), ("almaty", frozenset({"Almaly"}))),
        years=frozenset({"2025", "2027"}),
        announced=frozenset({"2018", "2021", "unknown"}),
    ),
    place=frozenset({"astana_baiterek", "almaty_tselinny"}),
)

ROUND_TRIP_STATES = [
    ViewState(),
    ViewState(lang="en", filters=Filters(city="astana", banks=("left",), districts=("Yesil",))),
    ViewState(
        lang="kk",
        filters=Filters(city="almaty", kinds=("arts_centre", "creative_cluster"), years=("2025",)),
    ),
    ViewState(filters=Filters(statuses=("planned", "existing")), place="almaty_tselinny"),
    ViewState(lang="ru", filters=Filters(announced=("2018", "2021"))),
    ViewState(lang="en", page="near", near=(51.1281, 71.4303), n=12, radius_km=2),
    ViewState(lang="kk", page="near", near=(51.1281, 71.4303), near_landmarks=True),
    ViewState(
        filters=Filters(city="astana", kinds=("landmark",)), page="near", near=(43.24833, 76.92889)
    ),
]


@pytest.mark.parametrize("state", ROUND_TRIP_STATES)
def test_a_view_survives_the_round_trip_through_the_url(state):
    params = view_to_params(state)
    assert all(isinstance(v, str) for v in params.values())
    assert parse_view(params, VOCAB) == (state, [])


@pytest.mark.parametrize("state", ROUND_TRIP_STATES)
def test_parsing_then_serialising_gives_the_same_parameters(state):
    params = view_to_params(state)
    parsed, _ = parse_view(params, VOCAB)
    assert view_to_params(parsed) == params


def test_defaults_are_left_out_of_the_url():
    assert view_to_params(ViewState()) == {"lang": "ru", "city": "both"}
    params = view_to_params(ViewState(page="near", n=DEFAULT_N))
    assert params == {"lang": "ru", "city": "both"}  # the page is in the path: /near


def test_near_parameters_are_written_only_in_near_mode():
    state = ViewState(page="map", near=(51.1281, 71.4303), n=12, radius_km=2, near_landmarks=True)
    assert set(view_to_params(state)) == {"lang", "city"}


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("0", False), (" 1 ", True)])
def test_landmarks_is_a_yes_or_no_flag(raw, expected):
    state, notices = parse_view({"landmarks": raw}, VOCAB)
    assert notices == []
    assert state.near_landmarks is expected
    written = view_to_params(replace(state, page="near"))
    assert written.get("landmarks") == ("1" if expected else None)  # off is the default


@pytest.mark.parametrize("raw", ["yes", "true", "2", "", "１"])
def test_a_bad_landmarks_flag_is_ignored_with_a_notice(raw):
    state, notices = parse_view({"landmarks": raw}, VOCAB)
    assert state.near_landmarks is False
    assert [(n.param, n.why_key) for n in notices] == [("landmarks", "ui.why_flag")]


def test_a_near_link_without_mode_opens_near_mode():
    state, notices = parse_view({"near": "51.128,71.43"}, VOCAB)
    assert notices == []
    assert state.page == "near"
    assert state.near == pytest.approx((51.128, 71.43))


def test_an_explicit_mode_wins_over_near():
    state, _ = parse_view({"near": "51.128,71.43", "mode": "map"}, VOCAB)
    assert state.page == "map"
    assert state.near == pytest.approx((51.128, 71.43))


def test_bad_values_are_dropped_one_by_one_with_a_notice_each():
    state, notices = parse_view(
        {"kind": "bogus,landmark,landmark,,also_bogus", "year": "2025, abc", "city": "paris"},
        VOCAB,
    )
    assert state.filters.kinds == ("landmark",)  # duplicates and empties go too
    assert state.filters.years == ("2025",)
    assert state.city == "both"
    assert notices == [
        Notice("city", "paris", "ui.why_unknown"),
        Notice("kind", "bogus", "ui.why_unknown"),
        Notice("kind", "also_bogus", "ui.why_unknown"),
        Notice("year", "abc", "ui.why_unknown"),
    ]


def test_an_unknown_place_gets_its_own_reason_and_an_empty_one_none():
    state, notices = parse_view({"place": "<script>"}, VOCAB)
    assert state.place is None
    assert notices == [Notice("place", "<script>", "ui.why_place")]
    assert parse_view({"place": ""}, VOCAB) == (ViewState(), [])


def test_unknown_parameters_are_left_alone():
    assert parse_view({"utm_source": "x", "fbclid": "y"}, VOCAB) == (ViewState(), [])


def test_a_repeated_parameter_uses_its_last_value():
    state, notices = parse_view({"lang": ["kk", "en"], "city": []}, VOCAB)
    assert state.lang == "en"
    assert notices == [Notice("city", "", "ui.why_unknown")]


def test_long_values_are_shortened_in_notices():
    value = "x" * (MAX_SHOWN_VALUE + 10)
    _, (notice,) = parse_view({"city": value}, VOCAB)
    assert notice.value == "x" * MAX_SHOWN_VALUE + "…"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", 1), (str(MAX_RESULTS), MAX_RESULTS), (" 7 ", 7)],
)
def test_n_within_bounds_is_kept(raw, expected):
    state, notices = parse_view({"n": raw}, VOCAB)
    assert notices == []
    assert state.n == expected


@pytest.mark.parametrize("raw", ["0", str(MAX_RESULTS + 1), "abc", "²", "-3", "1000", ""])
def test_n_out_of_bounds_or_not_a_number_is_ignored(raw):
    state, notices = parse_view({"n": raw}, VOCAB)
    assert state.n == DEFAULT_N
    assert [(n.param, n.why_key) for n in notices] == [("n", "ui.why_n")]


@pytest.mark.parametrize("radius", RADII_KM)
def test_every_offered_radius_is_kept(radius):
    state, notices = parse_view({"radius": str(radius)}, VOCAB)
    assert notices == []
    assert state.radius_km == radius


@pytest.mark.parametrize("raw", ["3", "¹", "two", ""])
def test_other_radii_are_ignored(raw):
    state, notices = parse_view({"radius": raw}, VOCAB)
    assert state.radius_km is None
    assert [(n.param, n.why_key) for n in notices] == [("radius", "ui.why_radius")]


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("abc", "near.err."),
        ("200,71.4", "near.err."),
        ("55.75,37.62", "near.err."),
    ],
)
def test_a_bad_position_is_refused_with_its_reason(raw, why):
    state, (notice,) = parse_view({"near": raw}, VOCAB)
    assert state.near is None
    assert state.page == "near"  # the page explains beside the input
    assert notice.param == "near"
    assert notice.why_key.startswith(why)


def test_the_reasons_differ_by_problem():
    reasons = {check_position(raw)[1] for raw in ("abc", "200,71.4", "51.1,500", "55.75,37.62")}
    assert None not in reasons
    assert len(reasons) == 4


def test_format_near_rounds_to_five_decimals_and_parses_back():
    text = format_near((51.128104, 71.430349))
    assert text == "51.12810,71.43035"
    position, why = check_position(text)
    assert why is None
    assert position == pytest.approx((51.1281, 71.43035))


def test_the_announced_filter_reads_from_the_url_and_drops_bad_years():
    state, notices = parse_view({"announced": "2018,2019,unknown,20x8", "lang": "en"}, VOCAB)
    assert state.filters.announced == ("2018", "unknown")
    assert notices == [
        Notice("announced", "2019", "ui.why_unknown"),
        Notice("announced", "20x8", "ui.why_unknown"),
    ]
    assert view_to_params(state)["announced"] == "2018,unknown"


def test_an_old_link_with_the_renamed_outline_layer_still_shows_it():
    vocab = replace(VOCAB, layers=frozenset({"places", "city_outlines"}))
    state, notices = parse_view({"layers": "places,astana_city_outline"}, vocab)
    assert state.layers == ("places", "city_outlines")
    assert notices == []
    state, notices = parse_view({"layers": "places,city_outlines,astana_city_outline"}, vocab)
    assert state.layers == ("places", "city_outlines")  # once, though named twice
    _, notices = parse_view({"layers": "astana_rivers"}, vocab)
    assert notices == [Notice("layers", "astana_rivers", "ui.why_layer")]
