"""Streamlit AppTest: the real dashboard script, driven by widget keys and URL parameters."""

import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.catalogue import PLACED, PLACES, UNPLACED, write_catalogue
from tests.conftest import ROOT

SCRIPT = str(ROOT / "dashboard.py")
N = len(PLACES)


def _plain(text: str) -> str:
    return text.replace("\\", "")


def _page_text(at: AppTest) -> str:
    """Return the text of every element on the page (its protobuf, which holds all of it)."""

    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    texts = [str(n.proto) for n in walk(at._tree) if getattr(n, "proto", None) is not None]
    assert texts  # the page has elements: an empty list would prove nothing
    return _plain("\n".join(texts))


def _run(**params) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _count_line(at: AppTest) -> str:
    (line,) = [m.value for m in at.markdown if f"of {N} places" in m.value]
    return line


def _markdown(at: AppTest) -> str:
    return _plain(" ".join(m.value for m in at.markdown))


def _listed(at: AppTest, key: str = "place_list") -> set[str]:
    return {_plain(o) for o in at.radio(key=key).options}


def _place(pid: str):
    (row,) = [row for _, row in PLACES.iterrows() if row["id"] == pid]
    return row


def test_default_view_is_russian_with_every_place():
    at = _run()
    assert at.title[0].value == "Креативные пространства Астаны и Алматы"
    assert any(f"Фильтрам соответствуют {N} из {N}" in m.value for m in at.markdown)
    assert dict(at.query_params) == {"lang": "ru", "city": "both"}


def test_every_place_is_listed_and_unplaced_ones_separately():
    at = _run(lang="en")
    assert len(PLACED) > 0
    assert len(UNPLACED) > 0
    assert _listed(at) == set(PLACED["name_en"])
    assert _listed(at, "unplaced_list") == set(UNPLACED["name_en"])
    assert any(m.value == "#### Location not confirmed" for m in at.markdown)


@pytest.mark.parametrize("status", ["existing", "planned", "under_construction"])
def test_status_filter_changes_the_count_and_the_url(status):
    at = _run(lang="en")
    at.multiselect(key="status").set_value([status]).run()
    assert not at.exception
    matching = PLACES[PLACES["status"] == status]
    assert 0 < len(matching) < N
    assert _count_line(at) == f"{len(matching)} of {N} places match the filters"
    assert at.query_params["status"] == status
    assert _listed(at) == set(matching.loc[matching.geometry.notna(), "name_en"])


def test_city_choice_hides_the_bank_filter_for_almaty():
    almaty = int((PLACES["city"] == "almaty").sum())
    astana = int((PLACES["city"] == "astana").sum())
    assert almaty > 0
    assert astana > 0
    at = _run(lang="en", city="almaty")
    assert _count_line(at) == f"{almaty} of {N} places match the filters"
    assert "bank" not in {m.key for m in at.multiselect}
    at.radio(key="city").set_value("astana").run()
    assert "bank" in {m.key for m in at.multiselect}
    assert _count_line(at) == f"{astana} of {N} places match the filters"


def test_bank_filter_keeps_only_that_bank_and_drops_unknown_banks():
    at = _run(lang="en", city="astana", bank="left")
    left = PLACES[(PLACES["city"] == "astana") & (PLACES["bank"] == "left")]
    unknown = PLACES[(PLACES["city"] == "astana") & PLACES["bank"].isna()]
    assert len(unknown) > 0  # the catalogue has an Astana place whose bank is unknown
    assert _count_line(at) == f"{len(left)} of {N} places match the filters"
    assert _listed(at) == set(left.loc[left.geometry.notna(), "name_en"])


def test_shared_url_restores_filters_language_and_place():
    row = _place("almaty_tselinny")
    at = _run(lang="kk", city="almaty", kind=row["kind"], place=row["id"])
    assert at.selectbox(key="lang").value == "kk"
    assert at.radio(key="city").value == "almaty"
    assert at.multiselect(key="kind").value == [row["kind"]]
    text = _markdown(at)
    assert row["name_kk"] in text  # the card, in Kazakh
    assert row["summary_kk"] in text
    assert at.query_params["place"] == row["id"]


