"""The registry: every map layer as one LayerSpec record, in drawing order (bottom first)."""

from __future__ import annotations

from functools import partial

from geo.district_ids import normalise_districts, normalise_outlines, normalise_river
from geo.geocoded import validate_geocoded
from geo.schema import CULTURAL_VENUE_KINDS
from geo.validate import validate_places
from layers.spec import LayerSpec, Style

PLACES_LAYER_ID = "places"
VENUES_LAYER_ID = "osm_venues"
ASTANA_DISTRICTS_LAYER_ID = "astana_districts"
ALMATY_DISTRICTS_LAYER_ID = "almaty_districts"
# The district layer of each city.
DISTRICT_LAYER_IDS: dict[str, str] = {
    "astana": ASTANA_DISTRICTS_LAYER_ID,
    "almaty": ALMATY_DISTRICTS_LAYER_ID,
}
VENUE_COLOR = "#5E3C99"  # one colour apart from every kind colour: a cultural venue


# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies and on projectors.
KIND_COLORS: tuple[tuple[str, str], ...] = (
    ("creative_cluster", "#D55E00"),
    ("creative_hub", "#CC79A7"),
    ("it_hub", "#0072B2"),
    ("studio", "#E69F00"),
    ("arts_centre", "#009E73"),
    ("pedestrian_zone", "#8C6D1F"),
    ("business_centre", "#56B4E9"),
    ("landmark", "#6B6B6B"),
    # Cultural venues share one colour (the kind is in the tooltip and the card): sixteen
    # colours would not stay apart, on a projector least of all.
    *((kind, VENUE_COLOR) for kind in CULTURAL_VENUE_KINDS),
)

# Not open today: not built yet, being rebuilt, or closed. Drawn with a light fill.
NOT_OPEN = (
    "under_construction",
    "planned",
    "announced",
    "proposed",
    "under_reconstruction",
    "closed",
)

LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec(
        id="astana_banks",
        title=(("kk", "Есіл жағалаулары"), ("ru", "Берега Есиля"), ("en", "Banks of the Esil")),
        path="astana_banks.geojson",
        folder="context",
        geometry_types=("Polygon",),
        source="Derived from OpenStreetMap district boundaries, © OpenStreetMap contributors, ODbL",
        required_columns=("bank",),
        style=Style(
            color="#999999",
            color_by="bank",
            palette=(("left", "#F0E442"), ("right", "#9AD0EC")),
            weight=0.0,
            fill_opacity=0.15,
        ),
        tooltip_fields=("bank",),
        visible_by_default=False,
        optional=True,
        cities=("astana",),
    ),
    # District layers: `make data` writes <city>_districts.gpkg; a context folder may hold
    # other files (../shared/geodata's 2024 layer before its older five-district one).
    LayerSpec(
        id=ASTANA_DISTRICTS_LAYER_ID,
        title=(("kk", "Астана аудандары"), ("ru", "Районы Астаны"), ("en", "Astana districts")),
        path="astana_districts.gpkg",
        fallback_paths=("astana_districts_2024.geojson", "astana_districts.geojson"),
        layer="districts",
        folder="context",
        geometry_types=("Polygon",),
        source="© OpenStreetMap contributors, ODbL 1.0",
        required_columns=(),
        style=Style(color="#7A5195", weight=1.5, fill=False, dash_array="4 4"),
        tooltip_fields=("name",),
        visible_by_default=False,
        optional=True,
        cities=("astana",),
        normaliser=partial(normalise_districts, city="astana"),
    ),
    LayerSpec(
        id=ALMATY_DISTRICTS_LAYER_ID,
        title=(("kk", "Алматы аудандары"), ("ru", "Районы Алматы"), ("en", "Almaty districts")),
        path="almaty_districts.gpkg",
        layer="districts",
        folder="context",
        geometry_types=("Polygon",),
        source="© OpenStreetMap contributors, ODbL 1.0",
        style=Style(color="#7A5195", weight=1.5, fill=False, dash_array="4 4"),
        tooltip_fields=("name",),
        visible_by_default=False,
        optional=True,
        cities=("almaty",),
        normaliser=partial(normalise_districts, city="almaty"),
    ),
    LayerSpec(
        id="city_outlines",
        title=(("kk", "Қала шекаралары"), ("ru", "Границы городов"), ("en", "City outlines")),
        path="city_outlines.gpkg",
        fallback_paths=("city_outlines_adm1.geojson", "astana_city_outline.geojson"),
        layer="outlines",
        folder="context",
        geometry_types=("Polygon",),
        source=(
            "OpenStreetMap administrative boundaries (`make data`), © OpenStreetMap "
            "contributors, ODbL 1.0, or the outline file of the context folder"
        ),
        style=Style(color="#333333", weight=2.0, fill=True, fill_opacity=0.03, interactive=False),
        optional=True,
        normaliser=normalise_outlines,
    ),
    LayerSpec(
        id="esil_river",
        title=(("kk", "Есіл өзені"), ("ru", "Река Есиль"), ("en", "Esil river")),
        path="esil_river.gpkg",
        fallback_paths=("esil_river_ne10m.geojson",),
        layer="river",
        folder="context",
        geometry_types=("LineString",),
        source=(
            "OpenStreetMap (`make data`), © OpenStreetMap contributors, ODbL 1.0, or Natural "
            "Earth 10 m rivers, public domain (coarse: for display only)"
        ),
        style=Style(color="#2B7BB9", weight=4.0, fill=False, interactive=False),
        optional=True,
        cities=("astana",),
        normaliser=normalise_river,
    ),
    LayerSpec(
        id=PLACES_LAYER_ID,
        title=(
            ("kk", "Креативті кеңістіктер"),
            ("ru", "Креативные пространства"),
            ("en", "Creative spaces"),
        ),
        path="catalogue.gpkg",
        layer="places",
        geometry_types=("Point", "LineString", "Polygon"),
        source="Project catalogue (data/catalogue.gpkg); each record names its own source",
        required_columns=("id", "name_kk", "name_ru", "name_en", "kind", "status", "city"),
        style=Style(
            color_by="kind",
            palette=KIND_COLORS,
            weight=2.5,
            fill_opacity=0.75,
            hollow_by="status",
            hollow_values=NOT_OPEN,
            hollow_fill_opacity=0.15,
            radius_px=8.0,
        ),
        tooltip_fields=("name", "kind", "status"),
        filterable_fields=("city", "kind", "status", "bank", "district", "target_year"),
        allow_missing_geometry=True,
        validator=validate_places,
    ),
    LayerSpec(
        id=VENUES_LAYER_ID,
        title=(
            ("kk", "Жұмыс істеп тұрған орындар (OpenStreetMap)"),
            ("ru", "Действующие площадки (OpenStreetMap)"),
            ("en", "Existing venues (OpenStreetMap)"),
        ),
        path="osm_venues.gpkg",
        layer="venues",
        geometry_types=("Point",),
        source="OpenStreetMap, fetched by `make data`; © OpenStreetMap contributors, ODbL 1.0",
        required_columns=("id", "name_kk", "name_ru", "name_en", "kind", "status", "city"),
        style=Style(
            color=VENUE_COLOR,
            outline="#FFFFFF",
            weight=1.5,
            fill_opacity=0.9,
            radius_px=5.5,
            legend=True,
        ),
        tooltip_fields=("name", "kind", "address"),
        filterable_fields=("city", "kind", "status", "bank", "district", "target_year"),
        optional=True,
        validator=validate_places,
    ),
    # `make data` geocodes the catalogue's address-only records into this layer, for review:
    # positions a geocoder proposed, never catalogue facts (sources/geocode_venues.py). Only
    # its placed rows are drawn; its other rows list the addresses it could not place.
    LayerSpec(
        id="geocoded_venues",
        title=(
            ("kk", "Геокодталған мекенжайлар (тексерілмеген)"),
            ("ru", "Геокодированные адреса (не проверены)"),
            ("en", "Geocoded addresses (not reviewed)"),
        ),
        path="geocoded_venues.gpkg",
        layer="geocoded",
        geometry_types=("Point",),
        source=(
            "Nominatim geocoder, run by `make data`; not reviewed; "
            "© OpenStreetMap contributors, ODbL 1.0"
        ),
        required_columns=("id", "name_kk", "name_ru", "name_en", "city", "status", "answer_type"),
        style=Style(color="#444444", weight=1.5, fill_opacity=0.12, radius_px=5.0, legend=True),
        tooltip_fields=("name", "answer_type"),
        visible_by_default=False,
        optional=True,
        allow_missing_geometry=True,
        validator=validate_geocoded,
    ),
)
# Layers whose records are places (filtered, listed, searched and ranked by distance).
PLACE_LAYER_IDS: tuple[str, ...] = (PLACES_LAYER_ID, VENUES_LAYER_ID)


def layer_by_id(layer_id: str) -> LayerSpec:
    """Return the registered layer with this id.

    Parameters
    ----------
    layer_id
        A layer id from ``LAYERS``.

    Returns
    -------
    LayerSpec
        The matching record.

    Raises
    ------
    KeyError
        If no layer has this id.
    """
    for spec in LAYERS:
        if spec.id == layer_id:
            return spec
    msg = f"no layer with id {layer_id!r}; known ids: {[s.id for s in LAYERS]!r}"
    raise KeyError(msg)
