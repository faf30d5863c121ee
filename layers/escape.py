"""The single escaping gate for every string from data or a user that reaches folium or Markdown.

Both gates start from ``plain_text``: one line of visible text, with no line breaks, no control
characters and no bidirectional controls. ``escape_text`` then makes it inert as HTML and as a
Jinja2 or JavaScript template (folium, Leaflet); ``escape_markdown`` makes it inert as Markdown
(Streamlit).
"""

from __future__ import annotations

import html
import re
import string

# Characters that folium/branca's Jinja2 compilation ({ }), Leaflet's HTML insertion (< > & " ')
# or a JavaScript template literal (` and $) could give a meaning. Each becomes an HTML
# character reference, so the text still *displays* verbatim wherever it is inserted as HTML.
_EXTRA = str.maketrans({"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;", "\\": "&#92;"})

# Bidirectional controls: embeddings and overrides (U+202A..U+202E), isolates (U+2066..U+2069)
# and the marks LRM, RLM and ALM. An unmatched override reorders all the text that follows it
# on the page, not only the name that carried it. The Unicode bidi algorithm orders
# right-to-left letters correctly without them, so they are removed.
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
# Every character Python's ``str.splitlines`` breaks a line at (\n, \r, \v, \f, \x1c-\x1e,
# \x85, U+2028, U+2029), and the tab: Markdown starts a heading, a list or a code block after
# any of them, so each becomes a space.
_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029\t"
# Other C0 and C1 control characters (NUL, ESC, DEL, ...) have no visible form.
_CONTROLS = "".join(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in _BREAKS)
_PLAIN = str.maketrans(
    dict.fromkeys(_BREAKS, " ") | dict.fromkeys(_CONTROLS + "".join(BIDI_CONTROLS))
)

# CommonMark lets a backslash escape any ASCII punctuation and gives it no meaning then; escaping
# all of it also covers Streamlit's own syntax (:emoji:, :red[colour], $math$).
_MD_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
# Streamlit's Markdown (remark-gfm) turns "http://", "https://", "www." and "name@host.tld" into
# links by matching the *text* left after escapes are resolved, so a backslash cannot stop it. A
# WORD JOINER (U+2060, invisible, no line break) between ":" and "//", after "@" and between "www"
# and "." leaves nothing its patterns match, and changes no other text.
WORD_JOINER = "\u2060"
_AUTOLINK_BREAKS = re.compile(r"\\:(?=\\/\\/)|\\@|(?i:www)(?=\\\.)")


def plain_text(value: object) -> str:
    r"""Return a value as one line of visible text: the first step of both escaping gates.

    Line breaks of every kind (``\r``, ``\r\n``, U+2028, U+2029, ...) and tabs become spaces;
    other control characters and the bidirectional controls (U+202A..U+202E, U+2066..U+2069,
    U+200E, U+200F, U+061C) are removed. The result is not yet safe for HTML or Markdown.

    Parameters
    ----------
    value
        Any value; non-strings are converted with ``str``; ``None`` becomes ``""``.

    Returns
    -------
    str
        The text, with every other character kept as it was.
    """
    if value is None:
        return ""
    return str(value).translate(_PLAIN)


def escape_text(value: object) -> str:
    """Return text that is safe to hand to folium and to insert as HTML in Leaflet.

    Takes ``plain_text`` of the value, HTML-escapes it and neutralises ``{``, ``}``, backticks,
    ``$`` and backslashes, so it can be neither a Jinja2 template on the server nor markup or
    a template literal in the browser, while it still displays as given. ``None`` becomes
    ``""``.

    Parameters
    ----------
    value
        Any value; non-strings are converted with ``str``.

    Returns
    -------
    str
        The escaped text.
    """
    return html.escape(plain_text(value), quote=True).translate(_EXTRA)


def escape_markdown(value: object) -> str:
    """Return text that Streamlit's Markdown shows literally, on one line.

    Takes ``plain_text`` of the value, collapses runs of whitespace into one space (so no
    indented code block or hard line break can start) and backslash-escapes every ASCII
    punctuation character, so no link, image, heading, list, emphasis, HTML, emoji shortcode,
    colour directive or formula can come from data; a word joiner (U+2060) in ``://``, after ``@``
    and after ``www`` stops GFM's autolinks, which backslashes do not.

    Parameters
    ----------
    value
        Any value; ``None`` becomes an empty string.

    Returns
    -------
    str
        The escaped text.
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(plain_text(value).split()))
    return _AUTOLINK_BREAKS.sub(lambda m: m.group(0) + WORD_JOINER, escaped)


def markdown_link(text: object, href: str) -> str:
    """Return a Markdown link whose text and destination are both escaped.

    Parameters
    ----------
    text
        The link's text, escaped with ``escape_markdown``.
    href
        A checked URL (``geo.weburl.WebUrl.href``: ASCII with no space or control); every
        ASCII punctuation mark in it is backslash-escaped, which CommonMark resolves in a
        link destination, so it can neither end the link nor hold a character reference.

    Returns
    -------
    str
        ``[text](destination)``.
    """
    destination = _MD_SPECIAL.sub(r"\\\1", plain_text(href))
    return f"[{escape_markdown(text)}]({destination})"
