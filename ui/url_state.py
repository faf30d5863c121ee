"""The shareable view as URL query parameters: parsing with notices, and serialising back.

Pure (no Streamlit): ``ui/state.py`` moves the result in and out of the session.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode, urlsplit, urlunsplit

from geo.coverage import WALK_DEFAULT_M, WALK_MAX_M, WALK_MIN_M
from geo.nearest import MAX_RESULTS, PositionError, city_of, parse_near
from geo.select import CITY_CHOICES, FILTER_PARAMS, Filters, FilterVocabulary
from layers.i18n import DEFAULT_LANG, LANGS

__all__ = ["CITY_CHOICES", "FILTER_PARAMS"]

MAX_SHOWN_VALUE = 40
PAGES: tuple[str, ...] = ("map", "near", "targets", "analysis")
PRESENT_MODE = "present"  # mode=present: the map page laid out for a projector, with the tour
MAX_STOP = 999
DEFAULT_N = 5
RADII_KM: tuple[int, ...] = (1, 2, 5)
MIN_ZOOM, MAX_ZOOM = 4, 19
DEFAULT_BASEMAP = "osm"
# The planners' page (``/analysis``): its choropleth's scheme, classes and measure.
SCHEMES: tuple[str, ...] = ("Quantiles", "NaturalBreaks", "EqualInterval")
DEFAULT_SCHEME = "Quantiles"  # a few ms per filter change; NaturalBreaks is k-means
K_CHOICES: tuple[int, ...] = (3, 4, 5, 6, 7)
DEFAULT_K = 5
MEASURES: tuple[str, ...] = ("count", "per_100k")
DEFAULT_MEASURE = "count"
MAX_CANDIDATES = 6  # side by side: more would not be readable, even on a wide screen
# A query parameter that may repeat (``candidate=..&candidate=..``): its value is a list.
REPEATED_PARAMS = frozenset({"candidate"})
Params = dict[str, str | list[str]]
_DIGITS = re.compile(r"[0-9]{1,3}")  # ASCII only: str.isdigit() accepts "²", which int() refuses
_FLAGS = {"1": True, "0": False}  # a yes/no parameter: landmarks=1
# Why an ignored filter value did not apply (geo.select.Ignored.why) -> translation key.
_WHY_KEYS = {
    "unknown": "ui.why_unknown",
    "no_banks": "ui.why_no_banks",
    "other_city": "ui.why_other_city",
}


@dataclass(frozen=True)
class ViewState:
    """Everything the URL says about the view.

    ``center`` and ``zoom`` are where the map was (``None``: the city's own view);
    ``layers`` lists the layers shown (``None``: each layer's default).
    """

    lang: str = DEFAULT_LANG
    filters: Filters = field(default_factory=Filters)
    place: str | None = None
    page: str = "map"
    near: tuple[float, float] | None = None  # (lat, lon), WGS 84 degrees
    n: int = DEFAULT_N
    radius_km: int | None = None
    near_landmarks: bool = False  # list context landmarks among the nearest places too
    center: tuple[float, float] | None = None  # (lat, lon), WGS 84 degrees
    zoom: int | None = None
    basemap: str = DEFAULT_BASEMAP
    layers: tuple[str, ...] | None = None
    present: bool = False  # presentation mode (``mode=present``), on the map page
    stop: int | None = None  # the tour's stop, counted from 1 (``stop=N``)
    walk_m: int = WALK_DEFAULT_M  # the planners' walking distance in metres (``walk``)
    candidates: tuple[tuple[float, float], ...] = ()  # candidate sites, (lat, lon) each
    scheme: str = DEFAULT_SCHEME  # the choropleth's class scheme (``scheme``)
    k: int = DEFAULT_K  # its number of classes (``k``)
    measure: str = DEFAULT_MEASURE  # places per district: ``count`` or ``per_100k``

    @property
    def city(self) -> str:
        """Return the city choice: ``"both"`` or a city id."""
        return self.filters.city


@dataclass(frozen=True)
class Notice:
    """A URL value that was ignored, and why (a translation key)."""

    param: str
    value: str
    why_key: str


@dataclass(frozen=True)
class Vocabulary:
    """The values each parameter may take, from the loaded data and the app's choices."""

    filters: FilterVocabulary = field(default_factory=FilterVocabulary)
    place: frozenset[str] = frozenset()
    layers: frozenset[str] = frozenset()
    basemaps: frozenset[str] = frozenset({DEFAULT_BASEMAP})


def format_near(lat_lon: tuple[float, float]) -> str:
    """Return a position as ``LAT,LON`` with 5 decimals (about 1 m)."""
    return f"{lat_lon[0]:.5f},{lat_lon[1]:.5f}"


def check_position(text: str) -> tuple[tuple[float, float] | None, str | None]:
    """Return ((lat, lon), None) for a usable position, else (None, translation key of why)."""
    try:
        lat, lon = parse_near(text)
        city_of(lat, lon)
    except PositionError as err:
        return None, f"near.err.{err.code}"
    return (lat, lon), None


def _shown(value: str) -> str:
    return value if len(value) <= MAX_SHOWN_VALUE else value[:MAX_SHOWN_VALUE] + "…"


def _all(raw: str | list[str]) -> list[str]:
    return list(raw) if isinstance(raw, list) else [raw]


def _first(raw: str | list[str]) -> str:
    if isinstance(raw, list):
        return raw[-1] if raw else ""
    return raw


def _parse_near_params(
    params: Mapping[str, str], state: ViewState, notices: list[Notice]
) -> ViewState:
    mode = params.get("mode", "").strip()
    if mode in PAGES:
        state = replace(state, page=mode)
    elif mode == PRESENT_MODE:
        state = replace(state, present=True)
    elif "mode" in params:
        notices.append(Notice("mode", _shown(mode), "ui.why_unknown"))
    if "near" in params:
        position, why = check_position(params["near"])
        if "mode" not in params:
            state = replace(state, page="near")
        if position is not None:
            state = replace(state, near=position)
        else:
            notices.append(Notice("near", _shown(params["near"]), why or "ui.why_unknown"))
    return _parse_near_settings(params, state, notices)


def _parse_near_settings(
    params: Mapping[str, str], state: ViewState, notices: list[Notice]
) -> ViewState:
    if "n" in params:
        raw = params["n"].strip()
        if _DIGITS.fullmatch(raw) and 1 <= int(raw) <= MAX_RESULTS:
            state = replace(state, n=int(raw))
        else:
            notices.append(Notice("n", _shown(raw), "ui.why_n"))
    if "radius" in params:
        raw = params["radius"].strip()
        if _DIGITS.fullmatch(raw) and int(raw) in RADII_KM:
            state = replace(state, radius_km=int(raw))
        else:
            notices.append(Notice("radius", _shown(raw), "ui.why_radius"))
    if "landmarks" in params:
        raw = params["landmarks"].strip()
        if raw in _FLAGS:
            state = replace(state, near_landmarks=_FLAGS[raw])
        else:
            notices.append(Notice("landmarks", _shown(raw), "ui.why_flag"))
    return state


def _parse_map_params(
    params: Mapping[str, str], state: ViewState, vocab: Vocabulary, notices: list[Notice]
) -> ViewState:
    if "zoom" in params:
        raw = params["zoom"].strip()
        if _DIGITS.fullmatch(raw) and MIN_ZOOM <= int(raw) <= MAX_ZOOM:
            state = replace(state, zoom=int(raw))
        else:
            notices.append(Notice("zoom", _shown(raw), "ui.why_zoom"))
    if "center" in params:
        raw = params["center"]
        try:
            state = replace(state, center=parse_near(raw))
        except PositionError:
            notices.append(Notice("center", _shown(raw), "near.err.format"))
    if "basemap" in params:
        raw = params["basemap"].strip()
        if raw in vocab.basemaps:
            state = replace(state, basemap=raw)
        else:
            notices.append(Notice("basemap", _shown(raw), "ui.why_unknown"))
    if "layers" in params:
        state = replace(state, layers=_parse_layers(params["layers"], vocab, notices))
    if (state.center is None) != (state.zoom is None):  # one without the other says nothing
        param, value = ("center", params["center"]) if state.center else ("zoom", params["zoom"])
        notices.append(Notice(param, _shown(value), "ui.why_center_zoom"))
        state = replace(state, center=None, zoom=None)
    return state


def _parse_stop(params: Mapping[str, str], state: ViewState, notices: list[Notice]) -> ViewState:
    if "stop" in params:
        raw = params["stop"].strip()
        if _DIGITS.fullmatch(raw) and 1 <= int(raw) <= MAX_STOP:
            return replace(state, stop=int(raw))
        notices.append(Notice("stop", _shown(raw), "ui.why_stop"))
    return state


# Layer ids renamed since links were shared: an old link still shows what its sender saw.
LAYER_ALIASES: dict[str, str] = {"astana_city_outline": "city_outlines"}


def _parse_layers(raw: str, vocab: Vocabulary, notices: list[Notice]) -> tuple[str, ...]:
    kept: list[str] = []
    for value in (LAYER_ALIASES.get(v.strip(), v.strip()) for v in raw.split(",")):
        if value in vocab.layers:
            if value not in kept:
                kept.append(value)
        elif value:
            notices.append(Notice("layers", _shown(value), "ui.why_layer"))
    return tuple(kept)


def _parse_candidates(raws: list[str], notices: list[Notice]) -> tuple[tuple[float, float], ...]:
    kept: list[tuple[float, float]] = []
    for raw in raws:
        position, why = check_position(raw)
        if position is None:
            notices.append(Notice("candidate", _shown(raw), why or "ui.why_unknown"))
        elif len(kept) >= MAX_CANDIDATES and position not in kept:
            notices.append(Notice("candidate", _shown(raw), "ui.why_candidates"))
        elif position not in kept:
            kept.append(position)
    return tuple(kept)


_CHOICE_PARAMS: dict[str, tuple[tuple[str, ...], str]] = {
    "scheme": (SCHEMES, "ui.why_scheme"),
    "measure": (MEASURES, "ui.why_measure"),
}


def _parse_analysis(
    params: Mapping[str, str | list[str]], state: ViewState, notices: list[Notice]
) -> ViewState:
    flat = {name: _first(value).strip() for name, value in params.items()}
    if "walk" in flat:
        raw = flat["walk"]
        if re.fullmatch(r"[0-9]{1,5}", raw) and WALK_MIN_M <= int(raw) <= WALK_MAX_M:
            state = replace(state, walk_m=int(raw))
        else:
            notices.append(Notice("walk", _shown(raw), "ui.why_walk"))
    if "candidate" in params:
        state = replace(state, candidates=_parse_candidates(_all(params["candidate"]), notices))
    for param, (choices, why) in _CHOICE_PARAMS.items():
        if param in flat and flat[param] in choices:
            state = replace(state, **{param: flat[param]})
        elif param in flat:
            notices.append(Notice(param, _shown(flat[param]), why))
    if "k" in flat:
        raw = flat["k"]
        if _DIGITS.fullmatch(raw) and int(raw) in K_CHOICES:
            state = replace(state, k=int(raw))
        else:
            notices.append(Notice("k", _shown(raw), "ui.why_k"))
    return state


def parse_view(
    params: Mapping[str, str | list[str]], vocab: Vocabulary
) -> tuple[ViewState, list[Notice]]:
    """Return the view a URL describes, and a notice for every value it ignored.

    Unknown parameters are left alone (they may belong to a later feature); unknown or
    malformed values of known parameters are dropped one by one, keeping the rest, and so are
    filter values that do not apply to the chosen city.

    Parameters
    ----------
    params
        Query parameters (``st.query_params.to_dict()`` or a plain dict); a repeated
        parameter (``candidate``) as a list of its values, any other as its last value.
    vocab
        Allowed values.

    Returns
    -------
    tuple of (ViewState, list of Notice)
        The view, and what was ignored.
    """
    flat = {name: _first(value) for name, value in params.items()}
    notices: list[Notice] = []
    state = ViewState()
    if "lang" in flat:
        lang = flat["lang"].strip()
        if lang in LANGS:
            state = replace(state, lang=lang)
        else:
            notices.append(Notice("lang", _shown(lang), "ui.why_unknown"))
    filters, ignored = Filters.from_params(flat, vocab.filters)
    state = replace(state, filters=filters)
    notices.extend(Notice(i.param, _shown(i.value), _WHY_KEYS[i.why]) for i in ignored)
    if "place" in flat:
        place = flat["place"].strip()
        if place in vocab.place:
            state = replace(state, place=place)
        elif place:
            notices.append(Notice("place", _shown(place), "ui.why_place"))
    state = _parse_stop(flat, _parse_map_params(flat, state, vocab, notices), notices)
    state = _parse_analysis(params, state, notices)
    return _parse_near_params(flat, state, notices), notices


def view_to_params(state: ViewState, *, default_layers: tuple[str, ...] = ()) -> Params:
    """Return the query parameters describing a view, leaving out defaults.

    Parameters
    ----------
    state
        The view.
    default_layers
        The layers shown by default, in order: ``layers`` is written only when it differs.

    Returns
    -------
    dict
        Parameter name to value; multi-valued parameters are comma-separated, and a
        repeated one (``candidate``) is a list of its values.
    """
    out: Params = {"lang": state.lang, **state.filters.to_params()}
    if state.place:
        out["place"] = state.place
    # A tour's stop says where the map is: the link (and its QR code) stays short.
    at_stop = state.present and state.stop is not None
    if state.page == "map" and not at_stop and state.center is not None and state.zoom is not None:
        out["center"] = format_near(state.center)
        out["zoom"] = str(state.zoom)
    if state.basemap != DEFAULT_BASEMAP:
        out["basemap"] = state.basemap
    if state.layers is not None and set(state.layers) != set(default_layers):
        out["layers"] = ",".join(state.layers)
    if state.page == "map" and state.present:
        out["mode"] = PRESENT_MODE
        if state.stop is not None:
            out["stop"] = str(state.stop)
    if state.page == "near":  # the page itself is in the URL's path (/near)
        if state.near is not None:
            out["near"] = format_near(state.near)
        if state.n != DEFAULT_N:
            out["n"] = str(state.n)
        if state.radius_km is not None:
            out["radius"] = str(state.radius_km)
        if state.near_landmarks:
            out["landmarks"] = "1"
    if state.page == "analysis":
        out.update(analysis_params(state))
    return out


def analysis_params(state: ViewState) -> Params:
    """Return the planners' page's own parameters of a view, leaving out defaults.

    Parameters
    ----------
    state
        The view.

    Returns
    -------
    dict
        ``walk``, ``candidate`` (a list), ``scheme``, ``k`` and ``measure`` where they differ
        from their defaults.
    """
    out: Params = {}
    if state.walk_m != WALK_DEFAULT_M:
        out["walk"] = str(state.walk_m)
    if state.candidates:
        out["candidate"] = [format_near(c) for c in state.candidates]
    if state.scheme != DEFAULT_SCHEME:
        out["scheme"] = state.scheme
    if state.k != DEFAULT_K:
        out["k"] = str(state.k)
    if state.measure != DEFAULT_MEASURE:
        out["measure"] = state.measure
    return out


def view_url(base: str, params: Mapping[str, str | list[str]]) -> str:
    """Return the address of a view: the app's address with the view's query parameters.

    Parameters
    ----------
    base
        The app's address as the browser sees it; its own query and fragment are dropped.
    params
        The view's parameters (``view_to_params``).

    Returns
    -------
    str
        The URL, parameters percent-encoded; a list value repeats its parameter.
    """
    parts = urlsplit(base)
    query = urlencode(params, doseq=True)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
