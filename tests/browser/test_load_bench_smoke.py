"""The load benchmark's client still speaks Streamlit's protocol: two sessions, no error."""

from __future__ import annotations

from bench.load_bench import results_markdown, run


def test_two_sessions_load_and_change_a_filter_without_error(tmp_path):
    (row,) = run([2], n_places=200, changes=2, folder=tmp_path)
    assert row["errors"] == 0, row["error_examples"]
    assert row["changes"] == 4  # each change changed the map's arguments, or it is an error
    assert 0 < row["change_median_s"] <= row["change_p95_s"]
    assert row["rss_mb"] > 0
    meta = {"when": "now", "machine": "here", "places": 200, "changes": 2, "note": ""}
    section = results_markdown([row], meta)
    assert "| 2 | 0 |" in section
