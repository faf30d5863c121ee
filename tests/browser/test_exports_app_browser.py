"""The export panel in the running app: every button downloads a file of the current view."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
from PIL import Image
from playwright.sync_api import expect

from layers.export_table import CSV_ENCODING
from tests.browser.conftest import ARTIFACTS
from tests.browser.map_page import wait_for_count
from tests.catalogue import PLACES

SHOTS = ARTIFACTS / "exports"  # looked at by people, not checked
ASTANA_ALL = PLACES[PLACES["city"] == "astana"]
NAME = re.compile(r"^creative-spaces_astana_kind-it-hub_[0-9]{4}-[0-9]{2}-[0-9]{2}\.")


def _download(page, label: str, folder: Path) -> Path:
    button = page.get_by_role("button", name=label)
    expect(button).to_be_visible()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def test_export_panel_downloads_each_format_of_the_filtered_view(app, page, tmp_path, offline):
    page.goto(f"{app.url}/?lang=en&city=astana&kind=it_hub&basemap=none")
    wait_for_count(page, int((ASTANA_ALL["kind"] == "it_hub").sum()))
    page.get_by_text("Export", exact=True).click()
    # Every place that matches, not only those in view: the count then does not depend on
    # where the map settles.
    page.get_by_text("Only places in the map's view").click()
    expected = PLACES[(PLACES["city"] == "astana") & (PLACES["kind"] == "it_hub")]
    assert len(expected) > 0
    expect(page.get_by_text(f"Places in the files: {len(expected)}")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "app-export-panel-en.png"), full_page=True)

    geojson = _download(page, "GeoJSON", tmp_path)
    assert NAME.match(geojson.name), geojson.name
    assert geojson.suffix == ".geojson"
    back = gpd.read_file(geojson)
    assert sorted(back["id"]) == sorted(expected["id"])
    assert json.loads(geojson.read_text(encoding="utf-8"))["type"] == "FeatureCollection"

    gpkg = _download(page, "GeoPackage", tmp_path)
    assert NAME.match(gpkg.name)
    assert sorted(gpd.read_file(gpkg)["id"]) == sorted(expected["id"])

    csv = _download(page, "Table (CSV, Excel)", tmp_path)
    assert NAME.match(csv.name)
    table = pd.read_csv(csv, encoding=CSV_ENCODING, dtype=str, keep_default_na=False)
    assert sorted(table["id"]) == sorted(expected["id"])
    assert list(table["name_kk"].sort_values()) == sorted(expected["name_kk"])

    png = _download(page, "Picture (PNG)", tmp_path)
    assert re.match(r"^creative-spaces_astana_kind-it-hub_1920x1080_", png.name), png.name
    image = Image.open(io.BytesIO(png.read_bytes()))
    assert image.size == (1920, 1080)
    (SHOTS / "app-download-en.png").write_bytes(png.read_bytes())

    html = _download(page, "Map as HTML (opens with no internet)", tmp_path)
    assert NAME.match(html.name)
    text = html.read_text(encoding="utf-8")
    assert "<script src=" not in text
    assert '<link rel="stylesheet" href=' not in text
    assert offline.external == []
