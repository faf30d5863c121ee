"""AppTest: the targets page on the real catalogue, and its cards and bars opening the map.

These tests read ``data/catalogue.gpkg`` on purpose (the page is about the real programme);
what they expect is computed here from that file with pandas, not by the app's own code.
"""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from babel.dates import format_date
from streamlit.testing.v1 import AppTest

from settings import DATA_DIR_VAR
from tests.conftest import ROOT
from ui.cache import MAX_LISTED

SCRIPT = str(ROOT / "dashboard.py")
CATALOGUE = ROOT / "data" / "catalogue.gpkg"
PLACES = gpd.read_file(CATALOGUE, layer="places")
TARGETS = pd.DataFrame(gpd.read_file(CATALOGUE, layer="targets"))
TODAY = date.today()
WORDS = {
    "en": {"known": "Known in the catalogue: {k} of {q} promised", "unknown": "Progress: UNKNOWN"},
    "ru": {"known": "Известно по каталогу: {k} из {q} обещанных", "unknown": "НЕИЗВЕСТНО"},
    "kk": {"known": "Каталогта белгілісі: {k}, уәде етілгені {q}", "unknown": "БЕЛГІСІЗ"},
}


@pytest.fixture(autouse=True)
def real_catalogue(test_catalogue, monkeypatch):
    """Run the app on the project's own catalogue (the context layers stay absent)."""
    monkeypatch.setenv(DATA_DIR_VAR, str(ROOT / "data"))


def _plain(text: str) -> str:
    return text.replace("\\", "")


def _open(lang: str = "en", **params) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=90)
    at.query_params.update({"lang": lang, "mode": "targets", **params})
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["mode"] == "targets"
    return at


def _target_text(at: AppTest, what: str) -> str:
    (text,) = [_plain(m.value) for m in at.markdown if _plain(m.value).startswith(f"##### {what}")]
    return text


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _listed_names(at: AppTest) -> set[str]:
    names: set[str] = set()
    for key in ("place_list", "unplaced_list"):
        try:
            names |= {_plain(o) for o in at.radio(key=key).options}
        except KeyError:
            continue
    return names


def _on_map(at: AppTest, expected: pd.DataFrame) -> None:
    """Check the app is on the map page and shows exactly ``expected`` (names in English)."""
    assert not at.exception, at.exception
    assert at.session_state["mode"] == "map"
    (count,) = [m.value for m in at.markdown if f"of {len(PLACES)} places" in m.value]
    assert count.startswith(f"{len(expected)} of {len(PLACES)} places"), count
    assert len(expected) <= MAX_LISTED  # the list beside the map shows every one of them
    assert _listed_names(at) == set(expected["name_en"])


@pytest.fixture(scope="module")
def page_en():
    import os

    old = os.environ.get(DATA_DIR_VAR)
    os.environ[DATA_DIR_VAR] = str(ROOT / "data")
    try:
        return _open("en")
    finally:
        if old is None:
            os.environ.pop(DATA_DIR_VAR)
        else:
            os.environ[DATA_DIR_VAR] = old


def test_every_target_says_what_who_when_and_where(page_en):
    assert len(TARGETS) >= 10
    for row in TARGETS.itertuples():
        text = _target_text(page_en, row.what_en)
        assert f"Promised by: {row.promised_by_en}" in text
        if pd.isna(row.deadline_year):
            assert "No deadline was announced" in text
        elif int(row.deadline_year) < TODAY.year:
            assert f"Deadline passed: the end of {int(row.deadline_year)}" in text
        else:
            assert f"Deadline: by {int(row.deadline_year)}" in text
            assert "Deadline passed" not in text
        source_date = format_date(date.fromisoformat(row.source_date), format="long", locale="en")
        assert f"Source: {row.source_outlet}" in text
        assert source_date in text
        if isinstance(row.source_url, str) and row.source_url:
            assert f"(<{row.source_url}>)" in text
        else:
            assert "no link recorded" in text


def test_the_passed_deadlines_are_the_years_before_this_one(page_en):
    passed = TARGETS[TARGETS["deadline_year"] < TODAY.year]
    assert len(passed) >= 1  # the 2025 targets, on 2026-11-29
    flagged = [m for m in page_en.markdown if "Deadline passed" in m.value]
    assert len(flagged) == len(passed)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_hubs_count_is_what_the_catalogue_holds(lang):
    at = _open(lang)
    (row,) = TARGETS[TARGETS["id"] == "almaty_hubs_2030"].itertuples()
    hubs = PLACES[
        (PLACES["city"] == "almaty")
        & PLACES["kind"].isin(["creative_hub", "it_hub"])
        & (PLACES["status"] == "existing")
    ]
    assert len(hubs) >= 1
    text = _target_text(at, getattr(row, f"what_{lang}"))
    assert WORDS[lang]["known"].format(k=len(hubs), q=int(row.quantity)) in text


