"""The host-name guard's parsing and the allowed-hosts setting."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from settings import ALLOWED_HOSTS_VAR, load_settings
from ui.host_guard import HostGuard, host_name, origin_host


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("127.0.0.1:8501", "127.0.0.1"),
        ("LOCALHOST.:8501", "localhost"),
        ("localhost", "localhost"),
        ("[::1]:8501", "::1"),
        ("127.0.0.1.evil.example", "127.0.0.1.evil.example"),
        ("evil.example@127.0.0.1", None),
        ("127.0.0.1/evil", None),
        ("127.0.0.1:99999", None),
        ("127.0.0.1:abc", None),
        ("", None),
    ],
)
def test_host_name(header, expected):
    assert host_name(header) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("http://127.0.0.1:8501", "127.0.0.1"),
        ("https://Forum.Example", "forum.example"),
        ("null", None),
        ("file://", None),
        ("chrome-extension://abc", None),
        ("http://127.0.0.1:8501/path", None),
        ("http://[::1", None),
    ],
)
def test_origin_host(header, expected):
    assert origin_host(header) == expected


def test_allowed_hosts_default_to_this_machine_and_take_extra_names():
    assert load_settings({}).allowed_hosts == ("127.0.0.1", "localhost")
    extra = load_settings({ALLOWED_HOSTS_VAR: " Forum.Example., 10.0.0.5,,*,localhost"})
    assert extra.allowed_hosts == ("127.0.0.1", "localhost", "forum.example", "10.0.0.5")


def _call(guard: HostGuard, kind: str, headers: dict[str, str]) -> list[dict]:
    sent: list[dict] = []
    passed: list[bool] = []

    async def app(scope, receive, send):
        passed.append(True)

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": f"{kind}.connect" if kind == "websocket" else "http.request"}

    guard.app = app
    scope = {
        "type": kind,
        "path": "/",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }
    # A loop of its own thread: a browser test earlier in the session may leave one running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, guard(scope, receive, send)).result()
    return [{"type": "passed"}] if passed else sent


def test_the_guard_passes_good_hosts_and_answers_others_403():
    guard = HostGuard(None, allowed_hosts=("127.0.0.1", "localhost"))  # type: ignore[arg-type]
    assert _call(guard, "http", {"host": "localhost:8501"}) == [{"type": "passed"}]
    refused = _call(guard, "http", {"host": "evil.example:8501"})
    assert refused[0]["status"] == 403
    ws = {"host": "127.0.0.1:1", "origin": "http://127.0.0.1:1"}
    assert _call(guard, "websocket", ws) == [{"type": "passed"}]
    assert _call(guard, "websocket", {**ws, "origin": "http://evil.example"})[0]["code"] == 1008
    assert _call(guard, "websocket", {"host": "127.0.0.1:1"})[0]["type"] == "websocket.close"
    assert _call(guard, "http", {})[0]["status"] == 403
