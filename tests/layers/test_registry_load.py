import re
import warnings

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from geo.errors import CRSError, GeometryError, InputError, LayerLoadError
from geo.schema import CATALOGUE_KINDS, PLACE_COLUMNS, TARGET_COLUMNS
from layers.load import check_layer, check_targets, load_layer, load_targets, resolve_path
from layers.registry import KIND_COLORS, LAYERS, layer_by_id
from tests.conftest import DATA_DIR, ROOT

CATALOGUE = DATA_DIR / "catalogue.gpkg"

# Every place named in the fact sheet and the two articles.
EXPECTED_PLACES = {
    "astana_expo_cluster",
    "astana_nur_alem",
    "astana_hub",
    "astana_aifc",
    "astana_sport_city_cluster",
    "astana_arena",
    "astana_alau",
    "astana_saryarka_velodrome",
    "astana_barys_arena",
    "astana_water_green_boulevard",
    "astana_khan_shatyr",
    "astana_baiterek",
    "astana_ak_orda",
    "astana_zhastar_sarayy",
    "astana_omarov_arbat",
    "almaty_depo",
    "almaty_tselinny",
}
UNKNOWN_POSITION = {"astana_barys_arena", "astana_zhastar_sarayy", "astana_omarov_arbat"}
EXPECTED_TARGETS = {
    "almaty_creative_hubs_2025",
    "almaty_studios_2025",
    "almaty_it_hub_2025",
    "almaty_hubs_2030",
    "almaty_venture_fund_2025",
    "almaty_crowdfunding_2025",
    "almaty_creative_integrator",
    "almaty_economy_share_2030",
    "almaty_service_exports_2030",
    "astana_ideas_competition",
}


def test_layer_ids_are_unique_snake_case():
    ids = [s.id for s in LAYERS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)


def test_every_kind_has_a_colour():
    assert {k for k, _ in KIND_COLORS} == set(CATALOGUE_KINDS)


def test_every_layer_has_titles_in_three_languages():
    for spec in LAYERS:
        assert {lang for lang, _ in spec.title} == {"kk", "ru", "en"}, spec.id


@pytest.mark.parametrize("spec", [s for s in LAYERS if not s.optional], ids=lambda s: s.id)
def test_shipped_layers_exist_load_and_match_their_spec(spec):
    path = resolve_path(spec, data_dir=DATA_DIR, context_dir=DATA_DIR / "context")
    assert path.is_file()
    gdf = load_layer(spec, path=path)
    assert gdf.crs.to_epsg() == 4326
    assert set(spec.required_columns) <= set(gdf.columns)
    types = set(gdf.geometry.dropna().geom_type)
    assert types <= set(spec.geometry_types) | {f"Multi{t}" for t in spec.geometry_types}


@pytest.mark.parametrize("spec", [s for s in LAYERS if s.folder == "context"], ids=lambda s: s.id)
def test_context_layers_load_from_real_geodata(spec, shared_geodata):
    if not any((shared_geodata / name).is_file() for name in spec.paths):
        pytest.skip(f"../shared/geodata holds none of {spec.paths!r} (it has no Almaty districts)")
    gdf = load_layer(spec, path=resolve_path(spec, data_dir=DATA_DIR, context_dir=shared_geodata))
    assert len(gdf) > 0
    assert gdf.crs.to_epsg() == 4326


def test_catalogue_holds_every_place_from_the_sources():
    places = load_layer(layer_by_id("places"), path=CATALOGUE)
    assert set(places["id"]) >= EXPECTED_PLACES  # a new place may join them
    assert list(places.columns) == [*PLACE_COLUMNS, "geometry"]


