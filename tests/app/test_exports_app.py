"""The export panel in AppTest: its buttons in each language, files built only on a click."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from layers.i18n import t
from tests.conftest import ROOT

SCRIPT = str(ROOT / "dashboard.py")
BUTTON_KEYS = ("export_html", "export_png", "export_geojson", "export_gpkg", "export_csv")


def _download_buttons(at: AppTest) -> dict[str, object]:
    """Return the download buttons on the page by their label (their protobufs)."""

    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    out = {}
    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and type(proto).__name__ == "DownloadButton":
            out[proto.label] = proto
    return out


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_export_buttons_in_each_language_build_nothing_until_clicked(lang):
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    at.query_params["lang"] = lang
    at.query_params["city"] = "astana"
    at.run()
    assert not at.exception, at.exception
    buttons = _download_buttons(at)
    for key in ("export.html", "export.png", "export.geojson", "export.gpkg", "export.csv"):
        assert t(key, lang) in buttons, (key, sorted(buttons))
    for proto in buttons.values():
        # Deferred: the page holds no file, only a callback the server runs on a click.
        assert proto.deferred_file_id
        assert not proto.url
    assert at.toggle(key="export_in_view").value is True
    assert at.selectbox(key="export_png_size").value == (1920, 1080)


def test_export_panel_says_when_nothing_matches():
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["city"] = "almaty"
    at.query_params["kind"] = "it_hub"
    at.run()
    assert not at.exception, at.exception
    if t("ui.no_place_layer", "en") in " ".join(m.value for m in at.markdown):
        pytest.fail("the test catalogue should show its place layer")
    captions = " ".join(c.value for c in at.caption)
    assert t("export.nothing", "en") in captions
    assert _download_buttons(at) == {}
