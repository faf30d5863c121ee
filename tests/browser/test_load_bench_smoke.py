"""The load benchmark's client still speaks Streamlit's protocol: two sessions, no error."""

from __future__ import annotations

from bench.load_bench import results_markdown, run


def test_two_sessions_load_and_change_a_filter_without_error(tmp_path):
    back_to_back, paused = run([2], n_places=200, changes=2, folder=tmp_path, pause_s=(0.1, 0.3))
    for row in (back_to_back, paused):
        assert row["errors"] == 0, row["error_examples"]
        assert row["changes"] == 4  # each change changed the map's arguments, or it is an error
        assert 0 < row["change_median_s"] <= row["change_p95_s"]
        assert row["rss_mb"] > 0
    assert back_to_back["pause_s"] == [0.0, 0.0]
    assert paused["pause_s"] == [0.1, 0.3]
    meta = {"when": "now", "machine": "here", "places": 200, "changes": 2, "note": ""}
    section = results_markdown([back_to_back, paused], meta)
    assert "| 2 | back to back | 0 |" in section
    assert "| 2 | after a 0.1–0.3 s pause | 0 |" in section
