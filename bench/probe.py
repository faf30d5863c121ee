"""Browser side: open the page, change the Status filter, and time until the map shows it.

Both apps draw into streamlit-folium's iframe, where ``window.map`` is the Leaflet map. The
map counts as drawn when the number of places on it equals the number expected and the frame
has painted once more (two animation frames). Timings are wall-clock seconds from the Python
side, polled every ``POLL_MS``, so their resolution is about 20 ms.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Frame, Page, Request, WebSocket
from playwright.sync_api import Error as PlaywrightError

from bench.server import CHROMIUM, CHROMIUM_ARGS

VIEWPORT = {"width": 1400, "height": 1000}
PAGE_QUERY = "/?lang=en&city=both"
MAP_FRAME_URL_PART = "streamlit_folium"
# ui/assets.py serves layer documents under .../ui.assets.layer_data/<name>.json
LAYER_DOCUMENT_URL_PART = ".layer_data/"
FILTER_WIDGET = ".st-key-status"
FILTER_LABEL = "Existing"
POLL_MS = 15
IDLE_STABLE_S = 0.5

# Our places are GeoJSON features on a canvas (no DOM nodes); each is a layer with a feature.
FEATURE_COUNT_JS = """() => {
  // Our map publishes how many places it shows after every update (see layers/render.py);
  // reading it keeps the probe from walking 10,000 layers in the map's own thread.
  if (!window.map) { return -1; }
  const shown = window.map.getContainer().getAttribute('data-shown-places');
  return shown === null ? -1 : Number(shown);
}"""
# The baseline's markers live inside the MarkerClusterGroup, not directly on the map.
CLUSTER_COUNT_JS = """() => {
  if (!window.map) { return -1; }
  let n = -2;
  window.map.eachLayer(l => {
    if (typeof l.getLayers === "function" && l._featureGroup) { n = l.getLayers().length; }
  });
  return n;
}"""
NEXT_PAINT_JS = """() => new Promise(resolve =>
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))"""
SCRIPT_STATE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app ? app.getAttribute("data-test-script-state") : null;
}"""
MARK_JS = "() => { window.__benchMark = true; }"
IS_MARKED_JS = "() => window.__benchMark === true"
IDLE_STATES = frozenset({"notRunning", None})


@dataclass(frozen=True)
class Scenario:
    """One app on one catalogue: where it runs and what its map should show.

    ``count_js`` is ``FEATURE_COUNT_JS`` or ``CLUSTER_COUNT_JS``; ``n_places`` and
    ``n_filtered`` are the places on the map before and after the filter change;
    ``timeout_s`` limits each step.
    """

    base_url: str
    count_js: str
    n_places: int
    n_filtered: int
    timeout_s: float


@dataclass
class Repetition:
    """One session: a page load, a filter change to ``FILTER_LABEL`` and clearing it again.

    Sizes are bytes the browser received from the page load until the app went idle (see
    ``Traffic``): ``page_bytes`` = ``http_bytes`` (every HTTP response body as transferred, in
    every frame: Streamlit's own scripts, the map frame, Leaflet, layer documents) +
    ``ws_bytes`` (Streamlit's WebSocket messages, which carry the folium map's HTML);
    ``layer_bytes`` is the part of ``http_bytes`` that is our layer documents and ``requests``
    the number of HTTP requests. ``select_bytes`` is what the filter change to
    ``FILTER_LABEL`` brought (HTTP and WebSocket).

    Times are seconds, ``None`` where the step timed out or was not reached. ``*_idle_s`` is
    until Streamlit had stopped running the script (for example the rerun the map triggers
    when it first reports its bounds). ``*_same_map`` says whether the map's document
    survived the change (``False``: the iframe was rebuilt).
    """

    rep: int
    cold: bool
    load_s: float | None = None
    load_idle_s: float | None = None
    select_s: float | None = None
    select_idle_s: float | None = None
    select_same_map: bool | None = None
    clear_s: float | None = None
    clear_idle_s: float | None = None
    clear_same_map: bool | None = None
    page_bytes: int | None = None
    http_bytes: int | None = None
    layer_bytes: int | None = None
    ws_bytes: int | None = None
    requests: int | None = None
    select_bytes: int | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-ready dict."""
        return asdict(self)


class Traffic:
    """Counts the bytes a page receives: HTTP response bodies and WebSocket frames."""

    def __init__(self, page: Page) -> None:
        self._requests: list[Request] = []
        self.ws_bytes = 0
        page.on("requestfinished", self._on_request)
        page.on("websocket", self._on_websocket)

    def _on_request(self, request: Request) -> None:
        self._requests.append(request)

    def _on_websocket(self, websocket: WebSocket) -> None:
        websocket.on("framereceived", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        self.ws_bytes += len(payload.encode("utf-8") if isinstance(payload, str) else payload)

    def http(self) -> tuple[int, int, int]:
        """Return (response body bytes, of which layer documents, requests) finished so far.

        Sizes are as transferred (``Request.sizes()["responseBodySize"]``: compressed when the
        server compressed them).
        """
        total = layers = 0
        for request in self._requests:
            try:
                size = max(int(request.sizes()["responseBodySize"]), 0)
            except PlaywrightError:
                continue  # its frame is gone; its bytes were counted by nobody
            total += size
            if LAYER_DOCUMENT_URL_PART in request.url:
                layers += size
        return total, layers, len(self._requests)

    def received(self) -> int:
        """Return every byte received so far, HTTP bodies and WebSocket frames."""
        return self.http()[0] + self.ws_bytes


def launch(playwright: Any) -> Browser:
    """Return Debian's Chromium, headless, started by Playwright (no downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def _map_counts(page: Page, count_js: str) -> list[tuple[Frame, int]]:
    out: list[tuple[Frame, int]] = []
    for frame in page.frames:
        if MAP_FRAME_URL_PART not in frame.url:
            continue
        try:
            out.append((frame, int(frame.evaluate(count_js))))
        except PlaywrightError:
            continue  # a frame being replaced or still loading
    return out


