"""OpenStreetMap venues read from tests/data/osm_merge_sample.osm by the real importer.

The file's ids are negative (never uploaded), which the importer gives no link; ``venues``
can flip them positive first, as an element fetched from OpenStreetMap has, so the merged
records' ``other_sources`` gain a real-looking page link.
"""

from __future__ import annotations

import geopandas as gpd
import osmnx as ox
import pandas as pd

from sources.osm import build
from tests.conftest import ROOT

MERGE_SAMPLE = ROOT / "tests" / "data" / "osm_merge_sample.osm"
FETCHED = "2026-11-29"


def venues(*, uploaded: bool = True) -> gpd.GeoDataFrame:
    """Return the sample's venues in both cities, as ``make data`` writes them (validated).

    Parameters
    ----------
    uploaded
        Whether to flip the ids positive first (``osm_node_9001``, with its page link)
        rather than keep them as written (``osm_node_new9001``, no link).
    """
    features = ox.features_from_xml(MERGE_SAMPLE)
    if uploaded:
        features.index = pd.MultiIndex.from_tuples(
            [(e, -i) for e, i in features.index], names=features.index.names
        )
    frame, _ = build({"astana": features, "almaty": features}, fetched=FETCHED)
    return frame