def test_unknown_positions_are_stored_without_invented_coordinates():
    places = load_layer(layer_by_id("places"), path=CATALOGUE).set_index("id")
    for pid in UNKNOWN_POSITION:
        assert places.loc[pid, "geometry"] is None
        assert pd.isna(places.loc[pid, "location_accuracy_m"])
    placed = places[places.geometry.notna()]
    assert len(placed) > 20
    assert (placed["location_accuracy_m"] > 0).all()
    assert places.loc[places.geometry.isna(), "location_accuracy_m"].isna().all()


def test_every_record_names_its_source_and_check_date():
    places = load_layer(layer_by_id("places"), path=CATALOGUE)
    for lang in ("kk", "ru", "en"):
        assert places[f"source_outlet_{lang}"].str.len().gt(3).all()
        assert places[f"location_note_{lang}"].str.len().gt(10).all()
    assert places["checked_date"].notna().all()


def test_boulevard_is_a_line_and_depot_has_its_target_year():
    places = load_layer(layer_by_id("places"), path=CATALOGUE).set_index("id")
    assert places.loc["astana_water_green_boulevard", "geometry"].geom_type == "LineString"
    assert places.loc["almaty_depo", "target_year"] == 2025


def test_the_velodrome_stands_at_its_published_coordinates_not_on_astana_arena():
    """FACTS.md: the infobox gives 51°06′35″N 71°24′25″E, about 350 m from Astana Arena."""
    places = load_layer(layer_by_id("places"), path=CATALOGUE).set_index("id")
    velodrome = places.loc["astana_saryarka_velodrome"]
    assert (velodrome.geometry.x, velodrome.geometry.y) == pytest.approx((71.40694, 51.10972))
    assert velodrome["location_accuracy_m"] == 100
    assert not velodrome.geometry.equals(places.loc["astana_arena", "geometry"])
    for lang in ("kk", "ru", "en"):
        assert "Сарыарка (велотрек)" in velodrome[f"location_note_{lang}"]


def test_targets_table_loads_and_holds_every_announced_item():
    targets = load_targets(CATALOGUE)
    assert set(targets["id"]) >= EXPECTED_TARGETS
    assert list(targets.columns) == list(TARGET_COLUMNS)
    fund = targets.set_index("id").loc["almaty_venture_fund_2025"]
    assert (fund["quantity"], fund["unit"], fund["deadline_year"]) == (20_000_000_000, "kzt", 2025)


def test_data_readme_documents_every_record():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    ids = set(load_layer(layer_by_id("places"), path=CATALOGUE)["id"])
    ids |= set(load_targets(CATALOGUE)["id"])
    assert ids >= EXPECTED_PLACES | EXPECTED_TARGETS
    for rid in sorted(ids):
        assert f"`{rid}`" in readme, rid


def test_missing_file_says_which_layer_and_path(tmp_path):
    with pytest.raises(LayerLoadError, match=r"layer 'places': file .*nope.gpkg' not found"):
        load_layer(layer_by_id("places"), path=tmp_path / "nope.gpkg")


def test_file_without_crs_is_refused(tmp_path):
    path = tmp_path / "nocrs.gpkg"
    frame = gpd.GeoDataFrame({"bank": ["left"]}, geometry=[Point(71.4, 51.1).buffer(0.01)])
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        frame.to_file(path)
    with pytest.raises(CRSError, match="has no coordinate reference system"):
        load_layer(layer_by_id("astana_banks"), path=path)


def test_wrong_geometry_type_is_refused(tmp_path):
    path = tmp_path / "river.gpkg"
    gpd.GeoDataFrame(geometry=[Point(71.4, 51.1)], crs=4326).to_file(path)
    with pytest.raises(LayerLoadError, match=r"geometry types \['Point'\] are not allowed"):
        load_layer(layer_by_id("esil_river"), path=path)


def test_empty_geometries_in_context_layers_are_skipped_and_reported(tmp_path):
    path = tmp_path / "banks.gpkg"
    gpd.GeoDataFrame(
        {"bank": ["left", "right"]}, geometry=[Point(71.4, 51.1).buffer(0.01), None], crs=4326
    ).to_file(path)
    with pytest.warns(UserWarning, match="skipped 1 rows with empty geometry"):
        gdf = load_layer(layer_by_id("astana_banks"), path=path)
    assert len(gdf) == 1


