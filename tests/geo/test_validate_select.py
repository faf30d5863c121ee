import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, Polygon

from geo.errors import GeometryError, InputError
from geo.schema import PLACE_COLUMNS
from geo.select import distinct_values, filter_mask, in_bbox_mask
from geo.validate import validate_places, validate_targets
from tests.catalogue import localised


def _place(**over):
    rec = dict.fromkeys(PLACE_COLUMNS)
    rec.update(
        id="astana_test",
        name_kk="Сынақ",
        name_ru="Тест",
        name_en="Test",
        city="astana",
        bank="left",
        district="Yesil",
        kind="creative_hub",
        status="planned",
        status_as_of="2026-01-01",
        target_year=2027,
        location_accuracy_m=30.0,
        **localised("location_note", "built in a test"),
        **localised("source_outlet", "test"),
        source_date="2026-01-01",
        checked_date="2026-11-21",
        geometry=Point(71.43, 51.12),
    )
    rec.update(over)
    return rec


def _frame(*records):
    return gpd.GeoDataFrame(list(records), geometry="geometry", crs="EPSG:4326")


def test_a_valid_catalogue_passes_unchanged():
    gdf = _frame(
        _place(), _place(id="almaty_test", city="almaty", bank=None, geometry=Point(76.93, 43.25))
    )
    assert validate_places(gdf) is gdf


def test_unknown_position_is_allowed_without_accuracy():
    validate_places(_frame(_place(geometry=None, location_accuracy_m=None)))


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"kind": "bakery"}, r"record 'astana_test': kind must be one of"),
        ({"status": "done"}, r"record 'astana_test': status must be one of"),
        ({"city": "paris"}, r"record 'astana_test': city must be one of"),
        ({"bank": "north"}, r"record 'astana_test': bank must be one of"),
        ({"name_en": ""}, r"record 'astana_test': 'name_en' is required but empty"),
        ({"source_date": "26.01.2018"}, r"source_date must be an ISO date"),
        ({"target_year": 20255}, r"target_year must be a whole year"),
        ({"id": "Bad Id"}, r"id must be lower-case snake_case"),
        ({"source_url": "javascript:alert(1)"}, r"source_url must start with https://"),
        ({"area_m2": -5}, r"area_m2 must be a positive number"),
    ],
)
def test_bad_values_name_the_record_and_the_problem(over, message):
    with pytest.raises(InputError, match=message):
        validate_places(_frame(_place(**over)))


def test_bank_is_refused_for_almaty():
    gdf = _frame(_place(city="almaty", bank="left", geometry=Point(76.93, 43.25)))
    with pytest.raises(InputError, match="bank applies to Astana only"):
        validate_places(gdf)


def test_duplicate_ids_are_reported():
    with pytest.raises(InputError, match="record 'astana_test': id is used more than once"):
        validate_places(_frame(_place(), _place()))


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"geometry": Point(51.12, 71.43)}, r"outside astana's bounds .* swapped latitude"),
        ({"geometry": Point(76.93, 43.25)}, r"outside astana's bounds"),
        ({"location_accuracy_m": None}, r"location_accuracy_m must be a positive number"),
        ({"geometry": None, "location_accuracy_m": 300.0}, r"has no geometry, so location_acc"),
        (
            {"geometry": Polygon([(71.4, 51.1), (71.5, 51.2), (71.5, 51.1), (71.4, 51.2)])},
            r"geometry is invalid",
        ),
    ],
)
def test_bad_geometries_name_the_record(over, message):
    with pytest.raises(GeometryError, match=message):
        validate_places(_frame(_place(**over)))


def test_missing_columns_are_listed():
    gdf = _frame(_place()).drop(columns=["kind", "source_outlet_ru"])
    with pytest.raises(InputError, match=r"missing columns \['kind', 'source_outlet_ru'\]"):
        validate_places(gdf)


def test_targets_validate_units_and_years():
    import pandas as pd

    good = {
        "id": "almaty_hubs",
        "city": "almaty",
        "what_kk": "x",
        "what_ru": "x",
        "what_en": "x",
        "promised_by_kk": "x",
        "promised_by_ru": "x",
        "promised_by_en": "x",
        "quantity": 3,
        "unit": "count",
        "deadline_year": 2025,
        "progress_kk": "none",
        "progress_ru": "none",
        "progress_en": "none",
        "places_filter": "city=almaty&kind=it_hub",
        "progress_measure": "count",
        "progress_as_of": "2026-11-21",
        "source_outlet": "Zakon.kz",
        "source_title": None,
        "source_date": "2022-09-12",
        "source_url": None,
        "checked_date": "2026-11-21",
    }
    validate_targets(pd.DataFrame([good]))
    with pytest.raises(InputError, match="record 'almaty_hubs': unit must be one of"):
        validate_targets(pd.DataFrame([{**good, "unit": "bananas"}]))
    with pytest.raises(InputError, match="quantity must be >= 0"):
        validate_targets(pd.DataFrame([{**good, "quantity": -1}]))


@pytest.fixture
def sample():
    return _frame(
        _place(id="a1", kind="it_hub", status="existing", target_year=None),
        _place(id="a2", bank="right", district=None, target_year=2025),
        _place(
            id="b1",
            city="almaty",
            bank=None,
            district="Almaly",
            geometry=Point(76.93, 43.25),
            target_year=2030,
        ),
        _place(id="a3", geometry=None, location_accuracy_m=None, bank=None),
    )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, ["a1", "a2", "b1", "a3"]),
        ({"cities": ["almaty"]}, ["b1"]),
        ({"kinds": ["it_hub"]}, ["a1"]),
        ({"statuses": ["planned"], "cities": ["astana"]}, ["a2", "a3"]),
        ({"banks": ["left"]}, ["a1"]),
        ({"banks": ["unknown"]}, ["b1", "a3"]),
        ({"districts": ["unknown"]}, ["a2"]),
        ({"years": ["2025", "2030"]}, ["a2", "b1"]),
        ({"years": ["unknown"]}, ["a1"]),
        ({"kinds": []}, ["a1", "a2", "b1", "a3"]),
    ],
)
def test_filters_combine_and_treat_missing_as_unknown(sample, kwargs, expected):
    assert list(sample.loc[filter_mask(sample, **kwargs), "id"]) == expected


