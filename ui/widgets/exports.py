"""Download buttons for the current view: standalone HTML, PNG, GeoJSON, GeoPackage and CSV.

Nothing is built on a rerun: each button gets a function (Streamlit's deferred download data)
that builds its file only when clicked, on Streamlit's download thread, from the frames the
caches already hold (no copy is made until then). A click does not rerun the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import geopandas as gpd
import streamlit as st
from babel.dates import format_date

from geo.cities import CITY_IDS, city_by_id, view_of
from geo.select import FILTER_PARAMS, Filters
from layers.export_html import ExportLayer, ExportView, TourStop, standalone_html
from layers.export_png import DEFAULT_PNG_SIZE, PNG_SIZES, PngView, view_png
from layers.export_table import (
    csv_bytes,
    export_filename,
    geojson_bytes,
    geopackage_bytes,
    visible_places,
)
from layers.i18n import label, number, t
from layers.registry import PLACE_LAYER_IDS
from layers.spec import LayerSpec
from ui.cache import Data, cached_layer

IN_VIEW_KEY = "export_in_view"
PNG_SIZE_KEY = "export_png_size"
# URL parameter of a filter -> the field its values are labelled by.
_FIELD_OF_PARAM = {"kind": "kind", "status": "status", "bank": "bank", "district": "district"}
_FIELD_OF_PARAM["year"] = "target_year"
_FIELD_OF_PARAM["announced"] = "announced"
BOTH_CITIES_METRIC_CRS = "EPSG:32643"  # UTM 43N: Almaty's zone, next to Astana's (42N)


@dataclass(frozen=True)
class ExportJob:
    """Everything one view's files are built from; its methods build them (on click).

    ``places`` is the shared, read-only frame of every place (``Data.places``), and
    ``context`` the shared frames of the context layers shown: filtering copies them only
    when a file is built.
    """

    places: gpd.GeoDataFrame
    context: tuple[tuple[LayerSpec, gpd.GeoDataFrame], ...]
    place_specs: tuple[LayerSpec, ...]
    filters: Filters
    bbox_lon_lat: tuple[float, float, float, float] | None
    center_lat_lon: tuple[float, float]
    zoom: int
    lang: str
    day: dt.date
    stops: tuple[TourStop, ...] = ()

    def visible(self) -> gpd.GeoDataFrame:
        """Return the places the files hold."""
        layers = [spec.id for spec in self.place_specs]
        return visible_places(
            self.places, self.filters, layers=layers, bbox_lon_lat=self.bbox_lon_lat
        )

    def layers(self) -> list[ExportLayer]:
        """Return the map's layers as drawn: context first, then each place layer's places."""
        shown = self.visible()
        out = [ExportLayer(spec, frame) for spec, frame in self.context]
        out += [ExportLayer(spec, shown[shown["layer"] == spec.id]) for spec in self.place_specs]
        return out

    def title(self) -> str:
        """Return the title: the city or both cities."""
        city = self.filters.city
        name = (
            t("export.both_cities", self.lang) if city == "both" else label("city", city, self.lang)
        )
        return t("export.title", self.lang, city=name)

    def subtitle(self) -> str:
        """Return the filters in words and how many places the files hold."""
        parts = []
        for param in FILTER_PARAMS:
            values = self.filters.values_of(param)
            if values:
                field = _FIELD_OF_PARAM[param]
                parts.append(", ".join(label(field, v, self.lang) for v in values))
        count = t("export.places_count", self.lang, n=number(len(self.visible()), self.lang))
        if not parts:
            return count
        return t("export.filters", self.lang, filters=" · ".join(parts)) + " — " + count

    def date_text(self) -> str:
        """Return the date in the language's own long format."""
        return t("export.made_on", self.lang, date=format_date(self.day, "long", locale=self.lang))

    def city_labels(self) -> tuple[tuple[str, float, float], ...]:
        """Return the city labels the map shows while zoomed out."""
        return tuple((label("city", c, self.lang), *view_of(c)[0]) for c in CITY_IDS)

    def html(self) -> bytes:
        """Return the standalone HTML file (the tour's, when there are stops)."""
        view = ExportView(
            center_lat_lon=self.center_lat_lon,
            zoom=self.zoom,
            lang=self.lang,
            title=self.title(),
            subtitle=self.subtitle(),
            date_text=self.date_text(),
            attribution=t("export.attribution", self.lang),
        )
        page = standalone_html(
            self.layers(), view, city_labels=self.city_labels(), stops=self.stops
        )
        return page.encode("utf-8")

    def png(self, size_px: tuple[int, int]) -> bytes:
        """Return the PNG of the view at a size (width, height) in pixels."""
        city = self.filters.city
        crs = BOTH_CITIES_METRIC_CRS if city == "both" else city_by_id(city).metric_crs
        view = PngView(
            center_lat_lon=self.center_lat_lon,
            zoom=self.zoom,
            lang=self.lang,
            metric_crs=crs,
            title=self.title(),
            subtitle=self.subtitle(),
            date_text=self.date_text(),
            attribution=t("export.attribution", self.lang),
            bbox_lon_lat=self.bbox_lon_lat,
            city_labels=self.city_labels(),
        )
        return view_png(self.layers(), view, size_px=size_px)

    def filename(self, extension: str, *extra: str) -> str:
        """Return a file's name: the city, the filters in short, the date."""
        return export_filename(self.filters, day=self.day, extension=extension, extra=extra)


