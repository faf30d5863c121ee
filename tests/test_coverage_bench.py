"""The coverage benchmark's own pieces on a small run (no timing is asserted)."""

import shapely

from bench import coverage_bench


def test_grid_districts_and_places_across_them():
    part = coverage_bench.grid_partition()
    assert len(part.frame) == 6
    assert part.outline.area == 6 * 9_000 * 15_000
    places = coverage_bench.places_across(part, 300)
    assert len(places) == 300
    assert (places["city"] == "astana").all()
    metric = places.geometry.to_crs(part.crs)
    assert shapely.contains_xy(part.outline, metric.x, metric.y).all()


def test_a_small_run_gives_the_same_answers_by_every_method():
    part = coverage_bench.grid_partition()
    result = coverage_bench.coverage_run(part, 200, repeats=1)
    for walk in coverage_bench.WALKS_M:
        assert result[f"union_rel_diff_{walk}"] < 1e-9
        assert 0 < result[f"walk_{walk}_share"] <= 1
    assert result["naive_rel_diff"] < 1e-9
    assert result["n_existing"] > 0
    run = {
        "districts": "grid",
        "n_districts": 6,
        "results": [result],
        "load_start": 0.0,
        "load_end": 0.0,
    }
    text = coverage_bench.report(run, 1)
    assert text.startswith(coverage_bench.START_MARK)
    assert text.endswith(coverage_bench.END_MARK)
    assert "a grid of six 9 × 15 km districts" in text
    assert "### 200 places" in text
    assert "coverage at 10,000 places" in text
    assert "not measured in this run" in text