def test_progress_no_source_gives_is_unknown_never_zero(page_en):
    unlinked = TARGETS[TARGETS["places_filter"].isna() | (TARGETS["places_filter"] == "")]
    assert len(unlinked) >= 5
    for row in unlinked.itertuples():
        text = _target_text(page_en, row.what_en)
        assert "Progress: UNKNOWN" in text
        assert "Known in the catalogue" not in text
        assert " 0 of " not in text


def test_depo_shows_its_status_as_of_its_last_source(page_en):
    (row,) = TARGETS[TARGETS["id"] == "almaty_depo_2025"].itertuples()
    (depo,) = PLACES[PLACES["id"] == "almaty_depo"].itertuples()
    text = _target_text(page_en, row.what_en)
    as_of = format_date(date.fromisoformat(depo.status_as_of), format="long", locale="en")
    status = depo.status.replace("_", " ").capitalize()
    assert f"{depo.name_en}: {status} (as of {as_of})" in text
    assert "Deadline passed: the end of 2025" in text


def test_cards_count_the_catalogue(page_en):
    metrics = {m.label: m.value for m in page_en.metric}
    unplaced = PLACES.geometry.isna() | PLACES.geometry.is_empty
    assert metrics == {
        "All places": str(len(PLACES)),
        "Existing": str(int((PLACES["status"] == "existing").sum())),
        "Announced, not there yet": str(
            int(
                PLACES["status"]
                .isin(["under_construction", "planned", "announced", "proposed"])
                .sum()
            )
        ),
        "Location not confirmed": str(int(unplaced.sum())),
    }


def test_a_card_opens_the_map_with_exactly_its_places():
    at = _open("en")
    at.button(key="show_card_not_yet").click().run()
    not_yet = ["under_construction", "planned", "announced", "proposed"]
    present = [s for s in not_yet if s in set(PLACES["status"])]
    assert _first(at.query_params["status"]) == ",".join(present)
    _on_map(at, PLACES[PLACES["status"].isin(not_yet)])


def test_a_target_opens_the_map_with_the_places_it_counts():
    at = _open("en")
    at.button(key="show_target_almaty_hubs_2030").click().run()
    params = {k: _first(v) for k, v in at.query_params.items()}
    assert params["city"] == "almaty"
    assert params["kind"] == "creative_hub,it_hub"
    assert params["status"] == "existing"
    hubs = PLACES[
        (PLACES["city"] == "almaty")
        & PLACES["kind"].isin(["creative_hub", "it_hub"])
        & (PLACES["status"] == "existing")
    ]
    _on_map(at, hubs)


def _first(value):
    return value[0] if isinstance(value, list) else value


def _select_bar(at: AppTest, field: str, value: str, city: str = "") -> AppTest:
    """Select one bar of a chart as the browser does: the chart's selection state, then a run.

    AppTest has no API for chart selections, so the chart's widget state is set the way the
    browser sends it (a JSON string), with every other widget's state kept.
    """
    return _send_selection(at, field, {"value": value, "city": city})


def _send_selection(at: AppTest, field: str, point: dict) -> AppTest:
    (chart,) = [
        n
        for n in _walk(at._tree)
        if getattr(n, "type", None) == "vega_lite_chart" and n.proto.id.endswith(f"-chart_{field}")
    ]
    assert list(chart.proto.selection_mode) == ["bar"]
    states = at._tree.get_widget_states()
    widget = states.widgets.add()
    widget.id = chart.proto.id
    widget.string_value = json.dumps({"selection": {"bar": [point]}})
    return at._run(states)


def test_a_kind_bar_opens_the_map_with_that_kind():
    at = _select_bar(_open("en"), "kind", "theatre")
    assert _first(at.query_params["kind"]) == "theatre"
    _on_map(at, PLACES[PLACES["kind"] == "theatre"])


def test_a_district_bar_opens_the_map_in_its_city():
    at = _select_bar(_open("en"), "district", "Yesil", "astana")
    params = {k: _first(v) for k, v in at.query_params.items()}
    assert (params["city"], params["district"]) == ("astana", "Yesil")
    _on_map(at, PLACES[(PLACES["city"] == "astana") & (PLACES["district"] == "Yesil")])


def test_a_bar_counts_within_the_sidebars_filters():
    at = _open("en", kind="theatre")
    at = _select_bar(at, "city", "almaty")
    params = {k: _first(v) for k, v in at.query_params.items()}
    assert (params["city"], params["kind"]) == ("almaty", "theatre")
    _on_map(at, PLACES[(PLACES["city"] == "almaty") & (PLACES["kind"] == "theatre")])


