"""Entry point for a server: the dashboard behind a host-name guard (``streamlit run serve.py``).

``streamlit run`` finds the ``app`` below and serves ``dashboard.py`` through it, with
``ui.host_guard.HostGuard`` in front of every request and websocket: only the host names in
``settings.Settings.allowed_hosts`` are answered (127.0.0.1 and localhost, plus
``CREATIVE_MAP_ALLOWED_HOSTS``). Streamlit's own websocket check (``server.allowedHosts``) is
set to the same names, so the two never disagree.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from streamlit import config  # noqa: TID251 - the server's entry point configures Streamlit
from streamlit.starlette import App  # noqa: TID251

from settings import ROOT, load_settings
from ui.host_guard import HostGuard

ALLOWED_HOSTS = load_settings().allowed_hosts
config.set_option("server.allowedHosts", list(ALLOWED_HOSTS))

app = App(
    ROOT / "dashboard.py",
    middleware=[Middleware(HostGuard, allowed_hosts=ALLOWED_HOSTS)],
)
