import base64
import html
import json

import folium
import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point
from streamlit_folium import _get_feature_group_string

from layers.escape import escape_text
from layers.registry import KIND_COLORS, layer_by_id
from layers.render import (
    APPROX_MIN_RADIUS_PX,
    ID_MARK,
    build_base_map,
    feature_group_from_payload,
    layer_payload,
    render_layer,
)
from tests.layers.hostile import HOSTILE_NAMES

PLACES = layer_by_id("places")


def _decode(payload: str) -> dict:
    return json.loads(base64.b64decode(payload).decode("utf-8"))


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
def test_hostile_names_travel_as_inert_text_through_folium(name):
    fg = render_layer(PLACES, _places([name]), lang="en")
    fmap = build_base_map(
        center_lat_lon=(51.12, 71.43), zoom=12, basemap="none", lang="en", asset_url_prefix="./"
    )
    script = _get_feature_group_string(fg, map=fmap)
    encoded = _payload_from(script)
    outside = script.replace(encoded, "")
    # Outside the opaque base64 payload, the script carries nothing of the name.
    assert name not in outside
    assert escape_text(name) not in outside
    assert "onerror" not in outside
    payload = _decode(encoded)
    tip = payload["features"][0]["properties"]["t"]
    assert escape_text(name) in tip
    assert html.unescape(tip.split("<br>")[0].removeprefix("<b>").removesuffix("</b>")) == name


def _payload_from(script: str) -> str:
    start = script.index('atob("') + len('atob("')
    return script[start : script.index('")', start)]


def test_hostile_layer_title_is_escaped():
    from dataclasses import replace

    spec = replace(PLACES, title=(("en", "{{ 7*7 }}<b>"),))
    payload, styles = layer_payload(spec, _places(["ok"]), lang="en")
    fg = feature_group_from_payload(spec, payload, styles, lang="en")
    assert fg.layer_name == "&#123;&#123; 7*7 &#125;&#125;&lt;b&gt;"


def test_payload_has_one_feature_per_placed_row_and_marks_ids():
    gdf = _places(["a", "b", "c"])
    gdf.loc[2, "geometry"] = None
    payload, _ = layer_payload(PLACES, gdf, lang="en")
    feats = _decode(payload)["features"]
    assert len(feats) == 2
    assert all(f"{ID_MARK}p{i}" in f["properties"]["t"] for i, f in enumerate(feats))


def test_approximate_points_become_accuracy_circles_and_exact_ones_do_not():
    gdf = _places(["exact", "approx"])
    gdf.loc[1, "location_accuracy_m"] = 300.0
    payload, styles = layer_payload(PLACES, gdf, lang="en")
    exact, approx = _decode(payload)["features"]
    assert "a" not in exact["properties"]
    assert approx["properties"]["a"] == 300.0
    assert styles[approx["properties"]["s"]]["dashArray"]
    assert "dashArray" not in styles[exact["properties"]["s"]]
    assert "Approximate location: within about 300 m" in approx["properties"]["t"]


def test_approximate_lines_are_dashed_not_circles():
    gdf = _places(
        ["boulevard"],
        location_accuracy_m=150.0,
        geometry=LineString([(71.40, 51.13), (71.45, 51.126)]),
    )
    payload, styles = layer_payload(PLACES, gdf, lang="en")
    (feat,) = _decode(payload)["features"]
    assert feat["geometry"]["type"] == "LineString"
    assert "a" not in feat["properties"]
    assert styles[feat["properties"]["s"]]["dashArray"]


def test_style_colour_follows_kind_and_fill_follows_status():
    gdf = _places(["hub", "planned"])
    gdf.loc[1, ["kind", "status"]] = ["it_hub", "planned"]
    payload, styles = layer_payload(PLACES, gdf, lang="en")
    hub, planned = (styles[f["properties"]["s"]] for f in _decode(payload)["features"])
    colors = dict(KIND_COLORS)
    assert hub["fillColor"] == colors["creative_hub"]
    assert planned["fillColor"] == colors["it_hub"]
    assert planned["fillOpacity"] < hub["fillOpacity"]


def test_selected_place_is_highlighted():
    gdf = _places(["a", "b"])
    payload, styles = layer_payload(PLACES, gdf, lang="en", selected_id="p1")
    a, b = (styles[f["properties"]["s"]] for f in _decode(payload)["features"])
    assert b["weight"] > a["weight"]
    assert b["color"] != a["color"]


def test_tooltips_follow_the_language():
    gdf = _places(["x"])
    gdf["name_kk"] = "Қазақша"
    payload, _ = layer_payload(PLACES, gdf, lang="kk")
    tip = _decode(payload)["features"][0]["properties"]["t"]
    assert "Қазақша" in tip
    assert "Креативті хаб" in tip


def test_the_min_pixel_radius_is_in_the_script():
    fg = render_layer(PLACES, _places(["x"]), lang="en")
    fmap = folium.Map(tiles=None)
    script = _get_feature_group_string(fg, map=fmap)
    assert f"var minPx = {APPROX_MIN_RADIUS_PX};" in script


@pytest.mark.parametrize("basemap", ["osm", "none"])
def test_base_map_loads_assets_only_from_the_app(basemap):
    fmap = build_base_map(
        center_lat_lon=(51.12, 71.43),
        zoom=12,
        basemap=basemap,
        lang="en",
        asset_url_prefix="../ui.assets.",
    )
    urls = [u for _, u in fmap.default_js + fmap.default_css]
    assert urls == ["../ui.assets.leaflet/leaflet.js", "../ui.assets.leaflet/leaflet.css"]
    rendered = fmap.get_root().render()
    assert "cdn" not in rendered
    assert ("tile.openstreetmap.org" in rendered) is (basemap == "osm")


def test_unknown_basemap_is_refused():
    with pytest.raises(KeyError):
        build_base_map(
            center_lat_lon=(0, 0), zoom=3, basemap="satellite", lang="en", asset_url_prefix="./"
        )
