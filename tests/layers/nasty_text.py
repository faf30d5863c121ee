"""Text from data that tries to become markup, a template, a line break or a reordering."""

import random
import re
import string

from tests.layers.hostile import HOSTILE_NAMES

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: displays what follows it reversed
LINE_BREAKS = ("\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
BIDI = (
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\u061c",
)
IMAGE = "![x](http://127.0.0.1:9/pixel.png)"
# A link that, pasted into "[Source](...)", ends the link, adds an image and a second link.
CRAFTED_URL = f"https://example.org/a) {IMAGE} [b](https://example.org/b"
# Markdown that a name, summary or link must not produce in the card.
MARKDOWN_ATTACKS = (
    "Loft\r# Heading\r- item\r- item",
    "Loft\r\n===",
    "Loft\r---\r1. one\r2) two",
    "Loft\u2028# Heading\u2029* item",
    "Loft\x85> quote",
    "    indented code",
    "\t\tindented code",
    "[link](https://evil.example/)",
    "![img](http://127.0.0.1:9/pixel.png)",
    "<https://evil.example/>",
    "www.evil.example and someone@evil.example",
    "https://evil.example/",
    ":red[coloured] :smile: :material/home:",
    "$x^2$ and $$y$$",
    "**bold** _em_ ~~strike~~ `code`",
    "a | b\r--|--\r1 | 2",
    "&lt;b&gt; &#x26; &amp;",
    "back\\slash\\",
    "<b>html</b><img src=x onerror=alert(1)>",
    "[^1]\r\r[^1]: footnote",
)
BIDI_ATTACKS = (
    f"Gallery {RLO}gnp.exe",
    f"Loft \u2066{RLO}nested\u2069 tail",
    "\u202bembedded\u202c and \u202dLTR override",
    "mark\u200e\u200f\u061c marks",
    "Арт-центр \u2067\u05d0\u05d1\u2069 \u202a",
)


def _generated(count: int, seed: int = 8) -> tuple[str, ...]:
    """Return random strings made mostly of characters that mean something somewhere."""
    rng = random.Random(seed)
    alphabet = [
        *string.punctuation,
        *LINE_BREAKS,
        *BIDI,
        " ",
        "\t",
        "\x00",
        "\x1b",
        "\x7f",
        "\x9b",
        "a",
        "Ж",
        "ә",
        "\u05d0",
        "\u0627",
        "1",
        "\u200b",
        "\ufeff",
        "\u00a0",
        "{{",
        "${",
        "](",
        "![",
        "http://",
        "www.",
    ]
    return tuple(
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(count)
    )


NASTY_TEXTS = (*HOSTILE_NAMES, *MARKDOWN_ATTACKS, *BIDI_ATTACKS, *_generated(400))

# The patterns of mdast-util-gfm-autolink-literal, which Streamlit's Markdown (remark-gfm) runs
# on the text left after escapes are resolved: what they match becomes a link.
GFM_AUTOLINKS = (
    re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE),
    re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"),
)
