"""The whole view through the URL: every parameter parses, round-trips and is checked."""

import pytest

from geo.select import Filters, FilterVocabulary
from ui.url_state import ViewState, Vocabulary, parse_view, view_to_params

VOCAB = Vocabulary(
    filters=FilterVocabulary(
        kinds=frozenset({"studio", "it_hub"}),
        statuses=frozenset({"existing", "planned"}),
        banks=frozenset({"left", "right", "unknown"}),
        districts=(("astana", frozenset({"Yesil"})), ("almaty", frozenset({"Almaly"}))),
        years=frozenset({"2025", "unknown"}),
    ),
    place=frozenset({"astana_expo", "almaty_depo"}),
    layers=frozenset({"places", "osm_venues", "esil_river"}),
    basemaps=frozenset({"osm", "none"}),
)
DEFAULT_LAYERS = ("places", "osm_venues")


def test_a_link_restores_exactly_what_its_sender_saw():
    view = ViewState(
        lang="kk",
        filters=Filters(city="astana", kinds=("studio",), banks=("left",), years=("2025",)),
        place="astana_expo",
        center=(51.12345, 71.4321),
        zoom=14,
        basemap="none",
        layers=("places", "esil_river"),
    )
    params = view_to_params(view, default_layers=DEFAULT_LAYERS)
    assert params == {
        "lang": "kk",
        "city": "astana",
        "kind": "studio",
        "bank": "left",
        "year": "2025",
        "place": "astana_expo",
        "center": "51.12345,71.43210",
        "zoom": "14",
        "basemap": "none",
        "layers": "places,esil_river",
    }
    assert parse_view(params, VOCAB) == (view, [])


def test_defaults_stay_out_of_the_url():
    params = view_to_params(ViewState(layers=DEFAULT_LAYERS), default_layers=DEFAULT_LAYERS)
    assert params == {"lang": "ru", "city": "both"}


def test_the_near_page_keeps_its_position_and_options():
    view = ViewState(lang="en", page="near", near=(51.128, 71.43), n=7, radius_km=2)
    params = view_to_params(view)
    assert params == {
        "lang": "en",
        "city": "both",
        "near": "51.12800,71.43000",
        "n": "7",
        "radius": "2",
    }
    parsed, notices = parse_view(params, VOCAB)
    assert notices == []
    assert parsed == view


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"zoom": "40"}, ("zoom", "40", "ui.why_zoom")),
        ({"zoom": "12"}, ("zoom", "12", "ui.why_center_zoom")),
        ({"center": "51.1,71.4"}, ("center", "51.1,71.4", "ui.why_center_zoom")),
        ({"zoom": "²"}, ("zoom", "²", "ui.why_zoom")),
        ({"center": "north"}, ("center", "north", "near.err.format")),
        ({"basemap": "satellite"}, ("basemap", "satellite", "ui.why_unknown")),
        ({"layers": "places,<b>"}, ("layers", "<b>", "ui.why_layer")),
        ({"city": "almaty", "bank": "left"}, ("bank", "left", "ui.why_no_banks")),
        ({"city": "astana", "district": "Almaly"}, ("district", "Almaly", "ui.why_other_city")),
        ({"place": "nowhere"}, ("place", "nowhere", "ui.why_place")),
        ({"lang": "fr"}, ("lang", "fr", "ui.why_unknown")),
    ],
)
def test_every_bad_or_inapplicable_value_gets_a_notice(params, notice):
    view, notices = parse_view({"lang": "en", **params}, VOCAB)
    assert [(n.param, n.value, n.why_key) for n in notices] == [notice]
    written = view_to_params(view, default_layers=DEFAULT_LAYERS)
    assert notice[1] not in ",".join(written.values()).split(",")  # never written back


def test_a_bad_value_keeps_the_good_ones():
    view, notices = parse_view({"layers": "esil_river,bogus", "kind": "studio,bakery"}, VOCAB)
    assert view.layers == ("esil_river",)
    assert view.filters.kinds == ("studio",)
    assert len(notices) == 2


def test_older_links_to_near_me_still_open_it():
    assert parse_view({"mode": "near"}, VOCAB)[0].page == "near"
    view, _ = parse_view({"near": "51.128,71.43"}, VOCAB)
    assert (view.page, view.near) == ("near", (51.128, 71.43))
