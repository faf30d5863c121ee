"""Every ``st.cache_*`` wrapper, keyed on small hashable values: names with version tokens, Filters.

The store (``store/``) gives each dataset a version token that changes whenever its data
does; a cache entry is keyed on the names and tokens it was built from, so a change made in
the database (or a replaced file) reaches every session on its next rerun, and nothing is
read again while it does not change. The store object itself is passed as ``_store``
(Streamlit does not hash arguments whose name starts with an underscore).

Two kinds of cache, chosen by what a hit costs. ``st.cache_data`` pickles its value when it
stores it and unpickles a copy on every hit: right for small values a caller may change
(counts, masks, lists of options), far too slow for 100,000 places (about 0.3 s per copy of
the places frame, several times per run). The validated layer frames, the places frame and
the values derived from them for lookups are therefore held once per process and data
version in ``st.cache_resource`` and shared by every session. That is safe because they are
read-only by contract: immutable values (``str``, ``frozenset``, frozen records, tuples) where
possible, and frames that no code changes in place -- callers select, filter and ``assign``,
which make new frames; anyone who needs to change one takes ``.copy()`` first. A new data
version is a new key, so a change in the store still reaches every session on its next rerun.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import streamlit as st
from shapely.geometry import Point, Polygon

from geo.bank import classify_bank_by_polygons
from geo.banks_analysis import BankAnalysis, bank_analysis
from geo.coverage import Coverage, catchments, compute_coverage
from geo.district_ids import population_from_layer
from geo.district_places import district_disagreements, effective_districts
from geo.districts import Partition, build_partition, district_table, is_placed
from geo.errors import InputError
from geo.gaps import CandidateResult, evaluate_candidates
from geo.merge import merge_venues
from geo.nearest import PlaceIndex, build_index
from geo.network import StreetNetwork
from geo.search import Entry, SearchIndex, gazetteer, landmark_entries
from geo.select import Filters, FilterVocabulary, anchor_points, filter_options, in_bbox_mask
from geo.summary import BREAKDOWNS, Card, Timeline, announced_realised, breakdown, summary_cards
from geo.tour import validate_tour
from layers.analysis_map import CHOROPLETH_ID, choropleth_document, display_geojson
from layers.i18n import all_keys, label, translations_for
from layers.load import (
    check_gazetteer,
    check_layer,
    check_population,
    check_population_grid,
    check_streets,
    check_targets,
)
from layers.payload import document_filename, drawable, layer_document, visibility_mask
from layers.registry import (
    DISTRICT_LAYER_IDS,
    LAYERS,
    PLACE_LAYER_IDS,
    PLACES_LAYER_ID,
    VENUES_LAYER_ID,
    layer_by_id,
)
from layers.spec import LayerSpec
from settings import Settings
from store import Store, open_store

log = logging.getLogger("creative_map")

BANKS_LAYER_ID = "astana_banks"
MAX_LISTED = 20  # places listed in view: readable on a phone; zooming in narrows the list
GAZETTEER = "gazetteer"
TARGETS = "targets"
TOUR = "tour"
POPULATION = "district_population"
# ((layer id, version), ...): the layers a frame is built from. The place layers' frames
# depend on each other (a venue that is a catalogue record is merged into it), so each is
# keyed on the versions of every place layer that loaded.
Sources = tuple[tuple[str, str], ...]
# ((city, district layer version, population version or None), ...): each city whose district
# layer loaded, and what its partition is built from.
Districts = tuple[tuple[str, str, str | None], ...]
# (the place layers' sources, (banks version) or None, the districts): what the places frame is
# built from (a placed place's district is the one its city's district layer puts it in).
DataKey = tuple[Sources, str | None, Districts]


@st.cache_resource(show_spinner=False)
def store_for(settings: Settings) -> Store:
    """Return the process's store (one database engine and pool per process)."""
    return open_store(settings)


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_layer(
    _store: Store, layer_id: str, version: str
) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    """Read and validate one layer once per version; return it with the loader's notes.

    Shared by every session and read-only (see the module's docstring).
    """
    del version  # the cache key: a new version is read again
    spec = layer_by_id(layer_id)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gdf = check_layer(spec, _store.read_layer(layer_id), what=f"layer {layer_id!r}")
    return gdf, tuple(str(w.message) for w in caught)


