"""Targets against the places: the link (a map query), progress, deadlines, and the summaries."""

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.errors import InputError
from geo.select import Filters
from geo.summary import (
    ANNOUNCED,
    BREAKDOWNS,
    REALISED,
    announced_filters,
    announced_realised,
    bar_filters,
    breakdown,
    summary_cards,
)
from geo.targets import (
    NO_LINK,
    NONE_IN_CATALOGUE,
    deadline_passed,
    link_filters,
    target_progress,
)
from geo.validate import validate_targets
from tests.catalogue import TARGETS

TODAY = date(2026, 11, 29)


def _place(pid, city, kind, status, **more):
    row = {
        "id": pid,
        "city": city,
        "kind": kind,
        "status": status,
        "bank": None,
        "district": None,
        "target_year": np.nan,
        "announced_date": None,
        "status_as_of": None,
        "geometry": Point(71.4, 51.1) if city == "astana" else Point(76.9, 43.2),
    }
    return row | more


@pytest.fixture
def places():
    rows = [
        _place("a_hub", "almaty", "it_hub", "existing", district="Almaly"),
        _place("a_hub2", "almaty", "creative_hub", "existing", district=None, geometry=None),
        _place("a_plan", "almaty", "creative_hub", "planned", announced_date="2022-09-12"),
        _place("a_theatre", "almaty", "theatre", "existing", district="Medeu"),
        _place("s_cluster", "astana", "creative_cluster", "proposed", bank="left",
               district="Yesil", announced_date="2018-01-26", status_as_of="2018-01-26"),
        _place("s_done", "astana", "creative_hub", "existing", bank="right",
               district="Saryarka", announced_date="2018-01-26", status_as_of="2021-06-14"),
        _place("s_undated", "astana", "it_hub", "existing", bank="left", district="Yesil",
               announced_date="2020-05-01"),
        _place("s_theatre", "astana", "theatre", "existing", bank=None, district="Yesil"),
    ]  # fmt: skip
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def test_a_link_reads_like_the_maps_url():
    filters = link_filters("city=almaty&kind=creative_hub,it_hub&status=existing")
    assert filters == Filters(
        city="almaty", kinds=("creative_hub", "it_hub"), statuses=("existing",)
    )
    assert link_filters("district=Yesil&year=2025") == Filters(
        districts=("Yesil",), years=("2025",)
    )


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "must read like"),
        ("kind", "must read like"),
        ("kind=it_hub&kind=studio", "twice"),
        ("name=Depo", "parameter must be one of"),
        ("kind=bananas", "does not know"),
        ("status=built", "does not know"),
        ("city=almaty,astana", "does not know"),
        ("city=paris", "does not know"),
        ("year=twenty", "does not know"),
        ("kind=it_hub,", "does not know"),
    ],
)
def test_a_bad_link_is_refused(text, match):
    with pytest.raises(InputError, match=match):
        link_filters(text)


@pytest.mark.parametrize(
    ("year", "today", "passed"),
    [
        (2025, date(2026, 11, 29), True),
        (2025, date(2025, 12, 31), False),  # "by 2025" holds to the end of 2025
        (2026, date(2026, 11, 29), False),
        (2030, date(2026, 11, 29), False),
        (2025.0, date(2026, 1, 1), True),
        (None, date(2026, 11, 29), None),
        (np.nan, date(2026, 11, 29), None),
        (pd.NA, date(2026, 11, 29), None),
    ],
)
def test_deadline_passed_after_the_end_of_its_year(year, today, passed):
    assert deadline_passed(year, today) is passed


def _target(**more):
    base = {"id": "t", "quantity": 8.0, "deadline_year": 2030, "places_filter": None}
    return base | {"progress_measure": None} | more


def test_a_count_counts_exactly_the_linked_places(places):
    link = "city=almaty&kind=creative_hub,it_hub&status=existing"
    progress = target_progress(
        _target(places_filter=link, progress_measure="count"), places, today=TODAY
    )
    assert progress.measure == "count"
    assert progress.known == 2
    assert progress.place_ids == ("a_hub", "a_hub2")
    assert progress.filters.mask(places).sum() == 2
    assert progress.quantity == 8.0
    assert progress.deadline_passed is False


def test_no_linked_place_in_the_catalogue_is_unknown_not_zero(places):
    link = "city=astana&kind=studio"
    progress = target_progress(
        _target(places_filter=link, progress_measure="count"), places, today=TODAY
    )
    assert progress.known is None
    assert progress.measure == "unknown"
    assert progress.why_unknown == NONE_IN_CATALOGUE


def test_a_target_without_a_link_is_unknown(places):
    progress = target_progress(_target(deadline_year=2025), places, today=TODAY)
    assert (progress.known, progress.measure, progress.why_unknown) == (None, "unknown", NO_LINK)
    assert progress.filters is None
    assert progress.deadline_passed is True


