"""Entry point: page config, cached loading and composition of the pages (run with `make run`)."""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo.errors import InputError
from geo.select import anchor_points, filter_mask_from_key, filter_options
from layers.i18n import DEFAULT_LANG, LANGS, t
from layers.load import load_layer, load_targets, resolve_path
from layers.payload import (
    document_filename,
    drawable,
    layer_document,
    visibility_mask,
    write_document,
)
from layers.registry import LAYERS, PLACES_LAYER_ID, layer_by_id
from ui import map_page
from ui.assets import LAYER_DATA_DIR, LAYER_DATA_URL_PREFIX

log = logging.getLogger("creative_map")

ROOT = Path(__file__).resolve().parent
# Both folders can be moved by environment variables (tests and bench/ use other catalogues).
DATA_DIR = Path(os.environ.get("CREATIVE_MAP_DATA_DIR", str(ROOT / "data"))).resolve()
CONTEXT_DIR = Path(
    os.environ.get("CREATIVE_MAP_CONTEXT_DIR", str(ROOT / "data" / "context"))
).resolve()


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else -1.0


@st.cache_data(show_spinner=False, max_entries=32)
def cached_layer(layer_id: str, path: str, mtime: float) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Load one layer; keyed on its id, file path and modification time."""
    del mtime  # part of the cache key only: a changed file is read again
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gdf = load_layer(layer_by_id(layer_id), path=Path(path))
    return gdf, [str(w.message) for w in caught]


@st.cache_data(show_spinner=False, max_entries=64)
def cached_document(layer_id: str, *, path: str, mtime: float, lang: str) -> tuple[str, str]:
    """Return a layer's document for the browser and its file name (whole layer, unfiltered)."""
    gdf, _ = cached_layer(layer_id, path, mtime)
    text = layer_document(layer_by_id(layer_id), gdf, lang=lang)
    return document_filename(layer_id, text), text


@st.cache_data(show_spinner=False, max_entries=32)
def cached_layer_notes(layer_id: str, path: str, mtime: float) -> list[str]:
    """Load (and so validate) a layer; return only its loader notes, so a rerun copies no frame."""
    return cached_layer(layer_id, path, mtime)[1]


@st.cache_data(show_spinner=False, max_entries=8)
def cached_anchors(path: str, mtime: float) -> dict[str, tuple[float, float]]:
    """Return (lat, lon) of a point on each placed place, for panning to it without the frame."""
    places, _ = cached_layer(PLACES_LAYER_ID, path, mtime)
    return anchor_points(places)


@st.cache_data(show_spinner=False, max_entries=256)
def cached_count(path: str, mtime: float, fkey: tuple[tuple[str, ...], ...]) -> int:
    """Return how many places (placed or not) match a filter key."""
    places, _ = cached_layer(PLACES_LAYER_ID, path, mtime)
    return int(filter_mask_from_key(places, fkey).sum())


@st.cache_data(show_spinner=False, max_entries=8)
def cached_drawable_ids(path: str, mtime: float) -> tuple[str, ...]:
    """Return the ids of the places layer's drawable features, in document order."""
    places, _ = cached_layer(PLACES_LAYER_ID, path, mtime)
    return tuple(places.loc[drawable(places), "id"].astype(str))


@st.cache_data(show_spinner=False, max_entries=256)
def cached_mask(path: str, mtime: float, fkey: tuple[tuple[str, ...], ...]) -> str | None:
    """Return the places layer's visibility mask for a filter key; ``None`` shows every feature."""
    if not any(fkey):
        return None
    places, _ = cached_layer(PLACES_LAYER_ID, path, mtime)
    on_map = places[drawable(places)]
    return visibility_mask(filter_mask_from_key(on_map, fkey))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_filter_options(path: str, mtime: float, city: str) -> dict[str, list[str]]:
    """Return each filter's choices for a city choice (cheap to keep, costly at 10,000 rows)."""
    places, _ = cached_layer(PLACES_LAYER_ID, path, mtime)
    return filter_options(places, city)


@st.cache_data(show_spinner=False)
def cached_targets_count(path: str, mtime: float) -> int:
    """Load and validate the targets table; return how many targets it holds."""
    del mtime
    return len(load_targets(Path(path)))


def _path(layer_id: str) -> Path:
    return resolve_path(layer_by_id(layer_id), data_dir=DATA_DIR, context_dir=CONTEXT_DIR)


def main() -> None:
    """Compose the dashboard."""
    st.set_page_config(
        page_title="Creative spaces · Astana & Almaty",
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="expanded",
    )
    url_lang = st.query_params.get("lang")
    lang = st.session_state.get("lang") or (url_lang if url_lang in LANGS else DEFAULT_LANG)
    places_path = _path(PLACES_LAYER_ID)
    try:
        notes = cached_layer_notes(PLACES_LAYER_ID, str(places_path), _mtime(places_path))
        targets_count = cached_targets_count(str(places_path), _mtime(places_path))
    except InputError as err:
        log.exception("catalogue failed to load")
        st.error(f"{t('ui.data_error', lang)}\n\n```\n{err}\n```")
        st.stop()
    for note in notes:
        st.warning(note)

    available = []
    missing_context = False
    for spec in LAYERS:
        path = _path(spec.id)
        if spec.id == PLACES_LAYER_ID:
            available.append(spec)
            continue
        if spec.optional and not path.exists():
            missing_context = True
            continue
        try:
            # Loaded here so a broken context file is reported once, beside the map.
            layer_notes = cached_layer_notes(spec.id, str(path), _mtime(path))
        except InputError as err:
            log.exception("layer %s failed to load", spec.id)
            st.warning(f"{t('ui.layer_error', lang, layer=spec.title_in(lang))} {err}")
            continue
        for note in layer_notes:
            st.warning(note)
        available.append(spec)

    def layer_url(layer_id: str, lang: str) -> str:
        path = _path(layer_id)
        name, text = cached_document(layer_id, path=str(path), mtime=_mtime(path), lang=lang)
        write_document(LAYER_DATA_DIR, name, text)  # cheap when present; restores a purged file
        return LAYER_DATA_URL_PREFIX + name

    map_page.render(
        map_page.PageData(
            places=lambda: cached_layer(PLACES_LAYER_ID, str(places_path), _mtime(places_path))[0],
            anchors=lambda: cached_anchors(str(places_path), _mtime(places_path)),
            count=lambda fkey: cached_count(str(places_path), _mtime(places_path), fkey),
            total=cached_count(str(places_path), _mtime(places_path), ((),) * 6),
            layers=tuple(available),
            layer_url=layer_url,
            view=lambda fkey: (
                cached_mask(str(places_path), _mtime(places_path), fkey),
                cached_drawable_ids(str(places_path), _mtime(places_path)),
            ),
            missing_context=missing_context,
            targets_count=targets_count,
            options=lambda city: cached_filter_options(str(places_path), _mtime(places_path), city),
        )
    )


main()
