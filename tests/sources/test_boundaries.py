"""`make data`'s boundaries: what is done after the fetch, on frames built from real geodata.

No test fetches anything and none pretends osmnx answered: the frames have the shape osmnx
gives (index ``element``, ``id``; one column per tag) and are built from ../shared/geodata
(Astana's six districts of 2024, both city outlines, the Esil), or, for Almaty's districts,
from Almaty's real outline cut into eight strips.
"""

from __future__ import annotations

import os
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from geo.district_ids import KNOWN_DISTRICTS, population_from_layer
from geo.districts import build_partition
from geo.errors import InputError
from layers.load import check_layer
from layers.registry import layer_by_id
from sources.boundaries import (
    SOURCE,
    Boundaries,
    build,
    check_boundaries,
    districts_from_features,
    main,
    targets,
    write_atomically,
)
from store.gpkg import GeoPackageStore

FETCHED = "2026-11-29"
ALMATY_RU = (
    "Алатауский район",
    "Алмалинский район",
    "Ауэзовский район",
    "Бостандыкский район",
    "Жетысуский район",
    "Медеуский район",
    "Наурызбайский район",
    "Турксибский район",
)


def _osm(rows: list[dict], index: list[tuple[str, int]]) -> gpd.GeoDataFrame:
    """Return rows shaped as osmnx returns features: tag columns, (element, id) index."""
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    frame.index = pd.MultiIndex.from_tuples(index, names=["element", "id"])
    return frame


def _boundary(geometry, name, *, level, kk=None, ru=None, en=None) -> dict:
    return {
        "boundary": "administrative",
        "admin_level": level,
        "name": name,
        "name:kk": kk,
        "name:ru": ru,
        "name:en": en,
        "geometry": geometry,
    }


@pytest.fixture(scope="module")
def geodata(shared_geodata):
    outlines = gpd.read_file(shared_geodata / "city_outlines_adm1.geojson")
    return {
        "districts": gpd.read_file(shared_geodata / "astana_districts_2024.geojson"),
        "old_districts": gpd.read_file(shared_geodata / "astana_districts.geojson"),
        "outline": {row.ADM1_EN.lower(): row.geometry for row in outlines.itertuples()},
        "river": gpd.read_file(shared_geodata / "esil_river_ne10m.geojson"),
    }


def astana_features(geodata, districts=None) -> gpd.GeoDataFrame:
    districts = geodata["districts"] if districts is None else districts
    rows, index = [], []
    for row in districts.itertuples():
        rows.append(
            _boundary(
                row.geometry,
                row.name_ru,
                level="6",
                kk=getattr(row, "name_kk", None),
                ru=row.name_ru,
                en=getattr(row, "name_en", None),
            )
        )
        index.append(("relation", int(row.osm_relation)))
    rows.append(_boundary(geodata["outline"]["astana"], "Астана", level="4", en="Astana"))
    index.append(("way", 1))
    # A village called like a district, inside the city: the district (larger) must win.
    village = box(71.40, 51.05, 71.41, 51.06)
    rows.append(_boundary(village, "Нура", level="8"))
    index.append(("way", 2))
    return _osm(rows, index)


def almaty_features(geodata) -> gpd.GeoDataFrame:
    outline = geodata["outline"]["almaty"]
    minx, miny, maxx, maxy = outline.bounds
    step = (maxx - minx) / len(ALMATY_RU)
    rows, index = [], []
    for i, name in enumerate(ALMATY_RU):
        strip = box(minx + i * step, miny, minx + (i + 1) * step, maxy).intersection(outline)
        rows.append(_boundary(strip, name, level="6", ru=name))
        index.append(("way", 100 + i))
    rows.append(_boundary(outline, "Алматы", level="4", en="Almaty"))
    index.append(("way", 1))
    return _osm(rows, index)


def river_features(geodata) -> gpd.GeoDataFrame:
    line = geodata["river"].geometry.iloc[0]
    rows = [{"waterway": "river", "name": "Есіл", "name:en": "Esil", "geometry": line}]
    rows.append({"waterway": "river", "name": "Нура", "name:en": "Nura", "geometry": line})
    return _osm(rows, [("way", 1), ("way", 2)])


@pytest.fixture
def boundaries(geodata) -> Boundaries:
    raw = {"astana": astana_features(geodata), "almaty": almaty_features(geodata)}
    return build(raw, river_features(geodata), fetched=FETCHED)


def test_build_picks_every_district_once_with_source_and_date(boundaries):
    astana = boundaries.districts["astana"]
    assert list(astana["district"]) == list(KNOWN_DISTRICTS["astana"])
    assert list(boundaries.districts["almaty"]["district"]) == list(KNOWN_DISTRICTS["almaty"])
    nura = astana.set_index("district").loc["Nura"]
    assert nura["osm_relation"] == 20593940  # the district, not the village called Nura
    assert set(boundaries.outlines["city"]) == {"astana", "almaty"}
    assert list(boundaries.river["name"]) == ["Esil"]
    for frame in (astana, boundaries.outlines, boundaries.river):
        assert set(frame["source"]) == {SOURCE}
        assert set(frame["fetched"]) == {FETCHED}
    check_boundaries(boundaries)  # real data passes every check


