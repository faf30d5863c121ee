"""The current view as a PNG for slides: title, places, legend, scale bar, date and attribution.

Drawn with matplotlib's Agg backend (no browser, no display, no internet), in the city's metric
CRS, from the same layer documents the map draws (``payload.layer_document``): the same styles
per feature, the same approximate circles in metres, the same legend rows
(``render.legend_rows``). Text from data reaches matplotlib as plain text (``plain_text``);
matplotlib's own markup (``$...$`` mathtext) is switched off for every text.
"""

from __future__ import annotations

import io
import json
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from pyproj import Transformer

from layers.escape import plain_text
from layers.export_html import ExportLayer
from layers.i18n import number, t
from layers.payload import layer_document
from layers.registry import PLACE_LAYER_IDS, PLACES_LAYER_ID
from layers.render import CITY_LABEL_MAX_ZOOM, legend_rows

PNG_SIZES: tuple[tuple[int, int], ...] = (
    (1920, 1080),
    (1280, 720),
    (3840, 2160),
    (1080, 1080),
    (2480, 3508),  # A4 portrait at 300 dpi
)
DEFAULT_PNG_SIZE = PNG_SIZES[0]
MIN_PNG_SIDE_PX = 200
MAX_PNG_SIDE_PX = 4000
BACKGROUND = "#F3F1EC"  # the map's own background (render._BASE_CSS)
DPI = 100
BASE_HEIGHT_PX = 1080  # type and marks are sized for this height, scaled for others
PX_TO_PT = 72 / DPI
WEB_MERCATOR_M_PER_PX_AT_0 = 156_543.03392  # metres per CSS pixel at zoom 0 on the equator
LEGEND_WRAP_CHARS = 44
LEGEND_ROWS_PER_COLUMN = 8
MAX_PNG_LABELS = 80  # place names written at most (the rest collide or crowd the slide)
LABEL_MAX_CHARS = 40
M_PER_KM = 1000
VIEW_WIDTH_PX = 1280  # a view given by centre and zoom frames this many CSS pixels across


class PngSizeError(ValueError):
    """A PNG size outside what the export draws."""


@dataclass(frozen=True)
class PngView:
    """What the picture shows besides its layers (plain, unescaped text).

    ``bbox_lon_lat`` is (minx, miny, maxx, maxy) in degrees: the map's view, widened to the
    picture's shape; ``None`` frames ``center_lat_lon`` at ``zoom`` instead. ``metric_crs``
    is the CRS the picture is drawn in (the city's UTM zone).
    """

    center_lat_lon: tuple[float, float]
    zoom: int
    lang: str
    metric_crs: str
    title: str
    date_text: str
    attribution: str
    subtitle: str = ""
    bbox_lon_lat: tuple[float, float, float, float] | None = None
    city_labels: tuple[tuple[str, float, float], ...] = ()


def check_size(size_px: tuple[int, int]) -> tuple[int, int]:
    """Return a PNG size (width, height) in pixels if the export can draw it.

    Parameters
    ----------
    size_px
        (width, height).

    Returns
    -------
    tuple of int
        The same size.

    Raises
    ------
    PngSizeError
        If a side is below ``MIN_PNG_SIDE_PX`` or above ``MAX_PNG_SIDE_PX``.
    """
    width, height = size_px
    for side in (width, height):
        if not MIN_PNG_SIDE_PX <= side <= MAX_PNG_SIDE_PX:
            msg = (
                f"size_px must have sides from {MIN_PNG_SIDE_PX} to {MAX_PNG_SIDE_PX} px, "
                f"got {size_px!r}; choose one of {PNG_SIZES!r}"
            )
            raise PngSizeError(msg)
    return int(width), int(height)


