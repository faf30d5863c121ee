"""AppTest: the planners' page, its URL state and what it says without districts or a city."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from settings import CONTEXT_DIR_VAR
from tests.conftest import ROOT

SCRIPT = str(ROOT / "dashboard.py")
ASTANA_A = "51.13500,71.40000"
ASTANA_B = "51.09000,71.45000"


@pytest.fixture
def geodata(shared_geodata, monkeypatch):
    """Use ../shared/geodata as the context folder (Astana's districts, population, banks)."""
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(shared_geodata))
    return shared_geodata


def _open(**params: str | list[str]) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=120)
    at.query_params.update({"lang": "en", "mode": "analysis", **params})
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def _table(at: AppTest, column: str):
    """Return the one table on the page with this column (AppTest finds dataframes by order)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def test_the_url_state_round_trips_and_survives_language_and_page(geodata):
    at = _open(
        city="astana",
        walk="1200",
        candidate=[ASTANA_A, ASTANA_B],
        scheme="EqualInterval",
        k="4",
        measure="per_100k",
    )
    assert at.session_state["mode"] == "analysis"
    assert at.number_input(key="walk").value == 1200
    assert at.selectbox(key="scheme").value == "EqualInterval"
    assert at.selectbox(key="k").value == 4
    assert at.segmented_control(key="measure").value == "per_100k"
    assert at.session_state["candidates"] == [(51.135, 71.4), (51.09, 71.45)]
    params = at.query_params
    assert params["walk"] == "1200"
    assert params["candidate"] == [ASTANA_A, ASTANA_B]
    assert (params["scheme"], params["k"], params["measure"]) == ("EqualInterval", "4", "per_100k")
    at.selectbox(key="lang").set_value("ru").run()
    assert not at.exception
    assert at.number_input(key="walk").value == 1200
    assert at.query_params["candidate"] == [ASTANA_A, ASTANA_B]
    at.segmented_control(key="mode").set_value("map").run()
    assert "walk" not in at.query_params  # the map page does not write them...
    at.segmented_control(key="mode").set_value("analysis").run()
    assert not at.exception
    assert at.query_params["walk"] == "1200"  # ...and the analysis page has kept them
    assert at.query_params["candidate"] == [ASTANA_A, ASTANA_B]
    assert at.selectbox(key="k").value == 4


def test_bad_values_are_noticed_beside_their_input_and_the_rest_kept(geodata):
    at = _open(city="astana", walk="99999", candidate=["nonsense", "48.0,60.0", ASTANA_A], k="5")
    warnings = [w.value for w in at.warning]
    assert any("walk=99999" in w and "300 to 3000" in w for w in warnings), warnings
    assert any("candidate=nonsense" in w for w in warnings), warnings
    assert any("candidate=48.0,60.0" in w and "outside" in w for w in warnings), warnings
    assert at.number_input(key="walk").value == 800
    assert at.session_state["candidates"] == [(51.135, 71.4)]
    assert at.query_params["candidate"] in ([ASTANA_A], ASTANA_A)


def test_the_page_shows_districts_coverage_and_the_candidate(geodata):
    at = _open(city="astana", candidate=[ASTANA_A])
    text = _texts(at)
    assert "Within 800 m of at least one place:" in text
    assert "each district's residents are assumed to be spread evenly" in text
    assert "Population:" in text
    assert "2026-07-01" in text
    assert "Candidate A" in text
    assert "New residents within reach: ≈" in text
    table = _table(at, "Per 100,000 residents")
    assert len(table) == 6 + 2  # the six districts, then "in no district" and "no position"
    assert table.iloc[:6, 0].tolist() == [
        "Yesil district",
        "Almaty district",
        "Saryarka district",
        "Baikonur district",
        "Nura district",
        "Saraishyk district",
    ]
    keys = {b.key for b in at.get("download_button")}
    assert {"analysis_export_districts", "analysis_export_layers"} <= keys


def test_without_a_district_layer_the_page_says_how_to_get_one():
    at = _open(city="almaty")
    assert any("Almaty has no district layer" in i.value for i in at.info), [
        i.value for i in at.info
    ]


def test_both_cities_ask_for_one_and_a_button_chooses_it(geodata):
    at = _open(city="both")
    assert any("works on one city" in i.value for i in at.info)
    at.button(key="analysis_city_astana").click().run()
    assert not at.exception
    assert at.session_state["city"] == "astana"
    assert len(_table(at, "Per 100,000 residents")) == 8


def test_a_candidate_in_the_other_city_is_flagged(geodata):
    at = _open(city="astana", candidate=[ASTANA_A, "43.24833,76.92889"])
    warnings = [w.value for w in at.warning]
    assert any("Candidate B lies outside Astana" in w for w in warnings), warnings
    assert not any("Candidate A lies outside" in w for w in warnings), warnings
