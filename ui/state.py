"""Every session key behind one typed accessor, and the view's round trip through the URL.

Widgets are keyed by the same names (``city``, ``kind``, ...), which double as URL parameters
and test handles. Streamlit forgets a widget's value when a run does not draw that widget
with the same identity: on a page that does not show it, or after a language switch changes
its label. ``keep_widget_values`` re-asserts every widget value at the top of each run, so a
value changes only when its user changes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar, cast

import streamlit as st

from geo.select import FILTER_PARAMS, Filters
from layers.i18n import DEFAULT_LANG, LANGS, accept_language_tags, negotiate_lang
from ui.url_state import (
    DEFAULT_BASEMAP,
    DEFAULT_K,
    DEFAULT_MEASURE,
    DEFAULT_N,
    DEFAULT_SCHEME,
    REPEATED_PARAMS,
    WALK_DEFAULT_M,
    Notice,
    Params,
    ViewState,
    Vocabulary,
    parse_view,
    view_to_params,
)

T = TypeVar("T")
ANY_RADIUS = 0  # the radius selectbox's "any distance"


@dataclass(frozen=True)
class Key(Generic[T]):
    """One session value: its name in ``st.session_state`` and its default."""

    name: str
    default: Callable[[], T]

    def get(self) -> T:
        """Return the value, or the default when it was never set."""
        if self.name in st.session_state:
            return cast(T, st.session_state[self.name])
        return self.default()

    def set(self, value: T) -> None:
        """Set the value."""
        st.session_state[self.name] = value

    def is_set(self) -> bool:
        """Return whether the session holds a value."""
        return self.name in st.session_state


def _none() -> None:
    return None


def _false() -> bool:
    return False


def _empty_list() -> list[Any]:
    return []


def _key(name: str, default: Callable[[], T]) -> Key[T]:
    return Key(name, default)


# Widgets (also URL parameters and test handles).
LANG = _key("lang", lambda: DEFAULT_LANG)
CITY = _key("city", lambda: "both")
FILTER_KEYS: dict[str, Key[list[str]]] = {p: _key(p, _empty_list) for p in FILTER_PARAMS}
BASEMAP = _key("basemap", lambda: DEFAULT_BASEMAP)
MODE = _key("mode", lambda: "map")
N = _key("n", lambda: DEFAULT_N)
RADIUS = _key("radius", lambda: ANY_RADIUS)
NEAR_LANDMARKS = _key("landmarks", _false)
NEAR_QUERY = _key("near_query", lambda: "")
# The planners' page (/analysis): walking distance, candidate sites, the choropleth's classes.
WALK = _key("walk", lambda: WALK_DEFAULT_M)
CANDIDATES: Key[list[tuple[float, float]]] = _key("candidates", _empty_list)
SCHEME = _key("scheme", lambda: DEFAULT_SCHEME)
K = _key("k", lambda: DEFAULT_K)
MEASURE = _key("measure", lambda: DEFAULT_MEASURE)
ANALYSIS_PARAMS = frozenset({"walk", "candidate", "scheme", "k", "measure"})
ANALYSIS_NOTICES: Key[list[Notice]] = _key("analysis_notices", _empty_list)
ADD_CANDIDATE = _key("analysis_add", _false)  # a click on the map adds a candidate
# Drawn polygons used as candidate areas, and as a filter of the places: exterior rings of
# (lon, lat) pairs (session only; the URL carries candidate points).
CANDIDATE_AREAS: Key[list[tuple[tuple[float, float], ...]]] = _key("candidate_areas", _empty_list)
AREA_FILTER: Key[tuple[tuple[float, float], ...] | None] = _key("area_filter", _none)
ANALYSIS_MESSAGE: Key[str | None] = _key("analysis_message", _none)  # about the last click
ANALYSIS_LAST_CLICK: Key[Any] = _key("_analysis_last_click", _none)
ANALYSIS_ORIGIN: Key[tuple[tuple[float, float], int] | None] = _key("_analysis_origin", _none)
ANALYSIS_BASE_KEY: Key[Any] = _key("_analysis_base_key", _none)
# Presentation mode (mode=present) and the tour's stop (1-based; None: the tour's start).
PRESENT = _key("present", _false)
STOP: Key[int | None] = _key("stop", _none)
PRESENT_QR = _key("present_qr", _false)  # the QR code of the view is shown
PRESENT_ORIGIN: Key[tuple[float, float, int] | None] = _key("_present_origin", _none)
PRESENT_BASE_KEY: Key[Any] = _key("_present_base_key", _none)
# The selection and the position.
PLACE: Key[str | None] = _key("place", _none)
PAN_TO_PLACE = _key("pan_to_place", _false)
NEAR: Key[tuple[float, float] | None] = _key("near", _none)
NEAR_SOURCE: Key[str | None] = _key("near_source", _none)
# Where the map is: ((lat, lon), zoom) as the map last reported it; None before it did.
MAP_VIEW: Key[tuple[tuple[float, float], int] | None] = _key("map_view", _none)
# Messages about past input, shown beside the input that caused them.
URL_NOTICES: Key[list[Notice]] = _key("url_notices", _empty_list)
NEAR_NOTICES: Key[list[Notice]] = _key("near_notices", _empty_list)
NEAR_ERROR: Key[str | None] = _key("near_error", _none)
NEAR_MAP_ERROR: Key[str | None] = _key("near_map_error", _none)
NEAR_MATCHES: Key[list[Any]] = _key("near_matches", _empty_list)
# Bookkeeping of the pages (once-per-click handling, where the base map started).
LAST_CLICK: Key[Any] = _key("_last_click", _none)
NEAR_LAST_CLICK: Key[Any] = _key("_near_last_click", _none)
LAST_CITY: Key[str | None] = _key("_last_city", _none)
ORIGIN: Key[tuple[tuple[float, float], int] | None] = _key("_origin", _none)
BASE_KEY: Key[Any] = _key("_base_key", _none)
INITIALISED = _key("_initialised", _false)
# What the app last wrote to the address bar, (page, params): a run that finds another URL
# follows the browser's Back or Forward. SWITCHING marks a run that follows the app's own
# page switch; MOVE_TO is where such a URL asks the map already on the page to go.
LAST_URL: Key[tuple[str, Params] | None] = _key("_last_url", _none)
SWITCHING = _key("_switching", _false)
MOVE_TO: Key[tuple[tuple[float, float], int] | None] = _key("_move_to", _none)
# The view (less where the map is) that the link's notices are about.
NOTICES_FOR: Key[Params | None] = _key("_notices_for", _none)
MAP_VIEW_PARAMS = frozenset({"center", "zoom"})
# Notices about this run's filters (a value set aside because the city changed).
FILTER_NOTICES: Key[list[Notice]] = _key("filter_notices", _empty_list)


# The maps (st_folium's own keys: what each map last reported).
MAP: Key[Any] = _key("map", _none)
NEAR_MAP: Key[Any] = _key("near_map", _none)
PRESENT_MAP: Key[Any] = _key("present_map_state", _none)
ANALYSIS_MAP: Key[Any] = _key("analysis_map", _none)


def list_key(name: str) -> Key[str | None]:
    """Return the key of a list of places to pick from (``place_list``, ``unplaced_list``)."""
    return _key(name, _none)


def layer_key(layer_id: str) -> Key[bool]:
    """Return the key of a layer's show/hide checkbox (``layer_<id>``)."""
    return _key(f"layer_{layer_id}", _false)