@pytest.mark.parametrize(
    ("params", "notice", "count_line"),
    [
        (
            {"city": "paris"},
            "Ignored city=paris from the link: unknown value",
            f"{N} of {N} places match the filters",
        ),
        (
            {"year": "abc"},
            "Ignored year=abc from the link: unknown value",
            f"{N} of {N} places match the filters",
        ),
        (
            {"place": "<script>"},
            "Ignored place=<script> from the link: no such place",
            f"{N} of {N} places match the filters",
        ),
        (
            {"lang": "fr"},
            "Параметр ссылки lang=fr пропущен: неизвестное значение",
            f"Фильтрам соответствуют {N} из {N}",
        ),
        (
            {"kind": "bogus"},
            "Ignored kind=bogus from the link: unknown value",
            f"{N} of {N} places match the filters",
        ),
    ],
)
def test_bad_url_values_get_a_notice_and_the_page_still_works(params, notice, count_line):
    at = _run(**{"lang": "en", **params})
    assert notice in [_plain(w.value) for w in at.warning]
    assert any(count_line in m.value for m in at.markdown), [m.value for m in at.markdown]
    assert "place" not in at.query_params


def test_bad_values_do_not_lose_the_good_ones():
    at = _run(lang="en", kind="bogus,creative_cluster", year="2025,abc")
    assert at.multiselect(key="kind").value == ["creative_cluster"]
    assert at.multiselect(key="year").value == ["2025"]
    both = PLACES[(PLACES["kind"] == "creative_cluster") & (PLACES["target_year"] == 2025)]
    assert len(both) > 0
    assert _count_line(at) == f"{len(both)} of {N} places match the filters"
    assert at.query_params["kind"] == "creative_cluster"


def test_picking_a_place_in_the_list_opens_its_card_and_closing_clears_it():
    row = _place("almaty_depo")
    at = _run(lang="en")
    at.radio(key="place_list").set_value(row["id"]).run()
    assert not at.exception
    text = _markdown(at)
    assert row["name_en"] in text
    assert row["source_outlet_en"] in text
    accuracy = int(row["location_accuracy_m"])
    assert f"Location:** approximate, within about {accuracy} m." in text
    assert at.query_params["place"] == row["id"]
    at.button(key="close_card").click().run()
    assert "place" not in at.query_params
    assert row["source_outlet_en"] not in _markdown(at)


def test_card_of_an_unplaced_place_says_its_location_is_not_confirmed():
    row = _place("astana_zhastar_sarayy")
    assert row["id"] in set(UNPLACED["id"])
    at = _run(lang="en", place=row["id"])
    text = _markdown(at)
    assert "Location:** not confirmed, not drawn on the map." in text
    assert row["source_outlet_en"] in text


def test_language_switch_changes_only_the_language():
    at = _run(lang="en", status="planned", city="almaty", basemap="none", layers="")
    params = dict(at.query_params)
    at.selectbox(key="lang").set_value("kk").run()
    assert at.title[0].value == "Астана мен Алматының креативті кеңістіктері"
    assert at.multiselect(key="status").value == ["planned"]
    assert at.radio(key="city").value == "almaty"
    assert at.radio(key="basemap").value == "none"
    assert at.checkbox(key="layer_places").value is False
    assert dict(at.query_params) == {**params, "lang": "kk"}


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        (
            {"city": "almaty", "bank": "left"},
            "Ignored bank=left from the link: the banks of the Esil apply to Astana only",
        ),
        (
            {"city": "astana", "district": "Almaly"},
            "Ignored district=Almaly from the link: this district is not in the chosen city",
        ),
        ({"zoom": "99"}, "Ignored zoom=99 from the link: must be a whole number from 4 to 19"),
        (
            {"layers": "nope"},
            "Ignored layers=nope from the link: no such layer, or it is not installed",
        ),
    ],
)
def test_values_that_do_not_apply_are_reported_not_dropped_silently(params, notice):
    at = _run(lang="en", **params)
    assert notice in [_plain(w.value) for w in at.warning]
    for name, value in params.items():
        if name != "city":
            assert at.query_params.get(name) != value


