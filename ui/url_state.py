"""The shareable view as URL query parameters: parsing with notices, and serialising back."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from geo.nearest import MAX_RESULTS, PositionError, city_of, parse_near
from layers.i18n import DEFAULT_LANG, LANGS

CITY_CHOICES: tuple[str, ...] = ("both", "astana", "almaty")
MULTI_PARAMS: tuple[str, ...] = ("kind", "status", "bank", "district", "year")
MAX_SHOWN_VALUE = 40
MODES: tuple[str, ...] = ("map", "near")
DEFAULT_N = 5
RADII_KM: tuple[int, ...] = (1, 2, 5)
_DIGITS = re.compile(r"[0-9]{1,3}")  # ASCII only: str.isdigit() accepts "²", which int() refuses


@dataclass(frozen=True)
class ViewState:
    """Everything the URL says about the view. Empty tuples mean "no restriction"."""

    lang: str = DEFAULT_LANG
    city: str = "both"
    kind: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    bank: tuple[str, ...] = ()
    district: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    place: str | None = None
    mode: str = "map"
    near: tuple[float, float] | None = None  # (lat, lon), WGS 84 degrees
    n: int = DEFAULT_N
    radius_km: int | None = None


@dataclass(frozen=True)
class Notice:
    """A URL value that was ignored, and why (a translation key)."""

    param: str
    value: str
    why_key: str


def format_near(lat_lon: tuple[float, float]) -> str:
    """Return a position as the ``near`` parameter's ``LAT,LON`` (5 decimals, about 1 m)."""
    return f"{lat_lon[0]:.5f},{lat_lon[1]:.5f}"


def check_position(text: str) -> tuple[tuple[float, float] | None, str | None]:
    """Return ((lat, lon), None) for a usable position, else (None, translation key of why)."""
    try:
        lat, lon = parse_near(text)
        city_of(lat, lon)
    except PositionError as err:
        return None, f"near.err.{err.code}"
    return (lat, lon), None


def _parse_near_params(
    params: Mapping[str, str | list[str]], state: ViewState, notices: list[Notice]
) -> ViewState:
    if _first(params.get("mode", "")).strip() in MODES:
        state = replace(state, mode=_first(params["mode"]).strip())
    elif "mode" in params:
        notices.append(Notice("mode", _shown(_first(params["mode"])), "ui.why_unknown"))
    if "near" in params:
        raw = _first(params["near"])
        position, why = check_position(raw)
        if "mode" not in params:
            state = replace(state, mode="near")
        if position is not None:
            state = replace(state, near=position)
        else:
            notices.append(Notice("near", _shown(raw), why or "ui.why_unknown"))
    if "n" in params:
        raw = _first(params["n"]).strip()
        if _DIGITS.fullmatch(raw) and 1 <= int(raw) <= MAX_RESULTS:
            state = replace(state, n=int(raw))
        else:
            notices.append(Notice("n", _shown(raw), "ui.why_n"))
    if "radius" in params:
        raw = _first(params["radius"]).strip()
        if _DIGITS.fullmatch(raw) and int(raw) in RADII_KM:
            state = replace(state, radius_km=int(raw))
        else:
            notices.append(Notice("radius", _shown(raw), "ui.why_radius"))
    return state


@dataclass(frozen=True)
class Vocabulary:
    """The values each parameter may take, taken from the loaded catalogue."""

    kind: frozenset[str] = field(default_factory=frozenset)
    status: frozenset[str] = field(default_factory=frozenset)
    bank: frozenset[str] = field(default_factory=frozenset)
    district: frozenset[str] = field(default_factory=frozenset)
    year: frozenset[str] = field(default_factory=frozenset)
    place: frozenset[str] = field(default_factory=frozenset)


def _shown(value: str) -> str:
    return value if len(value) <= MAX_SHOWN_VALUE else value[:MAX_SHOWN_VALUE] + "…"


def _first(raw: str | list[str]) -> str:
    if isinstance(raw, list):
        return raw[-1] if raw else ""
    return raw


def parse_view(
    params: Mapping[str, str | list[str]], vocab: Vocabulary
) -> tuple[ViewState, list[Notice]]:
    """Return the view a URL describes, and a notice for every value it ignored.

    Unknown parameters are left alone (they may belong to a later feature); unknown or
    malformed values of known parameters are dropped one by one, keeping the rest.

    Parameters
    ----------
    params
        Query parameters (``st.query_params.to_dict()`` or a plain dict).
    vocab
        Allowed values.

    Returns
    -------
    tuple of (ViewState, list of Notice)
        The view, and what was ignored.
    """
    notices: list[Notice] = []
    state = ViewState()
    for name, choices in (("lang", LANGS), ("city", CITY_CHOICES)):
        if name in params:
            value = _first(params[name]).strip()
            if value in choices:
                state = replace(state, **{name: value})
            else:
                notices.append(Notice(name, _shown(value), "ui.why_unknown"))
    for name in MULTI_PARAMS:
        if name in params:
            kept, ignored = _split_known(_first(params[name]), getattr(vocab, name))
            state = replace(state, **{name: kept})
            notices.extend(Notice(name, _shown(v), "ui.why_unknown") for v in ignored)
    if "place" in params:
        place = _first(params["place"]).strip()
        if place in vocab.place:
            state = replace(state, place=place)
        elif place:
            notices.append(Notice("place", _shown(place), "ui.why_place"))
    return _parse_near_params(params, state, notices), notices


def _split_known(raw: str, allowed: frozenset[str]) -> tuple[tuple[str, ...], list[str]]:
    kept: list[str] = []
    ignored: list[str] = []
    for value in (v.strip() for v in raw.split(",")):
        if value and value in allowed:
            if value not in kept:
                kept.append(value)
        elif value:
            ignored.append(value)
    return tuple(kept), ignored


def view_to_params(state: ViewState) -> dict[str, str]:
    """Return the query parameters describing a view, leaving out defaults.

    Parameters
    ----------
    state
        The view.

    Returns
    -------
    dict
        Parameter name to value; multi-valued filters are comma-separated.
    """
    out: dict[str, str] = {"lang": state.lang, "city": state.city}
    for name in MULTI_PARAMS:
        values: tuple[str, ...] = getattr(state, name)
        if values:
            out[name] = ",".join(values)
    if state.place:
        out["place"] = state.place
    if state.mode != "map":
        out["mode"] = state.mode
        if state.near is not None:
            out["near"] = format_near(state.near)
        if state.n != DEFAULT_N:
            out["n"] = str(state.n)
        if state.radius_km is not None:
            out["radius"] = str(state.radius_km)
    return out
