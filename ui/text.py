"""Making data text safe for Streamlit's Markdown (no links, images or formatting from data)."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(value: object) -> str:
    """Return text that Streamlit's Markdown shows literally.

    Parameters
    ----------
    value
        Any value; ``None`` becomes an empty string.

    Returns
    -------
    str
        The text with Markdown and HTML specials backslash-escaped.
    """
    if value is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")
