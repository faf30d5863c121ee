"""The single escaping gate for every string from data or a user that reaches folium."""

from __future__ import annotations

import html

# Characters that folium/branca's Jinja2 compilation ({ }), Leaflet's HTML insertion (< > & " ')
# or a JavaScript template literal (` and $) could give a meaning. Each becomes an HTML
# character reference, so the text still *displays* verbatim wherever it is inserted as HTML.
_EXTRA = str.maketrans({"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def escape_text(value: object) -> str:
    """Return text that is safe to hand to folium and to insert as HTML in Leaflet.

    HTML-escapes the value and neutralises ``{``, ``}``, backticks, ``$`` and backslashes, so
    it can be neither a Jinja2 template on the server nor markup or a template literal in
    the browser, while it still displays exactly as given. ``None`` becomes ``""``.

    Parameters
    ----------
    value
        Any value; non-strings are converted with ``str``.

    Returns
    -------
    str
        The escaped text.
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_EXTRA)
