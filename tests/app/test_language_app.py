"""The language: from the URL, else the browser; a switch keeps every other part of the view."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_dashboard import SCRIPT
from tests.catalogue import BAITEREK_LAT_LON, PLACES

TITLES = {
    "kk": "Астана мен Алматының креативті кеңістіктері",
    "ru": "Креативные пространства Астаны и Алматы",
    "en": "Creative spaces of Astana and Almaty",
}


def _run(locale: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    at.context = {"locale": locale}
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("kk-KZ", "kk"),
        ("kk", "kk"),
        ("en-US", "en"),
        ("ru-RU", "ru"),
        ("de-DE", "ru"),
        (None, "ru"),
    ],
)
def test_a_first_visit_without_a_language_follows_the_browser(locale, lang) -> None:
    at = _run(locale)
    assert at.title[0].value == TITLES[lang]
    assert at.selectbox(key="lang").value == lang
    assert at.query_params["lang"] == lang  # and the URL says so from then on


def test_the_language_in_the_url_wins_over_the_browser() -> None:
    at = _run("kk-KZ", lang="en")
    assert at.title[0].value == TITLES["en"]
    assert at.query_params["lang"] == "en"


def _view_params() -> dict[str, str]:
    (row,) = [r for _, r in PLACES.iterrows() if r["id"] == "astana_hub"]
    return {
        "lang": "en",
        "city": "astana",
        "kind": "it_hub,creative_cluster",
        "status": "existing",
        "bank": "left",
        "basemap": "none",
        "layers": "",  # every layer hidden: not the default, so written
        "zoom": "15",
        "center": "51.12000,71.42000",
        "place": str(row["id"]),
    }


@pytest.mark.parametrize("target", ["kk", "ru"])
def test_a_language_switch_keeps_city_filters_basemap_layers_zoom_center_and_place(target) -> None:
    params = _view_params()
    at = _run(**params)
    before = dict(at.query_params)
    assert {k: before[k] for k in params} == params  # the view was taken from the link
    at.selectbox(key="lang").set_value(target).run()
    assert not at.exception
    assert at.title[0].value == TITLES[target]
    assert dict(at.query_params) == {**before, "lang": target}
    assert at.radio(key="city").value == "astana"
    assert at.multiselect(key="kind").value == ["it_hub", "creative_cluster"]
    assert at.multiselect(key="status").value == ["existing"]
    assert at.multiselect(key="bank").value == ["left"]
    assert at.radio(key="basemap").value == "none"
    assert at.checkbox(key="layer_places").value is False
    (row,) = [r for _, r in PLACES.iterrows() if r["id"] == params["place"]]
    assert any(row[f"name_{target}"] in m.value.replace("\\", "") for m in at.markdown)


def test_a_language_switch_on_the_near_page_keeps_the_page_and_its_settings() -> None:
    near = f"{BAITEREK_LAT_LON[0]:.5f},{BAITEREK_LAT_LON[1]:.5f}"
    at = _run(lang="en", near=near, n="7", radius="5", city="astana", kind="landmark")
    before = dict(at.query_params)
    assert before["near"] == near
    at.selectbox(key="lang").set_value("kk").run()
    assert not at.exception
    assert dict(at.query_params) == {**before, "lang": "kk"}
    assert at.text_input(key="near_query") is not None
