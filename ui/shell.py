"""What every page shares: the session set from the URL, the sidebar, the mode switch, the URL."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import streamlit as st

from geo.select import distinct_values
from layers.i18n import DEFAULT_LANG, t
from layers.render import DEFAULT_BASEMAP
from layers.spec import LayerSpec
from ui.text import md_escape
from ui.url_state import (
    MODES,
    Notice,
    ViewState,
    Vocabulary,
    format_near,
    parse_view,
    view_to_params,
)

# Notices about these parameters are shown beside their own input, not at the top.
NEAR_PARAMS = frozenset({"near"})
PAGE_ONLY_WIDGETS = ("n", "radius")  # drawn by the near-me page only
ANY_RADIUS = 0


def vocabulary(places: gpd.GeoDataFrame) -> Vocabulary:
    """Return the values each URL parameter may take, from the places."""
    return Vocabulary(
        kind=frozenset(distinct_values(places["kind"])),
        status=frozenset(distinct_values(places["status"])),
        bank=frozenset(distinct_values(places["bank"])),
        district=frozenset(distinct_values(places["district"])),
        year=frozenset(distinct_values(places["target_year"])),
        place=frozenset(places["id"]),
    )


def init_session(places: Callable[[], gpd.GeoDataFrame], layers: tuple[LayerSpec, ...]) -> None:
    """On a session's first run, set every widget from the URL and remember what was ignored.

    On later runs, keep the values of widgets that only one page draws: Streamlit forgets a
    widget's value on a run that does not draw it, and re-setting the key stops that.
    """
    if st.session_state.get("_initialised"):
        for key in PAGE_ONLY_WIDGETS:
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
        return
    state, notices = parse_view(st.query_params.to_dict(), vocabulary(places()))
    s = st.session_state
    for name in ("lang", "city", "mode", "n"):
        s[name] = getattr(state, name)
    for name in ("kind", "status", "bank", "district", "year"):
        s[name] = list(getattr(state, name))
    s["place"] = state.place
    s["pan_to_place"] = state.place is not None
    s["near"] = format_near(state.near) if state.near else None
    s["near_source"] = "link" if state.near else None
    s["radius"] = state.radius_km or ANY_RADIUS
    s["basemap"] = DEFAULT_BASEMAP
    for spec in layers:
        s[f"layer_{spec.id}"] = spec.visible_by_default
    s["url_notices"] = [n for n in notices if n.param not in NEAR_PARAMS]
    s["near_notices"] = [n for n in notices if n.param in NEAR_PARAMS]
    s["_initialised"] = True


def current_view() -> ViewState:
    """Return the view the session's widgets describe."""
    s = st.session_state
    near = s.get("near")
    lat_lon = tuple(float(v) for v in near.split(",")) if near else None
    return ViewState(
        lang=s["lang"],
        city=s["city"],
        kind=tuple(s.get("kind", [])),
        status=tuple(s.get("status", [])),
        bank=tuple(s.get("bank", [])) if s["city"] != "almaty" else (),
        district=tuple(s.get("district", [])),
        year=tuple(s.get("year", [])),
        place=s.get("place"),
        mode=s.get("mode", "map"),
        near=lat_lon,  # type: ignore[arg-type]
        n=int(s.get("n", 5)),
        radius_km=int(s["radius"]) if s.get("radius") else None,
    )


def sync_url(state: ViewState) -> None:
    """Write the view to the address bar when it changed."""
    params = view_to_params(state)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def filter_key(state: ViewState) -> tuple[tuple[str, ...], ...]:
    """Return the filters as a small hashable key (for caching and for geo.select)."""
    cities = () if state.city == "both" else (state.city,)
    return (cities, state.kind, state.status, state.bank, state.district, state.year)


def notice_text(n: Notice, lang: str) -> str:
    """Return a notice about an ignored URL value as escaped Markdown."""
    return md_escape(
        t("ui.ignored_param", lang, param=n.param, value=n.value, why=t(n.why_key, lang))
    )


def show_notices(notices: list[Notice], lang: str) -> None:
    """Show each ignored URL value as a warning."""
    for n in notices:
        st.warning(notice_text(n, lang), icon="⚠️")


# On a phone: a smaller title, and buttons and links large enough to hit with a thumb.
# Streamlit 1.67 renders st.segmented_control as a stButtonGroup of buttons (role="radio").
_PHONE_CSS = """
<style>
@media (max-width: 640px) {
  h1 { font-size: 1.9rem !important; }
  .stButton button, .stFormSubmitButton button { min-height: 48px; width: 100%; }
  .stButton, .stFormSubmitButton, [class*="st-key-FormSubmitter"] { width: 100% !important; }
  .st-key-mode [data-testid="stButtonGroup"] button { min-height: 48px; }
  .st-key-near_results a { display: inline-block; min-height: 44px; padding: 12px 4px;
    box-sizing: border-box; }
}
</style>
"""


def _forget_messages() -> None:
    """Messages about a past input do not outlive the page they were shown on."""
    for key in ("near_error", "near_map_error"):
        st.session_state[key] = None


def render_mode_switch(lang: str) -> None:
    """Show the switch between exploring the map and finding places near me (key ``mode``)."""
    st.markdown(_PHONE_CSS, unsafe_allow_html=True)
    st.segmented_control(
        t("ui.mode", lang),
        MODES,
        key="mode",
        on_change=_forget_messages,
        format_func=lambda m: t(f"ui.mode.{m}", lang),
        label_visibility="collapsed",
        required=True,
    )


def lang_now() -> str:
    """Return the session's language."""
    return st.session_state.get("lang") or DEFAULT_LANG