def _widget_names(layer_ids: Iterable[str]) -> list[str]:
    names = [LANG.name, CITY.name, *(k.name for k in FILTER_KEYS.values()), BASEMAP.name]
    names += [MODE.name, N.name, RADIUS.name, NEAR_LANDMARKS.name, NEAR_QUERY.name]
    names += [WALK.name, SCHEME.name, K.name, MEASURE.name, ADD_CANDIDATE.name]
    return names + [layer_key(i).name for i in layer_ids]


def browser_lang() -> str:
    """Return the browser's language when the app speaks it, else the default language.

    The browser's own setting (``navigator.language``, as ``st.context.locale``) comes first,
    then the request's ``Accept-Language`` header.

    Returns
    -------
    str
        ``"kk"``, ``"ru"`` or ``"en"``.
    """
    header = st.context.headers.get("Accept-Language")
    tags = [st.context.locale, *accept_language_tags(header)]
    return negotiate_lang(tags) or DEFAULT_LANG


def url_params() -> Params:
    """Return the address bar's parameters: a repeated one (``candidate``) as a list of values.

    ``st.query_params.to_dict()`` keeps only the last value of a repeated parameter.

    Returns
    -------
    dict
        Parameter name to its value, or to the list of its values for a repeated parameter.
    """
    params: Params = dict(st.query_params.to_dict())
    for name in REPEATED_PARAMS:
        if name in params:
            params[name] = st.query_params.get_all(name)
    return params


