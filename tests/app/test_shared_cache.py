"""AppTest: the frames ui/cache.py shares between sessions (st.cache_resource) stay unchanged."""

from __future__ import annotations

import geopandas as gpd
from geopandas.testing import assert_geodataframe_equal

from settings import load_settings
from tests.app.test_dashboard import PLACES, _run
from ui.cache import Data, load_data


def _shared() -> Data:
    data, _, _ = load_data(load_settings())
    return data


def test_pages_never_change_the_places_every_session_shares():
    at = _run(lang="en")
    shared: gpd.GeoDataFrame = _shared().places()
    assert len(shared) == len(PLACES)
    before = shared.copy()
    at.multiselect(key="status").set_value(["existing"]).run()
    at.radio(key="city").set_value("almaty").run()
    assert not at.exception, at.exception
    with_card = _run(lang="en", place=str(PLACES["id"].iloc[0]))
    assert str(PLACES["id"].iloc[0]) == with_card.query_params["place"]
    _run(lang="en", near="51.12800,71.43000")
    again = _shared().places()
    assert again is shared  # one frame per process and data version, not a copy per run
    assert_geodataframe_equal(again, before)
