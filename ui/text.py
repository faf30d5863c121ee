"""Making data text safe for Streamlit's Markdown (no links, images or formatting from data)."""

from __future__ import annotations

from geo.errors import InputError, Problem
from layers.escape import escape_markdown
from layers.i18n import t

# The gate itself lives in layers/escape.py, beside the one for folium, so both share one
# notion of plain text; this name is what the pages call.
md_escape = escape_markdown

__all__ = ["md_escape", "problem_lines"]


def problem_lines(err: InputError, lang: str) -> str:
    """Return the translatable problems of a failed validation as a Markdown list.

    Parameters
    ----------
    err
        The error; its ``problems`` that are a ``Problem`` are shown, translated and
        escaped (the others stay in the developers' details).
    lang
        Language code.

    Returns
    -------
    str
        Markdown, one item per problem; empty if none can be translated.
    """
    return "\n".join(
        f"- {md_escape(t(p.key, lang, **p.values))}" for p in err.problems if isinstance(p, Problem)
    )