def _job(
    data: Data,
    *,
    filters: Filters,
    shown_layers: Sequence[str],
    bbox: tuple[float, float, float, float] | None,
    map_view: tuple[tuple[float, float], int] | None,
    lang: str,
    stops: Sequence[TourStop],
) -> ExportJob:
    shown = set(shown_layers)
    context = tuple(
        (spec, cached_layer(data.store, spec.id, data.versions[spec.id])[0])
        for spec in data.layers
        if spec.id in shown and spec.id not in PLACE_LAYER_IDS
    )
    center, zoom = map_view if map_view is not None else view_of(filters.city)
    return ExportJob(
        places=data.places(),
        context=context,
        place_specs=tuple(s for s in data.layers if s.id in shown and s.id in PLACE_LAYER_IDS),
        filters=filters,
        bbox_lon_lat=bbox,
        center_lat_lon=center,
        zoom=zoom,
        lang=lang,
        day=dt.date.today(),
        stops=tuple(stops),
    )


def _button(label_text: str, build: Callable[[], bytes], name: str, mime: str, key: str) -> None:
    st.download_button(
        label_text,
        data=build,
        file_name=name,
        mime=mime,
        key=key,
        on_click="ignore",
        icon=":material/download:",
        use_container_width=True,
    )


def render_exports(  # noqa: PLR0913 - the view's parts, each named
    data: Data,
    *,
    filters: Filters,
    shown_layers: Sequence[str],
    bbox: tuple[float, float, float, float] | None,
    map_view: tuple[tuple[float, float], int] | None,
    n_in_view: int,
    n_matching: int,
    lang: str,
    stops: Sequence[TourStop] = (),
) -> None:
    """Draw the export panel: what the files hold, then one download button per format.

    Parameters
    ----------
    data
        The run's data.
    filters
        The view's filters.
    shown_layers
        Ids of the layers shown on the map.
    bbox
        The map's view as (minx, miny, maxx, maxy) in degrees, ``None`` before the map
        reports one.
    map_view
        ((lat, lon), zoom) where the map is, ``None``: the city's own view.
    n_in_view, n_matching
        How many places are in the map's view and match the filters (already counted).
    lang
        Language of the panel and the files.
    stops
        A tour's stops: with stops, a further button exports the whole tour as HTML.
    """
    with st.expander(t("export.heading", lang), icon=":material/download:"):
        in_view = st.toggle(
            t("export.in_view_only", lang), value=True, key=IN_VIEW_KEY, disabled=bbox is None
        )
        use_bbox = bbox if in_view else None
        n = n_in_view if use_bbox is not None else n_matching
        st.caption(t("export.places_count", lang, n=number(n, lang)))
        if n == 0:
            st.caption(t("export.nothing", lang))
            return
        job = _job(
            data,
            filters=filters,
            shown_layers=shown_layers,
            bbox=use_bbox,
            map_view=map_view,
            lang=lang,
            stops=(),
        )
        _button(t("export.html", lang), job.html, job.filename("html"), "text/html", "export_html")
        if stops:
            # The tour goes through both cities: every place of the shown layers.
            tour = replace(job, filters=Filters(), bbox_lon_lat=None, stops=tuple(stops))
            _button(
                t("export.tour_html", lang),
                tour.html,
                tour.filename("html", "tour"),
                "text/html",
                "export_tour_html",
            )
        size = st.selectbox(
            t("export.png_size", lang),
            PNG_SIZES,
            index=PNG_SIZES.index(DEFAULT_PNG_SIZE),
            format_func=lambda wh: f"{wh[0]} × {wh[1]}",
            key=PNG_SIZE_KEY,
        )
        _button(
            t("export.png", lang),
            lambda: job.png(size),
            job.filename("png", f"{size[0]}x{size[1]}"),
            "image/png",
            "export_png",
        )
        _button(
            t("export.geojson", lang),
            lambda: geojson_bytes(job.visible()),
            job.filename("geojson"),
            "application/geo+json",
            "export_geojson",
        )
        _button(
            t("export.gpkg", lang),
            lambda: geopackage_bytes(job.visible()),
            job.filename("gpkg"),
            "application/geopackage+sqlite3",
            "export_gpkg",
        )
        _button(
            t("export.csv", lang),
            lambda: csv_bytes(job.visible()),
            job.filename("csv"),
            "text/csv",
            "export_csv",
        )
        st.caption(t("export.csv_help", lang))
