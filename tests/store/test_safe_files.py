"""Data files are opened only as GeoPackage or GeoJSON, and GDAL never touches the network.

The attacks are real: a GDAL VRT named ``catalogue.gpkg`` that reads a local CSV holding a
secret, and one that fetches a CSV from a local HTTP server which records every request.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
from pyogrio.errors import DataSourceError

from geo.errors import InputError, LayerLoadError
from layers.load import load_layer, load_targets
from layers.registry import layer_by_id
from layers.safe_files import (
    ALLOWED_DRIVERS,
    GDAL_ENVIRONMENT,
    MAX_GEOJSON_BYTES,
    RefusedFile,
    UnsafeGdal,
    check_file,
    require_safe_gdal,
)
from store.gpkg import GeoPackageStore
from store.load_db import read_checked
from tests.catalogue import TARGETS, write_catalogue
from tests.conftest import ROOT
from tests.hostile_files import (
    REMOTE_SECRET,
    SECRET,
    RecordingServer,
    write_local_vrt,
    write_remote_vrt,
)

VRT_REFUSED = r"“catalogue\.gpkg” was not opened: it is a GDAL virtual dataset \(VRT\)"


@pytest.fixture
def server():
    with RecordingServer().running() as srv:
        yield srv


@pytest.fixture
def folders(tmp_path):
    data, context = tmp_path / "data", tmp_path / "context"
    data.mkdir()
    context.mkdir()
    return data, context


def _store(folders) -> GeoPackageStore:
    data, context = folders
    return GeoPackageStore(data_dir=data, context_dir=context)


def test_gdal_has_only_the_geopackage_and_geojson_drivers():
    require_safe_gdal()
    assert set(pyogrio.list_drivers()) == ALLOWED_DRIVERS


def test_gdal_itself_refuses_a_vrt_and_the_network_even_without_the_file_check(tmp_path, server):
    # The process-wide settings hold on their own: pyogrio called directly, no check_file.
    local = write_local_vrt(tmp_path / "catalogue.gpkg")
    remote = write_remote_vrt(tmp_path / "remote.gpkg", server.url())
    for path in (local, remote):
        with pytest.raises(DataSourceError) as caught:
            pyogrio.read_dataframe(path, read_geometry=False)
        assert SECRET not in str(caught.value)
    for address in (f"/vsicurl/{server.url('x.geojson')}", server.url("y.geojson")):
        with pytest.raises(DataSourceError):
            pyogrio.read_dataframe(address)
    assert server.requests == []


def test_a_vrt_named_catalogue_gpkg_is_refused_by_the_store(folders):
    data, _ = folders
    write_local_vrt(data / "catalogue.gpkg")
    store = _store(folders)
    assert store.has("places")  # there, so reading it says what is wrong
    for read in (lambda: store.read_layer("places"), lambda: store.read_table("targets")):
        with pytest.raises(RefusedFile, match=VRT_REFUSED) as caught:
            read()
        assert SECRET not in str(caught.value)
        assert str(data) not in str(caught.value)  # the file's name, not the server's path


def test_a_vrt_that_fetches_a_url_sends_no_request(folders, server):
    data, context = folders
    write_catalogue(data)
    write_remote_vrt(data / "osm_venues.gpkg", server.url(), layer="venues")
    write_remote_vrt(context / "astana_banks.geojson", server.url("banks.csv"))
    store = _store(folders)
    for name, file_name in (("osm_venues", "osm_venues.gpkg"), ("astana_banks", "astana_banks")):
        with pytest.raises(RefusedFile, match=rf"“{file_name}.*VRT") as caught:
            store.read_layer(name)
        assert REMOTE_SECRET not in str(caught.value)
    assert len(store.read_layer("places")) > 0  # the rest still reads
    assert server.requests == []


def test_a_vrt_is_refused_by_the_layer_loader(tmp_path, server):
    catalogue = write_local_vrt(tmp_path / "catalogue.gpkg")
    with pytest.raises(RefusedFile, match=VRT_REFUSED):
        load_layer(layer_by_id("places"), path=catalogue)
    with pytest.raises(RefusedFile, match=VRT_REFUSED):
        load_targets(catalogue)
    remote = write_remote_vrt(tmp_path / "esil.geojson", server.url())
    with pytest.raises(RefusedFile, match="“esil.geojson” was not opened"):
        load_layer(layer_by_id("esil_river"), path=remote)
    assert server.requests == []


def test_db_load_refuses_a_vrt_catalogue_and_loads_nothing(folders, server):
    data, context = folders
    write_local_vrt(data / "catalogue.gpkg")
    write_remote_vrt(context / "esil_river_ne10m.geojson", server.url())
    with pytest.raises(InputError, match="nothing was loaded") as caught:
        read_checked(_store(folders), note=lambda _: None)
    text = str(caught.value)
    assert "places (catalogue.gpkg): The file “catalogue.gpkg” was not opened" in text
    assert "esil_river (esil_river_ne10m.geojson): The file" in text
    assert SECRET not in text
    assert server.requests == []


def test_writing_into_a_vrt_catalogue_is_refused(folders):
    data, _ = folders
    write_local_vrt(data / "catalogue.gpkg")
    store = _store(folders)
    with pytest.raises(RefusedFile, match=VRT_REFUSED):
        store.write("targets", TARGETS)


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (b"id,name\n1,x\n", "a plain-text file (such as CSV)"),
        (b'<?xml version="1.0"?><OGRVRTDataSource/>', "a GDAL virtual dataset (VRT)"),
        (b"<WFS_Capabilities/>", "an XML document"),
        (b'{"type": "gdal_streamed_alg", "command_line": "gdal vector pipeline"}', "GDALG"),
        (b'{"name": "not geojson"}', "JSON that is not GeoJSON"),
        (b'{"type": "FeatureCollection", ', "starts like JSON but cannot be parsed"),
        (b"[" * 100_000, "starts like JSON but cannot be parsed"),  # too deep for json
        (b"SQLite format 3\x00" + b"\x00" * 100, "an SQLite database that is not a GeoPackage"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a file of an unknown kind"),
    ],
)
def test_a_file_of_another_kind_is_refused_and_named(tmp_path, content, found):
    path = tmp_path / "astana_banks.geojson"
    path.write_bytes(content)
    with pytest.raises(
        RefusedFile, match=rf"“astana_banks\.geojson” was not opened: .*{re.escape(found)}"
    ):
        check_file(path)


def test_a_geojson_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "huge.geojson"
    with path.open("wb") as handle:
        handle.write(b'{"type": "FeatureCollection", "features": []}')
        handle.truncate(MAX_GEOJSON_BYTES + 1)  # sparse: nothing that large is written
    with pytest.raises(
        RefusedFile, match=f"larger than the limit of {MAX_GEOJSON_BYTES // 2**20} MB"
    ):
        check_file(path)


def test_gdal_special_paths_and_folders_are_refused(tmp_path):
    with pytest.raises(RefusedFile, match="GDAL special path or an address"):
        check_file(Path("/vsicurl/http://127.0.0.1:9/x.gpkg"))
    folder = tmp_path / "catalogue.gpkg"
    folder.mkdir()
    with pytest.raises(RefusedFile, match="not a regular file"):
        check_file(folder)


def test_real_geopackage_and_geojson_files_pass(tmp_path):
    assert check_file(write_catalogue(tmp_path)) == "gpkg"
    path = tmp_path / "river.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    assert check_file(path) == "geojson"


def test_the_refusal_is_translated():
    err = RefusedFile("catalogue.gpkg", "vrt")
    assert err.in_lang("ru").startswith("Файл «catalogue.gpkg» не открыт: это виртуальный")
    assert err.in_lang("kk").startswith("«catalogue.gpkg» файлы ашылмады")
    assert str(err) == err.in_lang("en")
    assert isinstance(err, LayerLoadError)


def _unhardened_env() -> dict[str, str]:
    """Return this environment without the GDAL settings (this process has them already)."""
    return {k: v for k, v in os.environ.items() if k not in GDAL_ENVIRONMENT}


@pytest.mark.parametrize(
    "entry",
    ["store", "store.gpkg", "store.load_db", "sources", "sources.osm", "layers.load", "ui.launch"],
)
def test_every_entry_point_restricts_gdal_before_pyogrio_loads(entry):
    code = f"import {entry}, pyogrio; print(','.join(sorted(pyogrio.list_drivers())))"
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_unhardened_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == ",".join(sorted(ALLOWED_DRIVERS)), result.stderr


def test_dashboard_imports_the_guard_first():
    lines = (ROOT / "dashboard.py").read_text(encoding="utf-8").splitlines()
    imports = [ln for ln in lines if ln.startswith(("import ", "from ")) and "__future__" not in ln]
    assert imports[0] == "import layers.safe_files  # noqa: F401"


def test_pyogrio_imported_too_early_is_detected():
    code = (
        "import pyogrio\n"
        "from layers.safe_files import UnsafeGdal, require_safe_gdal\n"
        "try:\n    require_safe_gdal()\nexcept UnsafeGdal as err:\n    print('refused:', err)\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_unhardened_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert "refused: GDAL can open formats the app does not allow (" in result.stdout
    assert "OGR_VRT" in result.stdout
    assert UnsafeGdal.__mro__[1] is LayerLoadError


@pytest.mark.parametrize("inherited", [None, "GPX KML", "GPX,KML"])
def test_a_child_process_or_an_operators_gdal_skip_gives_no_gdal_warnings(inherited):
    env = dict(os.environ)  # this process's hardened settings, as a server it starts gets them
    if inherited is not None:
        env["GDAL_SKIP"] = inherited
    code = "import store.gpkg, pyogrio; print(','.join(sorted(pyogrio.list_drivers())))"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ",".join(sorted(ALLOWED_DRIVERS))
    assert "Unable to find driver" not in result.stderr
