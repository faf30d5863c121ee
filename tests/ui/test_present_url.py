"""mode=present and stop=N in the URL, both ways, and the address a QR code carries."""

import pytest

from ui.url_state import ViewState, Vocabulary, parse_view, view_to_params, view_url


def test_mode_present_and_a_stop_are_read_and_written_back():
    view, notices = parse_view({"mode": "present", "stop": "3", "lang": "en"}, Vocabulary())
    assert (view.present, view.stop, view.page, notices) == (True, 3, "map", [])
    params = view_to_params(view)
    assert params["mode"] == "present"
    assert params["stop"] == "3"


@pytest.mark.parametrize("raw", ["0", "-1", "two", "1000", "²"])
def test_a_bad_stop_is_dropped_with_a_notice(raw):
    view, notices = parse_view({"mode": "present", "stop": raw}, Vocabulary())
    assert view.stop is None
    assert [(n.param, n.why_key) for n in notices] == [("stop", "ui.why_stop")]


def test_a_stop_leaves_out_where_the_map_was_and_the_map_page_keeps_it():
    at_stop = ViewState(present=True, stop=2, center=(51.1, 71.4), zoom=12)
    assert "center" not in view_to_params(at_stop)
    plain = ViewState(center=(51.1, 71.4), zoom=12, stop=2)
    assert view_to_params(plain)["center"] == "51.10000,71.40000"
    assert "stop" not in view_to_params(plain)
    assert "mode" not in view_to_params(plain)


def test_view_url_replaces_the_query_and_encodes_values():
    url = view_url("http://hall.example:8501/?old=1#x", {"lang": "kk", "layers": "a,b"})
    assert url == "http://hall.example:8501/?lang=kk&layers=a%2Cb"
    assert view_url("http://h:1", {"stop": "2"}) == "http://h:1/?stop=2"
