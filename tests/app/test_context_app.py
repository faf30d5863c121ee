"""AppTest: the context layers of both cities in the sidebar, offered for the chosen city."""

from __future__ import annotations

import shutil

import geopandas as gpd
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from settings import CONTEXT_DIR_VAR
from store.gpkg import GeoPackageStore
from tests.conftest import ROOT

SCRIPT = str(ROOT / "dashboard.py")
ASTANA_ONLY = {"layer_astana_districts", "layer_astana_banks", "layer_esil_river"}
NO_ALMATY_DISTRICTS = {
    "en": "No district layer for Almaty: run `make data` (online), or start the app with "
    "`make run CONTEXT_DIR=/path/to/folder` on a folder that holds almaty_districts.gpkg.",
    "ru": "Нет слоя районов для города Алматы: выполните `make data`",
    "kk": "Алматы қаласының аудандар қабаты жоқ: `make data` іске қосыңыз",
}


def _run(**params) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _layer_boxes(at: AppTest) -> set[str]:
    keys = {c.key for c in at.checkbox if c.key and c.key.startswith("layer_")}
    assert "layer_places" in keys  # the sidebar was drawn: an empty set would prove nothing
    return keys


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


@pytest.fixture
def shared_context(shared_geodata, monkeypatch):
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(shared_geodata))
    return shared_geodata


def test_astana_offers_its_context_layers(shared_context):
    at = _run(lang="en", city="astana")
    boxes = _layer_boxes(at)
    assert ASTANA_ONLY | {"layer_city_outlines"} <= boxes
    assert at.checkbox(key="layer_astana_districts").value is False
    assert not [c for c in _captions(at) if "No district layer" in c]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_almaty_offers_only_its_own_and_says_how_to_get_districts(shared_context, lang):
    at = _run(lang=lang, city="almaty")
    boxes = _layer_boxes(at)
    assert "layer_city_outlines" in boxes
    assert not boxes & ASTANA_ONLY
    assert [c for c in _captions(at) if c.startswith(NO_ALMATY_DISTRICTS[lang])]


def test_both_cities_offer_every_loaded_layer_and_name_the_city_without_districts(
    shared_context,
):
    at = _run(lang="en", city="both")
    assert ASTANA_ONLY | {"layer_city_outlines"} <= _layer_boxes(at)
    notes = [c for c in _captions(at) if "No district layer" in c]
    assert notes == [NO_ALMATY_DISTRICTS["en"]]


def test_choosing_another_city_changes_the_offer_without_an_error(shared_context):
    at = _run(lang="en", city="astana")
    assert _layer_boxes(at) >= ASTANA_ONLY
    at.radio(key="city").set_value("almaty").run()
    assert not at.exception, at.exception
    assert not _layer_boxes(at) & ASTANA_ONLY
    at.radio(key="city").set_value("astana").run()
    assert not at.exception, at.exception
    assert _layer_boxes(at) >= ASTANA_ONLY


def test_an_almaty_district_layer_in_the_folder_is_offered_for_almaty(
    shared_geodata, tmp_path, monkeypatch
):
    context = tmp_path / "context"
    context.mkdir()
    shutil.copyfile(
        shared_geodata / "city_outlines_adm1.geojson", context / "city_outlines_adm1.geojson"
    )
    districts = gpd.GeoDataFrame(
        {"name_ru": ["Медеуский район", "Алмалинский район"], "name_en": ["", "Almaly District"]},
        geometry=[box(76.90, 43.20, 76.95, 43.25), box(76.85, 43.20, 76.90, 43.25)],
        crs="EPSG:4326",
    )
    GeoPackageStore(data_dir=tmp_path / "data", context_dir=context).write(
        "almaty_districts", districts
    )
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(context))
    at = _run(lang="en", city="almaty")
    assert {"layer_almaty_districts", "layer_city_outlines"} <= _layer_boxes(at)
    assert not [c for c in _captions(at) if "No district layer" in c]
    at = _run(lang="en", city="astana")
    assert "layer_almaty_districts" not in _layer_boxes(at)
    assert [c for c in _captions(at) if c.startswith("No district layer for Astana")]


def test_without_context_layers_the_sidebar_says_so():
    at = _run(lang="en", city="astana")
    captions = _captions(at)
    assert "Context layers (city outline, river) are not installed: see the README." in captions
    assert [c for c in captions if c.startswith("No district layer for Astana: run `make data`")]
