"""The district layer's notices: overlaps, missing districts and residents, in kk/ru/en."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.districts import build_partition
from ui.widgets.districts import district_notice_texts

CRS = "EPSG:32642"
X0, Y0 = 668_000.0, 5_662_000.0


def _partition(with_population: bool = True, *, missing: tuple[str, ...] = ("Saraishyk",)):
    layer = gpd.GeoDataFrame(
        {"district": ["Yesil", "Nura", "Saryarka", "Their [own](http://x) name"]},
        geometry=[
            box(X0, Y0, X0 + 1000, Y0 + 1000),
            box(X0 + 200, Y0 + 200, X0 + 400, Y0 + 400),  # inside Yesil: 0.04 km2
            box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000),
            box(X0 + 2000, Y0, X0 + 3000, Y0 + 1000),
        ],
        crs=CRS,
    )
    extra = {"Saraishyk": 200_758, "Baikonur": 213_554}
    population = pd.DataFrame(
        {
            "city": "astana",
            "district": ["Yesil", "Nura", *missing],
            "population": [333_348, 328_785, *(extra[m] for m in missing)],
        }
    )
    return build_partition(layer, population if with_population else None, city="astana")


EXPECTED = {
    "en": (
        "Nura district and Yesil district overlap on the district layer (0.04 km²)",
        "Saraishyk district is not on the district layer: its 200,758 residents",
        "No population figure for Saryarka district, Their \\[own\\]\\(http\\:",
        "no rate per 100,000 residents",
        "The places in its area are counted in the district the layer draws there, so that "
        "district's figures per 100,000 residents and its residents within reach are overstated.",
    ),
    "ru": (
        "Район Нура и Есильский район на слое районов перекрываются (0,04 км²)",
        "Район Сарайшык отсутствует на слое районов: 200\xa0758 жителей",
        "Нет численности населения: район Сарыарка, Their \\[own\\]",
        "на 100\xa0000 жителей",
        "Места на его территории учтены в районе, который слой рисует на этом месте, поэтому "
        "показатели этого района на 100\xa0000 жителей и число жителей в пешей доступности "
        "завышены.",
    ),
    "kk": (
        "Аудандар қабатында Нұра ауданы мен Есіл ауданы қабаттасады (0,04 км²)",
        "Сарайшық ауданы аудандар қабатында жоқ: халық кестесіндегі оның 200\xa0758 тұрғыны",
        "Халық саны белгісіз: Сарыарқа ауданы, Their \\[own\\]",
        "100\xa0000 тұрғынға",
        "Оның аумағындағы орындар қабат сол жерде салған ауданға есептеледі, сондықтан сол "
        "ауданның 100\xa0000 тұрғынға шаққандағы көрсеткіштері",
    ),
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_notices_say_what_the_layer_gets_wrong_in_each_language(lang):
    notices = district_notice_texts(_partition(), lang)
    assert [level for level, _ in notices] == ["warning", "warning", "info"]
    text = "\n".join(body for _, body in notices)
    for part in EXPECTED[lang]:
        assert part in text
    assert "districts." not in text  # no key shown for a missing translation


def test_the_total_of_residents_not_placed_shows_with_several_missing_districts():
    partition = _partition(missing=("Saraishyk", "Baikonur"))
    assert partition.missing_population == 200_758 + 213_554
    notices = district_notice_texts(partition, "ru")
    assert notices[-1] == (
        "warning",
        "Всего 414\xa0312 жителей из таблицы населения не показаны на карте.",
    )


def test_a_clean_layer_has_no_notice():
    layer = gpd.GeoDataFrame(
        {"district": ["Yesil"]}, geometry=[box(X0, Y0, X0 + 10, Y0 + 10)], crs=CRS
    )
    population = pd.DataFrame({"city": ["astana"], "district": ["Yesil"], "population": [1]})
    assert district_notice_texts(build_partition(layer, population, city="astana"), "en") == []


def test_unknown_population_is_one_info_notice():
    notices = district_notice_texts(_partition(with_population=False), "en")
    assert [level for level, _ in notices] == ["warning", "info"]
    assert "Yesil district, Nura district, Saryarka district" in notices[1][1]
