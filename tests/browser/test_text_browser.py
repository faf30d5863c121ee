"""In the real browser: a crafted link fetches nothing, a bidi override reorders nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.catalogue import PLACES, write_catalogue
from tests.layers.nasty_text import BIDI, RLO

PID = "almaty_depo"
# After the override, "gnp.exe museum" would be drawn right to left (reading "muesum exe.png").
BIDI_NAME = f"Depo {RLO}gnp.exe museum"
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
# Each character of an element's text with its left edge on screen, in DOM order.
CHAR_POSITIONS_JS = """(el) => {
    const out = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getBoundingClientRect();
            if (rect.width > 0) { out.push([node.data[i], rect.left, rect.top]); }
        }
    }
    return out;
}"""


class _Counter(BaseHTTPRequestHandler):
    """Serve a 1-pixel GIF for any path and remember every request."""

    requests: list[str]

    def do_GET(self):
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.send_header("Content-Length", str(len(PIXEL)))
        self.end_headers()
        self.wfile.write(PIXEL)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def image_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server on 127.0.0.1 that counts the requests it gets."""
    requests: list[str] = []
    handler = type("Handler", (_Counter,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def crafted_link_app(start_app, tmp_path_factory, context_dir, image_server):
    base, _ = image_server
    crafted = f"https://example.org/a) ![x]({base}/pixel.gif) [b](https://example.org/b"
    folder = tmp_path_factory.mktemp("crafted_link")
    places = PLACES.copy()
    places.loc[places["id"] == PID, "source_url"] = crafted
    write_catalogue(folder, places)
    return start_app(**{DATA_DIR_VAR: str(folder), CONTEXT_DIR_VAR: context_dir})


@pytest.fixture(scope="module")
def bidi_app(start_app, tmp_path_factory, context_dir):
    folder = tmp_path_factory.mktemp("bidi_name")
    places = PLACES.copy()
    for lang in ("kk", "ru", "en"):
        places.loc[places["id"] == PID, f"name_{lang}"] = BIDI_NAME
    write_catalogue(folder, places)
    return start_app(**{DATA_DIR_VAR: str(folder), CONTEXT_DIR_VAR: context_dir})


def test_the_image_server_is_reachable_from_the_page(image_server, page, crafted_link_app):
    """The control: an image from this server *is* fetched when a page really shows one."""
    base, requests = image_server
    page.goto(f"{crafted_link_app.url}/?lang=en")
    page.evaluate(
        "(src) => new Promise(ok => { const i = new Image(); i.onload = ok; i.src = src; })",
        f"{base}/control.gif",
    )
    assert "/control.gif" in requests


def test_a_crafted_source_url_makes_the_browser_fetch_nothing(crafted_link_app, image_server, page):
    base, requests = image_server
    page.goto(f"{crafted_link_app.url}/?lang=en&place={PID}")
    # The place's card, or the validator's refusal: whichever the app draws, the page has run.
    shown = page.locator(".st-key-place_card, [data-testid='stAlertContentError']")
    expect(shown.first).to_be_visible(timeout=60_000)
    # Every image the page holds has loaded (or failed): the count of requests is final.
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
    assert [p for p in requests if p.startswith("/pixel")] == []
    assert page.locator(f"img[src^='{base}']").count() == 0
    assert page.locator("a[href^='https://example.org/b']").count() == 0
    expect(page.get_by_text("The catalogue could not be loaded")).to_be_visible()
    item = page.locator("[data-testid='stAlertContentError'] li")
    expect(item).to_have_count(1)
    text = item.inner_text().replace("\u2060", "")  # the word joiners that stop autolinks
    assert text.startswith(f"Record '{PID}': the link in column source_url contains ')'")
    assert item.locator("a, img").count() == 0


def test_a_bidi_override_in_a_name_does_not_reorder_the_card(bidi_app, page):
    page.goto(f"{bidi_app.url}/?lang=en&place={PID}")
    card = page.locator(".st-key-place_card")
    heading = card.locator("h3").first
    expect(heading).to_contain_text("Depo gnp.exe museum")
    names = card.locator("p", has_text="Names:")
    expect(names).to_be_visible()
    page.evaluate("() => document.fonts.ready.then(() => true)")  # final glyph positions
    for element in (heading, names):
        text = element.evaluate("(el) => el.textContent")
        assert not set(text) & set(BIDI), text
        chars = element.evaluate(CHAR_POSITIONS_JS)
        line = [(c, left) for c, left, top in chars if abs(top - chars[0][2]) < 2]
        lefts = [left for _, left in line]
        assert len(lefts) > 10
        assert lefts == sorted(lefts), line  # drawn left to right, in the order of the text
