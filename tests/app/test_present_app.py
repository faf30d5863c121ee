"""AppTest: presentation mode and the guided tour (mode=present, stop=N, next/prev, QR code)."""

import base64
import re
from datetime import date

import pytest
import segno
from streamlit.testing.v1 import AppTest

from layers.i18n import label, t
from tests.catalogue import PLACES, TARGETS, TOUR, write_catalogue
from tests.conftest import ROOT
from ui.pages.present import qr_data_uri

SCRIPT = str(ROOT / "dashboard.py")
N_STOPS = len(TOUR)


def _run(**params) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _plain(text: str) -> str:
    return text.replace("\\", "")


def _markdown(at: AppTest) -> str:
    return _plain("\n".join(m.value for m in at.markdown))


def _stop_line(at: AppTest, lang: str) -> str:
    head = t("present.stop_of", lang, n=0, total=N_STOPS).split("0")[0]
    (line,) = [_plain(m.value) for m in at.markdown if m.value.startswith(head)]
    return line


def _stop(n: int) -> dict:
    return TOUR.iloc[n - 1].to_dict()


def _place(pid: str) -> dict:
    (row,) = [row.to_dict() for _, row in PLACES.iterrows() if row["id"] == pid]
    return row


def _params(at: AppTest) -> dict[str, str]:
    values = {k: at.query_params[k] for k in at.query_params}
    return {k: v if isinstance(v, str) else v[-1] for k, v in values.items()}


def test_the_tour_table_loads_and_validates_from_the_real_catalogue():
    from sources.catalogue_build import read_targets, read_tour
    from store.gpkg import GeoPackageStore

    store = GeoPackageStore(data_dir=ROOT / "data", context_dir=ROOT / "data")
    from geo.tour import validate_tour

    places = store.read_layer("places")
    tour = validate_tour(
        store.read_table("tour"),
        place_ids=set(places["id"]),
        target_ids=set(read_targets()["id"]),
    )
    order = list(tour["place_id"])
    # The articles' order: EXPO, Sport City, the boulevard, Zhastar, the Arbat, then Depo.
    assert order[:6] == [
        "astana_expo_cluster",
        "astana_sport_city_cluster",
        "astana_water_green_boulevard",
        "astana_zhastar_sarayy",
        "astana_omarov_arbat",
        "almaty_depo",
    ]
    assert set(order[6:]) == {"almaty_depo"}
    assert tour["target_id"].iloc[6:].notna().all()
    assert len(read_tour()) == len(tour)  # the built table is the CSV, whole


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_stop_in_the_url_opens_that_stop(lang):
    at = _run(mode="present", stop="2", lang=lang)
    stop = _stop(2)
    place = _place(stop["place_id"])
    text = _markdown(at)
    assert f"## {place[f'name_{lang}']}" in text
    assert stop[f"caption_{lang}"] in text
    assert _stop_line(at, lang) == t("present.stop_of", lang, n=2, total=N_STOPS)
    assert _params(at)["mode"] == "present"
    assert _params(at)["stop"] == "2"
    # Presentation hides the sidebar's widgets and the page switch.
    assert not [r for r in at.radio if r.key == "city"]


def test_next_and_previous_step_through_the_tour_and_stop_at_the_ends():
    at = _run(mode="present", lang="en")
    assert _stop_line(at, "en") == t("present.stop_of", "en", n=1, total=N_STOPS)
    assert at.button(key="tour_prev").disabled
    for n in range(2, N_STOPS + 1):
        at.button(key="tour_next").click().run()
        assert not at.exception, at.exception
        assert _stop_line(at, "en") == t("present.stop_of", "en", n=n, total=N_STOPS)
        assert _params(at)["stop"] == str(n)
        assert _stop(n)["caption_en"] in _markdown(at)
    assert at.button(key="tour_next").disabled
    at.button(key="tour_prev").click().run()
    assert _stop_line(at, "en") == t("present.stop_of", "en", n=N_STOPS - 1, total=N_STOPS)