def keep_widget_values(layer_ids: Iterable[str]) -> None:
    """Re-assert every widget's value so a run that draws it differently keeps it.

    Parameters
    ----------
    layer_ids
        Ids of the layers that have a checkbox.
    """
    for name in _widget_names(layer_ids):
        if name in st.session_state:
            st.session_state[name] = st.session_state[name]


def init_from_url(
    vocab: Vocabulary, *, layer_defaults: dict[str, bool], page: str
) -> tuple[ViewState, bool]:
    """Set every widget and value from the URL on a session's first run, and after Back.

    On later runs the session's own values stand, unless the URL is not the one the app last
    wrote: then the user went Back or Forward in the browser, and the URL wins.

    Parameters
    ----------
    vocab
        The values each parameter may take.
    layer_defaults
        Each available layer's id and whether it is shown by default.
    page
        The page the URL's path opened (``"map"`` or ``"near"``).

    Returns
    -------
    tuple of (ViewState, bool)
        The view, and whether it was taken from the URL on this run.
    """
    params = url_params()
    if INITIALISED.get():
        switching = SWITCHING.get()
        SWITCHING.set(False)
        last = LAST_URL.get()
        # The URL changed though the app did not write it: Back or Forward in the browser.
        if switching or last is None or last == (page, params):
            return current_view(page=page, layer_ids=layer_defaults), False
    state, notices = parse_view(params, vocab)
    if params.get("lang") not in LANGS:  # a first visit without a language: the browser's
        state = replace(state, lang=browser_lang())
    if page != "map":
        state = replace(state, page=page)
    LANG.set(state.lang)
    CITY.set(state.city)
    for param, key in FILTER_KEYS.items():
        key.set(list(state.filters.values_of(param)))
    PLACE.set(state.place)
    PAN_TO_PLACE.set(state.place is not None and state.center is None)
    MODE.set(state.page)
    PRESENT.set(state.present)
    STOP.set(state.stop)
    N.set(state.n)
    RADIUS.set(state.radius_km or ANY_RADIUS)
    NEAR_LANDMARKS.set(state.near_landmarks)
    NEAR.set(state.near)
    NEAR_SOURCE.set("link" if state.near else None)
    BASEMAP.set(state.basemap)
    WALK.set(state.walk_m)
    CANDIDATES.set(list(state.candidates))
    SCHEME.set(state.scheme)
    K.set(state.k)
    MEASURE.set(state.measure)
    shown = set(state.layers) if state.layers is not None else None
    for layer_id, default in layer_defaults.items():
        layer_key(layer_id).set(default if shown is None else layer_id in shown)
    if state.center is not None and state.zoom is not None:
        MAP_VIEW.set((state.center, state.zoom))
        if INITIALISED.get():
            MOVE_TO.set((state.center, state.zoom))  # the map is already on the page
        else:
            ORIGIN.set((state.center, state.zoom))
    URL_NOTICES.set([n for n in notices if n.param != "near" and n.param not in ANALYSIS_PARAMS])
    NOTICES_FOR.set(None)
    NEAR_NOTICES.set([n for n in notices if n.param == "near"])
    ANALYSIS_NOTICES.set([n for n in notices if n.param in ANALYSIS_PARAMS])
    INITIALISED.set(True)
    return state, True


def current_filters() -> Filters:
    """Return the filters the sidebar's widgets hold."""
    filters = Filters(city=CITY.get())
    for param, key in FILTER_KEYS.items():
        filters = filters.with_values(param, tuple(key.get()))
    return filters


def current_view(*, page: str, layer_ids: Iterable[str] = ()) -> ViewState:
    """Return the view the session describes.

    Parameters
    ----------
    page
        The page being shown.
    layer_ids
        The layers that have a checkbox, in registry order (``layers`` lists those ticked).

    Returns
    -------
    ViewState
        The view.
    """
    map_view = MAP_VIEW.get()
    radius = RADIUS.get()
    return ViewState(
        lang=LANG.get(),
        filters=current_filters(),
        place=PLACE.get(),
        page=page,
        near=NEAR.get(),
        n=int(N.get()),
        radius_km=int(radius) if radius else None,
        near_landmarks=bool(NEAR_LANDMARKS.get()),
        center=map_view[0] if map_view else None,
        zoom=map_view[1] if map_view else None,
        basemap=BASEMAP.get(),
        layers=shown_layers(layer_ids),
        present=bool(PRESENT.get()),
        stop=STOP.get(),
        walk_m=int(WALK.get()),
        candidates=tuple(CANDIDATES.get()),
        scheme=str(SCHEME.get()),
        k=int(K.get()),
        measure=str(MEASURE.get()),
    )


