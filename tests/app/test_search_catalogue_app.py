"""AppTest: street, address and kind searches on the shipped catalogue, offline (issue 9).

Run on the real ``data/`` a fresh clone ships (no gazetteer from ``make data``, the online
geocoder off), as a resident would: "проспект Абая", "Mangilik El", "театр" and "museum"
find the catalogue's venues by their addresses and kinds.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from geo.fold import fold
from layers.i18n import t
from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR, GEOCODER_VAR
from tests.app.test_dashboard import _run
from ui.pages.near import MAX_MATCHES

SHIPPED = Path(__file__).resolve().parents[2] / "data"
PLACES = gpd.read_file(SHIPPED / "catalogue.gpkg", layer="places")


@pytest.fixture(autouse=True)
def shipped_catalogue(monkeypatch, empty_dir):
    """Point the app at the shipped catalogue, with no context layers and no geocoder."""
    monkeypatch.setenv(DATA_DIR_VAR, str(SHIPPED))
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(empty_dir))
    monkeypatch.setenv(GEOCODER_VAR, "off")


def _search(at: AppTest, text: str, lang: str) -> AppTest:
    at.text_input(key="near_query").input(text)
    (button,) = [b for b in at.button if b.label == t("near.search_button", lang)]
    button.click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]  # not "Nothing found"
    return at


def _shown(at: AppTest, lang: str = "en") -> tuple[list[str], str]:
    """Return the search's pick buttons and 'position not known' lines, and its notices."""
    lines = [b.label for b in at.button if b.key and b.key.startswith("near_pick_")]
    captions = [c.value for c in at.caption]
    apart = [i for i, c in enumerate(captions) if c == t("near.matches_unplaced", lang)]
    if apart:
        lines += [c for c in captions[apart[0] + 1 :] if " · " in c]
    lines = [line.replace("\\", "") for line in lines]
    infos = " ".join(i.value.replace("\\", "") for i in at.info)
    return lines, infos


def _found(at: AppTest, lang: str = "en") -> gpd.GeoDataFrame:
    """Return the catalogue's records the search shows (picks, unplaced lines, notices)."""
    lines, infos = _shown(at, lang)
    heads = {line.split(" · ")[0] for line in lines}
    names = PLACES[f"name_{lang}"]
    shown = names.isin(heads) | names.map(
        lambda n: f": {n}." in infos or f": {n}, " in infos or f", {n}, " in infos
    )
    return PLACES[shown]


def _row_with_address(start: str) -> gpd.GeoSeries:
    rows = PLACES[PLACES["address"].fillna("").str.startswith(start)]
    assert len(rows) >= 1, f"the catalogue has no place at {start!r}"
    return rows.iloc[0]


def test_an_avenue_in_russian_finds_the_places_at_its_english_address():
    at = _run(lang="en", mode="near", city="almaty")
    _search(at, "проспект Абая", "en")
    found = set(_found(at)["id"])
    assert _row_with_address("Abai Avenue 43")["id"] in found
    assert _row_with_address("Abai str. 103")["id"] in found  # another street type, lower
    lines, _ = _shown(at)
    assert any(line.endswith("Abai Avenue 43 (corner of Baiseitova st.)") for line in lines)


def test_mangilik_el_finds_the_places_on_it_however_it_is_spelled():
    at = _run(lang="en", mode="near", city="astana")
    hall = _row_with_address("Mangilik Yel Ave.")["id"]
    nur_alem = _row_with_address("Mangilik El avenue")["id"]
    for query in ("Mangilik El", "Мәңгілік Ел", "Мәңгілік Ел даңғылы", "проспект Мангилик Ел"):
        _search(at, query, "en")
        found = _found(at)
        assert {hall, nur_alem} <= set(found["id"]), query
        for _, row in found.iterrows():  # each on Mangilik El, by its address or a name
            text = " ".join(str(row[c]) for c in ("address", "name_kk", "name_ru", "name_en"))
            assert "mangilik" in fold(text), (query, row["id"])


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("театр", "theatre"),
        ("театры", "theatre"),
        ("museum", "museum"),
        ("мұражай", "museum"),
        ("concert hall", "concert_hall"),
    ],
)
def test_a_kind_finds_the_places_of_that_kind_in_the_city(query, kind):
    at = _run(lang="ru", mode="near")
    for city in ("astana", "almaty"):
        of_kind = PLACES[(PLACES["kind"] == kind) & (PLACES["city"] == city)]
        assert len(of_kind) >= 2, f"too few places of kind {kind} in {city} for this test"
        at.radio(key="city").set_value(city).run()
        _search(at, query, "ru")
        found = _found(at, "ru")
        # Every place of the kind, or as many as the list shows; none of another kind.
        assert len(found) == min(MAX_MATCHES, len(of_kind)), city
        assert set(found["kind"]) == {kind}, city
        assert set(found["city"]) == {city}