def test_a_stop_past_the_end_opens_the_last_and_a_bad_one_the_first():
    at = _run(mode="present", stop="99", lang="en")
    assert _stop_line(at, "en") == t("present.stop_of", "en", n=N_STOPS, total=N_STOPS)
    at = _run(mode="present", stop="two", lang="en")
    assert _stop_line(at, "en") == t("present.stop_of", "en", n=1, total=N_STOPS)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_an_unconfirmed_location_says_what_the_map_shows(lang):
    (n,) = [i + 1 for i, pid in enumerate(TOUR["place_id"]) if pid == "astana_zhastar_sarayy"]
    at = _run(mode="present", stop=str(n), lang=lang)
    bank = label("bank", "right", lang)
    expected = t("present.unconfirmed.bank", lang, area=bank[:1].lower() + bank[1:])
    assert expected in _markdown(at)
    # A placed stop says nothing of the kind.
    at = _run(mode="present", stop="1", lang=lang)
    assert t("present.unconfirmed.bank", lang, area="").split(":")[0] not in _markdown(at)


def test_a_target_stop_shows_the_promise_its_deadline_and_unknown_progress():
    (n,) = [i + 1 for i, tid in enumerate(TOUR["target_id"]) if isinstance(tid, str)]
    at = _run(mode="present", stop=str(n), lang="en")
    target = TARGETS.set_index("id").loc[_stop(n)["target_id"]]
    text = _markdown(at)
    assert f"## {target['what_en']}" in text
    assert t("present.promised", "en", quantity="3", year=2025) in text
    if date.today().year > 2025:
        assert t("present.deadline_passed", "en", year=2025) in text
    assert t("present.progress_unknown", "en") in text


def test_caption_markup_is_shown_as_text():
    (n,) = [i + 1 for i, c in enumerate(TOUR["caption_en"]) if "<b>" in c]
    at = _run(mode="present", stop=str(n), lang="en")
    (line,) = [m.value for m in at.markdown if "Depo" in m.value and "caption" in m.value]
    assert "<b>" not in line.replace("\\<b\\>", "")  # escaped for Markdown
    assert "\\<b\\>" in line or "&lt;b&gt;" in line


def test_language_switch_keeps_the_stop():
    at = _run(mode="present", stop="3", lang="en")
    at.segmented_control(key="lang").set_value("kk").run()
    assert not at.exception, at.exception
    assert _stop_line(at, "kk") == t("present.stop_of", "kk", n=3, total=N_STOPS)
    assert _params(at)["stop"] == "3"
    assert _params(at)["lang"] == "kk"
    assert _stop(3)["caption_kk"] in _markdown(at)


def test_qr_code_encodes_the_current_view_url():
    at = _run(mode="present", stop="4", lang="ru")
    assert not [m for m in at.markdown if "data:image/png" in m.value]  # only on request
    at.button(key="tour_qr_toggle").click().run()
    assert not at.exception, at.exception
    (img,) = [m.value for m in at.markdown if "data:image/png" in m.value]
    (url,) = [x.value for x in at.text if x.value.startswith("http")]
    query = dict(kv.split("=", 1) for kv in url.split("?", 1)[1].split("&"))
    assert query == {**_params(at), "mode": "present", "stop": "4", "lang": "ru"}
    uri = re.search(r'src="(data:image/png;base64,[^"]+)"', img).group(1)
    assert uri == qr_data_uri(url)
    expected = segno.make(url, error="m")
    assert uri == expected.png_data_uri(scale=8, border=4)
    assert base64.b64decode(uri.split(",", 1)[1]).startswith(b"\x89PNG")
    at.button(key="tour_qr_toggle").click().run()
    assert not [m for m in at.markdown if "data:image/png" in m.value]


def test_the_header_button_opens_presentation_and_exit_returns_to_the_map():
    at = _run(lang="en")
    at.button(key="present_open").click().run()
    assert not at.exception, at.exception
    assert _params(at)["mode"] == "present"
    assert _stop_line(at, "en") == t("present.stop_of", "en", n=1, total=N_STOPS)
    at.button(key="present_exit").click().run()
    assert "mode" not in _params(at)
    assert at.radio(key="city").value == "both"


def test_a_catalogue_without_a_tour_says_so(tmp_path, monkeypatch):
    from settings import DATA_DIR_VAR

    path = write_catalogue(tmp_path)
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE tour")
        db.execute("DELETE FROM gpkg_contents WHERE table_name = 'tour'")
    monkeypatch.setenv(DATA_DIR_VAR, str(tmp_path))
    at = _run(mode="present", lang="en")
    assert [i.value for i in at.info] == [t("present.no_tour", "en")]
    at.button(key="present_exit").click().run()
    assert not at.exception