def shown_layers(layer_ids: Iterable[str]) -> tuple[str, ...]:
    """Return the ids of the layers whose checkbox is ticked, in registry order."""
    return tuple(i for i in layer_ids if layer_key(i).get())


def sync_url(state: ViewState, *, default_layers: tuple[str, ...]) -> None:
    """Write the view to the address bar when it changed.

    Parameters
    ----------
    state
        The view (with ``layers`` set to the layers shown).
    default_layers
        The layers shown by default: ``layers`` is written only when it differs.
    """
    params = view_to_params(state, default_layers=default_layers)
    if url_params() != params:
        st.query_params.from_dict(params)
    LAST_URL.set((state.page, params))
    if NOTICES_FOR.get() is None:
        NOTICES_FOR.set(_asked(params))


def _asked(params: Params) -> Params:
    return {k: v for k, v in params.items() if k not in MAP_VIEW_PARAMS}


def link_notices(
    *, page: str, layer_ids: Iterable[str], default_layers: tuple[str, ...]
) -> list[Notice]:
    """Return the notices about the link's ignored values while they are still about this view.

    They stay while the view is the one the link asked for (where the map is aside: it reports
    its position right after it first draws), and go once the user changes anything.

    Parameters
    ----------
    page
        The page being shown.
    layer_ids
        The layers that have a checkbox, in registry order.
    default_layers
        The layers shown by default.

    Returns
    -------
    list of Notice
        The notices to show.
    """
    asked = NOTICES_FOR.get()
    if asked is not None and URL_NOTICES.get():
        view = current_view(page=page, layer_ids=layer_ids)
        if _asked(view_to_params(view, default_layers=default_layers)) != asked:
            URL_NOTICES.set([])
    return URL_NOTICES.get()


def switch_page_soon(
    page: str, *, layer_ids: Iterable[str], default_layers: tuple[str, ...]
) -> Params:
    """Prepare the app's own switch to ``page``; return the URL parameters to switch with.

    The next run then follows this switch, not the browser's history, and the new history
    entry already holds the whole view (so Back returns to the page left, as it was).

    Parameters
    ----------
    page
        The page switched to.
    layer_ids
        The layers that have a checkbox, in registry order.
    default_layers
        The layers shown by default.

    Returns
    -------
    dict
        Query parameters for ``st.switch_page``.
    """
    SWITCHING.set(True)
    view = current_view(page=page, layer_ids=layer_ids)
    return view_to_params(view, default_layers=default_layers)


def set_position(lat_lon: tuple[float, float], source: str) -> None:
    """Set the near-me position and forget the messages about earlier input.

    Parameters
    ----------
    lat_lon
        The position, (latitude, longitude) in WGS 84 degrees, already checked.
    source
        How it was set (``typed``, ``map``, ``link``, ``search:<id>``).
    """
    NEAR.set(lat_lon)
    NEAR_SOURCE.set(source)
    NEAR_ERROR.set(None)
    NEAR_MAP_ERROR.set(None)
    NEAR_NOTICES.set([])


def show_filtered_map(filters: Filters, place_layers: Iterable[str]) -> None:
    """Set the sidebar's filters and ask for the map page (an ``on_click`` callback).

    Runs before the widgets are drawn, so it may set their values; the next run switches to
    the map, which then writes the filters to the URL. The place layers are ticked, so the map
    shows every place that was counted.

    Parameters
    ----------
    filters
        The filters to show the map with.
    place_layers
        Ids of the loaded place layers.
    """
    for layer_id in place_layers:
        layer_key(layer_id).set(True)
    CITY.set(filters.city)
    for param, key in FILTER_KEYS.items():
        key.set(list(filters.values_of(param)))
    MODE.set("map")
    forget_messages()


def forget_messages() -> None:
    """Messages about a past input do not outlive the page they were shown on."""
    NEAR_ERROR.set(None)
    NEAR_MAP_ERROR.set(None)
