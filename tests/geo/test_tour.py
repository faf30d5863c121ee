"""The tour table's check: good tables pass sorted, each kind of bad row is named."""

import pandas as pd
import pytest

from geo.errors import InputError
from geo.tour import TOUR_COLUMNS, validate_tour


def _row(stop, place="p1", **over):
    row = {
        "stop": stop,
        "place_id": place,
        "target_id": None,
        "zoom": 14,
        "area": None,
        "view_lat": None,
        "view_lon": None,
        "caption_kk": "kk",
        "caption_ru": "ru",
        "caption_en": "en",
    }
    return {**row, **over}


def _tour(*rows):
    return pd.DataFrame(list(rows), columns=list(TOUR_COLUMNS))


def test_a_good_tour_comes_back_sorted_by_stop_with_whole_numbers():
    tour = validate_tour(
        _tour(_row("2", zoom="13"), _row(1), _row(3, area="bank", view_lat=51.17, view_lon=71.43)),
        place_ids={"p1"},
    )
    assert list(tour["stop"]) == [1, 2, 3]
    assert list(tour["zoom"]) == [14, 13, 14]
    assert tour["view_lat"].dtype == "float64"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((_row(1), _row(3)), r"stops must be numbered 1\.\.N once each, got \[1, 3\]"),
        ((_row(1), _row(1)), r"numbered 1\.\.N once each, got \[1, 1\]"),
        ((_row("one"),), r"stop must be a whole number, got 'one'"),
        ((_row(1, zoom=25),), r"zoom must be 4-19, got 25"),
        ((_row(1, place=None),), r"place_id is required"),
        ((_row(1, place="nowhere"),), r"unknown place_id 'nowhere'"),
        ((_row(1, target_id="t9"),), r"unknown target_id 't9'"),
        ((_row(1, caption_kk=" "),), r"caption_kk is empty"),
        ((_row(1, caption_en="x" * 401),), r"caption_en is over 400 characters"),
        ((_row(1, area="street"),), r"area must be one of"),
        ((_row(1, area="bank", view_lat=51.1),), r"view_lat and view_lon together"),
        ((_row(1, view_lat=51.1, view_lon=71.4),), r"needs its area"),
        ((_row(1, area="bank", view_lat=48.85, view_lon=2.35),), r"is in neither city"),
    ],
)
def test_a_bad_tour_names_the_stop_and_the_problem(rows, message):
    with pytest.raises(InputError, match=message):
        validate_tour(_tour(*rows), place_ids={"p1"}, target_ids={"t1"})


def test_a_missing_column_is_named():
    with pytest.raises(InputError, match=r"missing columns \['caption_en'\]"):
        validate_tour(_tour(_row(1)).drop(columns="caption_en"))
