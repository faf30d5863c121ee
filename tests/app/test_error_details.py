"""An uncaught error shows the user a generic notice: no message, no type, no traceback, no path.

The operator still gets the whole traceback in the server's log.
"""

from __future__ import annotations

import logging

from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from tests.app.test_dashboard import SCRIPT, _page_text
from tests.conftest import ROOT

SERVER_PATH = str(ROOT / "ui" / "cache.py")


def _boom(*_args, **_kwargs):
    msg = f"the server's secret path {SERVER_PATH} in a message"
    raise RuntimeError(msg)


def test_the_config_hides_error_details_and_logs_plain_tracebacks():
    assert st_config.get_option("client.showErrorDetails") == "none"
    assert st_config.get_option("logger.enableRich") is False


def test_an_uncaught_error_shows_no_traceback_or_path_and_is_logged(monkeypatch, caplog):
    monkeypatch.setattr("ui.cache.load_data", _boom)
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    at.query_params["lang"] = "en"
    with caplog.at_level(logging.ERROR):
        # Streamlit's own loggers do not propagate; listen to the one that logs the error.
        logger = logging.getLogger("streamlit.error_util")
        monkeypatch.setattr(logger, "propagate", True)
        at.run()
    (shown,) = at.exception
    assert "This app has encountered an error" in shown.value
    assert not shown.stack_trace
    page = _page_text(at)
    for leak in (SERVER_PATH, str(ROOT), "RuntimeError", "Traceback", "secret path", ".py"):
        assert leak not in page, leak
    records = [r for r in caplog.records if r.getMessage() == "Uncaught app execution"]
    assert records
    record = records[0]
    assert record.exc_info is not None
    assert "secret path" in str(record.exc_info[1])
    assert "_boom" in logging.Formatter().formatException(record.exc_info)  # the traceback
