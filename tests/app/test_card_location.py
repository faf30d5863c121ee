"""AppTest: the card's location line names its label once and reads cleanly in each language."""

from __future__ import annotations

import pytest

from layers.i18n import t
from tests.app.test_dashboard import _run
from tests.catalogue import PLACES

# (place id, how exact its location is): exact, approximate, not confirmed.
CASES = [
    ("astana_baiterek", "exact"),
    ("astana_water_green_boulevard", "approx"),
    ("astana_zhastar_sarayy", "unknown"),
]
EXPECTED = {
    ("en", "exact"): "**Location:** accurate to ±20 m. Test position.",
    ("en", "approx"): "**Location:** approximate, within about 150 m. Test position.",
    (
        "en",
        "unknown",
    ): "**Location:** not confirmed, not drawn on the map. Position unknown (test).",
    ("ru", "exact"): "**Местоположение:** с точностью ±20 м. Тестовое положение.",
    ("ru", "approx"): "**Местоположение:** примерное, в пределах 150 м. Тестовое положение.",
    ("ru", "unknown"): (
        "**Местоположение:** не подтверждено, на карте не показано. Положение неизвестно (тест)."
    ),
    ("kk", "exact"): "**Орны:** ±20 м дәлдікпен. Сынақ нүктесі.",
    ("kk", "approx"): "**Орны:** шамамен, 150 м шегінде. Сынақ нүктесі.",
    (
        "kk",
        "unknown",
    ): "**Орны:** расталмаған, картада көрсетілмейді. Тұрған жері белгісіз (сынақ).",
}


def _location_line(at, lang: str) -> str:
    head = f"**{t('ui.location', lang)}:**"
    lines = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith(head)]
    assert len(lines) == 1, lines  # exactly one location line on the card
    return lines[0]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize(("pid", "how"), CASES)
def test_the_location_line_names_its_label_once(lang, pid, how):
    assert pid in set(PLACES["id"])
    at = _run(lang=lang, place=pid)
    line = _location_line(at, lang)
    assert line == EXPECTED[(lang, how)]
    label = t("ui.location", lang).lower()
    assert line.lower().count(label) == 1, line  # "Location: Location not confirmed" no more
    assert ".." not in line
