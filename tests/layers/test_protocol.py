"""The map protocol's Python side: ids, class arrays, numeric classes, legend, clicks, assets."""

import base64
import html
import json
import re

import branca.colormap
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from folium.plugins import MarkerCluster
from shapely.geometry import Point
from streamlit_folium import _get_feature_group_string, _get_map_string

from layers.assets import (
    ASSETS,
    MAP_SCRIPT,
    UnknownAssetError,
    asset_url,
    localize_assets,
    use_local_markercluster,
)
from layers.classify import NO_CLASS, classify
from layers.escape import escape_text
from layers.payload import (
    NO_CLASS_BYTE,
    class_array,
    class_labels,
    class_update,
    feature_ids,
    layer_document,
)
from layers.registry import KIND_COLORS, LAYERS, layer_by_id
from layers.render import (
    LayerSource,
    LegendRow,
    MapLegend,
    build_base_map,
    clicked_feature_id,
    legend_rows,
    script_json,
    view_update_group,
)
from layers.spec import LayerSpec, NumericClasses, Style
from tests.layers.hostile import HOSTILE_NAMES

PREFIX = "../ui.assets."
CLASSES = NumericClasses(
    column="value", scheme="EqualInterval", k=3, colors=("#111111", "#222222", "#333333")
)
CLASSED = LayerSpec(
    id="districts_value",
    title=(("en", "Districts by value"),),
    path="unused.geojson",
    geometry_types=("Polygon",),
    source="built in the test",
    style=Style(classes=CLASSES, fill_opacity=0.8),
    tooltip_fields=("name",),
)


