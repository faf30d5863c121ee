import base64
import html
import json
import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point
from streamlit_folium import _get_feature_group_string, _get_map_string

from layers.escape import escape_text
from layers.payload import (
    document_filename,
    layer_document,
    visibility_mask,
    write_document,
)
from layers.registry import KIND_COLORS, layer_by_id
from layers.render import (
    APPROX_MIN_RADIUS_PX,
    LayerSource,
    build_base_map,
    script_json,
    view_update_group,
)
from tests.layers.hostile import HOSTILE_NAMES

PLACES = layer_by_id("places")


def _places(names, **over):
    rows = []
    for i, name in enumerate(names):
        row = {
            "id": f"p{i}",
            "name_kk": name,
            "name_ru": name,
            "name_en": name,
            "city": "astana",
            "kind": "creative_hub",
            "status": "existing",
            "location_accuracy_m": 20.0,
            "geometry": Point(71.43 + i / 1000, 51.12),
        }
        row.update(over)
        rows.append(row)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _doc(gdf, lang="en"):
    return json.loads(layer_document(PLACES, gdf, lang=lang))


def _base(**kw):
    args = {
        "center_lat_lon": (51.12, 71.43),
        "zoom": 12,
        "basemap": "none",
        "lang": "en",
        "asset_url_prefix": "../ui.assets.",
    }
    return build_base_map(**{**args, **kw})


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_escape_text_leaves_nothing_active_and_round_trips(name):
    out = escape_text(name)
    for active in ("{", "}", "<", ">", "`", "$"):
        assert active not in out
    assert html.unescape(out) == name


def test_escape_text_handles_none_and_numbers():
    assert escape_text(None) == ""
    assert escape_text(42) == "42"


def test_folium_really_runs_templates_in_plain_strings():
    """The reason the gate exists: folium compiles text it is given as Jinja2."""
    fmap = folium.Map(tiles=None)
    folium.Marker([51.1, 71.4], tooltip="{{ 7*7 }}").add_to(fmap)
    assert "49" in fmap.get_root().render()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_reach_the_document_only_escaped(name):
    text = layer_document(PLACES, _places([name]), lang="en")
    assert name not in text or name == escape_text(name)
    tip = json.loads(text)["features"][0]["properties"]["t"]
    assert tip.startswith(f"<b>{escape_text(name)}</b>")
    assert html.unescape(tip.split("</b>")[0].removeprefix("<b>")) == name


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_layer_titles_and_urls_stay_inert_in_the_map_script(name):
    source = LayerSource(layer_id="places", url="../x/places-1.json", title=name, tooltips=True)
    fmap = _base(layers=[source])
    script = _get_map_string(fmap)
    assert name not in script or name == escape_text(name)
    notice = escape_text(f"Layer “{name}” could not be loaded. Reload the page.")
    assert script_json(notice) in script
    assert json.loads(script_json(notice)) == notice


def test_the_map_script_carries_urls_not_features():
    source = LayerSource(
        layer_id="places", url="../ui.assets.layer_data/p.json", title="P", tooltips=True
    )
    script = _get_map_string(_base(layers=[source]))
    assert '"url": "../ui.assets.layer_data/p.json"' in script
    assert f'"minPx": {APPROX_MIN_RADIUS_PX}' in script
    assert '"type":"Feature"' not in script


def test_view_update_carries_only_states():
    states = {
        "places": {
            "visible": True,
            "mask": visibility_mask(pd.Series([True, False])),
            "selected": "p0",
        }
    }
    fg = view_update_group(states)
    script = _get_feature_group_string(fg, map=_base())
    assert '"places": {"mask": "gA==", "selected": "p0", "visible": true}' in script


def test_visibility_mask_is_one_bit_per_feature_msb_first():
    show = pd.Series([True, False, True] + [False] * 6 + [True])
    bits = np.frombuffer(base64.b64decode(visibility_mask(show)), dtype=np.uint8)
    assert list(bits) == [0b10100000, 0b01000000]


def test_document_has_one_feature_per_placed_row_in_order_with_its_id():
    gdf = _places(["a", "b", "c"])
    gdf.loc[1, "geometry"] = None
    feats = _doc(gdf)["features"]
    assert [f["properties"]["id"] for f in feats] == ["p0", "p2"]
    tips = [f["properties"]["t"] for f in feats]
    assert not any("#id:" in tip or "p0" in tip or "hidden" in tip for tip in tips)