def test_a_bad_catalogue_record_fails_with_its_id(tmp_path):
    places = gpd.read_file(CATALOGUE, layer="places")
    places.loc[places["id"] == "almaty_tselinny", "geometry"] = Point(43.24833, 76.92889)
    path = tmp_path / "catalogue.gpkg"
    places.to_file(path, layer="places")
    with pytest.raises(GeometryError, match="record 'almaty_tselinny': geometry lies outside"):
        load_layer(layer_by_id("places"), path=path)


def test_catalogue_is_read_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_layer(layer_by_id("places"), path=CATALOGUE)


def test_catalogue_is_a_geopackage_with_its_tables():
    layers = {name for name, _ in pyogrio.list_layers(CATALOGUE)}
    assert layers == {"places", "targets", "tour"}
    assert CATALOGUE.relative_to(ROOT).as_posix() == "data/catalogue.gpkg"


def test_check_layer_works_on_a_frame_from_any_store():
    frame = gpd.GeoDataFrame(
        {"bank": ["left", "right"]},
        geometry=[Point(71.4, 51.1).buffer(0.01), Point(71.5, 51.2).buffer(0.01)],
        crs="EPSG:3857",
    )
    with pytest.raises(LayerLoadError, match=r"missing columns \['bank'\] in PostGIS table"):
        check_layer(layer_by_id("astana_banks"), frame.drop(columns="bank"), what="PostGIS table")
    frame = frame.set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match=r"layer 'astana_banks' \(PostGIS table\)"):
        check_layer(layer_by_id("astana_banks"), frame, what="PostGIS table")


def test_check_layer_reprojects_and_resets_the_index():
    frame = gpd.GeoDataFrame(
        {"bank": ["left"]}, geometry=[Point(71.4, 51.1).buffer(0.01)], crs="EPSG:4326"
    ).to_crs(32642)
    frame.index = [7]
    checked = check_layer(layer_by_id("astana_banks"), frame, what="a test frame")
    assert checked.crs.to_epsg() == 4326
    assert list(checked.index) == [0]
    assert frame.crs.to_epsg() == 32642  # the input is not changed


def test_check_targets_takes_a_table_read_from_any_store():
    table = pyogrio.read_dataframe(CATALOGUE, layer="targets", read_geometry=False)
    assert list(check_targets(table).columns) == list(TARGET_COLUMNS)
    broken = table.assign(unit=["bogus"] * len(table))
    with pytest.raises(
        InputError, match=r"record 'almaty_creative_hubs_2025': unit must be one of"
    ):
        check_targets(broken)


def test_catalogue_banks_agree_with_the_real_bank_layer(shared_geodata):
    """Data credibility: every placed Astana record's declared bank matches real geography."""
    import pandas as pd

    from geo.bank import classify_bank_by_polygons

    places = load_layer(layer_by_id("places"), path=CATALOGUE)
    banks = gpd.read_file(shared_geodata / "astana_banks.geojson")
    astana = places[(places["city"] == "astana") & places.geometry.notna()]
    # The banks' line is good west of 71.45° E only (geodata README): east of it a venue's bank
    # is left unknown rather than taken from a line 2-3 km off the river.
    east = astana.geometry.apply(lambda g: g.representative_point().x) >= 71.45
    assert east.any()
    assert astana.loc[east & (astana["kind"] != "landmark"), "bank"].isna().all()
    astana = astana[~east | astana["bank"].notna()]
    assert len(astana) > 10
    derived = classify_bank_by_polygons(astana, banks)
    pd.testing.assert_series_equal(
        derived.rename("bank"), astana["bank"].astype(object), check_dtype=False
    )
