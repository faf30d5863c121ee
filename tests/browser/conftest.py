"""Browser-test fixtures: a real `streamlit run` per module, Debian's Chromium, no internet."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bench.server import APP, CHROMIUM, CHROMIUM_ARGS, StreamlitServer, start_streamlit
from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.conftest import SHARED_GEODATA

ARTIFACTS = Path(__file__).parent / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def start_app() -> Iterator[Callable[..., StreamlitServer]]:
    """Return a starter of app servers (`python -m ui.launch`, as `make run`; env as
    keywords), all stopped by PID at the end of the session."""
    servers: list[StreamlitServer] = []

    def start(**env: str) -> StreamlitServer:
        server = start_streamlit(
            APP, env=env, log_path=ARTIFACTS / f"streamlit-{len(servers)}-{os.getpid()}.log"
        )
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def context_dir(tmp_path_factory) -> str:
    """Real context layers when ../shared/geodata is present, else an empty folder."""
    if SHARED_GEODATA.is_dir():
        return str(SHARED_GEODATA)
    return str(tmp_path_factory.mktemp("no_context"))


@pytest.fixture(scope="module")
def app(start_app, catalogue_dir, context_dir) -> StreamlitServer:
    """The app on the test catalogue (tests/catalogue.py) with the context layers if present."""
    return start_app(**{DATA_DIR_VAR: str(catalogue_dir), CONTEXT_DIR_VAR: context_dir})


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Offline:
    """Every request that is not to this machine is aborted and remembered."""

    def __init__(self):
        self.external: list[tuple[str, str]] = []
        self.local: list[tuple[str, str]] = []

    def handle(self, route):
        request = route.request
        host = urlparse(request.url).hostname or ""
        if request.url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            self.local.append((request.resource_type, request.url))
            route.continue_()
        else:
            self.external.append((request.resource_type, request.url))
            route.abort("internetdisconnected")


@pytest.fixture
def offline() -> Offline:
    return Offline()


@pytest.fixture
def make_page(browser, offline, request):
    """Return a factory of pages in new browser contexts (viewport, geolocation, ...), offline."""
    contexts = []

    def make(**options):
        context = browser.new_context(**{"viewport": {"width": 1400, "height": 1000}, **options})
        context.route("**/*", offline.handle)
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        return page

    yield make
    failed = getattr(request.node, "rep_call", None)
    for i, context in enumerate(contexts):
        if failed is not None and failed.failed and context.pages:
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / f"FAILED-{request.node.name}-{i}.png"
            context.pages[0].screenshot(path=str(shot), full_page=True)
        context.close()


@pytest.fixture
def page(make_page):
    return make_page()