def test_bbox_selects_what_is_in_view_and_never_the_unplaced(sample):
    around_astana = (71.0, 50.9, 71.9, 51.4)
    assert list(sample.loc[in_bbox_mask(sample, around_astana), "id"]) == ["a1", "a2"]
    line = _frame(_place(id="l1", geometry=LineString([(71.0, 51.0), (71.9, 51.3)])))
    assert in_bbox_mask(line, (71.4, 51.0, 71.5, 51.3)).all()


def test_distinct_values_show_years_as_integers_and_unknown_last(sample):
    assert distinct_values(sample["target_year"]) == ["2025", "2027", "2030", "unknown"]


@pytest.mark.parametrize(
    ("over", "error", "message"),
    [
        ({"kind": "bakery"}, InputError, r"record 'astana_bad': kind must be one of"),
        ({"name_ru": "  "}, InputError, r"record 'astana_bad': 'name_ru' is required but empty"),
        ({"checked_date": "2026-13-01"}, InputError, r"record 'astana_bad': checked_date must"),
        ({"bank": "left", "city": "almaty"}, InputError, r"'astana_bad': bank applies to Astana"),
        ({"target_year": 2027.5}, InputError, r"'astana_bad': target_year must be a whole year"),
        ({"geometry": Point(51.12, 71.43)}, GeometryError, r"'astana_bad': geometry lies outside"),
        ({"location_accuracy_m": 0.0}, GeometryError, r"'astana_bad': has a geometry, so loc"),
    ],
)
def test_one_bad_record_among_many_is_found_by_name_and_row(over, error, message):
    # Rules are evaluated column-wise first; the one bad row in the middle must still be found.
    records = [_place(id=f"astana_ok_{i}") for i in range(30)]
    records[17] = _place(**({"id": "astana_bad"} | over))
    with pytest.raises(error, match=message) as caught:
        validate_places(_frame(*records))
    assert "(1 problems)" in str(caught.value)


def test_every_bad_record_is_reported_in_row_order():
    records = [_place(id=f"astana_ok_{i}") for i in range(10)]
    records[2] = _place(id="astana_two", kind="bakery")
    records[8] = _place(id="astana_eight", status="done")
    with pytest.raises(InputError, match=r"(?s)'astana_two': kind.*'astana_eight': status"):
        validate_places(_frame(*records))


@pytest.mark.parametrize(
    "filters",
    [
        {"cities": ["astana"]},
        {"banks": ["left", "unknown"]},
        {"banks": ["unknown"]},
        {"districts": ["Yesil"], "kinds": ["creative_hub", "studio"]},
        {"years": ["2027", "unknown"]},
        {"statuses": ["planned"], "years": ["2030"]},
    ],
)
def test_filter_mask_is_the_same_for_arrow_and_object_strings(filters):
    # Columns of strings are compared directly (fast); the answer must not depend on the dtype.
    records = [
        _place(id="a", bank="left", district="Yesil", target_year=2027),
        _place(id="b", bank=None, district=None, kind="studio", target_year=None),
        _place(id="c", city="almaty", bank=None, district="Almaly", target_year=2030.0),
        _place(id="d", bank="right", district="Yesil", status="existing", target_year=None),
    ]
    frame = _frame(*records)
    text_cols = ["city", "kind", "status", "bank", "district"]
    arrow = frame.astype(dict.fromkeys(text_cols, "string[pyarrow]"))
    plain = frame.astype(dict.fromkeys(text_cols, object))
    expected = filter_mask(plain, **filters)
    assert expected.any()
    assert filter_mask(arrow, **filters).tolist() == expected.tolist()


def test_anchor_points_put_a_point_on_each_placed_record():
    from geo.select import anchor_points

    line = LineString([(71.40, 51.10), (71.44, 51.10)])
    ring = Polygon([(71.40, 51.10), (71.42, 51.10), (71.42, 51.12), (71.40, 51.12)])
    frame = _frame(
        _place(id="point", geometry=Point(71.43, 51.12)),
        _place(id="line", geometry=line),
        _place(id="area", geometry=ring),
        _place(id="nowhere", geometry=None, location_accuracy_m=None),
    )
    anchors = anchor_points(frame)
    assert set(anchors) == {"point", "line", "area"}
    assert anchors["point"] == pytest.approx((51.12, 71.43))
    assert anchors["line"] == pytest.approx((51.10, 71.42))  # half way along, as (lat, lon)
    lat, lon = anchors["area"]
    assert ring.contains(Point(lon, lat))
    assert anchors["area"] == pytest.approx(
        (ring.representative_point().y, ring.representative_point().x)
    )


@pytest.mark.parametrize("empty", ["", "   ", "\t\n", "\u00a0", "\u3000 "])
def test_an_empty_name_is_found_in_a_column_of_arrow_strings(empty):
    records = [_place(id=f"astana_ok_{i}") for i in range(12)]
    records[5] = _place(id="astana_bad", name_en=empty)
    frame = _frame(*records).astype({"name_en": "string[pyarrow]"})
    with pytest.raises(InputError, match=r"record 'astana_bad': 'name_en' is required but empty"):
        validate_places(frame)