def _squares(values):
    rows = [
        {"name": f"d{i}", "value": v, "geometry": Point(71.4 + i / 100, 51.1).buffer(0.004)}
        for i, v in enumerate(values)
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _base(**kw):
    args = {
        "center_lat_lon": (51.12, 71.43),
        "zoom": 12,
        "basemap": "none",
        "lang": "en",
        "asset_url_prefix": PREFIX,
    }
    return build_base_map(**{**args, **kw})


def test_class_array_is_one_byte_per_feature_and_no_class_is_255():
    packed = class_array(np.array([0, 2, NO_CLASS, 1]))
    assert list(base64.b64decode(packed)) == [0, 2, NO_CLASS_BYTE, 1]
    assert class_array(pd.Series([], dtype=int)) == ""


def test_class_array_refuses_a_class_that_collides_with_no_class():
    with pytest.raises(ValueError, match="below 255"):
        class_array(np.array([0, 255]))


@pytest.mark.parametrize("scheme", ["NaturalBreaks", "Quantiles", "EqualInterval"])
def test_classify_gives_k_classes_lowest_first_and_no_class_for_missing(scheme):
    values = pd.Series([*range(100), np.nan], dtype=float)
    out = classify(values, NumericClasses(column="v", scheme=scheme, k=5))
    assert len(out.breaks) == 5
    assert list(out.breaks) == sorted(out.breaks)
    assert out.breaks[-1] == 99
    assert out.classes[-1] == NO_CLASS
    assert out.classes[0] == 0
    assert out.classes[99] == 4
    assert (np.diff(out.classes[:100]) >= 0).all()  # a larger value never gets a lower class
    assert out.ranges()[0][0] == 0


def test_classify_with_fewer_distinct_values_than_classes_gives_one_class_each():
    out = classify(pd.Series([5.0, 1.0, 5.0]), NumericClasses(column="v", k=5))
    assert out.breaks == (1.0, 5.0)
    assert list(out.classes) == [1, 0, 1]
    assert out.distinct
    assert class_labels(out, "en") == ["1", "5"]


def test_classify_equal_interval_breaks_are_the_expected_numbers():
    out = classify(pd.Series([0.0, 10.0, 20.0, 30.0]), CLASSES)
    assert out.breaks == pytest.approx((10.0, 20.0, 30.0))
    assert list(out.classes) == [0, 0, 1, 2]


def test_classify_refuses_bad_k_and_text():
    with pytest.raises(ValueError, match="classes.k must be between 1"):
        classify(pd.Series([1.0]), NumericClasses(column="v", k=9))
    with pytest.raises(ValueError, match="must be numeric"):
        classify(pd.Series(["a", "b"]), NumericClasses(column="v"))


def test_natural_breaks_are_repeatable_and_leave_numpys_random_state_alone():
    rng = np.random.default_rng(1)
    values = pd.Series(rng.gamma(2.0, 10.0, size=500))
    spec = NumericClasses(column="v", scheme="NaturalBreaks", k=5)
    np.random.seed(123)  # noqa: NPY002
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    first = classify(values, spec)
    assert (np.random.get_state()[1] == before).all()  # noqa: NPY002
    assert classify(values, spec).breaks == first.breaks


def test_classify_does_not_change_its_input():
    values = pd.Series([3.0, np.nan, 1.0])
    copy = values.copy()
    classify(values, NumericClasses(column="v"))
    pd.testing.assert_series_equal(values, copy)


def test_class_update_carries_classes_and_escaped_range_labels():
    update = class_update(CLASSED, pd.Series([0.0, 10.0, 20.0, 30.0]), lang="en")
    assert list(base64.b64decode(update["classes"])) == [0, 0, 1, 2]
    assert update["labels"] == ["0 – 10", "10 – 20", "20 – 30"]
    with pytest.raises(ValueError, match="has no numeric classes"):
        class_update(layer_by_id("places"), pd.Series([1.0]), lang="en")


def test_classed_document_carries_class_styles_labels_and_each_features_class():
    doc = json.loads(layer_document(CLASSED, _squares([0.0, 30.0, None, 20.0, 10.0]), lang="en"))
    assert [s["fillColor"] for s in doc["classes"]["styles"]] == list(CLASSES.colors)
    assert doc["classes"]["labels"] == ["0 – 10", "10 – 20", "20 – 30"]
    codes = [f["properties"]["s"] for f in doc["features"]]
    assert codes == [0, 2, 3, 1, 0]  # 3: the no-data style, after the class styles
    assert doc["styles"][3]["fillColor"] == CLASSES.no_data_color
    assert [f["properties"]["id"] for f in doc["features"]] == [
        "districts_value-0",
        "districts_value-1",
        "districts_value-2",
        "districts_value-3",
        "districts_value-4",
    ]


def test_feature_ids_use_the_id_column_and_derive_the_rest_from_layer_and_row():
    gdf = _squares([1.0, 2.0, 3.0])
    assert list(feature_ids(CLASSED, gdf)) == [f"districts_value-{i}" for i in range(3)]
    gdf["id"] = ["a", None, "c"]
    assert list(feature_ids(CLASSED, gdf)) == ["a", "districts_value-1", "c"]


def test_every_feature_of_every_layer_kind_has_an_id_and_tooltips_carry_none():
    doc = json.loads(layer_document(CLASSED, _squares([1.0, 2.0]), lang="en"))
    for feature in doc["features"]:
        assert isinstance(feature["properties"]["id"], str)
        assert feature["properties"]["id"] not in feature["properties"]["t"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_ids_travel_as_data_and_stay_inert_in_the_view_update(name):
    gdf = _squares([1.0])
    gdf["id"] = [name]
    doc = json.loads(layer_document(CLASSED, gdf, lang="en"))
    assert doc["features"][0]["properties"]["id"] == name  # fetched as JSON: never compiled
    states = {"places": {"visible": True, "mask": None, "selected": name}}
    script = _get_feature_group_string(view_update_group(states), map=_base())
    for active in ("<", ">", "{{", "{%", "</script>"):
        assert active not in name or active not in script.split("var states = ")[1]
    assert json.loads(script_json(states)) == states
    assert "49" not in script


def test_legend_rows_follow_the_style():
    places = legend_rows(layer_by_id("places"), "en")
    kinds = [r for r in places if r.shape == "point" and r.color != "#777777"]
    # One row per colour: the cultural venues share one, named by all their kinds.
    assert [r.color for r in kinds] == list(dict.fromkeys(c for _, c in KIND_COLORS))
    assert "Arts centre" in [r.text for r in kinds]
    venue_row = next(r for r in kinds if r.color == "#5E3C99")
    assert venue_row.text.startswith("Theatre, concert hall, museum, gallery, library")
    assert [r.shape for r in places[-3:]] == ["point", "hollow", "dashed"]
    assert places[-2].text.startswith("Light fill")
    venues = legend_rows(layer_by_id("osm_venues"), "ru")
    assert venues == (
        LegendRow("#5E3C99", "Действующие площадки (OpenStreetMap)", "point", "#FFFFFF"),
    )
    assert legend_rows(layer_by_id("esil_river"), "en") == ()
    classed = legend_rows(CLASSED, "en")
    assert [(r.color, r.text, r.shape) for r in classed] == [
        (c, "", "area") for c in CLASSES.colors
    ]


def test_the_legend_is_part_of_the_map_and_shows_venues_only_with_their_layer():
    def legend_of(layer_ids):
        sources = [LayerSource.of(layer_by_id(i), url=f"../{i}.json", lang="en") for i in layer_ids]
        script = _get_map_string(_base(layers=sources))
        (legend,) = re.findall(r"addLegend\(map_div, (.*)\);", script)
        return json.loads(legend)

    without = legend_of(["places"])
    assert [s["layer"] for s in without["sections"]] == ["places"]
    with_venues = legend_of(["places", "osm_venues"])
    assert [s["layer"] for s in with_venues["sections"]] == ["osm_venues", "places"]
    assert with_venues["title"] == "Legend"
    exported = _base(
        layers=[LayerSource.of(layer_by_id("places"), url="../p.json", lang="kk")], lang="kk"
    )
    assert "Шартты белгілер" in exported.get_root().render()  # an exported map carries it


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_legend_texts_are_escaped_in_the_map_script(name):
    spec = LayerSpec(
        id="hostile",
        title=(("en", name),),
        path="x.geojson",
        geometry_types=("Polygon",),
        source="test",
        style=Style(color_by="zone", palette=((name, "#123456"),)),
    )
    source = LayerSource.of(spec, url="../x.json", lang="en")
    legend = MapLegend([source], lang="en")
    data = json.loads(legend.legend_js)
    section = data["sections"][0]
    assert section["title"] == escape_text(name)
    assert section["rows"][0]["text"] == escape_text(name)
    assert html.unescape(section["rows"][0]["text"]) == name
    script = _get_map_string(_base(layers=[source]))
    assert name not in script or name == escape_text(name)


def test_class_labels_are_escaped_text():
    out = classify(pd.Series([1.0, 5.0, 2000.0]), NumericClasses(column="v", k=2))
    labels = class_labels(out, "ru")
    # Russian groups thousands with a no-break space (CLDR).
    assert labels == [escape_text("1 – 5"), escape_text("5 – 2\u00a0000")]


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (None, None),
        ({}, None),
        ({"last_active_drawing": None}, None),
        ({"last_active_drawing": {"type": "Feature", "properties": {}}}, None),
        ({"last_active_drawing": {"properties": {"layer": "places", "id": 7}}}, None),
        ({"last_active_drawing": "text"}, None),
        (
            {"last_active_drawing": {"properties": {"layer": "places", "id": "almaty_tselinny"}}},
            ("places", "almaty_tselinny"),
        ),
    ],
)
def test_clicked_feature_id_reads_only_what_the_map_script_reports(output, expected):
    assert clicked_feature_id(output) == expected


