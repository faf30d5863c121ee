"""Start and stop a headless Streamlit server on 127.0.0.1 for one app and one catalogue."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STREAMLIT = ROOT / ".venv" / "bin" / "streamlit"
HOST = "127.0.0.1"
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
POLL_S = 0.2


@dataclass(frozen=True)
class Server:
    """A running app: its base URL and the process id of its Streamlit server."""

    url: str
    pid: int


def rss_bytes(pid: int) -> tuple[int, int]:
    """Return the resident memory of a process now and at its peak, in bytes.

    Parameters
    ----------
    pid
        A running process on this machine (Linux: read from ``/proc/<pid>/status``).

    Returns
    -------
    tuple of int
        ``(VmRSS, VmHWM)`` in bytes.

    Raises
    ------
    OSError
        If the process is gone or ``/proc`` has no such fields.
    """
    fields: dict[str, int] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) * 1024  # the kernel reports kB
    if len(fields) != 2:  # noqa: PLR2004 - the two fields asked for
        msg = f"/proc/{pid}/status has no VmRSS and VmHWM"
        raise OSError(msg)
    return fields["VmRSS"], fields["VmHWM"]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _is_healthy(port: int) -> bool:
    # An empty ProxyHandler: never send a request for 127.0.0.1 through a proxy.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"http://{HOST}:{port}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _wait_ready(proc: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            msg = f"streamlit exited with code {proc.returncode}; see {log_path}"
            raise RuntimeError(msg)
        if _is_healthy(port):
            return
        time.sleep(POLL_S)
    msg = f"streamlit was not healthy on port {port} after {READY_TIMEOUT_S:.0f} s; see {log_path}"
    raise TimeoutError(msg)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT_S)


@contextmanager
def streamlit_server(
    script: Path, *, data_dir: Path, context_dir: Path, log_path: Path
) -> Iterator[Server]:
    """Run ``streamlit run script`` until the block ends; yield its URL and process id.

    Parameters
    ----------
    script
        The Streamlit script, run with the project root as working directory.
    data_dir
        Folder holding ``catalogue.gpkg`` (passed as ``CREATIVE_MAP_DATA_DIR``).
    context_dir
        Folder of context layers (passed as ``CREATIVE_MAP_CONTEXT_DIR``; empty for none).
    log_path
        File that receives the server's stdout and stderr.

    Yields
    ------
    Server
        ``http://127.0.0.1:<port>`` and the server's pid (the ``streamlit`` process itself:
        the console script execs no child).

    Raises
    ------
    RuntimeError
        If the server exits before it is ready.
    TimeoutError
        If it is not ready within ``READY_TIMEOUT_S``.
    """
    port = free_port()
    env = {
        **os.environ,
        "CREATIVE_MAP_DATA_DIR": str(data_dir),
        "CREATIVE_MAP_CONTEXT_DIR": str(context_dir),
    }
    cmd = [
        str(STREAMLIT),
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.address",
        HOST,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(proc, port, log_path)
            yield Server(f"http://{HOST}:{port}", proc.pid)
        finally:
            _stop(proc)