def _extent_m(view: PngView, aspect: float) -> tuple[float, float, float, float]:
    """Return the picture's (minx, miny, maxx, maxy) in the metric CRS, at the given w/h."""
    to_metric = Transformer.from_crs("EPSG:4326", view.metric_crs, always_xy=True)
    if view.bbox_lon_lat is not None:
        west, south, east, north = view.bbox_lon_lat
        xs, ys = to_metric.transform([west, east, west, east], [south, south, north, north])
        minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    else:
        lat, lon = view.center_lat_lon
        cx, cy = to_metric.transform(lon, lat)
        m_per_px = WEB_MERCATOR_M_PER_PX_AT_0 * math.cos(math.radians(lat)) / 2**view.zoom
        half = m_per_px * VIEW_WIDTH_PX / 2
        minx, maxx, miny, maxy = cx - half, cx + half, cy - half / aspect, cy + half / aspect
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    width, height = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    r, g, b = mpl.colors.to_rgb(color)
    return (r, g, b, alpha)


def _dashes(style: dict[str, Any]) -> str | tuple[int, tuple[float, ...]]:
    dash = style.get("dashArray")
    if not dash:
        return "solid"
    return (0, tuple(float(x) * PX_TO_PT for x in str(dash).split()))


def _draw_layer(ax: Any, layer: ExportLayer, view: PngView, scale: float) -> None:
    """Draw one layer's features with the styles its map document gives them."""
    doc = json.loads(layer_document(layer.spec, layer.frame, lang=view.lang))
    if not doc["features"]:
        return
    styles = doc["styles"]
    frame = gpd.GeoDataFrame(
        {
            "s": [f["properties"]["s"] for f in doc["features"]],
            "a": [f["properties"].get("a") for f in doc["features"]],
        },
        geometry=[shapely.geometry.shape(f["geometry"]) for f in doc["features"]],
        crs="EPSG:4326",
    ).to_crs(view.metric_crs)
    # Areas first, then lines, then points, as Leaflet's panes stack them.
    circles = frame[frame["a"].notna()]
    if not circles.empty:
        frame = frame.copy()
        frame.loc[circles.index, "geometry"] = circles.geometry.buffer(
            circles["a"].astype(float), quad_segs=32
        )
    for kinds in (("Polygon", "MultiPolygon"), ("LineString", "MultiLineString"), ("Point",)):
        part = frame[frame.geom_type.isin(kinds)]
        for s, group in part.groupby("s", sort=True):
            style = styles[int(s)]
            edge = _rgba(style["color"], float(style.get("opacity", 1.0)))
            fill = _rgba(style.get("fillColor", style["color"]), float(style["fillOpacity"]))
            width_pt = float(style["weight"]) * PX_TO_PT * scale
            if kinds[0] == "Point":
                size_pt = 2 * float(style["radius"]) * PX_TO_PT * scale
                ax.scatter(
                    group.geometry.x,
                    group.geometry.y,
                    s=size_pt**2,
                    c=[fill if style["fill"] else (0, 0, 0, 0)],
                    edgecolors=[edge],
                    linewidths=width_pt,
                    zorder=4,
                )
            elif kinds[0] == "Polygon":
                group.plot(
                    ax=ax,
                    facecolor=fill if style["fill"] else "none",
                    edgecolor=edge,
                    linewidth=width_pt,
                    linestyle=_dashes(style),
                    zorder=2,
                )
            else:
                group.plot(
                    ax=ax, color=edge, linewidth=width_pt, linestyle=_dashes(style), zorder=3
                )


def _nice_length_m(max_m: float) -> float:
    """Return the largest 1, 2 or 5 times a power of ten not above ``max_m``."""
    power = 10 ** math.floor(math.log10(max_m))
    return float(max(m * power for m in (1, 2, 5) if m * power <= max_m))


def _scale_label(length_m: float, lang: str) -> str:
    if length_m >= M_PER_KM:
        return t("export.scale_km", lang, n=number(length_m / M_PER_KM, lang, decimals=1))
    return t("export.scale_m", lang, n=number(length_m, lang))


