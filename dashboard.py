"""Entry point: page config, cached loading and composition of the pages (run with `make run`)."""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from shapely.geometry import Point

from geo.bank import classify_bank_by_polygons
from geo.errors import InputError
from geo.nearest import PlaceIndex, build_index
from geo.search import Entry, gazetteer, landmark_entries
from geo.select import anchor_points, filter_mask_from_key, filter_options
from layers.i18n import DEFAULT_LANG, LANGS, t
from layers.load import GAZETTEER_FILE, load_gazetteer, load_layer, load_targets, resolve_path
from layers.payload import (
    document_filename,
    drawable,
    layer_document,
    visibility_mask,
    write_document,
)
from layers.registry import (
    LAYERS,
    PLACE_LAYER_IDS,
    PLACES_LAYER_ID,
    VENUES_LAYER_ID,
    layer_by_id,
)
from layers.spec import LayerSpec
from sources.nominatim import geocode
from ui import map_page, near_page, shell
from ui.assets import LAYER_DATA_DIR, LAYER_DATA_URL_PREFIX
from ui.sidebar import render_sidebar

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


# The places the app works with: the catalogue plus, when `make data` has fetched them, the
# OpenStreetMap venues. A data key names their files and versions (and the bank polygons used
# to give Astana's venues a bank): (((layer id, path, mtime), ...), (banks path, mtime) | None).
DataKey = tuple[tuple[tuple[str, str, float], ...], tuple[str, float] | None]


@st.cache_data(show_spinner=False, max_entries=8)
def cached_places(dkey: DataKey) -> gpd.GeoDataFrame:
    """Return every place record, with a ``layer`` column naming the layer it comes from."""
    sources, banks = dkey
    parts = [cached_layer(lid, path, mtime)[0].assign(layer=lid) for lid, path, mtime in sources]
    places = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs="EPSG:4326")
    if banks is not None:
        bank_polygons, _ = cached_layer("astana_banks", banks[0], banks[1])
        # Venues only: the catalogue's banks are curated facts, never overwritten or guessed.
        todo = (places["layer"] == VENUES_LAYER_ID) & (places["city"] == "astana")
        todo &= places["bank"].isna()
        if todo.any():
            places.loc[todo, "bank"] = classify_bank_by_polygons(places[todo], bank_polygons)
    return places


@st.cache_data(show_spinner=False, max_entries=8)
def cached_anchors(dkey: DataKey) -> dict[str, tuple[float, float]]:
    """Return (lat, lon) of a point on each placed place, for panning to it without the frame."""
    return anchor_points(cached_places(dkey))


@st.cache_data(show_spinner=False, max_entries=256)
def cached_count(dkey: DataKey, fkey: tuple[tuple[str, ...], ...]) -> int:
    """Return how many places (placed or not) match a filter key."""
    return int(filter_mask_from_key(cached_places(dkey), fkey).sum())


@st.cache_data(show_spinner=False, max_entries=16)
def cached_drawable_ids(dkey: DataKey, layer_id: str) -> tuple[str, ...]:
    """Return the ids of a place layer's drawable features, in document order."""
    places = cached_places(dkey)
    layer = places[places["layer"] == layer_id]
    return tuple(layer.loc[drawable(layer), "id"].astype(str))


@st.cache_data(show_spinner=False, max_entries=256)
def cached_mask(dkey: DataKey, layer_id: str, fkey: tuple[tuple[str, ...], ...]) -> str | None:
    """Return a place layer's visibility mask for a filter key; ``None`` shows every feature."""
    if not any(fkey):
        return None
    places = cached_places(dkey)
    layer = places[places["layer"] == layer_id]
    on_map = layer[drawable(layer)]
    return visibility_mask(filter_mask_from_key(on_map, fkey))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_filter_options(dkey: DataKey, city: str) -> dict[str, list[str]]:
    """Return each filter's choices for a city choice (cheap to keep, costly at 10,000 rows)."""
    return filter_options(cached_places(dkey), city)


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_index(dkey: DataKey, city: str) -> PlaceIndex:
    """Return the nearest-place index of a city, built once per data version (not copied)."""
    return build_index(cached_places(dkey), city)


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_gazetteer(dkey: DataKey, landmarks: tuple[str, float] | None) -> tuple[Entry, ...]:
    """Return the offline search entries, names folded once: places, venues, landmarks, streets.

    A broken gazetteer file is logged and left out: the places still answer.
    """
    entries = gazetteer(cached_places(dkey))
    if landmarks is not None:
        try:
            entries += landmark_entries(load_gazetteer(Path(landmarks[0])))
        except InputError:
            log.exception("the search gazetteer %s failed to load; searching without it", landmarks)
    return tuple(entries)  # shared by every session: read-only