def test_approximate_points_become_accuracy_circles_and_exact_ones_do_not():
    gdf = _places(["exact", "approx"])
    gdf.loc[1, "location_accuracy_m"] = 300.0
    doc = _doc(gdf)
    exact, approx = doc["features"]
    assert "a" not in exact["properties"]
    assert approx["properties"]["a"] == 300.0
    assert doc["styles"][approx["properties"]["s"]]["dashArray"]
    assert "dashArray" not in doc["styles"][exact["properties"]["s"]]
    assert "Approximate location: within about 300 m" in approx["properties"]["t"]


def test_approximate_lines_are_dashed_not_circles():
    gdf = _places(
        ["boulevard"],
        location_accuracy_m=150.0,
        geometry=LineString([(71.40, 51.13), (71.45, 51.126)]),
    )
    doc = _doc(gdf)
    (feat,) = doc["features"]
    assert feat["geometry"]["type"] == "LineString"
    assert "a" not in feat["properties"]
    assert doc["styles"][feat["properties"]["s"]]["dashArray"]


def test_style_colour_follows_kind_and_fill_follows_status():
    gdf = _places(["hub", "planned"])
    gdf.loc[1, ["kind", "status"]] = ["it_hub", "planned"]
    doc = _doc(gdf)
    hub, planned = (doc["styles"][f["properties"]["s"]] for f in doc["features"])
    colors = dict(KIND_COLORS)
    assert hub["fillColor"] == colors["creative_hub"]
    assert planned["fillColor"] == colors["it_hub"]
    assert planned["fillOpacity"] < hub["fillOpacity"]


def test_tooltips_follow_the_language():
    gdf = _places(["x"])
    gdf["name_kk"] = "Қазақша"
    tip = _doc(gdf, lang="kk")["features"][0]["properties"]["t"]
    assert "Қазақша" in tip
    assert "Креативті хаб" in tip


def test_documents_are_named_by_content_and_written_once(tmp_path):
    text = layer_document(PLACES, _places(["a"]), lang="en")
    name = document_filename("places", text)
    assert name.startswith("places-")
    assert name.endswith(".json")
    assert document_filename("places", text + " ") != name
    path = write_document(tmp_path, name, text)
    assert json.loads(path.read_text(encoding="utf-8"))["features"]
    mtime = path.stat().st_mtime_ns
    write_document(tmp_path, name, text)
    assert path.stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize("basemap", ["osm", "none"])
def test_base_map_loads_assets_only_from_the_app(basemap):
    fmap = _base(basemap=basemap)
    urls = [u for _, u in fmap.default_js + fmap.default_css]
    assert urls == ["../ui.assets.leaflet/leaflet.js", "../ui.assets.leaflet/leaflet.css"]
    rendered = fmap.get_root().render()
    assert "cdn" not in rendered
    assert ("tile.openstreetmap.org" in rendered) is (basemap == "osm")
    # The only http(s) URL a rendered map may name is the tile server's template.
    hosts = set(re.findall(r"https?://([^/\"'\s]+)", rendered))
    assert hosts == ({"tile.openstreetmap.org"} if basemap == "osm" else set())


def test_unknown_basemap_is_refused():
    with pytest.raises(KeyError):
        _base(basemap="satellite")


def test_city_labels_are_escaped_and_shown_only_zoomed_out():
    from layers.render import CITY_LABEL_MAX_ZOOM

    script = _get_map_string(_base(city_labels=[("<b>Астана</b>", 51.1, 71.4)]))
    assert script_json("&lt;b&gt;Астана&lt;/b&gt;") in script
    assert "<b>Астана</b>" not in script
    assert f"map.getZoom() <= {CITY_LABEL_MAX_ZOOM}" in script


def test_an_approximate_circle_is_lightly_filled_so_what_lies_under_it_stays_readable():
    gdf = _places(["exact", "approx", "approx planned", "exact planned"])
    gdf.loc[[1, 2], "location_accuracy_m"] = 1100.0
    gdf.loc[[2, 3], "status"] = "planned"
    doc = _doc(gdf)
    exact, approx, approx_planned, exact_planned = (
        doc["styles"][f["properties"]["s"]] for f in doc["features"]
    )
    assert approx["dashArray"]
    assert approx["fillOpacity"] <= exact["fillOpacity"] / 2
    assert approx_planned["fillOpacity"] < approx["fillOpacity"]  # status still reads
    assert approx_planned["fillOpacity"] < exact_planned["fillOpacity"]
