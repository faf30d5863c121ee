"""The one Streamlit server harness: the browser tests and bench/ both start apps with it.

A server runs ``streamlit run <script>`` headless on 127.0.0.1 on a free port, with the
environment it is given, logs to a file, is ready when ``/_stcore/health`` answers, and is
stopped by its PID. The app (``serve.py``: the dashboard behind its host-name guard) is
started as ``make run`` starts it, through ``python -m ui.launch`` (which prepares the data
before the server listens); any other script (``dashboard.py`` alone, the benchmark's naive
baseline) through ``streamlit run``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
APP = ROOT / "serve.py"  # what `make run` serves
HOST = "127.0.0.1"
# Debian's Chromium, as the tests and the benchmark drive it (Playwright never downloads one).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
POLL_S = 0.2


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


def cpu_seconds(pid: int) -> float:
    """Return the CPU time a process has used so far (user + system), in seconds.

    Parameters
    ----------
    pid
        A running process on this machine (Linux: read from ``/proc/<pid>/stat``).

    Returns
    -------
    float
        Seconds of CPU.

    Raises
    ------
    OSError
        If the process is gone.
    """
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()  # after the command's name
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _is_healthy(url: str) -> bool:
    # An empty ProxyHandler: never send a request for 127.0.0.1 through a proxy.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)  # noqa: PLR2004 - HTTP OK
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class StreamlitServer:
    """A running ``streamlit run``; ``stop()`` ends it by its PID.

    Attributes
    ----------
    url
        ``http://127.0.0.1:<port>``.
    port
        The TCP port it listens on.
    log_path
        The file that receives its stdout and stderr.
    proc
        The server's process.
    startup_s
        Seconds from starting the process to its first healthy answer (``nan`` until then).
    """

    url: str
    port: int
    log_path: Path
    proc: subprocess.Popen[bytes]
    _log: IO[bytes] = field(repr=False)
    _started: float = field(default_factory=time.monotonic, repr=False)
    startup_s: float = float("nan")

    def wait_ready(self, timeout_s: float = READY_TIMEOUT_S) -> None:
        """Poll the health endpoint until the server answers.

        Parameters
        ----------
        timeout_s
            Seconds to wait before giving up.

        Raises
        ------
        RuntimeError
            If the server exits before it is ready.
        TimeoutError
            If it is not ready within ``timeout_s``.
        """
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                msg = f"streamlit exited with code {self.proc.returncode}; see {self.log_path}"
                raise RuntimeError(msg)
            if _is_healthy(self.url):
                self.startup_s = time.monotonic() - self._started
                return
            time.sleep(POLL_S)  # polling a subprocess, not a page
        msg = (
            f"streamlit was not healthy at {self.url} after {timeout_s:.0f} s; see {self.log_path}"
        )
        raise TimeoutError(msg)

    def stop(self) -> None:
        """Terminate the server (kill it if it does not exit) and close its log."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=STOP_TIMEOUT_S)
        self._log.close()


def start_streamlit(
    script: Path = APP,
    *,
    env: Mapping[str, str],
    log_path: Path,
    ready_timeout_s: float = READY_TIMEOUT_S,
) -> StreamlitServer:
    """Start ``streamlit run script`` and return it once it is ready.

    Parameters
    ----------
    script
        The Streamlit script, run with the project root as working directory.
    env
        Variables added to this process's environment (for example
        ``CREATIVE_MAP_DATA_DIR``); see ``settings.py``.
    log_path
        File that receives the server's stdout and stderr (its folder is created).
    ready_timeout_s
        Seconds to wait for the health endpoint.

    Returns
    -------
    StreamlitServer
        The ready server; the caller stops it.

    Raises
    ------
    RuntimeError
        If the server exits before it is ready.
    TimeoutError
        If it is not ready within ``ready_timeout_s``.
    """
    port = free_port()
    launcher = ["ui.launch"] if script == APP else ["streamlit", "run", str(script)]
    cmd = [
        sys.executable,
        "-m",
        *launcher,
        "--server.headless",
        "true",
        "--server.address",
        HOST,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    started = time.monotonic()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )
    server = StreamlitServer(f"http://{HOST}:{port}", port, log_path, proc, log, started)
    try:
        server.wait_ready(ready_timeout_s)
    except BaseException:
        server.stop()
        raise
    return server


@contextmanager
def streamlit_server(
    script: Path = APP, *, env: Mapping[str, str], log_path: Path
) -> Iterator[StreamlitServer]:
    """Run ``streamlit run script`` until the block ends; yield the ready server.

    Parameters are those of ``start_streamlit``.

    Yields
    ------
    StreamlitServer
        The server; ``.url`` is ``http://127.0.0.1:<port>``.
    """
    server = start_streamlit(script, env=env, log_path=log_path)
    try:
        yield server
    finally:
        server.stop()