def test_the_charts_carry_the_counts_of_the_catalogue(page_en):
    charts = {
        n.proto.id.rsplit("-", 1)[-1]: n
        for n in _walk(page_en._tree)
        if getattr(n, "type", None) == "vega_lite_chart"
    }
    assert set(charts) == {
        "chart_city",
        "chart_bank",
        "chart_district",
        "chart_kind",
        "chart_status",
        "chart_timeline",
    }
    spec = json.loads(charts["chart_kind"].proto.spec)
    assert [p["name"] for p in spec["params"]] == ["bar"]
    rows = _chart_rows(charts["chart_kind"])
    expected = PLACES["kind"].value_counts().to_dict()
    assert {r["value"]: r["count"] for r in rows} == expected
    timeline = _chart_rows(charts["chart_timeline"])
    announced = pd.to_datetime(PLACES["announced_date"]).dt.year.value_counts().to_dict()
    got = {r["year"]: r["count"] for r in timeline if r["series"] == "announced"}
    assert got == {int(y): int(n) for y, n in announced.items()}


def _chart_rows(chart) -> list[dict]:
    """Return the rows of a chart's dataset (Arrow IPC bytes in the element's protobuf)."""
    import pyarrow as pa

    datasets = list(chart.proto.datasets) or [chart.proto]
    rows: list[dict] = []
    for ds in datasets:
        data = ds.data.data if hasattr(ds, "data") else b""
        if data:
            rows += pa.ipc.open_stream(data).read_all().to_pylist()
    assert rows
    return rows


def test_the_same_bar_works_again_after_a_visit_to_the_map():
    """The map page does not draw the charts, so their selection is forgotten: no stale bar."""
    at = _select_bar(_open("en"), "kind", "theatre")
    _on_map(at, PLACES[PLACES["kind"] == "theatre"])
    at.session_state["kind"] = []
    at.session_state["mode"] = "targets"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["mode"] == "targets"
    at = _select_bar(at, "kind", "theatre")
    _on_map(at, PLACES[PLACES["kind"] == "theatre"])


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_target_speaks_the_pages_language(lang):
    at = _open(lang)
    for row in TARGETS.to_dict(orient="records"):
        text = _target_text(at, row[f"what_{lang}"])
        assert row[f"promised_by_{lang}"] in text
        assert row[f"progress_{lang}"] in text
        assert row["promised_by_en"] not in text
    flagged = [m for m in at.markdown if ":red-badge[" in m.value]
    assert len(flagged) == int((TARGETS["deadline_year"] < TODAY.year).sum())


def test_switching_language_stays_on_the_targets_page_with_its_filters():
    at = _open("en", kind="theatre")
    at.selectbox(key="lang").set_value("ru").run()
    assert not at.exception, at.exception
    assert at.session_state["mode"] == "targets"
    assert [h.value for h in at.header] == ["Цели и реальность"]
    params = {k: _first(v) for k, v in at.query_params.items()}
    assert (params["lang"], params["kind"]) == ("ru", "theatre")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Всего мест"] == str(int((PLACES["kind"] == "theatre").sum()))


ANNOUNCED_YEAR = pd.to_datetime(PLACES["announced_date"], format="ISO8601").dt.year


@pytest.mark.parametrize(("params", "year"), [({}, 2018), ({}, 2022), ({"city": "astana"}, 2018)])
def test_an_announced_bar_opens_the_map_with_exactly_its_places(params, year):
    expected = PLACES[ANNOUNCED_YEAR.eq(year)]
    if "city" in params:
        expected = expected[expected["city"] == params["city"]]
    assert len(expected) >= 1
    at = _send_selection(_open("en", **params), "timeline", {"year": year, "series": "announced"})
    got = {k: _first(v) for k, v in at.query_params.items()}
    assert got["announced"] == str(year)
    assert got["city"] == params.get("city", "both")
    _on_map(at, expected)
    announced = at.multiselect(key="announced")
    assert announced.label == "Announced in"
    assert announced.value == [str(year)]
    assert str(year) in announced.options


def test_only_the_announced_bars_of_the_timeline_select(page_en):
    (chart,) = [
        n
        for n in _walk(page_en._tree)
        if getattr(n, "type", None) == "vega_lite_chart" and n.proto.id.endswith("-chart_timeline")
    ]
    spec = json.loads(chart.proto.spec)
    announced, realised = spec["layer"]
    (param,) = spec["params"]  # Altair lifts a layer's selection to the top, naming its views
    assert param["name"] == "bar"
    assert param["views"] == [announced["name"]]
    assert announced["transform"] == [{"filter": "(datum.series === 'announced')"}]
    assert announced["mark"]["cursor"] == "pointer"
    assert "cursor" not in realised["mark"]
    assert realised["transform"] == [{"filter": "(datum.series === 'realised')"}]
    hint = "The “realised” bars cannot be selected"
    assert any(hint in c.value for c in page_en.caption)


def test_a_realised_selection_leaves_the_page_as_it_is():
    at = _send_selection(_open("en"), "timeline", {"year": 2018, "series": "realised"})
    assert not at.exception, at.exception
    assert at.session_state["mode"] == "targets"
    assert "announced" not in at.query_params


def test_the_announced_filter_from_the_url_counts_on_the_page():
    at = _open("en", announced="2018,1999")
    assert at.multiselect(key="announced").value == ["2018"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["All places"] == str(int((ANNOUNCED_YEAR == 2018).sum()))
    assert any("1999" in w.value for w in at.warning), [w.value for w in at.warning]
