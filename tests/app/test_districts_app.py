"""AppTest: the district layer decides each placed place's district, the filter offers every
district of the layer, and the layer's overlaps and missing districts are said on screen."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from settings import CONTEXT_DIR_VAR
from tests.catalogue import PLACED, PLACES
from tests.conftest import ROOT

SCRIPT = str(ROOT / "dashboard.py")
N = len(PLACES)
# A five-district-style layer built here (lon/lat boxes): Nura drawn inside Yesil, Saraishyk
# holding no test place, Baikonur in the population table but not on the layer.
BOXES = {
    "Yesil": box(71.395, 51.080, 71.445, 51.135),
    "Nura": box(71.400, 51.095, 71.415, 51.105),
    "Saraishyk": box(71.50, 51.10, 71.55, 51.15),
}
POPULATION = {"Yesil": 333_348, "Nura": 328_785, "Saraishyk": 200_758, "Baikonur": 213_554}


@pytest.fixture
def context_dir(tmp_path: Path, monkeypatch) -> Path:
    layer = gpd.GeoDataFrame(
        {"name_en": list(BOXES), "name_ru": ["Есиль", "Нура", "Сарайшык"]},
        geometry=list(BOXES.values()),
        crs="EPSG:4326",
    )
    layer.to_file(tmp_path / "astana_districts.geojson", driver="GeoJSON")
    pd.DataFrame(
        {
            "city": "Astana",
            "district_en": list(POPULATION),
            "population": list(POPULATION.values()),
            "reference_date": "2026-07-01",
            "source": "test figures",
        }
    ).to_csv(tmp_path / "district_population.csv", index=False)
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(tmp_path))
    return tmp_path


def _expected_district(geom) -> str | None:
    """The district each placed place should get, computed here with shapely directly."""
    point = geom.representative_point()
    for district in ("Nura", "Yesil", "Saraishyk"):  # the nested (smaller) district first
        if BOXES[district].covers(point):
            return district
    return None


ASTANA_PLACED = PLACED[PLACED["city"] == "astana"]
EXPECTED = {
    pid: _expected_district(g)
    for pid, g in zip(ASTANA_PLACED["id"], ASTANA_PLACED.geometry, strict=True)
}


def _run(**params) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _count_line(at: AppTest) -> str:
    (line,) = [
        m.value for m in at.markdown if f"of {N} places" in m.value or f"of {N} place " in m.value
    ]
    return line


def _listed(at: AppTest) -> set[str]:
    return {o.replace("\\", "") for o in at.radio(key="place_list").options}


def test_the_test_layer_covers_the_cases():
    # A place moved by the layer, one the catalogue has no district for, one outside it.
    stated = {
        p: (None if pd.isna(d) else d)
        for p, d in zip(ASTANA_PLACED["id"], ASTANA_PLACED["district"], strict=True)
    }
    assert any(EXPECTED[p] is not None and stated[p] not in (None, EXPECTED[p]) for p in EXPECTED)
    assert any(EXPECTED[p] is not None and stated[p] is None for p in EXPECTED)
    assert any(EXPECTED[p] is None for p in EXPECTED)
    assert "Saraishyk" not in EXPECTED.values()


def test_the_filter_offers_every_district_of_the_layer(context_dir):
    at = _run(lang="en", city="astana")
    options = at.multiselect(key="district").options
    for district in BOXES:
        assert f"{district} district" in options  # Saraishyk holds no place and is offered
    assert "Almaly district" not in options  # an Almaty district, not this city's


@pytest.mark.parametrize("district", ["Yesil", "Nura"])
def test_a_district_filter_uses_the_layers_district(context_dir, district):
    at = _run(lang="en", city="astana", district=district)
    expected = {
        name
        for pid, name in zip(ASTANA_PLACED["id"], ASTANA_PLACED["name_en"], strict=True)
        if EXPECTED[pid] == district
    }
    assert expected
    assert _listed(at) == expected
    assert dict(at.query_params)["district"] == district


def test_an_empty_district_round_trips_through_the_url(context_dir):
    at = _run(lang="en", city="astana", district="Saraishyk")
    assert at.multiselect(key="district").value == ["Saraishyk"]
    assert _count_line(at).startswith("0 of")
    assert dict(at.query_params)["district"] == "Saraishyk"
    assert not [w for w in at.warning if "Saraishyk" in w.value]  # not set aside


def test_without_a_district_layer_the_catalogue_decides():
    at = _run(lang="en", city="astana", district="Nura")
    stated = set(ASTANA_PLACED.loc[ASTANA_PLACED["district"] == "Nura", "name_en"])
    assert stated
    assert _listed(at) == stated
    assert "Saraishyk district" not in at.multiselect(key="district").options


@pytest.mark.parametrize(
    ("lang", "overlap", "missing", "counted_elsewhere"),
    [
        (
            "en",
            "Nura district and Yesil district overlap",
            "213,554 residents",
            "its residents within reach are overstated",
        ),
        (
            "ru",
            "Район Нура и Есильский район на слое районов перекрываются",
            "213\xa0554 жителя (по таблице",
            "Места на его территории учтены в районе, который слой рисует на этом месте, "
            "поэтому показатели этого района на 100\xa0000 жителей и число жителей в пешей "
            "доступности завышены.",
        ),
        (
            "kk",
            "Нұра ауданы мен Есіл ауданы қабаттасады",
            "213\xa0554 тұрғыны",
            "қабат сол жерде салған ауданға есептеледі",
        ),
    ],
)
def test_the_shown_layer_says_what_it_gets_wrong(
    context_dir, lang, overlap, missing, counted_elsewhere
):
    at = _run(lang=lang, city="astana", layers="places,astana_districts")
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any(overlap in w for w in warnings), warnings
    # The missing district's notice says both: its residents are not placed, its places are
    # counted in the district drawn there.
    assert any(missing in w and counted_elsewhere in w for w in warnings), warnings
    moved = sum(
        1
        for pid, stated in zip(ASTANA_PLACED["id"], ASTANA_PLACED["district"], strict=True)
        if pd.notna(stated) and stated != EXPECTED[pid]
    )
    assert moved > 0
    # The places the layer puts in another district than the catalogue, listed (count in label).
    (listed,) = [e for e in at.expander if str(moved) in e.label.split()]
    assert len(listed.dataframe) == 1
    table = listed.dataframe[0].value
    assert len(table) == moved
    moved_names = {
        row[f"name_{lang}"]
        for _, row in ASTANA_PLACED.iterrows()
        if pd.notna(row["district"]) and row["district"] != EXPECTED[row["id"]]
    }
    assert set(table.iloc[:, 0]) == moved_names


def test_nothing_is_said_while_the_layer_is_hidden(context_dir):
    at = _run(lang="en", city="astana")
    assert not [w for w in at.warning if "district layer" in w.value]


def test_the_2024_layer_offers_six_districts_and_reports_nothing(shared_geodata, monkeypatch):
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(shared_geodata))
    at = _run(lang="en", city="astana", layers="places,astana_districts")
    options = at.multiselect(key="district").options
    for district in ("Yesil", "Almaty", "Saryarka", "Baikonur", "Nura", "Saraishyk"):
        assert f"{district} district" in options
    assert not [w for w in at.warning if "district layer" in w.value]