def _draw_scale_bar(
    ax: Any, extent: tuple[float, float, float, float], view: PngView, font: float
) -> None:
    minx, miny, maxx, maxy = extent
    length = _nice_length_m((maxx - minx) / 5)
    x0, y0 = minx + (maxx - minx) * 0.02, miny + (maxy - miny) * 0.07
    bar_h = (maxy - miny) * 0.008
    ax.add_patch(
        Rectangle((x0, y0), length, bar_h, facecolor="#222222", edgecolor="white", lw=1, zorder=6)
    )
    ax.add_patch(
        Rectangle(
            (x0, y0), length / 2, bar_h, facecolor="white", edgecolor="#222222", lw=1, zorder=7
        )
    )
    ax.text(
        x0 + length / 2,
        y0 + bar_h * 1.8,
        _scale_label(length, view.lang),
        ha="center",
        va="bottom",
        fontsize=font,
        zorder=7,
        usetex=False,
        parse_math=False,
        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 2},
    )


def _draw_labels(
    fig: Figure, ax: Any, layers: Sequence[ExportLayer], view: PngView, font: float
) -> int:
    """Write place names beside their places where they collide with nothing drawn as text.

    Catalogue places first (they are the subject), then venues, each in document order; a
    name that would overlap a name already written, the title, the legend or the picture's
    edge is left out. Returns how many names were written.
    """
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    taken = [artist.get_window_extent(renderer) for artist in (*fig.texts, *ax.texts)]
    legend = ax.get_legend()
    if legend is not None:
        taken.append(legend.get_window_extent(renderer))
    frame_box = fig.bbox
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    minx, miny, maxx, maxy = ax.get_xlim()[0], ax.get_ylim()[0], ax.get_xlim()[1], ax.get_ylim()[1]
    written = 0
    order = sorted(layers, key=lambda layer: layer.spec.id != PLACES_LAYER_ID)
    for layer in order:
        column = f"name_{view.lang}"
        if layer.spec.id not in PLACE_LAYER_IDS or column not in layer.frame.columns:
            continue
        frame = layer.frame[layer.frame.geometry.notna() & ~layer.frame.geometry.is_empty]
        anchors = frame.geometry.to_crs(view.metric_crs).representative_point()
        for name, point in zip(frame[column], anchors, strict=True):
            if written >= MAX_PNG_LABELS:
                return written
            if not (minx <= point.x <= maxx and miny <= point.y <= maxy):
                continue
            text = ax.annotate(
                textwrap.shorten(plain_text(name), LABEL_MAX_CHARS, placeholder="…"),
                (point.x, point.y),
                xytext=(9 * font / 15, 0),
                textcoords="offset points",
                va="center",
                fontsize=font,
                color="#222222",
                zorder=8,
                path_effects=halo,
                parse_math=False,
            )
            box = text.get_window_extent(renderer)
            inside = frame_box.x0 <= box.x0 and box.x1 <= frame_box.x1
            if not inside or any(box.overlaps(other) for other in taken):
                text.remove()
                continue
            taken.append(box)
            written += 1
    return written


def _legend_handles(layers: Sequence[ExportLayer], lang: str, scale: float) -> list[Any]:
    handles: list[Any] = []
    for layer in reversed(layers):  # the top layer first, as on the map
        rows = legend_rows(layer.spec, lang)
        if not rows:
            continue
        for row in rows:
            hollow = row.shape in {"hollow", "dashed"}
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="s" if row.shape == "area" else "o",
                    markersize=11 * scale,
                    markerfacecolor="none" if hollow else row.color,
                    markeredgecolor=row.outline or row.color,
                    markeredgewidth=2 * scale,
                    label=textwrap.fill(
                        plain_text(row.text) or layer.spec.title_in(lang), LEGEND_WRAP_CHARS
                    ),
                )
            )
    return handles


