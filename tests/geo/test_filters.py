"""The Filters record: URL round trip, values that do not apply, masks, hashability."""

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.cities import CITIES, city_by_id, view_of
from geo.errors import InputError
from geo.select import Filters, FilterVocabulary, Ignored, filter_options


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "city": ["astana", "astana", "almaty", "almaty"],
            "kind": ["studio", "it_hub", "studio", "arts_centre"],
            "status": ["existing", "planned", "existing", "existing"],
            "bank": ["left", "right", None, None],
            "district": ["Yesil", None, "Almaly", "Medeu"],
            "target_year": [2025.0, None, None, 2030.0],
            "announced_date": ["2018-05-14", None, "2021", "not a date"],
        },
        geometry=[Point(71.4, 51.1), Point(71.4, 51.2), Point(76.9, 43.25), None],
        crs="EPSG:4326",
    )


def test_filters_round_trip_through_url_parameters(places):
    vocabulary = FilterVocabulary.of(places)
    filters = Filters(city="astana", kinds=("studio", "it_hub"), banks=("left",), years=("2025",))
    params = filters.to_params()
    assert params == {"city": "astana", "kind": "studio,it_hub", "bank": "left", "year": "2025"}
    assert Filters.from_params(params, vocabulary) == (filters, [])


def test_unknown_values_are_dropped_one_by_one_and_reported(places):
    params = {"city": "paris", "kind": "studio,bakery", "year": "abc,2030"}
    filters, ignored = Filters.from_params(params, FilterVocabulary.of(places))
    assert filters == Filters(kinds=("studio",), years=("2030",))
    assert ignored == [
        Ignored("city", "paris", "unknown"),
        Ignored("kind", "bakery", "unknown"),
        Ignored("year", "abc", "unknown"),
    ]


def test_values_that_do_not_apply_to_the_city_are_set_aside_with_a_reason(places):
    vocabulary = FilterVocabulary.of(places)
    filters, ignored = Filters.from_params({"city": "almaty", "bank": "left"}, vocabulary)
    assert filters == Filters(city="almaty")
    assert ignored == [Ignored("bank", "left", "no_banks")]
    filters, ignored = Filters.from_params({"city": "astana", "district": "Almaly"}, vocabulary)
    assert filters == Filters(city="astana")
    assert ignored == [Ignored("district", "Almaly", "other_city")]


def test_a_bank_filter_with_both_cities_is_kept_and_flagged(places):
    filters, ignored = Filters.from_params({"bank": "left"}, FilterVocabulary.of(places))
    assert ignored == []
    assert filters.hides_cities_without_banks()
    assert list(places.loc[filters.mask(places), "id"]) == ["a"]
    assert not Filters(city="astana", banks=("left",)).hides_cities_without_banks()


def test_mask_combines_every_filter_and_unknown_matches_missing_values(places):
    assert list(places.loc[Filters(city="almaty").mask(places), "id"]) == ["c", "d"]
    assert list(places.loc[Filters(districts=("unknown",)).mask(places), "id"]) == ["b"]
    assert list(places.loc[Filters(years=("unknown",)).mask(places), "id"]) == ["b", "c"]
    both = Filters(kinds=("studio",), statuses=("existing",), city="almaty")
    assert list(places.loc[both.mask(places), "id"]) == ["c"]
    assert Filters().is_unrestricted()
    assert Filters().mask(places).all()


def test_filters_are_hashable_cache_keys():
    assert len({Filters(kinds=("a",)), Filters(kinds=("a",)), Filters()}) == 2


def test_every_city_has_one_record_used_everywhere():
    assert [c.id for c in CITIES] == ["astana", "almaty"]
    assert city_by_id("astana").has_banks
    assert not city_by_id("almaty").has_banks
    assert city_by_id("almaty").contains(43.25, 76.93)
    assert view_of("astana") == ((51.118, 71.425), 12)
    with pytest.raises(InputError, match="city must be one of"):
        city_by_id("paris")


def test_the_announced_filter_selects_by_the_year_of_announced_date(places):
    def ids(filters: Filters) -> list[str]:
        return list(places.loc[filters.mask(places), "id"])

    assert ids(Filters(announced=("2018",))) == ["a"]
    assert ids(Filters(announced=("2021",))) == ["c"]  # a bare year is a date too
    assert ids(Filters(announced=("2018", "2021"))) == ["a", "c"]
    # No date, or one that is not a date, reads as "unknown", as the target year does.
    assert ids(Filters(announced=("unknown",))) == ["b", "d"]
    assert ids(Filters(announced=("2019",))) == []
    assert ids(Filters(city="almaty", announced=("2018", "2021"))) == ["c"]
    assert ids(Filters(announced=("2018",), years=("unknown",))) == []


def test_the_announced_filter_offers_the_years_the_data_has(places):
    assert FilterVocabulary.of(places).announced == frozenset({"2018", "2021", "unknown"})
    assert filter_options(places, "both")["announced"] == ["2018", "2021", "unknown"]
    assert filter_options(places, "almaty")["announced"] == ["2021", "unknown"]
    assert filter_options(places, "astana")["announced"] == ["2018", "unknown"]


def test_the_announced_filter_round_trips_through_the_url(places):
    vocabulary = FilterVocabulary.of(places)
    filters = Filters(kinds=("studio",), announced=("2018", "unknown"))
    params = filters.to_params()
    assert params == {"city": "both", "kind": "studio", "announced": "2018,unknown"}
    assert Filters.from_params(params, vocabulary) == (filters, [])
    assert filters.with_values("announced", ("2021",)).values_of("announced") == ("2021",)


def test_bad_announced_years_are_dropped_one_by_one_and_reported(places):
    params = {"announced": "2018,1999, abc,2021,2018"}
    filters, ignored = Filters.from_params(params, FilterVocabulary.of(places))
    assert filters == Filters(announced=("2018", "2021"))
    assert ignored == [
        Ignored("announced", "1999", "unknown"),
        Ignored("announced", "abc", "unknown"),
    ]


def test_the_announced_filter_survives_a_change_of_city(places):
    vocabulary = FilterVocabulary.of(places)
    filters, set_aside = Filters(announced=("2018",)).in_city("almaty", vocabulary)
    assert (filters, set_aside) == (Filters(city="almaty", announced=("2018",)), False)
