"""The view as a PNG: the requested size, not blank, the kind colours of the places drawn."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from layers.export_html import ExportLayer
from layers.export_png import (
    BACKGROUND,
    PNG_SIZES,
    PngSizeError,
    PngView,
    _nice_length_m,
    view_figure,
    view_png,
)
from layers.registry import KIND_COLORS, layer_by_id
from tests.catalogue import PLACES

ASTANA = PLACES[PLACES["city"] == "astana"]
KIND_COLOR = dict(KIND_COLORS)


def _view(lang: str = "en", **changes) -> PngView:
    return PngView(
        center_lat_lon=(51.118, 71.425),
        zoom=12,
        lang=lang,
        metric_crs="EPSG:32642",
        title="Creative spaces: Astana",
        date_text="2026-11-29",
        attribution="© OpenStreetMap contributors",
        **changes,
    )


def _pixels(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return np.asarray(image.convert("RGB")).astype(int)


def _near(pixels: np.ndarray, color: str, tolerance: int = 12) -> int:
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels - rgb).max(axis=2) <= tolerance).sum())


def _places(frame=ASTANA):
    return [ExportLayer(layer_by_id("places"), frame)]


@pytest.mark.parametrize("size", [PNG_SIZES[0], (1280, 720), (1080, 1080), (800, 1200)])
def test_png_has_the_requested_size_and_is_not_blank(size):
    pixels = _pixels(view_png(_places(), _view(), size_px=size))
    assert pixels.shape == (size[1], size[0], 3)
    assert pixels.std() > 10
    assert _near(pixels, BACKGROUND, tolerance=2) > 0.3 * size[0] * size[1]


def test_png_draws_places_in_their_kind_colours():
    with_places = _pixels(view_png(_places(), _view()))
    # The catalogue's Astana places include an IT hub (blue) and a studio (orange).
    kinds = set(ASTANA["kind"])
    assert {"it_hub", "studio"} <= kinds
    without = _pixels(view_png(_places(ASTANA.iloc[0:0]), _view()))
    for kind in ("it_hub", "studio", "creative_cluster"):
        color = KIND_COLOR[kind]
        assert _near(with_places, color) > 30, kind
    # The map part differs: places add pixels that the empty view lacks (above the legend).
    top = slice(0, 600)
    assert np.abs(with_places[top] - without[top]).sum() > 0
    assert _near(with_places[top], KIND_COLOR["studio"], 40) > _near(
        without[top], KIND_COLOR["studio"], 40
    )


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_png_in_each_language_and_with_hostile_text(lang):
    view = _view(
        lang, subtitle="$\\frac{1}{0}$ {{ 7*7 }} <b>", bbox_lon_lat=(71.3, 51.0, 71.6, 51.2)
    )
    pixels = _pixels(view_png(_places(), view, size_px=(1280, 720)))
    assert pixels.shape == (720, 1280, 3)
    assert pixels.std() > 10


@pytest.mark.parametrize("size", [(0, 1080), (1920, 10), (10_000, 1080)])
def test_png_refuses_sizes_it_cannot_draw(size):
    with pytest.raises(PngSizeError, match="size_px must have sides"):
        view_png(_places(), _view(), size_px=size)


@pytest.mark.parametrize(
    ("max_m", "expected"), [(7_300.0, 5_000.0), (1_999.0, 1_000.0), (250.0, 200.0), (10.0, 10.0)]
)
def test_scale_bar_length_is_round(max_m, expected):
    assert _nice_length_m(max_m) == expected


def _texts(fig) -> list[str]:
    texts = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()] + [legend.get_title().get_text()]
    return texts


def test_png_names_places_and_keeps_hostile_names_as_plain_text():
    places = ASTANA.copy()
    placed = places.index[places.geometry.notna()]
    hostile = "$\\frac{1}{0}$ {{ 7*7 }} <b>x</b>"
    places.loc[placed[0], "name_en"] = hostile
    # A wide view: every Astana place is inside it.
    fig = view_figure(_places(places), _view(bbox_lon_lat=(71.2, 50.95, 71.7, 51.3)))
    texts = _texts(fig)
    named = set(places.loc[placed, "name_en"]) & set(texts)
    assert len(named) >= 2, texts
    assert hostile in texts
    artists = [t for ax in fig.axes for t in ax.texts] + list(fig.texts)
    assert all(not t.get_parse_math() for t in artists if t.get_text())
    assert "Legend" in texts
    assert any("2026-11-29" in x for x in texts)
    assert any(x.endswith(" km") or x.endswith(" m") for x in texts)  # the scale bar
    assert any(x.startswith("Creative spaces: Astana") for x in texts)
