"""A guard in front of the whole server: answer only the host names the operator allows.

DNS rebinding points a name the attacker owns (``evil.example``) at this server: the browser
then sends ``Host: evil.example`` and ``Origin: http://evil.example``, the two match, and
Streamlit's same-origin check lets the page drive a user's session. Streamlit can check a
websocket's ``Host`` (``server.allowedHosts``) but not a plain request's, so this ASGI
middleware checks both, for every request and websocket, before Streamlit sees them:

- the ``Host`` header's name must be one of the allowed hosts (the port is not checked: the
  server listens on one);
- an ``Origin`` header, when there is one, must name an allowed host; a websocket must have
  one (browsers always send it).

Anything else is refused with 403 and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REFUSED = b"This server does not answer to that host name.\n"
MAX_LOGGED_CHARS = 80


def host_name(value: str) -> str | None:
    """Return the lower-case host name of a ``Host`` header (``name[:port]``), or ``None``.

    Parameters
    ----------
    value
        The header's value.

    Returns
    -------
    str or None
        The name without port or trailing dot; ``None`` if the value is not a plain host.
    """
    try:
        parts = urlsplit(f"//{value}")
        _ = parts.port  # a port that is not a number in range raises
    except ValueError:
        return None
    if parts.username or parts.password or parts.path or parts.query or parts.fragment:
        return None
    return parts.hostname.rstrip(".") if parts.hostname else None


def origin_host(value: str) -> str | None:
    """Return the lower-case host name of an ``Origin`` header, or ``None`` (``null``, junk).

    Parameters
    ----------
    value
        The header's value, ``scheme://host[:port]``.

    Returns
    -------
    str or None
        The name without port or trailing dot.
    """
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.path not in ("", "/"):
        return None
    return parts.hostname.rstrip(".") if parts.hostname else None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class HostGuard:
    """ASGI middleware that refuses requests and websockets for hosts not allowed.

    Parameters
    ----------
    app
        The application behind it.
    allowed_hosts
        Host names (lower case, no port), from ``settings.Settings.allowed_hosts``.
    """

    def __init__(self, app: ASGIApp, *, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.allowed_hosts = frozenset(h.lower().rstrip(".") for h in allowed_hosts)

    def why_refused(self, scope: Scope) -> str | None:
        """Return why a request or websocket is refused, or ``None`` if it may pass.

        Parameters
        ----------
        scope
            The ASGI scope of an ``http`` or ``websocket`` connection.

        Returns
        -------
        str or None
            A short reason for the log.
        """
        host = _header(scope, b"host")
        if host is None or host_name(host) not in self.allowed_hosts:
            return f"Host {host!r:.{MAX_LOGGED_CHARS}}"
        origin = _header(scope, b"origin")
        if origin is None:
            return "a websocket without Origin" if scope["type"] == "websocket" else None
        if origin_host(origin) not in self.allowed_hosts:
            return f"Origin {origin!r:.{MAX_LOGGED_CHARS}}"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass an allowed connection on; answer any other with 403."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        why = self.why_refused(scope)
        if why is None:
            await self.app(scope, receive, send)
            return
        log.warning("refused a %s to %s: %s", scope["type"], scope.get("path", "?"), why)
        if scope["type"] == "websocket":
            # Closing before accepting makes the server answer the upgrade with 403.
            await send({"type": "websocket.close", "code": 1008})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(REFUSED)).encode("ascii")),
                ],
            }
        )
        await send({"type": "http.response.body", "body": REFUSED})
