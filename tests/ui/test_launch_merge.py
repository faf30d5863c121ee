"""The launcher's warm start covers the merged place layers (ui/launch.py, ui/cache.py)."""

from __future__ import annotations

from tests.catalogue import write_catalogue
from tests.osm_merge_sample import venues
from tests.ui.test_launch import _run


def test_prepare_caches_the_merged_documents_of_both_place_layers(tmp_path):
    write_catalogue(tmp_path)
    venues().to_file(tmp_path / "osm_venues.gpkg", layer="venues")
    result = _run(tmp_path, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "prepared True" in lines
    counts = next(line for line in lines if line.startswith("documents from the cache"))
    served, expected = map(int, counts.split()[-2:])
    assert served == expected == 2 * 3  # places and osm_venues, in three languages
