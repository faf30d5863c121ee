"""The card's source link: built from the parsed link's escaped parts, or no link at all."""

import pytest
from markdown_it import MarkdownIt

from layers.i18n import t
from tests.layers.nasty_text import CRAFTED_URL, MARKDOWN_ATTACKS, RLO
from ui.widgets.card import source_link

MARKDOWN = MarkdownIt("commonmark")


def _inline(markdown: str):
    tokens = MARKDOWN.parse(markdown)
    assert [tok.type for tok in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    return tokens[1].children


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://example.org/a?b=1&c=2#x", "https://example.org/a?b=1&c=2#x"),
        (
            "https://ru.wikipedia.org/wiki/Астана",
            "https://ru.wikipedia.org/wiki/%D0%90%D1%81%D1%82%D0%B0%D0%BD%D0%B0",
        ),
        ("https://example.org/&amp;&#x6a;", "https://example.org/&amp;&#x6a;"),
    ],
)
def test_a_web_link_becomes_exactly_one_link_to_it(url, href):
    children = _inline(source_link(url, "en"))
    assert [c.type for c in children] == ["link_open", "text", "link_close"]
    assert children[0].attrs["href"] == href
    assert children[1].content == t("ui.source", "en")


@pytest.mark.parametrize(
    "url",
    [
        CRAFTED_URL,
        "javascript:alert(1)",
        f"https://example.org/{RLO}gnp.exe",
        "https://example.org/\r# Heading\r- item",
        "https://example.org/<https://evil.example/>",
        *(a for a in MARKDOWN_ATTACKS if a != "https://evil.example/"),  # that one is a link
    ],
)
def test_anything_else_is_shown_as_no_link(url, caplog):
    text = source_link(url, "ru")
    children = _inline(text)
    assert [c.type for c in children] == ["text"]
    assert children[0].content == t("ui.no_link", "ru")
    assert "not a web link" in caplog.text


@pytest.mark.parametrize("url", [None, float("nan"), ""])
def test_no_value_is_no_link(url):
    assert _inline(source_link(url, "kk"))[0].content == t("ui.no_link", "kk")