def view_png(
    layers: Sequence[ExportLayer], view: PngView, *, size_px: tuple[int, int] = DEFAULT_PNG_SIZE
) -> bytes:
    """Return a PNG of a view of the map, for a slide.

    Parameters
    ----------
    layers
        The layers to draw, bottom first, each with only the features the view shows; any CRS.
    view
        The extent, language, metric CRS and texts.
    size_px
        (width, height) in pixels; 1920×1080 by default (``PNG_SIZES`` lists the offered ones).

    Returns
    -------
    bytes
        The PNG, exactly ``size_px`` pixels.

    Raises
    ------
    PngSizeError
        If the size is outside ``MIN_PNG_SIDE_PX``..``MAX_PNG_SIDE_PX``.
    """
    fig = view_figure(layers, view, size_px=size_px)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor=BACKGROUND)
    return buffer.getvalue()


def view_figure(
    layers: Sequence[ExportLayer], view: PngView, *, size_px: tuple[int, int] = DEFAULT_PNG_SIZE
) -> Figure:
    """Return the matplotlib figure ``view_png`` saves (every text in it is plain text).

    Parameters
    ----------
    layers
        The layers to draw, bottom first, each with only the features the view shows; any CRS.
    view
        The extent, language, metric CRS and texts.
    size_px
        (width, height) in pixels; 1920×1080 by default (``PNG_SIZES`` lists the offered ones).

    Returns
    -------
    matplotlib.figure.Figure
        The figure, ``size_px`` pixels at ``DPI``.

    Raises
    ------
    PngSizeError
        If the size is outside ``MIN_PNG_SIDE_PX``..``MAX_PNG_SIDE_PX``.
    """
    width, height = check_size(size_px)
    scale = min(width, height) / BASE_HEIGHT_PX if width < height else height / BASE_HEIGHT_PX
    font = 15 * scale
    # A Figure of its own (not pyplot): no global state, safe in a threaded server.
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor=BACKGROUND)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_facecolor(BACKGROUND)
    ax.set_axis_off()
    extent = _extent_m(view, width / height)
    for layer in layers:
        _draw_layer(ax, layer, view, scale)
    to_metric = Transformer.from_crs("EPSG:4326", view.metric_crs, always_xy=True)
    minx, miny, maxx, maxy = extent
    # As on the map: city names only while zoomed out, where each city's places merge.
    labels = view.city_labels if view.zoom <= CITY_LABEL_MAX_ZOOM else ()
    for name, lat, lon in labels:
        x, y = to_metric.transform(lon, lat)
        if minx <= x <= maxx and miny <= y <= maxy:
            ax.text(
                x,
                y,
                plain_text(name),
                ha="center",
                va="top",
                fontsize=font * 1.2,
                fontweight="bold",
                color="#222222",
                zorder=8,
                parse_math=False,
            )
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal")
    _draw_scale_bar(ax, extent, view, font)
    text_box = {
        "facecolor": "white",
        "alpha": 0.92,
        "edgecolor": "#BBBBBB",
        "boxstyle": "round,pad=0.5",
    }
    heading = plain_text(view.title) + ("\n" + plain_text(view.subtitle) if view.subtitle else "")
    fig.text(
        0.015,
        0.975,
        heading,
        ha="left",
        va="top",
        fontsize=font * 1.8,
        linespacing=1.4,
        bbox=text_box,
        parse_math=False,
        wrap=True,
    )
    footer = plain_text(view.date_text) + " · " + plain_text(view.attribution)
    fig.text(
        0.015,
        0.012,
        footer,
        ha="left",
        va="bottom",
        fontsize=font * 0.85,
        color="#333333",
        bbox={**text_box, "boxstyle": "round,pad=0.3"},
        parse_math=False,
        wrap=True,
    )
    handles = _legend_handles(layers, view.lang, scale)
    if handles:
        legend = ax.legend(
            handles=handles,
            loc="lower right",
            bbox_to_anchor=(0.99, 0.06),
            title=t("ui.legend", view.lang),
            fontsize=font * 0.9,
            title_fontsize=font,
            framealpha=0.92,
            ncols=2 if len(handles) > LEGEND_ROWS_PER_COLUMN else 1,
        )
        legend.set_zorder(9)
        for text in legend.get_texts():
            text.set_parse_math(False)
    _draw_labels(fig, ax, layers, view, font)
    return fig
