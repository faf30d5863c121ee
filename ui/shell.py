"""What every page shares: the compact header, the page switch, notices and the page's CSS."""

from __future__ import annotations

import json

import streamlit as st
import streamlit.components.v1 as components

from layers.i18n import t
from layers.render import script_json
from ui import state
from ui.text import md_escape
from ui.url_state import PAGES, Notice

# The page's own style. The map fills the window below the header (its frame's height follows
# the window, and the map inside fills the frame); on a phone it leaves room to scroll to the
# list. Touch targets are at least 44 px on a phone: Streamlit 1.67 draws the page switch as
# buttons inside [data-testid="stButtonGroup"].
PAGE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; padding-bottom: 1rem; }
.st-key-app_header h1 { font-size: 1.55rem; line-height: 1.2; padding: 0; margin: 0; }
.st-key-app_header [data-testid="stCaptionContainer"] { margin-top: -0.4rem; }
/* Four pages fit their column in every language: narrower sides, the same height; on a wide
   screen the presentation button shows its icon only (its words stay for screen readers). */
.st-key-app_header [data-testid="stButtonGroup"] button {
  padding-left: 0.45rem; padding-right: 0.45rem; }
@media (min-width: 641px) {
  .st-key-present_open button [data-testid="stMarkdownContainer"] {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
}
.st-key-map_box iframe, .st-key-near_map_box iframe {
  height: calc(100vh - 200px) !important; min-height: 420px; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.4rem; }  /* below the sidebar button */
  .st-key-app_header h1 { font-size: 1.3rem; }
  .st-key-map_box iframe, .st-key-near_map_box iframe, .st-key-analysis_map_box iframe {
    height: 62vh !important; min-height: 320px; }
  .stButton button, .stFormSubmitButton button { min-height: 48px; width: 100%; }
  .stButton, .stFormSubmitButton, [class*="st-key-FormSubmitter"] { width: 100% !important; }
  [data-testid="stButtonGroup"] button { min-height: 48px; }
  .st-key-near_results a { display: inline-block; min-height: 44px; padding: 12px 4px;
    box-sizing: border-box; }
}
</style>
"""


def press_enter_css(lang: str) -> str:
    """Return the CSS that writes Streamlit's "Press Enter to apply" hint in the language.

    Streamlit 1.67 writes that hint under a text input in English and has no option for it,
    so the rule hides its words and shows the catalogue's (``ui.press_enter``) instead.
    """
    words = json.dumps(t("ui.press_enter", lang), ensure_ascii=False).replace("<", "\\3c ")
    return (
        "<style>\n"
        '[data-testid="InputInstructions"] > span { display: none; }\n'
        f'[data-testid="InputInstructions"]::after {{ content: {words}; }}\n'
        "</style>"
    )


def render_header(lang: str) -> None:
    """Show the title, one line of what this is, and the switch between the pages (``mode``)."""
    st.markdown(PAGE_CSS + press_enter_css(lang), unsafe_allow_html=True)
    with st.container(key="app_header"):
        title_col, switch_col, present_col = st.columns([3, 2.6, 0.4], vertical_alignment="center")
        with title_col:
            st.title(t("app.title", lang), anchor=False)
            st.caption(t("app.subtitle", lang))
        with switch_col:
            st.segmented_control(
                t("ui.mode", lang),
                PAGES,
                key=state.MODE.name,
                on_change=state.forget_messages,
                format_func=lambda m: t(f"ui.mode.{m}", lang),
                label_visibility="collapsed",
                required=True,
            )
        with present_col:
            st.button(
                t("present.open", lang),
                key="present_open",
                on_click=_open_presentation,
                icon=":material/slideshow:",
                help=t("present.open", lang),
            )


def _open_presentation() -> None:
    """Switch the map page to presentation mode at the tour's current (or first) stop."""
    state.MODE.set("map")
    state.PRESENT.set(True)
    state.STOP.set(state.STOP.get() or 1)


def notice_text(n: Notice, lang: str) -> str:
    """Return a notice about an ignored URL or filter value as escaped Markdown."""
    return md_escape(
        t("ui.ignored_param", lang, param=n.param, value=n.value, why=t(n.why_key, lang))
    )


def show_notices(notices: list[Notice], lang: str) -> None:
    """Show each ignored value as a warning."""
    for n in notices:
        st.warning(notice_text(n, lang), icon="⚠️")


def show_filter_notices(lang: str) -> None:
    """Show, once, the filter values set aside because the city changed."""
    notices = state.FILTER_NOTICES.get()
    if notices:
        for n in notices:
            st.info(
                md_escape(t("ui.filter_set_aside", lang, param=n.param, value=n.value))
                + " "
                + md_escape(t(n.why_key, lang)),
                icon="ℹ️",
            )
        state.FILTER_NOTICES.set([])


def scroll_into_view(element_key: str, *, token: str) -> None:
    """On a phone, scroll the page once so the element with this key is at the top.

    Call it on every run while the element is shown: the script runs when its frame is
    created, and scrolls once per ``token`` (a card scrolls when it opens, not on each rerun).
    It scrolls twice, as the layout settles (the map above may still be resizing). Streamlit's
    components run in a same-origin frame, so the script can reach the page.

    Parameters
    ----------
    element_key
        The element's Streamlit key (a constant of the code, never data).
    token
        What was opened (a place id); a new token scrolls again.
    """
    components.html(
        "<script>"
        "const doc = window.parent.document, token = " + script_json(token) + ";"
        "function go() {"
        " const el = doc.querySelector('.st-key-" + element_key + "');"
        " const main = doc.querySelector('.stMain');"
        " if (el && main) { main.scrollBy({top: el.getBoundingClientRect().top - 12}); } }"
        "if (window.parent.innerWidth <= 640 && window.parent.__creativeScrolled !== token) {"
        " window.parent.__creativeScrolled = token; setTimeout(go, 250); setTimeout(go, 900); }"
        "</script>",
        height=0,
    )
