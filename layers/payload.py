"""Layer data for the browser: one GeoJSON document per layer, masks and class arrays.

The protocol these build is described in ``layers/js/PROTOCOL.md``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import to_display
from geo.schema import EXACT_WITHIN_M
from layers.classify import Classified, classify
from layers.escape import escape_text
from layers.i18n import label, number, t
from layers.spec import LayerSpec, Style

NO_CLASS_BYTE = 255  # in a class array: "no class", the feature keeps its document style
COORD_DECIMALS = 6  # about 0.1 m: far finer than any accuracy in the catalogue
LABELLED_FIELDS = frozenset({"kind", "status", "bank", "city", "district"})


def drawable(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Return which rows have a geometry to draw; the document holds these rows, in order.

    Parameters
    ----------
    gdf
        Any layer frame.

    Returns
    -------
    pandas.Series
        Boolean mask aligned to ``gdf.index``.
    """
    return gdf.geometry.notna() & ~gdf.geometry.is_empty


def _field_column(gdf: gpd.GeoDataFrame, field: str, lang: str) -> str | None:
    for col in (f"{field}_{lang}", field, f"{field}_en", f"{field}_ru"):
        if col in gdf.columns:
            return col
    return None


def _escaped(values: pd.Series, field: str, lang: str) -> pd.Series:
    """Return each value as escaped display text (labels for coded fields), NaN if missing."""

    def one(value: object) -> str | None:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        return escape_text(label(field, value, lang) if field in LABELLED_FIELDS else value)

    uniques = {v: one(v) for v in values.dropna().unique()}
    return values.map(uniques).astype(object)


def _accuracy_text(accuracy: pd.Series, lang: str) -> pd.Series:
    def one(value: float) -> str:
        key = "map.exact" if value <= EXACT_WITHIN_M else "map.approx"
        return "<i>" + escape_text(t(key, lang, m=number(value, lang))) + "</i>"

    uniques = {v: one(float(v)) for v in accuracy.dropna().unique()}
    return accuracy.map(uniques).astype(object)


def _tooltips(
    display: gpd.GeoDataFrame, spec: LayerSpec, lang: str, has_accuracy: bool
) -> pd.Series | None:
    parts: list[pd.Series] = []
    for i, field in enumerate(spec.tooltip_fields):
        col = _field_column(display, field, lang)
        if col is None:
            continue
        text = _escaped(display[col], field, lang)
        parts.append("<b>" + text + "</b>" if i == 0 else text)
    if has_accuracy:
        parts.append(_accuracy_text(display["location_accuracy_m"], lang))
    if not parts:
        return None
    tips = pd.Series("", index=display.index, dtype=object)
    for part in parts:
        joined = tips.where(tips == "", tips + "<br>")
        tips = (joined + part).where(part.notna(), tips)
    return tips


# An approximate area is the place's possible extent, not the place: a light fill keeps what lies
# under it readable (a 1 km circle over a square would hide the square's exact places).
APPROX_FILL_SHARE = 0.4


def _fill_opacity(style: Style, *, hollow: bool, approximate: bool) -> float:
    base = style.hollow_fill_opacity if hollow else style.fill_opacity
    return round(base * APPROX_FILL_SHARE, 3) if approximate else base


def _style_for(style: Style, color: str, *, hollow: bool, approximate: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "color": color if approximate or style.outline is None else style.outline,
        "fillColor": color,
        "weight": style.weight,
        "fill": style.fill,
        "fillOpacity": _fill_opacity(style, hollow=hollow, approximate=approximate),
        "radius": style.radius_px,
        "interactive": style.interactive,
        "opacity": 1.0 if style.weight > 0 else 0.0,
    }
    dash = "6 5" if approximate else style.dash_array
    if dash:
        out["dashArray"] = dash
    return out


def _style_columns(display: gpd.GeoDataFrame, style: Style, approximate: pd.Series) -> pd.DataFrame:
    index = display.index
    if style.color_by:
        palette = dict(style.palette)
        color = display[style.color_by].astype(str).map(palette).fillna(style.color)
    else:
        color = pd.Series(style.color, index=index)
    hollow = (
        display[style.hollow_by].astype(str).isin(style.hollow_values)
        if style.hollow_by
        else pd.Series(False, index=index)
    )
    return pd.DataFrame({"color": color, "hollow": hollow, "approximate": approximate})