def test_a_status_target_lists_its_places(places):
    progress = target_progress(
        _target(places_filter="city=astana&kind=creative_cluster", progress_measure="status"),
        places,
        today=TODAY,
    )
    assert progress.measure == "status"
    assert progress.place_ids == ("s_cluster",)


def _with(**more):
    return pd.DataFrame([TARGETS.iloc[0].to_dict() | more])


@pytest.mark.parametrize(
    ("more", "match"),
    [
        ({"progress_measure": None}, "given together or not at all"),
        ({"places_filter": None}, "given together or not at all"),
        ({"progress_measure": "percent"}, "progress_measure must be one of"),
        ({"places_filter": "kind=bananas"}, "does not know"),
        ({"promised_by_ru": None}, "'promised_by_ru' is required"),
        ({"progress_kk": " "}, "'progress_kk' is required"),
    ],
)
def test_the_validator_checks_who_promised_and_the_link(more, match):
    validate_targets(_with())
    with pytest.raises(InputError, match=match):
        validate_targets(_with(**more))


@pytest.mark.parametrize("field", BREAKDOWNS)
@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(city="astana"), Filters(statuses=("existing",)), Filters(city="almaty")],
)
def test_each_bar_selects_exactly_the_places_it_counts(places, field, filters):
    bars = breakdown(places, field, filters)
    assert bars.empty or bars["count"].min() >= 1
    total = 0
    for row in bars.itertuples():
        chosen = bar_filters(filters, field, row.value, row.city)
        assert int(chosen.mask(places).sum()) == row.count, (field, row)
        total += row.count
    in_scope = filters.mask(places)
    if field == "bank":
        in_scope &= places["city"] == "astana"
    assert total == int(in_scope.sum())


def test_breakdowns_count_per_city_and_unknown(places):
    bank = breakdown(places, "bank", Filters())
    assert set(bank["city"]) == {"astana"}  # Almaty is not divided by the Esil
    assert dict(zip(bank["value"], bank["count"], strict=True)) == {
        "left": 2,
        "right": 1,
        "unknown": 1,
    }
    district = breakdown(places, "district", Filters())
    pairs = {(r.city, r.value): r.count for r in district.itertuples()}
    assert pairs[("astana", "Yesil")] == 3
    assert pairs[("almaty", "unknown")] == 2
    kinds = breakdown(places, "kind", Filters())
    assert list(kinds["value"]) == ["creative_cluster", "creative_hub", "it_hub", "theatre"]
    assert list(kinds["count"]) == [1, 3, 2, 2]


def test_breakdown_refuses_another_column(places):
    with pytest.raises(ValueError, match="field must be one of"):
        breakdown(places, "name_en", Filters())


def test_cards_count_and_filter_the_same_places(places):
    cards = {c.key: c for c in summary_cards(places, Filters(city="astana"))}
    assert cards["places"].count == 4
    assert cards["existing"].count == 3
    assert cards["not_yet"].count == 1
    assert cards["unplaced"].filters is None
    for key in ("places", "existing", "not_yet"):
        assert int(cards[key].filters.mask(places).sum()) == cards[key].count
    narrowed = summary_cards(places, Filters(statuses=("proposed",)))
    assert [c.count for c in narrowed] == [1, 0, 1, 0]


def test_announced_against_realised_by_year(places):
    timeline = announced_realised(places, Filters())
    rows = {(r.year, r.series): r.count for r in timeline.by_year.itertuples()}
    assert rows == {
        (2018, ANNOUNCED): 2,
        (2020, ANNOUNCED): 1,
        (2022, ANNOUNCED): 1,
        (2021, REALISED): 1,  # s_done exists, as its 2021 source says
    }
    assert timeline.not_announced == 4
    assert timeline.not_realised == 2  # s_cluster, a_plan
    assert timeline.realised_undated == 1  # s_undated


@pytest.mark.parametrize(
    "sidebar",
    [
        Filters(),
        Filters(city="astana"),
        Filters(announced=("2018", "2020"), statuses=("existing",)),
    ],
)
def test_an_announced_bar_selects_exactly_the_places_it_counts(places, sidebar):
    timeline = announced_realised(places, sidebar)
    announced = timeline.by_year[timeline.by_year["series"] == ANNOUNCED]
    assert len(announced) >= 1
    chosen = places[sidebar.mask(places)]
    for row in announced.itertuples():
        filters = announced_filters(sidebar, row.year)
        assert filters.announced == (str(row.year),)
        got = set(places.loc[filters.mask(places), "id"])
        expected = set(chosen.loc[chosen["announced_date"].str[:4] == str(row.year), "id"])
        assert got == expected
        assert len(got) == row.count
