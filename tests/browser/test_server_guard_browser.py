"""The real server: foreign host names are refused (DNS rebinding), and its document folder.

Each test starts ``streamlit run serve.py`` (or ``dashboard.py``) with the one harness,
``bench/server.py``, and speaks HTTP and the websocket to it directly, so it controls the
``Host`` and ``Origin`` headers a browser under DNS rebinding would send.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import stat
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from bench.server import APP, DASHBOARD, StreamlitServer, start_streamlit
from layers.doc_folder import FOLDER_PREFIX
from settings import ALLOWED_HOSTS_VAR, CONTEXT_DIR_VAR, DATA_DIR_VAR, GEOCODER_VAR
from tests.browser.conftest import ARTIFACTS
from tests.browser.map_page import map_frame

SERVE = APP
EVIL = "evil.example"


@pytest.fixture(scope="module")
def servers(catalogue_dir):
    """Return a starter of servers on the test catalogue, all stopped by PID at the end."""
    started: list[StreamlitServer] = []

    def start(script: Path, **env: str) -> StreamlitServer:
        base = {DATA_DIR_VAR: str(catalogue_dir), GEOCODER_VAR: "off"}
        log = ARTIFACTS / f"guard-{len(started)}-{os.getpid()}.log"
        server = start_streamlit(script, env={**base, **env}, log_path=log)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def guarded(servers, tmp_path_factory) -> StreamlitServer:
    """``streamlit run serve.py`` with the default allowed hosts."""
    return servers(SERVE, **{CONTEXT_DIR_VAR: str(tmp_path_factory.mktemp("no_context"))})


def _get(server: StreamlitServer, host: str, origin: str | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Host": f"{host}:{server.port}"}
    if origin is not None:
        headers["Origin"] = origin
    try:
        conn.request("GET", "/", headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


def _websocket(server: StreamlitServer, host: str, origin: str | None) -> int:
    """Open Streamlit's websocket as a browser at ``origin`` that resolved ``host`` to us.

    Returns 101 when the server accepted the upgrade, else the HTTP status it answered.
    """
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    uri = f"ws://{host}:{server.port}/_stcore/stream"
    try:
        with connect(uri, sock=sock, origin=origin, subprotocols=["streamlit"], open_timeout=30):
            return 101
    except InvalidStatus as err:
        return err.response.status_code


def _origin(server: StreamlitServer, host: str) -> str:
    return f"http://{host}:{server.port}"


def test_a_foreign_host_is_refused_for_requests_and_the_websocket(guarded):
    assert _get(guarded, EVIL) == 403
    assert _websocket(guarded, EVIL, _origin(guarded, EVIL)) == 403


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_this_machine_s_names_work(guarded, host):
    assert _get(guarded, host) == 200
    assert _websocket(guarded, host, _origin(guarded, host)) == 101


def test_a_foreign_origin_on_a_good_host_is_refused(guarded):
    assert _websocket(guarded, "127.0.0.1", _origin(guarded, EVIL)) == 403
    assert _websocket(guarded, "127.0.0.1", "null") == 403
    assert _websocket(guarded, "127.0.0.1", None) == 403  # browsers always send Origin
    assert _get(guarded, "127.0.0.1", origin=_origin(guarded, EVIL)) == 403


def test_the_page_works_through_the_guard(guarded, page):
    page.goto(f"{guarded.url}/?lang=en")
    map_frame(page)  # the map, its layer documents and the websocket all went through


def test_the_operator_can_allow_more_hosts(servers, tmp_path_factory):
    context = str(tmp_path_factory.mktemp("no_context"))
    server = servers(SERVE, **{CONTEXT_DIR_VAR: context, ALLOWED_HOSTS_VAR: "Forum.Example, "})
    assert _get(server, "forum.example") == 200
    assert _websocket(server, "forum.example", _origin(server, "forum.example")) == 101
    assert _websocket(server, EVIL, _origin(server, EVIL)) == 403


def test_run_directly_the_dashboard_s_websocket_still_refuses_a_foreign_host(servers, tmp_path):
    server = servers(DASHBOARD, **{CONTEXT_DIR_VAR: str(tmp_path)})
    assert _websocket(server, EVIL, _origin(server, EVIL)) == 403  # .streamlit/config.toml
    assert _websocket(server, "127.0.0.1", _origin(server, "127.0.0.1")) == 101


def _folders(tmp: Path, pid: int) -> list[Path]:
    return sorted(tmp.glob(f"{FOLDER_PREFIX}{pid}-*"))


def test_a_killed_server_s_documents_are_removed_by_the_next_one(servers, tmp_path, make_page):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {CONTEXT_DIR_VAR: str(tmp_path), "TMPDIR": str(tmp)}
    first = servers(SERVE, **env)
    map_frame(_page_of(make_page, first))
    (folder,) = _folders(tmp, first.proc.pid)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    documents = list(folder.glob("*.json"))
    assert documents
    assert {stat.S_IMODE(p.stat().st_mode) for p in documents} == {0o600}
    os.kill(first.proc.pid, signal.SIGKILL)  # no atexit clean-up runs
    first.proc.wait(timeout=30)
    assert folder.is_dir()
    second = servers(SERVE, **env)
    assert not folder.exists()  # removed at start-up, before anyone opens the page
    map_frame(_page_of(make_page, second))
    assert len(_folders(tmp, second.proc.pid)) == 1


def _page_of(make_page, server: StreamlitServer):
    page = make_page()
    page.goto(f"{server.url}/?lang=en")
    return page
