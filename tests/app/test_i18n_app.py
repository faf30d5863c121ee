"""The real page in Russian and Kazakh: counts that agree with their number, CLDR numbers."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from settings import DATA_DIR_VAR
from tests.app.test_dashboard import SCRIPT
from tests.catalogue import EXPO_LAT_LON, GEOD, PLACES, metres_to, write_catalogue

TOTAL = 21  # the Russian "1 из 21 объекта": 21 takes the singular
EXPO = "astana_expo_cluster"


def _twenty_one_places() -> gpd.GeoDataFrame:
    """Return the test places and copies of an Almaty arts centre, 21 in all."""
    (seed,) = [i for i, pid in enumerate(PLACES["id"]) if pid == "almaty_tselinny"]
    extra = PLACES.iloc[[seed] * (TOTAL - len(PLACES))].copy()
    extra["id"] = [f"almaty_copy_{i}" for i in range(len(extra))]
    for lang in ("kk", "ru", "en"):
        extra[f"name_{lang}"] = [f"Copy {i}" for i in range(len(extra))]
    places = gpd.GeoDataFrame(pd.concat([PLACES, extra], ignore_index=True), crs=PLACES.crs)
    assert len(places) == TOTAL
    assert (places["kind"] == "it_hub").sum() == 1
    return places


@pytest.fixture
def twenty_one(tmp_path, monkeypatch):
    write_catalogue(tmp_path, _twenty_one_places())
    monkeypatch.setenv(DATA_DIR_VAR, str(tmp_path))


def _run(**params) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _text(at: AppTest) -> str:
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert texts
    # Markdown shows the no-break space that groups thousands as a space.
    return " ".join(texts).replace("\\", "").replace("\u00a0", " ")


@pytest.mark.usefixtures("twenty_one")
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "Фильтрам соответствуют 1 из 21 объекта"),
        ("en", "1 of 21 places match the filters"),
        ("kk", "Сүзгіге 21 нысанның 1 сәйкес келеді"),
    ],
)
def test_the_count_agrees_with_the_total(lang: str, expected: str) -> None:
    at = _run(lang=lang, kind="it_hub")
    assert expected in _text(at)
    assert "21 объектов" not in _text(at)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "25 га (250 000 м²)"),
        ("kk", "25 га (250 000 м²)"),
        ("en", "25 ha (250,000 m²)"),
    ],
)
def test_the_area_is_written_as_the_language_writes_numbers(lang: str, expected: str) -> None:
    (row,) = [r for _, r in PLACES.iterrows() if r["id"] == EXPO]
    assert row["area_m2"] == 250_000
    at = _run(lang=lang, place=EXPO)
    assert expected in _text(at)
    assert "25.0" not in _text(at)


def test_a_distance_in_kilometres_has_a_decimal_comma_in_russian() -> None:
    lon, lat, _ = GEOD.fwd(EXPO_LAT_LON[1], EXPO_LAT_LON[0], 0, 1800)
    (row,) = [r for _, r in PLACES.iterrows() if r["id"] == EXPO]
    assert 1750 <= metres_to(row, (lat, lon)) < 1850
    at = _run(lang="ru", near=f"{lat:.5f},{lon:.5f}", n="50")
    lines = [m.value.replace("\\", "") for m in at.markdown if row["name_ru"] in m.value]
    assert lines
    assert any("1,8 км" in line for line in lines), lines
    assert not re.search(r"\d\.\d км", _text(at))
    assert re.search(r"\d+ ближайш(?:ее место|их места|их мест)", _text(at))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "«Казахстанская правда» (26 января 2018 г.), Zakon.kz (12 сентября 2022 г.)"),
        ("kk", "Қазақстанская правда (2018 ж. 26 қаңтар), Zakon.kz (2022 ж. 12 қыркүйек)"),
        ("en", "Kazakhstanskaya Pravda (January 26, 2018), Zakon.kz (September 12, 2022)"),
    ],
)
def test_the_sources_footer_writes_its_dates_in_the_language(lang: str, expected: str) -> None:
    at = _run(lang=lang)
    assert expected in _text(at).replace("\u202f", " ")