def cached_layer_notes(_store: Store, layer_id: str, version: str) -> list[str]:
    """Validate a layer (once per version); return its notes (skipped rows)."""
    return list(cached_layer(_store, layer_id, version)[1])


@st.cache_data(show_spinner=False, max_entries=8)
def cached_targets(_store: Store, version: str) -> pd.DataFrame:
    """Read and validate the table of programme targets."""
    del version
    return check_targets(_store.read_table(TARGETS))


@st.cache_data(show_spinner=False, max_entries=8)
def cached_targets_count(_store: Store, version: str) -> int:
    """Return how many programme targets there are (validating them)."""
    return len(cached_targets(_store, version))


@st.cache_data(show_spinner=False, max_entries=8)
def cached_tour(_store: Store, version: str, dkey: DataKey, targets_version: str) -> pd.DataFrame:
    """Read the guided tour's stops and check them against the places and targets."""
    del version
    targets = cached_targets(_store, targets_version)
    return validate_tour(
        _store.read_table(TOUR),
        place_ids=cached_place_ids(_store, dkey),
        target_ids=frozenset(targets["id"]),
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_place_layers(
    _store: Store, sources: Sources
) -> tuple[tuple[str, gpd.GeoDataFrame], ...]:
    """Return each loaded place layer's frame, one record per place: ((layer id, frame), ...).

    With both place layers loaded, OpenStreetMap venues that are catalogue records are merged
    into them (``geo.merge``): the catalogue's frame gains their sources and facts, the
    venues' frame loses them, so the map draws one pin and the lists one place. Shared by
    every session and read-only (see the module's docstring).
    """
    frames = {lid: cached_layer(_store, lid, v)[0] for lid, v in sources}
    if PLACES_LAYER_ID in frames and VENUES_LAYER_ID in frames:
        merged = merge_venues(frames[PLACES_LAYER_ID], frames[VENUES_LAYER_ID])
        frames[PLACES_LAYER_ID], frames[VENUES_LAYER_ID] = merged.places, merged.venues
        log.info("merged %d OpenStreetMap venue(s) into catalogue records", len(merged.matches))
    return tuple(frames.items())


def _layer_frame(_store: Store, layer_id: str, sources: Sources) -> gpd.GeoDataFrame:
    """Return a layer's frame as the map draws it (a place layer: after the merge)."""
    if layer_id in PLACE_LAYER_IDS:
        return dict(cached_place_layers(_store, sources))[layer_id]
    return cached_layer(_store, layer_id, dict(sources)[layer_id])[0]


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_document(_store: Store, layer_id: str, sources: Sources, lang: str) -> tuple[str, str]:
    """Return a layer's document for the browser and its file name (whole layer, unfiltered).

    ``sources`` names the versions the layer's frame is built from: its own, and for a place
    layer every loaded place layer's (see ``cached_place_layers``). Strings are immutable:
    shared by every session without a copy per run (about 25 MB for 100,000 places).
    """
    gdf = _layer_frame(_store, layer_id, sources)
    text = layer_document(layer_by_id(layer_id), gdf, lang=lang)
    return document_filename(layer_id, text), text


@st.cache_data(show_spinner=False, max_entries=4)
def cached_population(_store: Store, version: str) -> pd.DataFrame:
    """Read and validate the population by district (a small table: copied on each hit)."""
    del version
    return check_population(_store.read_table(POPULATION))


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_partition(
    _store: Store, city: str, layer_version: str, population_version: str | None
) -> Partition:
    """Return a city's districts with overlaps resolved and population attached.

    Built once per version of the district layer and of the population table; shared by
    every session and read-only (see the module's docstring).
    """
    districts, _ = cached_layer(_store, DISTRICT_LAYER_IDS[city], layer_version)
    if population_version is not None:
        population = cached_population(_store, population_version)
    else:  # no table: OpenStreetMap's population tags, when `make data` found them
        population = population_from_layer(districts, city)
    return build_partition(districts, population, city=city)


def _partitions(_store: Store, districts: Districts) -> dict[str, Partition]:
    return {city: cached_partition(_store, city, lv, pv) for city, lv, pv in districts}


def _layer_districts(_store: Store, dkey: DataKey) -> dict[str, tuple[str, ...]]:
    """Return each city's district ids on its district layer (the district filter's values)."""
    return {
        city: tuple(partition.frame["district"].astype(str))
        for city, partition in _partitions(_store, dkey[2]).items()
    }


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_places(_store: Store, dkey: DataKey) -> gpd.GeoDataFrame:
    """Return every place record, with a ``layer`` column naming the layer it comes from.

    A placed place of a city with a district layer takes the district the layer puts it in;
    the catalogue's value is kept in ``district_stated``. Shared by every session and
    read-only (see the module's docstring).
    """
    sources, banks, districts = dkey
    parts = [frame.assign(layer=lid) for lid, frame in cached_place_layers(_store, sources)]
    places = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs="EPSG:4326")
    if banks is not None:
        bank_polygons, _ = cached_layer(_store, BANKS_LAYER_ID, banks)
        # Venues, and catalogue records placed by a venue's position, only: the catalogue's
        # banks are curated facts, never overwritten or guessed from a curated position.
        from_osm = places["layer"] == VENUES_LAYER_ID
        if "osm_position" in places.columns:
            from_osm |= places["osm_position"].eq(True)
        todo = from_osm & (places["city"] == "astana")
        todo &= places["bank"].isna()
        if todo.any():
            places.loc[todo, "bank"] = classify_bank_by_polygons(places[todo], bank_polygons)
    return effective_districts(places, _partitions(_store, districts))


