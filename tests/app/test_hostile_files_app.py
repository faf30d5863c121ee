"""AppTest: hostile data files (GDAL VRTs) are refused by name, leak nothing, and fetch nothing.

Every test reads the whole page (every element's text, not only the messages), so a secret
shown anywhere fails it, and checks that the local HTTP server received no request.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.app.test_dashboard import SCRIPT, _page_text, _plain
from tests.catalogue import PLACES, write_catalogue
from tests.hostile_files import (
    REMOTE_SECRET,
    SECRET,
    RecordingServer,
    write_local_vrt,
    write_remote_vrt,
)


@pytest.fixture
def server():
    with RecordingServer().running() as srv:
        yield srv


@pytest.fixture
def folders(tmp_path, monkeypatch):
    data, context = tmp_path / "data", tmp_path / "context"
    data.mkdir()
    context.mkdir()
    monkeypatch.setenv(DATA_DIR_VAR, str(data))
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(context))
    return data, context


def _run(lang: str) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "The file “catalogue.gpkg” was not opened: it is a GDAL virtual dataset (VRT)"),
        ("ru", "Файл «catalogue.gpkg» не открыт: это виртуальный набор данных GDAL (VRT)"),
        ("kk", "«catalogue.gpkg» файлы ашылмады: бұл — басқа файлдарға"),
    ],
)
def test_a_vrt_catalogue_reading_a_local_csv_is_refused_by_name(folders, lang, expected):
    data, _ = folders
    write_local_vrt(data / "catalogue.gpkg")
    at = _run(lang)
    (error,) = at.error
    assert expected in _plain(error.value)
    page = _page_text(at)
    assert SECRET not in page
    assert str(data) not in page  # the file's name, never the server's folder
    assert "Traceback" not in page


def test_a_vrt_catalogue_fetching_a_url_sends_no_request(folders, server):
    data, _ = folders
    write_remote_vrt(data / "catalogue.gpkg", server.url())
    at = _run("en")
    (error,) = at.error
    assert "“catalogue.gpkg” was not opened" in _plain(error.value)
    assert REMOTE_SECRET not in _page_text(at)
    assert server.requests == []


def test_vrt_context_and_venue_layers_are_left_out_and_the_map_works(folders, server):
    data, context = folders
    write_catalogue(data)
    write_local_vrt(context / "astana_banks.geojson", layer="banks")
    write_remote_vrt(context / "esil_river_ne10m.geojson", server.url())
    write_remote_vrt(data / "osm_venues.gpkg", server.url("venues.csv"), layer="venues")
    at = _run("en")
    warnings = [_plain(w.value) for w in at.warning]
    for file_name in ("astana_banks.geojson", "esil_river_ne10m.geojson", "osm_venues.gpkg"):
        assert any(f"“{file_name}” was not opened" in w and "(VRT)" in w for w in warnings), (
            file_name,
            warnings,
        )
    assert any(f"{len(PLACES)} of {len(PLACES)} places" in m.value for m in at.markdown)
    page = _page_text(at)
    assert SECRET not in page
    assert REMOTE_SECRET not in page
    assert server.requests == []


def test_text_in_a_numeric_column_is_reported_by_record_without_a_traceback(folders):
    data, _ = folders
    places = PLACES.copy()
    places["target_year"] = places["target_year"].astype(object)
    bad_id = places["id"].iloc[3]
    places.loc[places.index[3], "target_year"] = "abc"
    write_catalogue(data, places=places)
    at = _run("en")
    (error,) = at.error
    text = _plain(error.value)
    assert f"record '{bad_id}': target_year must be a whole year 1990-2100 or empty, got 'abc'" in (
        text
    )
    page = _page_text(at)
    assert "Traceback" not in page
    assert "ValueError" not in page


@pytest.mark.parametrize("catalogue", ["missing", "no_places_layer"])
def test_a_catalogue_that_cannot_be_read_is_named_without_its_folder(folders, catalogue):
    data, _ = folders
    if catalogue == "no_places_layer":
        write_catalogue(data)
        import pyogrio

        targets = pyogrio.read_dataframe(data / "catalogue.gpkg", layer="targets")
        (data / "catalogue.gpkg").unlink()
        pyogrio.write_dataframe(targets, data / "catalogue.gpkg", layer="targets")
    at = _run("en")
    (error,) = at.error
    assert "catalogue.gpkg" in _plain(error.value)
    page = _page_text(at)
    assert str(data) not in page
    assert str(data.parent) not in page
