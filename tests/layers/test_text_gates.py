"""The escaping gates: no line break, control or bidi character, markup or template survives."""

import html
import json
import re
import string

import pytest
from markdown_it import MarkdownIt

from layers.escape import (
    BIDI_CONTROLS,
    WORD_JOINER,
    escape_markdown,
    escape_text,
    markdown_link,
    plain_text,
)
from layers.i18n import label
from layers.near_render import NearResult, near_map
from layers.payload import layer_document
from layers.registry import layer_by_id
from tests.layers.nasty_text import (
    BIDI,
    BIDI_ATTACKS,
    GFM_AUTOLINKS,
    LINE_BREAKS,
    MARKDOWN_ATTACKS,
    NASTY_TEXTS,
    RLO,
)
from tests.layers.test_escape_render import _places

# CommonMark with GFM's tables and strikethrough: an independent parser as the oracle.
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
PUNCT = re.escape(string.punctuation)
ALL_ESCAPED = re.compile(rf"(?:\\[{PUNCT}]|[^{PUNCT}])*")


def _visible(text: str) -> str:
    """What a reader should see: the text on one line, its whitespace runs as one space."""
    return " ".join(plain_text(text).split())


def _is_one_line_of_visible_text(out: str) -> bool:
    return (
        len(f"x{out}x".splitlines()) == 1
        and not set(out) & BIDI_CONTROLS
        and not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in out)
    )


def test_nasty_texts_contain_what_they_should():
    assert len(NASTY_TEXTS) > 400
    assert any(b in text for text in NASTY_TEXTS for b in BIDI)
    assert all(any(br in text for text in NASTY_TEXTS) for br in LINE_BREAKS)


@pytest.mark.parametrize("text", NASTY_TEXTS)
def test_markdown_gate_output_is_one_paragraph_of_the_text_itself(text):
    out = escape_markdown(text)
    assert _is_one_line_of_visible_text(out)
    assert ALL_ESCAPED.fullmatch(out), out  # every ASCII punctuation mark is escaped
    if not _visible(text):
        assert out == ""
        return
    tokens = MARKDOWN.parse(out)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    children = tokens[1].children or []
    assert [c.type for c in children] == ["text"] * len(children)  # no link, image, code, html
    shown = "".join(c.content for c in children)
    assert not any(pattern.search(shown) for pattern in GFM_AUTOLINKS), shown
    assert shown.replace(WORD_JOINER, "") == _visible(text)


@pytest.mark.parametrize("text", MARKDOWN_ATTACKS + BIDI_ATTACKS)
def test_markdown_gate_keeps_a_heading_one_heading(text):
    tokens = MARKDOWN.parse(f"### {escape_markdown(text)}")
    assert [t.type for t in tokens] == ["heading_open", "inline", "heading_close"]
    assert tokens[1].children[0].content.replace(WORD_JOINER, "") == _visible(text)


@pytest.mark.parametrize("text", NASTY_TEXTS)
def test_html_gate_leaves_nothing_active_and_shows_the_plain_text(text):
    out = escape_text(text)
    for active in ("{", "}", "<", ">", "`", "$", "\\"):
        assert active not in out
    assert _is_one_line_of_visible_text(out)
    assert html.unescape(out) == plain_text(text)


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_every_line_break_becomes_a_space(brk):
    assert plain_text(f"Loft{brk}# Heading") == "Loft" + " " * len(brk) + "# Heading"
    assert escape_markdown(f"Loft{brk}# Heading") == r"Loft \# Heading"


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_bidi_controls_are_removed(control):
    assert escape_text(f"Gallery {control}gnp.exe") == "Gallery gnp.exe"
    assert escape_markdown(f"Gallery {control}gnp.exe") == r"Gallery gnp\.exe"


@pytest.mark.parametrize(
    "text",
    [
        "https://evil.example/x",
        "HTTP://evil.example",
        "www.evil.example",
        "WwW.x.y",
        "a@evil.example",
    ],
)
def test_markdown_gate_breaks_gfm_autolinks(text):
    shown = MARKDOWN.parse(escape_markdown(text))[1].children[0].content
    assert GFM_AUTOLINKS[0].search(text) or GFM_AUTOLINKS[1].search(text)
    assert not any(pattern.search(shown) for pattern in GFM_AUTOLINKS)
    assert shown.replace(WORD_JOINER, "") == text


def test_a_markdown_link_keeps_its_destination_whole():
    href = "https://example.org/a?b=1&amp;c=2#x"
    (link_open, text, _) = MARKDOWN.parse(markdown_link("Source: [x]", href))[1].children
    assert link_open.attrs["href"] == "https://example.org/a?b=1&amp;c=2#x"
    assert text.content.replace(WORD_JOINER, "") == "Source: [x]"


def test_other_scripts_and_joiners_are_kept():
    text = "Қазақ Арт-центр \u05d0\u05d1 \u0627\u0644 👩\u200d🎨"
    assert plain_text(text) == text
    assert html.unescape(escape_text(text)) == text


def test_gates_handle_none_and_numbers():
    assert escape_markdown(None) == ""
    assert escape_markdown(2.5) == r"2\.5"
    assert plain_text(None) == ""


@pytest.mark.parametrize("name", MARKDOWN_ATTACKS[:5] + BIDI_ATTACKS)
def test_map_tooltips_carry_no_line_break_or_bidi_control(name):
    text = layer_document(layer_by_id("places"), _places([name]), lang="en")
    tip = json.loads(text)["features"][0]["properties"]["t"]
    assert tip.startswith(f"<b>{escape_text(name)}</b>")
    assert _is_one_line_of_visible_text(tip)


def test_an_untranslated_label_is_plain_text():
    assert label("district", f"Nura{RLO}\r\nx", "en") == "Nura  x"


@pytest.mark.parametrize("name", MARKDOWN_ATTACKS[:5] + BIDI_ATTACKS)
def test_near_me_tooltips_carry_no_line_break_or_bidi_control(name):
    result = NearResult(
        lat=51.13,
        lon=71.43,
        rank=1,
        lines=(f"1. {name}", "300 m"),
        color="#555555",
        approximate=False,
    )
    fmap = near_map(
        position=(51.128, 71.43),
        center_lat_lon=(51.128, 71.43),
        zoom=13,
        results=[result],
        basemap="none",
        lang="en",
        asset_url_prefix="../ui.assets.",
    )
    rendered = fmap.get_root().render()
    assert escape_text(f"1. {name}") in rendered
    assert not set(rendered) & BIDI_CONTROLS
    for brk in ("\r", "\u2028", "\u2029", "\x85"):
        assert brk not in rendered