def test_the_old_layer_misses_saraishyk_and_is_refused(geodata):
    raw = {
        "astana": astana_features(geodata, geodata["old_districts"]),
        "almaty": almaty_features(geodata),
    }
    old = build(raw, river_features(geodata), fetched=FETCHED)
    with pytest.raises(InputError, match=r"astana districts: missing \['Saraishyk'\]"):
        check_boundaries(old)


def _replace(b: Boundaries, city: str, frame: gpd.GeoDataFrame) -> Boundaries:
    return Boundaries(districts={**b.districts, city: frame}, outlines=b.outlines, river=b.river)


def test_a_missing_district_is_refused(boundaries):
    astana = boundaries.districts["astana"]
    broken = _replace(boundaries, "astana", astana[astana["district"] != "Baikonur"])
    with pytest.raises(InputError, match=r"astana districts: missing \['Baikonur'\]"):
        check_boundaries(broken)


def test_a_district_twice_is_refused(boundaries):
    almaty = boundaries.districts["almaty"]
    twice = pd.concat([almaty, almaty.iloc[[2]]], ignore_index=True)
    broken = _replace(boundaries, "almaty", gpd.GeoDataFrame(twice, crs=almaty.crs))
    with pytest.raises(InputError, match=r"almaty districts: \['Auezov'\] appear more than once"):
        check_boundaries(broken)


def test_an_invalid_polygon_is_refused(boundaries):
    astana = boundaries.districts["astana"].copy()
    bowtie = Polygon([(71.40, 51.10), (71.50, 51.20), (71.50, 51.10), (71.40, 51.20)])
    assert not bowtie.is_valid
    astana.loc[1, "geometry"] = bowtie
    with pytest.raises(InputError, match=r"astana districts: rows \[1\] are not valid polygons"):
        check_boundaries(_replace(boundaries, "astana", astana))


def test_districts_outside_the_city_envelope_are_refused(boundaries):
    almaty = boundaries.districts["almaty"].copy()
    almaty["geometry"] = almaty.geometry.translate(xoff=3.0)
    with pytest.raises(InputError, match=r"almaty districts: extent .* is not inside almaty"):
        check_boundaries(_replace(boundaries, "almaty", almaty))


def test_implausible_areas_are_refused(boundaries):
    astana = boundaries.districts["astana"].copy()
    astana.loc[0, "geometry"] = box(71.40, 51.10, 71.401, 51.101)  # about 0.008 km2
    with pytest.raises(InputError, match=r"implausible areas \['Yesil 0\.0 km2'\]"):
        check_boundaries(_replace(boundaries, "astana", astana))


def test_a_river_that_does_not_cross_astana_is_refused(boundaries):
    river = boundaries.river.copy()
    river["geometry"] = river.geometry.translate(xoff=-1.0)
    moved = Boundaries(districts=boundaries.districts, outlines=boundaries.outlines, river=river)
    with pytest.raises(InputError, match=r"esil river: 0\.0 km inside Astana's outline"):
        check_boundaries(moved)


def test_a_missing_outline_is_refused(boundaries):
    outlines = boundaries.outlines[boundaries.outlines["city"] == "astana"]
    broken = Boundaries(districts=boundaries.districts, outlines=outlines, river=boundaries.river)
    with pytest.raises(InputError, match=r"almaty outline: 0 rows, expected exactly one"):
        check_boundaries(broken)


def test_districts_from_features_make_an_invalid_district_valid(geodata):
    districts = geodata["districts"].copy()
    minx, miny, maxx, maxy = districts.geometry.iloc[5].bounds
    # Saraishyk drawn as a self-crossing ring over its own extent: repaired, not dropped.
    districts.loc[5, "geometry"] = Polygon([(minx, miny), (maxx, maxy), (maxx, miny), (minx, maxy)])
    assert not districts.geometry.iloc[5].is_valid
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # repaired, so no row is skipped with a warning
        frame = districts_from_features(
            astana_features(geodata, districts), "astana", fetched=FETCHED
        )
    saraishyk = frame.set_index("district").loc["Saraishyk", "geometry"]
    assert saraishyk.is_valid
    assert saraishyk.geom_type in ("Polygon", "MultiPolygon")


