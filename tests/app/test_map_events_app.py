"""The map's own defaults (no bounds before it has drawn) are not mistaken for forged values."""

import logging

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

SCRIPT = str(ROOT / "dashboard.py")


def test_a_run_logs_no_ignored_map_value(caplog):
    caplog.set_level(logging.WARNING, logger="ui.map_events")
    for page in ("map", "near"):
        at = AppTest.from_file(SCRIPT, default_timeout=60)
        at.query_params["lang"] = "en"
        at.run()
        if page == "near":
            at.segmented_control(key="mode").set_value("near").run()
        assert not at.exception, at.exception
        at.multiselect(key="status").set_value([at.multiselect(key="status").options[0]]).run()
        assert not at.exception, at.exception
    assert [r.getMessage() for r in caplog.records if r.name == "ui.map_events"] == []