def feature_ids(spec: LayerSpec, gdf: gpd.GeoDataFrame) -> pd.Series:
    """Return the id each row of a layer carries on the map, as text.

    The record's ``id`` column where it has one; otherwise (and for a row whose id is
    missing) ``"<layer id>-<row position>"``, stable as long as the layer's data is.

    Parameters
    ----------
    spec
        The layer.
    gdf
        Its rows (all of them, drawable or not).

    Returns
    -------
    pandas.Series
        Text ids aligned to ``gdf.index``.
    """
    derived = pd.Series(
        [f"{spec.id}-{pos}" for pos in range(len(gdf))], index=gdf.index, dtype=object
    )
    if "id" not in gdf.columns:
        return derived
    ids = gdf["id"]
    return ids.astype(str).where(ids.notna(), derived).astype(object)


def _class_styles(style: Style) -> list[dict[str, Any]]:
    """Return the styles of a classed layer: one per class, then the no-data style."""
    if style.classes is None:
        return []
    colors = (*style.classes.colors[: style.classes.k], style.classes.no_data_color)
    return [_style_for(style, c, hollow=False, approximate=False) for c in colors]


def _number(value: float, lang: str) -> str:
    if abs(value) >= 100:  # noqa: PLR2004 (whole numbers from 100 up, three digits below)
        return number(value, lang)
    return number(value, lang, significant=3)


def class_labels(classified: Classified, lang: str) -> list[str]:
    """Return the legend's text for each class (its value range), escaped for the map.

    Parameters
    ----------
    classified
        From ``layers.classify.classify``.
    lang
        Language of the texts.

    Returns
    -------
    list of str
        One label per class, lowest first (its range, or its one value when every class is
        one value), every text through ``escape_text``.
    """
    if classified.distinct:  # each class is one value
        return [escape_text(_number(value, lang)) for value in classified.breaks]
    return [
        escape_text(t("legend.range", lang, low=_number(low, lang), high=_number(high, lang)))
        for low, high in classified.ranges()
    ]


def class_array(classes: np.ndarray | pd.Series) -> str:
    """Return per-feature style classes as base64 of one byte per drawable feature.

    Byte ``c`` draws the feature in its layer's class style ``c``; ``NO_CLASS`` (-1, or any
    negative value) becomes ``NO_CLASS_BYTE`` (255): the feature keeps its document style.

    Parameters
    ----------
    classes
        Class index per drawable feature, in document order, each below 255.

    Returns
    -------
    str
        Base64 text: 10,000 features take about 13 KB.

    Raises
    ------
    ValueError
        If a class index is 255 or more.
    """
    values = np.asarray(classes, dtype=np.int64)
    if values.size and values.max() >= NO_CLASS_BYTE:
        msg = f"class indices must be below {NO_CLASS_BYTE}, got {int(values.max())}"
        raise ValueError(msg)
    packed = np.where(values < 0, NO_CLASS_BYTE, values).astype(np.uint8)
    return base64.b64encode(packed.tobytes()).decode("ascii")


def class_update(spec: LayerSpec, values: pd.Series, *, lang: str) -> dict[str, Any]:
    """Return the ``classes`` and ``labels`` of a view update that reclassifies a layer.

    Breaks are computed from ``values`` alone (say, the features the filters keep), so the
    colours and the legend's ranges follow the data on screen.

    Parameters
    ----------
    spec
        A layer whose style has ``classes``.
    values
        The classed column's value per drawable feature, in document order; missing values
        (and features to leave out of the classes) are NaN and keep their document style.
    lang
        Language of the legend's labels.

    Returns
    -------
    dict
        ``{"classes": <class_array>, "labels": <class_labels>}``, to merge into the layer's
        ``LayerState``.

    Raises
    ------
    ValueError
        If the layer's style has no classes.
    """
    if spec.style.classes is None:
        msg = f"layer {spec.id!r} has no numeric classes in its style; set Style(classes=...)"
        raise ValueError(msg)
    classified = classify(values, spec.style.classes)
    return {"classes": class_array(classified.classes), "labels": class_labels(classified, lang)}