def test_write_replaces_the_files_and_the_app_reads_them(boundaries, tmp_path, shared_geodata):
    (tmp_path / "astana_districts_2024.geojson").write_bytes(
        (shared_geodata / "astana_districts_2024.geojson").read_bytes()
    )
    store = GeoPackageStore(data_dir=tmp_path / "data", context_dir=tmp_path)
    before = store.version("astana_districts")
    assert before.startswith("astana_districts_2024.geojson:")
    written = write_atomically(boundaries, tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p, _ in targets(tmp_path).values())
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["astana_districts_2024.geojson", *(p.name for p in written)]
    )  # no temporary file left behind
    assert store.version("astana_districts").startswith("astana_districts.gpkg:")
    for layer_id in ("astana_districts", "almaty_districts", "city_outlines", "esil_river"):
        spec = layer_by_id(layer_id)
        frame = check_layer(spec, store.read_layer(layer_id), what=layer_id)
        assert len(frame) > 0
        assert set(frame["source"]) == {SOURCE}
        assert set(frame["fetched"]) == {FETCHED}
    districts = check_layer(
        layer_by_id("almaty_districts"), store.read_layer("almaty_districts"), what="almaty"
    )
    assert list(districts["district"]) == list(KNOWN_DISTRICTS["almaty"])


def test_a_failed_write_replaces_nothing(boundaries, tmp_path):
    write_atomically(boundaries, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    river = boundaries.river
    # The last file to write cannot be written (two columns of one name): the three written
    # before it stay temporary files and are removed; nothing is replaced.
    twice = pd.concat([river.drop(columns="geometry")] * 2, axis=1)
    unwritable = gpd.GeoDataFrame(twice, geometry=river.geometry, crs=river.crs)
    newer = {c: f.assign(fetched="2030-01-01") for c, f in boundaries.districts.items()}
    broken = Boundaries(districts=newer, outlines=boundaries.outlines, river=unwritable)
    assert list(targets(tmp_path))[-1] == "esil_river"
    with pytest.raises(ValueError, match="duplicated column names"):
        write_atomically(broken, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_offline_it_says_so_and_changes_nothing(tmp_path, caplog):
    (tmp_path / "astana_districts.gpkg").write_bytes(b"old contents")
    code = main(["--out-dir", str(tmp_path), "--overpass-url", "http://127.0.0.1:9/api"])
    assert code == 1
    assert "OpenStreetMap could not be reached" in caplog.text
    assert "Nothing was written" in caplog.text
    assert sorted(os.listdir(tmp_path)) == ["astana_districts.gpkg"]
    assert (tmp_path / "astana_districts.gpkg").read_bytes() == b"old contents"


def test_population_tags_reach_the_partition_when_no_table_is_present(
    geodata, tmp_path, shared_geodata
):
    # OpenStreetMap tags some districts with `population` (and `population:date`): make data
    # keeps them, and they give the per-100,000 figures when the folder has no population table.
    astana = astana_features(geodata)
    tagged = {"район Сарыарка": ("349923", "2026-07-01"), "район Нура": ("328 785", None)}
    astana["population"] = [tagged.get(n, (None, None))[0] for n in astana["name"]]
    astana["population:date"] = [tagged.get(n, (None, None))[1] for n in astana["name"]]
    assert astana["population"].notna().sum() == len(tagged)
    # A village called like a district carries a tag of its own: it is not a district.
    astana.loc[astana["admin_level"] == "8", "population"] = "1200"
    raw = {"astana": astana, "almaty": almaty_features(geodata)}
    write_atomically(build(raw, river_features(geodata), fetched=FETCHED), tmp_path)
    store = GeoPackageStore(data_dir=tmp_path / "data", context_dir=tmp_path)
    layer = check_layer(
        layer_by_id("astana_districts"), store.read_layer("astana_districts"), what="a"
    )
    population = population_from_layer(layer, "astana")
    assert population is not None
    by_id = population.set_index("district")
    assert by_id["population"].to_dict() == {"Saryarka": 349923, "Nura": 328785}
    assert by_id.loc["Saryarka", "reference_date"] == "2026-07-01"
    assert by_id.loc["Nura", "reference_date"] == f"fetched {FETCHED}"  # no date tag
    assert set(by_id["source"]) == {"OpenStreetMap, tag population"}
    partition = build_partition(layer, population, city="astana")
    frame = partition.frame.set_index("district")
    assert frame.loc["Saryarka", "population"] == 349923
    assert np.isnan(frame.loc["Yesil", "population"])  # untagged: unknown, never zero
    untagged = {d for i in partition.issues if i.kind == "no_population" for d in i.districts}
    assert untagged == {"Yesil", "Almaty", "Baikonur", "Saraishyk"}


def test_a_layer_without_population_tags_gives_no_table(geodata):
    frame = districts_from_features(astana_features(geodata), "astana", fetched=FETCHED)
    assert population_from_layer(frame, "astana") is None
    frame["population"] = ["many", "-5", "12.5", None, "", "n/a"]
    assert population_from_layer(frame, "astana") is None