def wait_for_map(page: Page, *, count_js: str, expected: int, timeout_s: float) -> Frame | None:
    """Return the map frame once it shows ``expected`` places and has painted, else ``None``."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        for frame, count in _map_counts(page, count_js):
            if count != expected:
                continue
            try:
                frame.evaluate(NEXT_PAINT_JS)
            except PlaywrightError:
                continue
            return frame
        page.wait_for_timeout(POLL_MS)
    return None


def wait_idle(page: Page, *, timeout_s: float) -> float | None:
    """Return when Streamlit last stopped running the script, once it has stayed stopped.

    Parameters
    ----------
    page
        The app's page.
    timeout_s
        Give up after this many seconds.

    Returns
    -------
    float or None
        ``time.perf_counter()`` at the start of an idle stretch of ``IDLE_STABLE_S``, or
        ``None`` on timeout.
    """
    deadline = time.perf_counter() + timeout_s
    idle_since: float | None = None
    while time.perf_counter() < deadline:
        now = time.perf_counter()
        if page.evaluate(SCRIPT_STATE_JS) not in IDLE_STATES:
            idle_since = None
        elif idle_since is None:
            idle_since = now
        elif now - idle_since >= IDLE_STABLE_S:
            return idle_since
        page.wait_for_timeout(POLL_MS)
    return None


def _idle_after(page: Page, start: float, *, timeout_s: float) -> float | None:
    """Return seconds from ``start`` until the app went idle, or ``None`` on timeout."""
    idle_since = wait_idle(page, timeout_s=timeout_s)
    return None if idle_since is None else idle_since - start


def _press_hovered(page: Page) -> float:
    """Press and release the mouse where it is; return the time just before the press."""
    start = time.perf_counter()
    page.mouse.down()
    page.mouse.up()
    return start


def _timed_change(
    page: Page, frame: Frame, *, count_js: str, expected: int, timeout_s: float
) -> tuple[float | None, float | None, bool | None, Frame | None]:
    """Click what the mouse is over and time until the map shows ``expected`` places."""
    frame.evaluate(MARK_JS)
    start = _press_hovered(page)
    new_frame = wait_for_map(page, count_js=count_js, expected=expected, timeout_s=timeout_s)
    if new_frame is None:
        return None, None, None, None
    drawn_s = time.perf_counter() - start
    same_map = bool(new_frame.evaluate(IS_MARKED_JS))
    return drawn_s, _idle_after(page, start, timeout_s=timeout_s), same_map, new_frame


def run_repetition(
    browser: Browser, scenario: Scenario, *, rep: int, screenshot: Path | None = None
) -> Repetition:
    """Measure one fresh session (a new browser context is a new Streamlit session).

    Parameters
    ----------
    browser
        From ``launch``.
    scenario
        The app and what its map should show.
    rep
        Repetition number; 0 is the first session on a fresh server (cold caches).
    screenshot
        Where to save a screenshot if the repetition fails.

    Returns
    -------
    Repetition
        The timings; a step that times out ends the repetition.
    """
    result = Repetition(rep=rep, cold=rep == 0)
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        try:
            _measure(page, scenario, result)
        except PlaywrightError as err:
            result.error = str(err).splitlines()[0]
        if result.error and screenshot is not None:
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=str(screenshot), full_page=True)
    finally:
        context.close()
    return result


def _measure(page: Page, scenario: Scenario, result: Repetition) -> None:
    count_js, timeout_s = scenario.count_js, scenario.timeout_s
    n_places, n_filtered = scenario.n_places, scenario.n_filtered
    traffic = Traffic(page)
    start = time.perf_counter()
    page.goto(scenario.base_url + PAGE_QUERY, wait_until="commit")
    frame = wait_for_map(page, count_js=count_js, expected=n_places, timeout_s=timeout_s)
    if frame is None:
        result.error = f"page load: map never showed {n_places} places"
        return
    result.load_s = time.perf_counter() - start
    result.load_idle_s = _idle_after(page, start, timeout_s=timeout_s)
    result.http_bytes, result.layer_bytes, result.requests = traffic.http()
    result.ws_bytes = traffic.ws_bytes
    result.page_bytes = result.http_bytes + result.ws_bytes

    page.locator(f'{FILTER_WIDGET} [role="combobox"]').click()
    page.get_by_role("option", name=FILTER_LABEL, exact=True).hover()
    before = traffic.received()
    result.select_s, result.select_idle_s, result.select_same_map, frame = _timed_change(
        page, frame, count_js=count_js, expected=n_filtered, timeout_s=timeout_s
    )
    if frame is None:
        result.error = f"filter change: map never showed {n_filtered} places"
        return
    result.select_bytes = traffic.received() - before
    page.keyboard.press("Escape")
    page.locator(f'{FILTER_WIDGET} button[aria-label="Remove {FILTER_LABEL}"]').hover()
    result.clear_s, result.clear_idle_s, result.clear_same_map, frame = _timed_change(
        page, frame, count_js=count_js, expected=n_places, timeout_s=timeout_s
    )
    if frame is None:
        result.error = f"clearing the filter: map never showed {n_places} places"
