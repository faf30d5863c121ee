"""Streamlit AppTest: the real dashboard script, driven by widget keys and URL parameters."""

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from tests.conftest import DATA_DIR, ROOT

SCRIPT = str(ROOT / "dashboard.py")
PLACES = gpd.read_file(DATA_DIR / "catalogue.gpkg", layer="places")


def _plain(text: str) -> str:
    return text.replace("\\", "")


def _run(**params) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _count_line(at: AppTest) -> str:
    (line,) = [m.value for m in at.markdown if "of 17 places" in m.value]
    return line


def test_default_view_is_russian_with_every_place():
    at = _run()
    assert at.title[0].value == "Креативные пространства Астаны и Алматы"
    assert any("17 из 17" in m.value for m in at.markdown)
    assert dict(at.query_params) == {"lang": "ru", "city": "both"}


def _listed(at: AppTest, key: str = "place_list") -> set[str]:
    return {_plain(o) for o in at.radio(key=key).options}


def test_every_place_is_listed_and_unplaced_ones_separately():
    at = _run(lang="en")
    placed = PLACES.geometry.notna()
    assert _listed(at) == set(PLACES.loc[placed, "name_en"])
    assert _listed(at, "unplaced_list") == set(PLACES.loc[~placed, "name_en"])
    assert any(m.value == "#### Location not confirmed" for m in at.markdown)


def test_status_filter_changes_the_count_and_the_url():
    at = _run(lang="en")
    at.multiselect(key="status").set_value(["existing"]).run()
    assert not at.exception
    existing = int((PLACES["status"] == "existing").sum())
    assert _count_line(at) == f"{existing} of 17 places match the filters"
    assert at.query_params["status"] == "existing"
    existing = PLACES[(PLACES["status"] == "existing") & PLACES.geometry.notna()]
    assert _listed(at) == set(existing["name_en"])


def test_city_choice_hides_the_bank_filter_for_almaty():
    at = _run(lang="en", city="almaty")
    assert _count_line(at) == "2 of 17 places match the filters"
    assert "bank" not in {m.key for m in at.multiselect}
    at.radio(key="city").set_value("astana").run()
    assert "bank" in {m.key for m in at.multiselect}
    assert _count_line(at) == "15 of 17 places match the filters"


def test_shared_url_restores_filters_language_and_place():
    at = _run(lang="kk", city="almaty", kind="arts_centre", place="almaty_tselinny")
    assert at.selectbox(key="lang").value == "kk"
    assert at.radio(key="city").value == "almaty"
    assert at.multiselect(key="kind").value == ["arts_centre"]
    card = at.get("vertical_block") or []
    assert card is not None
    assert any("«Целинный» заманауи мәдениет орталығы" in m.value for m in at.markdown)
    assert at.query_params["place"] == "almaty_tselinny"


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"city": "paris"}, "Ignored city=paris from the link: unknown value"),
        ({"year": "abc"}, "Ignored year=abc from the link: unknown value"),
        ({"place": "<script>"}, "Ignored place=<script> from the link: no such place"),
        ({"lang": "fr"}, "Параметр ссылки lang=fr пропущен: неизвестное значение"),
        ({"kind": "bogus"}, "Ignored kind=bogus from the link: unknown value"),
    ],
)
def test_bad_url_values_get_a_notice_and_the_page_still_works(params, notice):
    at = _run(**{"lang": "en", **params})
    assert notice in [_plain(w.value) for w in at.warning]
    assert any(
        "17" in m.value and "places" in m.value or "объектов" in m.value for m in at.markdown
    )
    assert "place" not in at.query_params


def test_bad_values_do_not_lose_the_good_ones():
    at = _run(lang="en", kind="bogus,creative_cluster", year="2025,abc")
    assert at.multiselect(key="kind").value == ["creative_cluster"]
    assert at.multiselect(key="year").value == ["2025"]
    assert _count_line(at) == "1 of 17 places match the filters"
    assert at.query_params["kind"] == "creative_cluster"


def test_picking_a_place_in_the_list_opens_its_card_and_closing_clears_it():
    at = _run(lang="en")
    at.radio(key="place_list").set_value("almaty_depo").run()
    assert not at.exception
    text = _plain(" ".join(m.value for m in at.markdown))
    assert "Depo Art and Science Center" in text
    assert "Zakon.kz" in text
    assert "Approximate location: within about 300 m" in _plain(text)
    assert at.query_params["place"] == "almaty_depo"
    at.button(key="close_card").click().run()
    assert "place" not in at.query_params


def test_card_of_an_unplaced_place_says_its_location_is_not_confirmed():
    at = _run(lang="en", place="astana_zhastar_sarayy")
    text = _plain(" ".join(m.value for m in at.markdown))
    assert "Location not confirmed: not drawn on the map." in text
    assert "Kazinform" in text


def test_language_switch_keeps_the_filters():
    at = _run(lang="en", status="planned")
    at.selectbox(key="lang").set_value("kk").run()
    assert at.title[0].value == "Астана мен Алматының креативті кеңістіктері"
    assert at.multiselect(key="status").value == ["planned"]
    assert at.query_params["lang"] == "kk"


def test_layer_toggle_keeps_the_list(monkeypatch):
    at = _run(lang="en")
    at.checkbox(key="layer_places").uncheck().run()
    assert not at.exception
    assert at.checkbox(key="layer_places").value is False
    assert _count_line(at) == "17 of 17 places match the filters"


def _use_catalogue(places, folder, monkeypatch) -> None:
    """Point the app at a catalogue with these places and the real targets table."""
    places.to_file(folder / "catalogue.gpkg", layer="places")
    targets = pyogrio.read_dataframe(
        DATA_DIR / "catalogue.gpkg", layer="targets", read_geometry=False
    )
    pyogrio.write_dataframe(targets, folder / "catalogue.gpkg", layer="targets")
    monkeypatch.setenv("CREATIVE_MAP_DATA_DIR", str(folder))


def test_a_broken_catalogue_shows_the_record_and_problem(tmp_path, monkeypatch):
    places = PLACES.copy()
    places.loc[places["id"] == "almaty_depo", "kind"] = "bakery"
    _use_catalogue(places, tmp_path, monkeypatch)
    at = _run(lang="en")
    (error,) = at.error
    assert "The catalogue could not be loaded" in error.value
    assert "record 'almaty_depo': kind must be one of" in error.value


def test_missing_context_layers_are_explained(tmp_path, monkeypatch):
    monkeypatch.setenv("CREATIVE_MAP_CONTEXT_DIR", str(tmp_path))
    at = _run(lang="en")
    assert "Context layers (city outline, river) are not installed: see the README." in [
        c.value for c in at.caption
    ]
    assert "layer_esil_river" not in {c.key for c in at.checkbox}


def test_context_layers_are_offered_when_present(shared_geodata, monkeypatch):
    monkeypatch.setenv("CREATIVE_MAP_CONTEXT_DIR", str(shared_geodata))
    at = _run(lang="en")
    keys = {c.key for c in at.checkbox}
    assert {"layer_esil_river", "layer_astana_city_outline", "layer_places"} <= keys
    assert at.checkbox(key="layer_astana_districts").value is False


def test_a_point_outside_its_city_is_refused(tmp_path, monkeypatch):
    places = PLACES.copy()
    places.loc[places["id"] == "astana_baiterek", "geometry"] = Point(2.35, 48.85)
    _use_catalogue(places, tmp_path, monkeypatch)
    at = _run(lang="en")
    assert "record 'astana_baiterek': geometry lies outside astana's bounds" in at.error[0].value
