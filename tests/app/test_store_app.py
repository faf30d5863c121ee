"""AppTest: the app reads PostGIS when DATABASE_URL is set, and says so plainly when it cannot."""

from __future__ import annotations

from bench.server import free_port
from settings import DATABASE_URL_VAR
from store.gpkg import GeoPackageStore
from store.load_db import load
from store.postgis import PostGISStore
from tests.app.test_dashboard import _plain, _run
from tests.catalogue import PLACES
from tests.postgis_cluster import clone_database


def test_the_app_reads_the_catalogue_from_postgis(
    postgis_url, catalogue_dir, empty_dir, monkeypatch
):
    url = clone_database(postgis_url, "app_reads")
    target = PostGISStore(url)
    load(GeoPackageStore(data_dir=catalogue_dir, context_dir=empty_dir), target)
    renamed = PLACES.copy()
    renamed.loc[renamed["id"] == "almaty_tselinny", "name_en"] = "Tselinny, as the database says"
    target.write("places", renamed)
    target.dispose()
    monkeypatch.setenv(DATABASE_URL_VAR, url)
    at = _run(lang="en", place="almaty_tselinny")
    assert any("Tselinny, as the database says" in _plain(m.value) for m in at.markdown)
    assert any(f"{len(PLACES)} of {len(PLACES)} places" in m.value for m in at.markdown)


def test_a_database_that_is_down_gets_one_clear_message(monkeypatch):
    monkeypatch.setenv(DATABASE_URL_VAR, f"postgresql://map:secret@127.0.0.1:{free_port()}/map")
    at = _run(lang="en")
    assert not at.exception
    (error,) = at.error
    text = _plain(error.value)
    assert text.startswith("The data store is unavailable. Tell the operator:")
    assert "127.0.0.1" in text
    assert "secret" not in text
    assert "Traceback" not in text
