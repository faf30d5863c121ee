"""The shareable view as URL query parameters: parsing with notices, and serialising back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from layers.i18n import DEFAULT_LANG, LANGS

CITY_CHOICES: tuple[str, ...] = ("both", "astana", "almaty")
MULTI_PARAMS: tuple[str, ...] = ("kind", "status", "bank", "district", "year")
MAX_SHOWN_VALUE = 40


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


@dataclass(frozen=True)
class Notice:
    """A URL value that was ignored, and why (a translation key)."""

    param: str
    value: str
    why_key: str


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
    return state, notices


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
    return out