def test_a_bank_filter_with_both_cities_says_it_hides_almaty():
    at = _run(lang="en", bank="left")
    assert "The bank filter shows Astana's places only: Almaty's places are hidden." in [
        _plain(c.value) for c in at.caption
    ]
    at.radio(key="city").set_value("almaty").run()
    assert "bank" not in at.query_params
    assert any("Filter bank=left was cleared" in _plain(i.value) for i in at.info)


def test_layer_toggle_keeps_the_filters():
    at = _run(lang="en", status="existing")
    at.checkbox(key="layer_places").uncheck().run()
    assert not at.exception
    assert at.checkbox(key="layer_places").value is False
    assert at.multiselect(key="status").value == ["existing"]
    assert at.query_params["status"] == "existing"
    # Hidden places are neither counted nor listed, and the page says why.
    assert not [m for m in at.markdown if "places match the filters" in m.value]
    assert any("The layers of places are hidden" in m.value for m in at.markdown)
    assert "place_list" not in {r.key for r in at.radio}
    assert at.query_params["layers"] == ""
    at.checkbox(key="layer_places").check().run()
    existing = int((PLACES["status"] == "existing").sum())
    assert _count_line(at) == f"{existing} of {len(PLACES)} places match the filters"
    assert "layers" not in at.query_params


def test_a_broken_catalogue_shows_the_record_and_problem(tmp_path, monkeypatch):
    places = PLACES.copy()
    places.loc[places["id"] == "almaty_depo", "kind"] = "bakery"
    write_catalogue(tmp_path, places)
    monkeypatch.setenv(DATA_DIR_VAR, str(tmp_path))
    at = _run(lang="en")
    (error,) = at.error
    assert "The catalogue could not be loaded" in error.value
    assert "record 'almaty_depo': kind must be one of" in error.value


def test_missing_context_layers_are_explained(tmp_path, monkeypatch):
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(tmp_path))
    at = _run(lang="en")
    assert "Context layers (city outline, river) are not installed: see the README." in [
        c.value for c in at.caption
    ]
    assert "layer_places" in {c.key for c in at.checkbox}
    assert "layer_esil_river" not in {c.key for c in at.checkbox}


def test_context_layers_are_offered_when_present(shared_geodata, monkeypatch):
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(shared_geodata))
    at = _run(lang="en")
    keys = {c.key for c in at.checkbox}
    assert {"layer_esil_river", "layer_city_outlines", "layer_places"} <= keys
    assert at.checkbox(key="layer_astana_districts").value is False


def test_a_point_outside_its_city_is_refused(tmp_path, monkeypatch):
    places = PLACES.copy()
    places.loc[places["id"] == "astana_baiterek", "geometry"] = Point(2.35, 48.85)
    write_catalogue(tmp_path, places)
    monkeypatch.setenv(DATA_DIR_VAR, str(tmp_path))
    at = _run(lang="en")
    assert "record 'astana_baiterek': geometry lies outside astana's bounds" in at.error[0].value


def test_a_links_notices_stay_until_the_view_changes():
    notice = "Ignored bank=left from the link: the banks of the Esil apply to Astana only"
    at = _run(lang="en", city="almaty", bank="left")
    assert notice in [_plain(w.value) for w in at.warning]
    at.run()  # a rerun that changes nothing (the map reporting where it is) keeps it
    assert notice in [_plain(w.value) for w in at.warning]
    at.radio(key="city").set_value("astana").run()
    assert notice not in [_plain(w.value) for w in at.warning]
