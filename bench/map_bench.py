"""Time page load and filter change in headless Chromium: our dashboard vs a naive baseline.

Run ``make bench`` (or ``python -m bench.map_bench --sizes 100 --repeats 2`` for a quick
look). Writes bench/results/latest.json and the results section of bench/README.md. This is
a report, not a test: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from bench import probe, report
from bench.server import ROOT, streamlit_server
from bench.synthetic import expected_filtered_count, write_catalogue

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_SIZES = (100, 1_000, 10_000)
DEFAULT_REPEATS = 5
DEFAULT_TIMEOUT_S = 120.0
SLOW_REP_S = 60.0  # a cold repetition slower than this ...
SLOW_REPEATS = 2  # ... is followed by only this many warm ones
PACKAGES = ("streamlit", "streamlit-folium", "folium", "geopandas", "playwright")


@dataclass(frozen=True)
class AppUnderTest:
    """A Streamlit script to benchmark and how to count the places on its map."""

    name: str
    script: Path
    count_js: str


APPS: tuple[AppUnderTest, ...] = (
    AppUnderTest(report.OURS, ROOT / "dashboard.py", probe.FEATURE_COUNT_JS),
    AppUnderTest(report.BASELINE, BENCH_DIR / "naive_app.py", probe.CLUSTER_COUNT_JS),
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.map_bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument(
        "--repeats", type=int, default=DEFAULT_REPEATS, help="warm sessions after the cold one"
    )
    parser.add_argument("--timeout-s", type=float, default=DEFAULT_TIMEOUT_S)
    parser.add_argument("--slow-rep-s", type=float, default=SLOW_REP_S)
    parser.add_argument("--slow-repeats", type=int, default=SLOW_REPEATS)
    parser.add_argument("--apps", nargs="+", default=[a.name for a in APPS])
    parser.add_argument("--readme", type=Path, default=BENCH_DIR / "README.md")
    parser.add_argument("--no-readme", action="store_true", help="write only the JSON")
    parser.add_argument("--json", type=Path, default=RESULTS_DIR / "latest.json")
    return parser.parse_args(argv)


def _describe(rep: probe.Repetition) -> str:
    def fmt(v: float | None) -> str:
        return "timeout" if v is None else f"{v:.2f}s"

    text = (
        f"load {fmt(rep.load_s)} (idle {fmt(rep.load_idle_s)}), "
        f"filter {fmt(rep.select_s)}, clear {fmt(rep.clear_s)}"
    )
    return text + (f"  ERROR: {rep.error}" if rep.error else "")


def _tail(path: Path, lines: int = 15) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def bench_app(
    browser: Browser, app: AppUnderTest, *, data_dir: Path, work_dir: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """Start one app on one catalogue and run its cold and warm repetitions."""
    n_places = int(args.current_size)
    log_path = work_dir / f"{app.name}_{n_places}.log"
    context_dir = work_dir / "no_context"
    context_dir.mkdir(exist_ok=True)
    reps: list[dict[str, Any]] = []
    with streamlit_server(
        app.script, data_dir=data_dir, context_dir=context_dir, log_path=log_path
    ) as url:
        scenario = probe.Scenario(
            base_url=url,
            count_js=app.count_js,
            n_places=n_places,
            n_filtered=expected_filtered_count(n_places),
            timeout_s=args.timeout_s,
        )
        warm = args.repeats
        rep = 0
        while rep <= warm:
            started = time.perf_counter()
            shot = RESULTS_DIR / f"failed_{app.name}_{n_places}_rep{rep}.png"
            result = probe.run_repetition(browser, scenario, rep=rep, screenshot=shot)
            took = time.perf_counter() - started
            label = "cold" if rep == 0 else "warm"
            print(f"  [{app.name} n={n_places}] rep {rep} ({label}, {took:.0f}s): "
                  f"{_describe(result)}", flush=True)
            if result.error:
                print(_tail(log_path), flush=True)
            if rep == 0 and took > args.slow_rep_s and warm > args.slow_repeats:
                warm = args.slow_repeats
                print(f"  slow ({took:.0f}s > {args.slow_rep_s:.0f}s): {warm} warm repetitions")
            reps.append(result.to_dict())
            rep += 1
    return {
        "app": app.name,
        "n_places": n_places,
        "n_filtered": scenario.n_filtered,
        "repetitions": reps,
    }