def layer_document(spec: LayerSpec, gdf: gpd.GeoDataFrame, *, lang: str) -> str:
    """Return a layer as GeoJSON text with a ``styles`` table that features index into.

    Features are the frame's drawable rows in order (see ``drawable``); each has ``id`` (see
    ``feature_ids``), ``s`` (its style), ``t`` (tooltip HTML, every text through
    ``escape_text``) and, for approximate points, ``a`` (the accuracy radius in metres). A
    layer with numeric classes also has ``classes``: the style of each class and its legend
    label; its features' ``s`` is their class over the whole layer (the last style is "no
    data"). Built column-wise: 10,000 features take tens of milliseconds.

    Parameters
    ----------
    spec
        The layer.
    gdf
        Its features (any CRS; converted to EPSG:4326).
    lang
        Language of tooltips and class labels.

    Returns
    -------
    str
        The JSON text.
    """
    display = to_display(gdf)
    ids = feature_ids(spec, display)
    keep = drawable(display)
    display, ids = display[keep], ids[keep]
    has_accuracy = "location_accuracy_m" in display.columns
    accuracy = (
        display["location_accuracy_m"].astype(float)
        if has_accuracy
        else pd.Series(np.nan, index=display.index)
    )
    approximate = accuracy.gt(EXACT_WITHIN_M)
    extra = ""
    if spec.style.classes is not None:
        styles = _class_styles(spec.style)
        classified = classify(display[spec.style.classes.column], spec.style.classes)
        codes = np.where(classified.classes < 0, len(styles) - 1, classified.classes)
        style_of = pd.Series(codes, index=display.index).astype(str)
        extra = ',"classes":' + json.dumps(
            {"styles": styles[:-1], "labels": class_labels(classified, lang)}
        )
    else:
        keys = list(
            _style_columns(display, spec.style, approximate).itertuples(index=False, name=None)
        )
        style_index: dict[tuple[Any, ...], int] = {}
        for key in keys:
            style_index.setdefault(key, len(style_index))
        styles = [_style_for(spec.style, c, hollow=h, approximate=a) for (c, h, a) in style_index]
        style_of = pd.Series([str(style_index[k]) for k in keys], index=display.index)
    props = '{"id":' + ids.map(json.dumps) + ',"s":' + style_of
    is_point = display.geometry.geom_type.eq("Point")
    radius = accuracy.where(approximate & is_point)
    props = props.where(radius.isna(), props + ',"a":' + radius.round(1).astype(str))
    tips = _tooltips(display, spec, lang, has_accuracy)
    if tips is not None:
        props = props + ',"t":' + tips.map(json.dumps)
    geometry = shapely.to_geojson(
        shapely.transform(display.geometry.values, lambda xy: np.round(xy, COORD_DECIMALS))
    )
    features = '{"type":"Feature","geometry":' + pd.Series(geometry, index=display.index)
    features = features + ',"properties":' + props + "}}"
    return (
        '{"type":"FeatureCollection","layer":'
        + json.dumps(spec.id)
        + ',"styles":'
        + json.dumps(styles)
        + extra
        + ',"features":['
        + ",".join(features)
        + "]}"
    )


def visibility_mask(show: pd.Series) -> str:
    """Return which drawable features to show, as base64 of a bit array (first feature = MSB).

    Parameters
    ----------
    show
        Boolean per drawable row, in document order.

    Returns
    -------
    str
        Base64 text: 10,000 features take about 1.7 KB.
    """
    bits = np.packbits(show.to_numpy(dtype=bool))
    return base64.b64encode(bits.tobytes()).decode("ascii")


def document_filename(layer_id: str, text: str) -> str:
    """Return the file name of a layer document: its id and a hash of its content.

    A new name for new content means a browser can cache a document for as long as it likes.

    Parameters
    ----------
    layer_id
        The layer's id (snake_case, so safe in a file name).
    text
        The document.

    Returns
    -------
    str
        For example ``places-3f2a….json``.
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    return f"{layer_id}-{digest}.json"


def write_document(folder: Path, filename: str, text: str) -> Path:
    """Write a layer document where the app serves it, unless it is already there.

    The write is atomic (a temporary file renamed into place), so a browser never fetches a
    half-written document. A folder it creates is private (0700), and so is the file (0600):
    the server reads them, nobody else needs to.

    Parameters
    ----------
    folder
        The folder the app serves layer documents from.
    filename
        From ``document_filename``.
    text
        The document.

    Returns
    -------
    pathlib.Path
        The file.
    """
    path = folder / filename
    if not path.is_file():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{filename}.", suffix=".tmp", dir=folder)  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return path
