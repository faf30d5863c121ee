"""In the real app, a venue that is a catalogue place is one marker, not two (geo/merge.py)."""

from __future__ import annotations

import pytest

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.browser.map_page import wait_on_map
from tests.catalogue import PLACES, TSELINNY_LAT_LON, write_catalogue
from tests.osm_merge_sample import venues

PALACE_LAT_LON = (51.165, 71.433)  # the OSM point the unplaced palace takes
NEAR_M = 50.0

# The ids of the shown points of both place layers within `radius` metres of (lat, lon);
# null until both layers are drawn.
MARKERS_NEAR_JS = """([lat, lon, radius]) => {
    const layers = window.__creativeMap && window.__creativeMap.layers;
    if (!layers) { return null; }
    const ids = [];
    for (const id of ['places', 'osm_venues']) {
        const e = layers[id];
        if (!e || !e.ready || !e.points) { return null; }
        e.points.features.forEach((f, k) => {
            const c = f.geometry.coordinates;
            if (e.points.shown[k] && window.map.distance([lat, lon], [c[1], c[0]]) <= radius) {
                ids.push(id + ':' + f.properties.id);
            }
        });
    }
    return ids.length ? ids : null;
}"""


@pytest.fixture(scope="module")
def merge_app(start_app, tmp_path_factory):
    folder = tmp_path_factory.mktemp("merge")
    write_catalogue(folder)
    venues().to_file(folder / "osm_venues.gpkg", layer="venues")
    return start_app(**{DATA_DIR_VAR: str(folder), CONTEXT_DIR_VAR: str(folder)})


@pytest.mark.parametrize(
    ("lat_lon", "city", "expected"),
    [
        (TSELINNY_LAT_LON, "almaty", ["places:almaty_tselinny"]),  # OSM's point was 20 m off
        (PALACE_LAT_LON, "astana", ["places:astana_zhastar_sarayy"]),  # had no position
    ],
)
def test_a_merged_place_is_one_marker(merge_app, page, lat_lon, city, expected):
    assert PLACES.set_index("id").loc[expected[0].split(":")[1], "city"] == city
    page.goto(f"{merge_app.url}/?lang=en&city={city}")
    found = wait_on_map(page, MARKERS_NEAR_JS, [*lat_lon, NEAR_M], what=f"a marker near {lat_lon}")
    assert found == expected