def test_every_asset_name_maps_to_the_apps_own_url():
    for name in ASSETS:
        url = asset_url(name, url_prefix=PREFIX)
        assert url.startswith(PREFIX)
        assert "//" not in url
    assert re.fullmatch(
        r"\.\./ui\.assets\.creative_map/creative_map\.js\?v=[0-9a-f]{12}",
        asset_url(MAP_SCRIPT, url_prefix=PREFIX),
    )


def test_an_unknown_asset_name_raises():
    with pytest.raises(UnknownAssetError, match="'jquery' is not served by the app"):
        asset_url("jquery", url_prefix=PREFIX)


def test_localizing_a_plain_folium_map_raises_on_its_cdn_extras():
    with pytest.raises(UnknownAssetError, match="is not served by the app"):
        localize_assets(folium.Map(tiles=None), url_prefix=PREFIX)


def test_localizing_walks_plugins_too():
    fmap = _base()
    cluster = MarkerCluster().add_to(fmap)
    use_local_markercluster(cluster, url_prefix=PREFIX)
    assert [u for _, u in cluster.default_js] == [
        f"{PREFIX}leaflet_markercluster/leaflet.markercluster.js"
    ]
    fmap.add_child(folium.plugins.Fullscreen())  # declares a CDN asset we do not serve
    with pytest.raises(UnknownAssetError, match="is not served by the app"):
        localize_assets(fmap, url_prefix=PREFIX)


def test_a_colormap_on_the_map_is_refused():
    fmap = _base()
    fmap.add_child(branca.colormap.LinearColormap(["#000000", "#ffffff"]))
    with pytest.raises(UnknownAssetError, match="d3 from a CDN"):
        localize_assets(fmap, url_prefix=PREFIX)


def test_a_map_with_every_layer_loads_our_script_once_and_nothing_from_another_host():
    sources = [LayerSource.of(spec, url=f"../{spec.id}.json", lang="en") for spec in LAYERS]
    fmap = _base(layers=sources, basemap="osm")
    rendered = fmap.get_root().render()
    assert len(re.findall(r"<script src=\"[^\"]*creative_map\.js", rendered)) == 1
    assert "PointsPath" not in rendered  # the script is linked, not pasted
    assert re.findall(r"https?://([^/\"'\s]+)", rendered) == ["tile.openstreetmap.org"]
