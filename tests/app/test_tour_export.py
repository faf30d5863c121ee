"""The whole guided tour exported as one HTML file: its stops, in the reader's language."""

from __future__ import annotations

import json

import pytest

from layers.export_html import ExportView, standalone_html
from layers.i18n import t
from settings import DATA_DIR_VAR, load_settings
from sources.catalogue_build import CATALOGUE
from ui.cache import load_data
from ui.widgets.tour_card import export_stops


@pytest.fixture
def real_data(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(DATA_DIR_VAR, str(CATALOGUE.parent))
    data, failed, _ = load_data(load_settings())
    assert not failed
    return data


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_stop_of_the_tour_is_exported_in_order_with_its_card(real_data, lang):
    tour = real_data.tour()
    stops = export_stops(real_data, lang)
    assert len(stops) == len(tour) >= 6
    first = real_data.place_row(str(tour.iloc[0]["place_id"]))
    assert stops[0].title == first[f"name_{lang}"]  # the EXPO territory opens the tour
    for stop, (_, row) in zip(stops, tour.iterrows(), strict=True):
        assert row[f"caption_{lang}"] in stop.lines
        assert stop.source
    zhastar = next(
        s
        for s, (_, r) in zip(stops, tour.iterrows(), strict=True)
        if r["place_id"] == "astana_zhastar_sarayy"
    )
    assert any(line.startswith(t("ui.status", lang)) for line in zhastar.lines)
    assert len(zhastar.lines) >= 3  # status, where the map shows instead, caption


def test_the_tour_file_holds_every_stop_title(real_data):
    stops = export_stops(real_data, "ru")
    view = ExportView(
        center_lat_lon=stops[0].center_lat_lon,
        zoom=stops[0].zoom,
        lang="ru",
        title="Тур",
        date_text="29 ноября 2026 г.",
        attribution="",
    )
    html = standalone_html((), view, city_labels=(), stops=stops)
    for stop in stops:
        assert stop.title in html or json.dumps(stop.title)[1:-1] in html, stop.title


def test_the_map_page_offers_the_whole_tour_as_a_file(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.app.test_exports_app import SCRIPT, _download_buttons

    monkeypatch.setenv(DATA_DIR_VAR, str(CATALOGUE.parent))
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    at.query_params["lang"] = "kk"
    at.run()
    assert not at.exception, at.exception
    assert t("export.tour_html", "kk") in _download_buttons(at)
