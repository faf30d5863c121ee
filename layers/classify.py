"""Numeric classes for choropleths: class breaks (mapclassify) and each feature's class index."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers.spec import NumericClasses

NO_CLASS = -1  # a missing value: drawn with the layer's no-data style
NATURAL_BREAKS_SEED = 0  # mapclassify's NaturalBreaks starts from random k-means seeds
# One seeded k-means++ start (scikit-learn, under mapclassify): 10-300 ms for 2,000 values on
# the 2-core test machine, depending on its load, against 0.6-4 s for mapclassify's default of
# ten starts, with breaks within a few per cent of theirs. A choropleth that follows the
# filters reclassifies on every change; Quantiles and EqualInterval take about 2 ms.
NATURAL_BREAKS_STARTS = 1


@dataclass(frozen=True)
class Classified:
    """Class breaks of a numeric series and the class of each value.

    ``breaks`` are the upper bounds of the classes, lowest first (mapclassify's ``bins``);
    ``lowest`` is the smallest value, the lower bound of class 0. ``classes`` holds one class
    index per value, in order, ``NO_CLASS`` for a missing value. ``distinct`` is true when
    there were no more distinct values than classes: each class is then one value (its break).
    """

    lowest: float
    breaks: tuple[float, ...]
    classes: np.ndarray
    distinct: bool = False

    def ranges(self) -> tuple[tuple[float, float], ...]:
        """Return each class's (lower, upper) bounds, lowest class first.

        Returns
        -------
        tuple of (float, float)
            One pair per class.
        """
        lows = (self.lowest, *self.breaks[:-1])
        return tuple(zip(lows, self.breaks, strict=True))


def classify(values: pd.Series, classes: NumericClasses) -> Classified:
    """Return class breaks of ``values`` by the spec's scheme and each value's class.

    Fewer distinct values than ``classes.k`` give one class per distinct value (mapclassify
    would warn and merge classes). Pure: the series is not changed.

    Parameters
    ----------
    values
        Numeric values, one per feature; missing values get ``NO_CLASS``.
    classes
        Scheme (``"NaturalBreaks"``, ``"Quantiles"`` or ``"EqualInterval"``) and ``k``.

    Returns
    -------
    Classified
        Breaks and class indices (``int8``, aligned to ``values``).

    Raises
    ------
    ValueError
        If ``k`` is not between 1 and the number of colours, or the values are not numeric.
    """
    if not 1 <= classes.k <= len(classes.colors):
        msg = (
            f"classes.k must be between 1 and the number of colours ({len(classes.colors)}), "
            f"got {classes.k!r}; add colours or lower k"
        )
        raise ValueError(msg)
    try:
        numbers = pd.to_numeric(values, errors="raise").astype(float).to_numpy()
    except (TypeError, ValueError) as err:
        msg = f"column {classes.column!r} must be numeric to classify, got {values.dtype}"
        raise ValueError(msg) from err
    present = ~np.isnan(numbers)
    out = np.full(len(numbers), NO_CLASS, dtype=np.int8)
    if not present.any():
        return Classified(lowest=float("nan"), breaks=(), classes=out)
    y = numbers[present]
    distinct = np.unique(y)
    few = len(distinct) <= classes.k
    # Imported here: mapclassify brings scikit-learn and SciPy, seconds of the first session's
    # time, and only a classed layer needs it.
    import mapclassify  # type: ignore[import-untyped]  # noqa: PLC0415

    if few:
        bins = distinct
    elif classes.scheme == "NaturalBreaks":
        # mapclassify seeds its k-means from numpy's global generator: fix the seed so the
        # same values always give the same breaks, and put the caller's state back.
        saved = np.random.get_state()  # noqa: NPY002
        try:
            np.random.seed(NATURAL_BREAKS_SEED)  # noqa: NPY002
            bins = mapclassify.NaturalBreaks(y, k=classes.k, initial=NATURAL_BREAKS_STARTS).bins
        finally:
            np.random.set_state(saved)  # noqa: NPY002
    elif classes.scheme == "Quantiles":
        bins = mapclassify.Quantiles(y, k=classes.k).bins
    else:
        bins = mapclassify.EqualInterval(y, k=classes.k).bins
    bins = np.asarray(bins, dtype=float)
    out[present] = np.minimum(np.searchsorted(bins, y, side="left"), len(bins) - 1)
    breaks = tuple(float(b) for b in bins)
    return Classified(lowest=float(y.min()), breaks=breaks, classes=out, distinct=few)