@st.cache_data(show_spinner=False, max_entries=8)
def cached_district_disagreements(_store: Store, dkey: DataKey) -> pd.DataFrame:
    """Return the places whose stated district is not the one their city's layer gives."""
    return district_disagreements(cached_places(_store, dkey))


@st.cache_data(show_spinner=False, max_entries=1024)
def cached_anchor(_store: Store, dkey: DataKey, place_id: str) -> tuple[float, float] | None:
    """Return (lat, lon) of a point on a placed place, for panning to it; ``None`` if unplaced.

    One place at a time: the pages need one anchor per run, not 100,000 copied per run.
    """
    places = cached_places(_store, dkey)
    return anchor_points(places[places["id"] == place_id]).get(place_id)


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_vocabulary(_store: Store, dkey: DataKey) -> FilterVocabulary:
    """Return the values each filter may take (a frozen record: shared, never copied)."""
    return FilterVocabulary.of(
        cached_places(_store, dkey), layer_districts=_layer_districts(_store, dkey)
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_place_ids(_store: Store, dkey: DataKey) -> frozenset[str]:
    """Return the ids of every place (for checking a ``place`` URL value; immutable, shared)."""
    return frozenset(cached_places(_store, dkey)["id"].astype(str))


@st.cache_data(show_spinner=False, max_entries=256)
def cached_count(_store: Store, dkey: DataKey, filters: Filters, layers: tuple[str, ...]) -> int:
    """Return how many places of the shown layers (placed or not) the filters let through."""
    places = cached_places(_store, dkey)
    return int((filters.mask(places) & places["layer"].isin(layers)).sum())


@st.cache_data(show_spinner=False, max_entries=256)
def cached_mask(_store: Store, dkey: DataKey, layer_id: str, filters: Filters) -> str | None:
    """Return a place layer's visibility mask for the filters; ``None`` shows every feature."""
    if filters.is_unrestricted():
        return None
    places = cached_places(_store, dkey)
    layer = places[places["layer"] == layer_id]
    return visibility_mask(filters.mask(layer[drawable(layer)]))


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_name_order(_store: Store, dkey: DataKey, lang: str) -> npt.NDArray[np.intp]:
    """Return the row positions of the places sorted by name in a language (stable).

    Sorting 100,000 names takes a tenth of a second; the list of places in view needs the
    first few in this order on every run. Read-only, shared (see the module's docstring).
    """
    order = np.argsort(
        cached_places(_store, dkey)[f"name_{lang}"].to_numpy(dtype=str), kind="stable"
    )
    order.setflags(write=False)
    return order


@st.cache_data(show_spinner=False, max_entries=64)
def cached_listing(
    _store: Store,
    dkey: DataKey,
    filters: Filters,
    layers: tuple[str, ...],
    bbox: tuple[float, float, float, float] | None,
    lang: str,
) -> tuple[gpd.GeoDataFrame, int, gpd.GeoDataFrame]:
    """Return the places a list shows: the first in view by name, how many, and the unplaced.

    Parameters
    ----------
    _store
        The store.
    dkey
        The places' data key.
    filters
        The filters.
    layers
        Place layers shown.
    bbox
        The map's view as (minx, miny, maxx, maxy) in degrees (EPSG:4326); ``None``: the
        map has not reported one yet, so every placed place counts as in view.
    lang
        Language of the names the list is ordered by.

    Returns
    -------
    tuple
        Up to ``MAX_LISTED`` placed places in view, ordered by name; how many are in view;
        the matching places without a position, ordered by name. The frames hold only the
        columns a list shows: ``id``, ``name_<lang>``, ``kind``, ``status``,
        ``location_accuracy_m`` and the geometry.
    """
    places = cached_places(_store, dkey)
    chosen = filters.mask(places) & places["layer"].isin(layers)
    placed = chosen & drawable(places)
    in_view = placed.copy()
    if bbox is not None:
        in_view[placed] = in_bbox_mask(places[placed], bbox)
    order = cached_name_order(_store, dkey, lang)
    shown = in_view.to_numpy(dtype=bool)
    first = order[shown[order]][:MAX_LISTED]
    # Only what a list shows: a cache_data value is pickled on every hit, column by column.
    columns = ["id", f"name_{lang}", "kind", "status", "location_accuracy_m", "geometry"]
    unplaced = places.loc[chosen & ~placed, columns].sort_values([f"name_{lang}"])
    return places.iloc[first][columns], int(shown.sum()), unplaced


@st.cache_data(show_spinner=False, max_entries=256)
def cached_place_row(_store: Store, dkey: DataKey, place_id: str) -> gpd.GeoDataFrame:
    """Return the record of one place (a one-row frame; empty if there is no such place)."""
    places = cached_places(_store, dkey)
    return places[places["id"] == place_id]


@st.cache_data(show_spinner=False, max_entries=64)
def cached_summary(
    _store: Store, dkey: DataKey, filters: Filters
) -> tuple[tuple[Card, ...], dict[str, pd.DataFrame], Timeline]:
    """Return the summary cards, each breakdown of places and the timeline, for the filters."""
    places = cached_places(_store, dkey)
    bars = {field: breakdown(places, field, filters) for field in BREAKDOWNS}
    return summary_cards(places, filters), bars, announced_realised(places, filters)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_filter_options(_store: Store, dkey: DataKey, city: str) -> dict[str, list[str]]:
    """Return each filter's choices for a city choice (cheap to keep, costly at 10,000 rows)."""
    places = cached_places(_store, dkey)
    return filter_options(places, city, layer_districts=_layer_districts(_store, dkey))


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_index(_store: Store, dkey: DataKey, city: str) -> PlaceIndex:
    """Return the nearest-place index of a city, built once per data version (not copied)."""
    return build_index(cached_places(_store, dkey), city)


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_gazetteer(_store: Store, dkey: DataKey, landmarks: str | None) -> tuple[Entry, ...]:
    """Return the offline search entries, names folded once: places, venues, landmarks, streets.

    A broken gazetteer is logged and left out: the places still answer. A missing one (a
    fresh clone, before ``make data``) is simply absent.
    """
    entries = gazetteer(cached_places(_store, dkey))
    if landmarks is not None and _store.has(GAZETTEER):
        try:
            entries += landmark_entries(check_gazetteer(_store.read_layer(GAZETTEER)))
        except InputError:
            log.exception("the search gazetteer failed to load; searching without it")
    return tuple(entries)  # shared by every session: read-only


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_search_index(_store: Store, dkey: DataKey, landmarks: str | None) -> SearchIndex:
    """Return the index of the offline search entries, built once per data version.

    Shared by every session and read-only: a search only reads it. A query naming a kind
    of place in any language ("театр", "museum") finds the places of that kind.
    """
    kind_names = {
        key.removeprefix("kind."): tuple(translations_for(key).values())
        for key in all_keys()
        if key.startswith("kind.")
    }
    return SearchIndex.of(cached_gazetteer(_store, dkey, landmarks), kind_names=kind_names)


@st.cache_data(show_spinner=False, max_entries=1024)
def cached_bank_of(_store: Store, banks: str | None, lat: float, lon: float) -> str | None:
    """Return the bank of the Esil a position is on, or ``None`` without bank polygons."""
    if banks is None:
        return None
    polygons, _ = cached_layer(_store, BANKS_LAYER_ID, banks)
    here = gpd.GeoDataFrame(geometry=[Point(lon, lat)], crs="EPSG:4326")
    return classify_bank_by_polygons(here, polygons).iloc[0]


@dataclass(frozen=True)
class Data:
    """What the pages read: the store's datasets at their current versions, through the caches.

    Built once per run by ``load_data``; every method is a cached lookup.
    """

    store: Store
    versions: dict[str, str]
    layers: tuple[LayerSpec, ...]
    missing_context: bool
    has_population: bool = False

    @cached_property
    def key(self) -> DataKey:
        """Return the data key of the places frame."""
        loaded = {spec.id for spec in self.layers}
        sources = tuple((i, self.versions[i]) for i in PLACE_LAYER_IDS if i in loaded)
        banks = self.versions.get(BANKS_LAYER_ID) if BANKS_LAYER_ID in loaded else None
        population = self.versions.get(POPULATION) if self.has_population else None
        districts = tuple(
            (city, self.versions[layer_id], population)
            for city, layer_id in DISTRICT_LAYER_IDS.items()
            if layer_id in loaded
        )
        return sources, banks, districts

    def partition(self, city: str) -> Partition | None:
        """Return a city's districts as a partition, ``None`` without a district layer.

        Parameters
        ----------
        city
            City id.

        Returns
        -------
        Partition or None
            Overlaps resolved, population attached (``geo.districts.build_partition``).
        """
        for name, layer_version, population_version in self.key[2]:
            if name == city:
                return cached_partition(self.store, city, layer_version, population_version)
        return None

    def district_disagreements(self) -> pd.DataFrame:
        """Return the places whose stated district differs from their city's layer's.

        Returns
        -------
        pandas.DataFrame
            ``id``, ``city``, ``stated``, ``by_layer`` (``None``: outside every district).
        """
        return cached_district_disagreements(self.store, self.key)

    @property
    def layer_ids(self) -> tuple[str, ...]:
        """Return the ids of the layers that loaded, in registry order (each has a checkbox)."""
        return tuple(spec.id for spec in self.layers)

    @property
    def default_layers(self) -> tuple[str, ...]:
        """Return the ids of the loaded layers shown by default."""
        return tuple(spec.id for spec in self.layers if spec.visible_by_default)

    def has_layer(self, layer_id: str) -> bool:
        """Return whether a layer loaded."""
        return any(spec.id == layer_id for spec in self.layers)

    def places(self) -> gpd.GeoDataFrame:
        """Return every place: shared by every session, so read-only (``.copy()`` to change)."""
        return cached_places(self.store, self.key)

    def anchor(self, place_id: str | None) -> tuple[float, float] | None:
        """Return a point on a placed place as ``(lat, lon)``, ``None`` if unplaced or unknown."""
        return None if place_id is None else cached_anchor(self.store, self.key, place_id)

    def vocabulary(self) -> FilterVocabulary:
        """Return the values each filter may take."""
        return cached_vocabulary(self.store, self.key)

    def place_ids(self) -> frozenset[str]:
        """Return every place's id."""
        return cached_place_ids(self.store, self.key)

    def listing(
        self,
        filters: Filters,
        layers: tuple[str, ...],
        bbox: tuple[float, float, float, float] | None,
        lang: str,
    ) -> tuple[gpd.GeoDataFrame, int, gpd.GeoDataFrame]:
        """Return the first places in view by name, how many are in view, and the unplaced."""
        return cached_listing(self.store, self.key, filters, layers, bbox, lang)

    def place_row(self, place_id: str | None) -> pd.Series | None:
        """Return one place's record, or ``None`` if there is no such place."""
        if place_id is None:
            return None
        rows = cached_place_row(self.store, self.key, place_id)
        return None if rows.empty else rows.iloc[0]

    def count(self, filters: Filters, layers: tuple[str, ...]) -> int:
        """Return how many places of these layers the filters let through."""
        return cached_count(self.store, self.key, filters, layers)

    def mask(self, layer_id: str, filters: Filters) -> str | None:
        """Return a place layer's visibility mask (``None``: all)."""
        return cached_mask(self.store, self.key, layer_id, filters)

    def options(self, city: str) -> dict[str, list[str]]:
        """Return each filter's choices for a city choice."""
        return cached_filter_options(self.store, self.key, city)

    def index(self, city: str) -> PlaceIndex:
        """Return the nearest-place index of a city."""
        return cached_index(self.store, self.key, city)

    def search_index(self) -> SearchIndex:
        """Return the index of the offline search entries (``geo.search.SearchIndex``)."""
        return cached_search_index(self.store, self.key, self.versions.get(GAZETTEER))

    def bank_of(self, lat: float, lon: float) -> str | None:
        """Return the bank of the Esil at a position, or ``None`` without bank polygons."""
        return cached_bank_of(self.store, self.key[1], round(lat, 5), round(lon, 5))

    def document(self, layer_id: str, lang: str) -> tuple[str, str]:
        """Return a layer's document file name and text (a place layer's: after the merge)."""
        own = ((layer_id, self.versions[layer_id]),)
        sources = self.key[0] if layer_id in PLACE_LAYER_IDS else own
        return cached_document(self.store, layer_id, sources, lang)

    def targets(self) -> pd.DataFrame:
        """Return the programme targets (validated)."""
        return cached_targets(self.store, self.versions[TARGETS])

    def tour(self) -> pd.DataFrame | None:
        """Return the guided tour's stops in order, ``None`` when the catalogue has no tour.

        Raises
        ------
        InputError
            If the tour table is invalid or names an unknown place or target.
        """
        if not self.store.has(TOUR):
            return None
        return cached_tour(self.store, self.versions[TOUR], self.key, self.versions[TARGETS])

    def summary(
        self, filters: Filters
    ) -> tuple[tuple[Card, ...], dict[str, pd.DataFrame], Timeline]:
        """Return the summary cards, breakdowns and timeline of the places the filters pass."""
        return cached_summary(self.store, self.key, filters)

    def targets_count(self) -> int:
        """Return how many programme targets there are."""
        return cached_targets_count(self.store, self.versions[TARGETS])


def load_data(settings: Settings) -> tuple[Data, list[tuple[LayerSpec, InputError]], list[str]]:
    """Read the store's versions and validate every layer; report what failed.

    Parameters
    ----------
    settings
        Where the data is.

    Returns
    -------
    tuple
        The data, the optional layers that failed to load with their errors, and
        the loader's notes (skipped rows) to show as warnings.

    Raises
    ------
    InputError
        If the catalogue (places or targets) fails to load, or the store is unavailable
        (``store.StoreUnavailable``).
    """
    store = store_for(settings)
    names = [spec.id for spec in LAYERS] + [TARGETS, GAZETTEER, TOUR, POPULATION]
    versions = store.versions(names)
    notes = list(cached_layer_notes(store, PLACES_LAYER_ID, versions[PLACES_LAYER_ID]))
    cached_targets_count(store, versions[TARGETS])
    available: list[LayerSpec] = []
    failed: list[tuple[LayerSpec, InputError]] = []
    missing_context = False
    for spec in LAYERS:
        if spec.id == PLACES_LAYER_ID:
            available.append(spec)
            continue
        if spec.optional and not store.has(spec.id):
            missing_context = missing_context or spec.folder == "context"
            continue
        try:
            notes += cached_layer_notes(store, spec.id, versions[spec.id])
        except InputError as err:
            log.exception("layer %s failed to load", spec.id)
            failed.append((spec, err))
            continue
        available.append(spec)
    has_population = False
    if store.has(POPULATION):
        try:
            cached_population(store, versions[POPULATION])
        except InputError as err:
            # The districts still work without residents; the page says the figures are missing.
            log.exception("the population table failed to load")
            notes.append(str(err))
        else:
            has_population = True
    data = Data(store, versions, tuple(available), missing_context, has_population)
    return data, failed, notes


# The planners' page (/analysis). Each value is keyed on what it is built from: the places'
# data key, the city and the versions its partition is built from (``AnalysisKey``), the
# Filters, the drawn area filter and the walking distance; so a walk change recomputes the
# coverage and the candidates, never the district table, and a filter change never rebuilds
# the choropleth's document. Objects that are not hashed (``_partition``, ``_grid``,
# ``_network``) are fixed by the key's versions.
# (places' data key, city, (dataset, version) of the partition's and spread's sources).
AnalysisKey = tuple[DataKey, str, tuple[tuple[str, str], ...]]
# A drawn polygon that filters the places: its exterior ring, (lon, lat) pairs, or None.
AreaFilter = tuple[tuple[float, float], ...] | None
# A candidate: ("point", ((lat, lon),)) or ("area", ((lon, lat), ...)) of a drawn polygon.
Candidate = tuple[str, tuple[tuple[float, float], ...]]
POPULATION_GRID = "population_grid"


def _area_polygon(area: AreaFilter) -> Polygon | None:
    return None if area is None else Polygon(area)


def _analysis_mask(places: gpd.GeoDataFrame, filters: Filters, area: AreaFilter) -> pd.Series:
    """Return the places the analysis counts: the filters (one city), then the drawn area."""
    mask = filters.mask(places)
    polygon = _area_polygon(area)
    if polygon is not None:
        inside = pd.Series(False, index=places.index)
        chosen = mask & is_placed(places)
        inside[chosen] = places.geometry[chosen].intersects(polygon)
        mask = mask & inside
    return mask


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_assigned(_store: Store, _partition: Partition, akey: AnalysisKey) -> pd.Series:
    """Return each place's district in the partition's city (``None``: none or another city).

    The places frame already holds the effective district (``geo.district_places``, from this
    same partition): no second spatial join. Read-only.
    """
    places = cached_places(_store, akey[0])
    in_city = places["city"].eq(_partition.city).to_numpy()
    return places["district"].astype(object).where(in_city, None)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_district_table(
    _store: Store, _partition: Partition, akey: AnalysisKey, filters: Filters, area: AreaFilter
) -> pd.DataFrame:
    """Return the places per district (counts and per 100,000) for the filters and area."""
    places = cached_places(_store, akey[0])
    mask = _analysis_mask(places, filters, area)
    assigned = cached_assigned(_store, _partition, akey)
    return district_table(assigned, mask, _partition, placed=is_placed(places))


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_coverage(  # noqa: PLR0913 - each part of the key named
    _store: Store,
    _partition: Partition,
    _grid: gpd.GeoDataFrame | None,
    _network: StreetNetwork | None,
    akey: AnalysisKey,
    filters: Filters,
    area: AreaFilter,
    walk_m: int,
) -> Coverage:
    """Return the coverage of the places the filters and area keep, at a walking distance.

    Shared and read-only (a frozen record holding the union; never copied per run).
    """
    places = cached_places(_store, akey[0])
    chosen = places[_analysis_mask(places, filters, area) & is_placed(places)]
    return compute_coverage(chosen, _partition, walk_m, population_grid=_grid, network=_network)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_candidates(  # noqa: PLR0913 - each part of the key named
    _store: Store,
    _partition: Partition,
    _grid: gpd.GeoDataFrame | None,
    _network: StreetNetwork | None,
    _banks: gpd.GeoDataFrame | None,
    akey: AnalysisKey,
    filters: Filters,
    area: AreaFilter,
    walk_m: int,
    candidates: tuple[Candidate, ...],
) -> tuple[tuple[CandidateResult, ...], gpd.GeoSeries]:
    """Return each candidate's result against the coverage, and its catchment (metric CRS)."""
    coverage = cached_coverage(_store, _partition, _grid, _network, akey, filters, area, walk_m)
    places = cached_places(_store, akey[0])
    existing = places[_analysis_mask(places, filters, area) & is_placed(places)]
    geoms = [candidate_geometry(c) for c in candidates]
    results = evaluate_candidates(
        geoms, coverage, _partition, places=existing, banks=_banks, network=_network
    )
    metric = gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(_partition.crs)
    points = metric.geom_type.eq("Point")
    shapes = catchments(metric, walk_m)
    if _network is not None and points.any():
        shapes[points] = catchments(metric[points], walk_m, network=_network)
    return results, shapes


def candidate_geometry(candidate: Candidate) -> Point | Polygon:
    """Return a candidate's geometry in WGS 84 (a point, or a drawn polygon)."""
    kind, coords = candidate
    if kind == "point":
        (lat, lon), *_ = coords
        return Point(lon, lat)
    return Polygon(coords)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_bank_analysis(
    _store: Store, akey: AnalysisKey, banks: str, filters: Filters, area: AreaFilter
) -> BankAnalysis:
    """Return the places per bank of the Esil by the bank layer, and the disagreements."""
    places = cached_places(_store, akey[0])
    polygons, _ = cached_layer(_store, BANKS_LAYER_ID, banks)
    by_layer = pd.Series(None, index=places.index, dtype=object)
    astana = places["city"].eq("astana") & is_placed(places)
    if astana.any():
        by_layer[astana] = classify_bank_by_polygons(places[astana], polygons).to_numpy()
    return bank_analysis(places, by_layer, _analysis_mask(places, filters, area))


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_choropleth_document(
    _store: Store, _partition: Partition, akey: AnalysisKey, k: int, lang: str
) -> tuple[str, str]:
    """Return the district choropleth's document file name and text (no filters: shared).

    Its first colouring is every place of the city per district; the page's view update then
    colours it by the filters, measure and scheme without fetching it again.
    """
    table = cached_district_table(_store, _partition, akey, Filters(city=akey[1]), None)
    districts = _partition.frame
    values = table.set_index("district")["places"].reindex(districts["district"]).astype(float)
    names = {d: label("district", d, lang) for d in districts["district"].astype(str)}
    text = choropleth_document(districts, names, values, k=k, lang=lang)
    return document_filename(CHOROPLETH_ID, text), text


@st.cache_data(show_spinner=False, max_entries=32)
def cached_coverage_geojson(  # noqa: PLR0913 - each part of the key named
    _store: Store,
    _partition: Partition,
    _grid: gpd.GeoDataFrame | None,
    _network: StreetNetwork | None,
    akey: AnalysisKey,
    filters: Filters,
    area: AreaFilter,
    walk_m: int,
) -> dict[str, Any]:
    """Return the covered area for the map: small GeoJSON, simplified (see ``analysis_map``)."""
    coverage = cached_coverage(_store, _partition, _grid, _network, akey, filters, area, walk_m)
    return display_geojson([coverage.union], crs=_partition.crs, properties=[{}])


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_population_grid(_store: Store, version: str) -> gpd.GeoDataFrame:
    """Return the finer population layer (cells with ``population``); read-only."""
    del version
    return check_population_grid(_store.read_layer(POPULATION_GRID))


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_network(_store: Store, name: str, version: str, crs: str) -> StreetNetwork:
    """Return a city's walking network (``<city>_streets``) in its metric CRS; read-only."""
    del version
    return StreetNetwork(check_streets(_store.read_layer(name), what=name).to_crs(crs))


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_place_names(_store: Store, dkey: DataKey, lang: str) -> dict[str, str]:
    """Return each place's name in a language, by id (shared and read-only)."""
    places = cached_places(_store, dkey)
    return dict(zip(places["id"].astype(str), places[f"name_{lang}"].astype(str), strict=True))


@dataclass(frozen=True)
class AnalysisInputs:
    """What the planners' page computes from for one city (fixed by ``key``'s versions)."""

    partition: Partition
    key: AnalysisKey
    grid: gpd.GeoDataFrame | None
    network: StreetNetwork | None
    banks: gpd.GeoDataFrame | None
    district_layer: str  # where the district layer was read from, for the assumptions


def analysis_inputs(data: Data, city: str) -> AnalysisInputs | None:
    """Return what the planners' page computes from for a city; ``None`` without districts.

    The city's partition (``Data.partition``), the finer population layer and walking network
    when the context folder has them, and Astana's bank polygons.

    Parameters
    ----------
    data
        The run's data.
    city
        A city id.

    Returns
    -------
    AnalysisInputs or None
        The inputs, keyed on the versions of every dataset they come from.
    """
    partition = data.partition(city)
    if partition is None:
        return None
    store = data.store
    optional = [POPULATION_GRID, f"{city}_streets"]
    present = [name for name in optional if store.has(name)]
    names = [f"{city}_districts", "district_population", *present]
    versions = store.versions([n for n in names if store.has(n)])
    akey: AnalysisKey = (data.key, city, tuple(sorted(versions.items())))
    grid = (
        cached_population_grid(store, versions[POPULATION_GRID])
        if POPULATION_GRID in versions
        else None
    )
    streets = f"{city}_streets"
    network = (
        cached_network(store, streets, versions[streets], partition.crs)
        if streets in versions
        else None
    )
    banks = (
        cached_layer(store, BANKS_LAYER_ID, data.versions[BANKS_LAYER_ID])[0]
        if city == "astana" and data.has_layer(BANKS_LAYER_ID)
        else None
    )
    where = f"{city}_districts · {store.describe()}"
    return AnalysisInputs(partition, akey, grid, network, banks, where)
