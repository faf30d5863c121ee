"""Hostile data files for the tests: GDAL VRTs named like the app's files, and a server to catch.

``write_local_vrt`` writes a VRT that makes GDAL read a local CSV holding ``SECRET``;
``write_remote_vrt`` one that makes it fetch a CSV from a local HTTP server, which records
every request it receives (``RecordingServer``). A safe app shows neither the secret nor the
remote text, and the server records nothing.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SECRET = "TOP-SECRET-7d41"
REMOTE_SECRET = "REMOTE-SECRET-93ab"

_CSV_ROWS = (
    "id,name_kk,name_ru,name_en,city,kind,status,WKT\n"
    "secret_row,{s},{s},{s},astana,studio,existing,POINT (71.43 51.13)\n"
)


def write_secret_csv(folder: Path) -> Path:
    """Write ``secret.csv`` (one row whose names are ``SECRET``) into ``folder``."""
    path = folder / "secret.csv"
    path.write_text(_CSV_ROWS.format(s=SECRET), encoding="utf-8")
    return path


def _vrt(layer: str, source: str) -> str:
    src_layer = source.rsplit("/", 1)[-1].removesuffix(".csv")  # GDAL's CSV layer name
    return (
        "<OGRVRTDataSource>"
        f'<OGRVRTLayer name="{layer}">'
        f"<SrcDataSource>{source}</SrcDataSource>"
        f"<SrcLayer>{src_layer}</SrcLayer>"
        "<GeometryType>wkbPoint</GeometryType>"
        "<LayerSRS>EPSG:4326</LayerSRS>"
        '<GeometryField encoding="WKT" field="WKT"/>'
        "</OGRVRTLayer>"
        "</OGRVRTDataSource>"
    )


def write_local_vrt(path: Path, *, layer: str = "places") -> Path:
    """Write a VRT at ``path`` whose layer ``layer`` is a local CSV holding ``SECRET``."""
    csv = write_secret_csv(path.parent)
    path.write_text(_vrt(layer, str(csv)), encoding="utf-8")
    return path


def write_remote_vrt(path: Path, url: str, *, layer: str = "places") -> Path:
    """Write a VRT at ``path`` whose layer ``layer`` is fetched from ``url`` by /vsicurl/."""
    path.write_text(_vrt(layer, f"/vsicurl/{url}"), encoding="utf-8")
    return path


class RecordingServer:
    """A local HTTP server on 127.0.0.1 that records every request and answers with a CSV."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        recorded = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                recorded.append(f"{self.command} {self.path}")
                body = _CSV_ROWS.format(s=REMOTE_SECRET).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command == "GET":
                    self.wfile.write(body)

            do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, name: str = "places.csv") -> str:
        """Return the address of a file on this server."""
        return f"http://127.0.0.1:{self.port}/{name}"

    @contextmanager
    def running(self) -> Iterator[RecordingServer]:
        """Serve in a thread until the block ends."""
        self._thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