@st.cache_data(show_spinner=False, max_entries=1024)
def cached_bank_of(banks: tuple[str, float] | None, lat: float, lon: float) -> str | None:
    """Return the bank of the Esil a position is on, or ``None`` without bank polygons."""
    if banks is None:
        return None
    polygons, _ = cached_layer("astana_banks", banks[0], banks[1])
    here = gpd.GeoDataFrame(geometry=[Point(lon, lat)], crs="EPSG:4326")
    return classify_bank_by_polygons(here, polygons).iloc[0]


@st.cache_data(show_spinner=False)
def cached_targets_count(path: str, mtime: float) -> int:
    """Load and validate the targets table; return how many targets it holds."""
    del mtime
    return len(load_targets(Path(path)))


def _path(layer_id: str) -> Path:
    return resolve_path(layer_by_id(layer_id), data_dir=DATA_DIR, context_dir=CONTEXT_DIR)


def _load_context_layers(lang: str) -> tuple[list[LayerSpec], bool]:
    """Return the layers that loaded (reporting broken ones) and whether context is missing."""
    available: list[LayerSpec] = []
    missing_context = False
    for spec in LAYERS:
        path = _path(spec.id)
        if spec.id == PLACES_LAYER_ID:
            available.append(spec)
            continue
        if spec.optional and not path.exists():
            missing_context = missing_context or spec.folder == "context"
            continue
        try:
            # Loaded here so a broken file is reported once, beside the map.
            layer_notes = cached_layer_notes(spec.id, str(path), _mtime(path))
        except InputError as err:
            log.exception("layer %s failed to load", spec.id)
            st.warning(f"{t('ui.layer_error', lang, layer=spec.title_in(lang))} {err}")
            continue
        for note in layer_notes:
            st.warning(note)
        available.append(spec)
    return available, missing_context


def main() -> None:
    """Compose the dashboard: shared sidebar and URL state, then the map or the near-me page."""
    st.set_page_config(
        page_title="Creative spaces · Astana & Almaty",
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="auto",  # collapsed on a phone, open on a wider screen
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
    available, missing_context = _load_context_layers(lang)
    loaded = {spec.id for spec in available}
    sources = tuple(
        (lid, str(_path(lid)), _mtime(_path(lid))) for lid in PLACE_LAYER_IDS if lid in loaded
    )
    banks_path = _path("astana_banks")
    banks = (str(banks_path), _mtime(banks_path)) if "astana_banks" in loaded else None
    dkey: DataKey = (sources, banks)
    gazetteer_path = DATA_DIR / GAZETTEER_FILE
    landmarks = (str(gazetteer_path), _mtime(gazetteer_path)) if gazetteer_path.is_file() else None

    def layer_url(layer_id: str, lang: str) -> str:
        path = _path(layer_id)
        name, text = cached_document(layer_id, path=str(path), mtime=_mtime(path), lang=lang)
        write_document(LAYER_DATA_DIR, name, text)  # cheap when present; restores a purged file
        return LAYER_DATA_URL_PREFIX + name

    data = map_page.PageData(
        places=lambda: cached_places(dkey),
        anchors=lambda: cached_anchors(dkey),
        count=lambda fkey: cached_count(dkey, fkey),
        total=cached_count(dkey, ((),) * 6),
        layers=tuple(available),
        layer_url=layer_url,
        view=lambda layer_id, fkey: (
            cached_mask(dkey, layer_id, fkey),
            cached_drawable_ids(dkey, layer_id),
        ),
        missing_context=missing_context,
        targets_count=targets_count,
        options=lambda city: cached_filter_options(dkey, city),
    )
    shell.init_session(data.places, data.layers)
    render_sidebar(
        options=data.options(st.session_state.get("city", "both")),
        layers=data.layers,
        missing_context=data.missing_context,
    )
    state = shell.current_view()
    shell.sync_url(state)
    st.title(t("app.title", state.lang))
    st.caption(t("app.subtitle", state.lang))
    shell.render_mode_switch(state.lang)
    shell.show_notices(st.session_state.get("url_notices", []), state.lang)
    if state.mode == "near":
        near_page.render(
            near_page.NearData(
                places=data.places,
                index=lambda city: cached_index(dkey, city),
                entries=lambda: cached_gazetteer(dkey, landmarks),
                geocode=lambda query, city, lang: geocode(query, city, lang=lang),
                bank_of=lambda lat, lon: cached_bank_of(banks, lat, lon),
                has_banks=banks is not None,
                has_venues=VENUES_LAYER_ID in loaded,
                layer_url=layer_url,
                layers=data.layers,
            ),
            state,
        )
    else:
        map_page.render(data, state)


main()
