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
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from bench import probe, report
from bench.server import APP, ROOT, rss_bytes, streamlit_server
from bench.synthetic import expected_filtered_count, write_catalogue
from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_SIZES = (100, 1_000, 10_000, 50_000, 100_000)
DEFAULT_REPEATS = 5
DEFAULT_TIMEOUT_S = 120.0
SLOW_REP_S = 60.0  # a cold repetition slower than this ...
SLOW_REPEATS = 3  # ... is followed by only this many warm ones
# The naive baseline gets this long per size (all its sessions together); a step it has not
# finished by then is reported as "did not finish within N s" (it cannot draw 50,000 markers).
BASELINE_BUDGET_S = 240.0
PACKAGES = ("streamlit", "streamlit-folium", "folium", "geopandas", "playwright")


@dataclass(frozen=True)
class AppUnderTest:
    """A Streamlit script to benchmark and how to count the places on its map."""

    name: str
    script: Path
    count_js: str
    budgeted: bool = False  # whether the per-size time budget applies


@dataclass(frozen=True)
class Plan:
    """How many repetitions to run and how long to wait for each step."""

    repeats: int
    timeout_s: float
    slow_rep_s: float
    slow_repeats: int
    budget_s: float | None = None  # for a budgeted app: all its sessions at one size


APPS: tuple[AppUnderTest, ...] = (
    AppUnderTest(report.OURS, APP, probe.FEATURE_COUNT_JS),
    AppUnderTest(
        report.BASELINE, BENCH_DIR / "naive_app.py", probe.CLUSTER_COUNT_JS, budgeted=True
    ),
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.map_bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument(
        "--repeats", type=int, default=DEFAULT_REPEATS, help="warm sessions after the cold one"
    )
    parser.add_argument("--timeout-s", type=float, default=DEFAULT_TIMEOUT_S)
    parser.add_argument(
        "--slow-rep-s", type=float, default=SLOW_REP_S, help="a cold session slower than this..."
    )
    parser.add_argument(
        "--slow-repeats", type=int, default=SLOW_REPEATS, help="...gets only this many warm ones"
    )
    parser.add_argument(
        "--baseline-budget-s",
        type=float,
        default=BASELINE_BUDGET_S,
        help="time the naive baseline gets per size, all sessions together",
    )
    parser.add_argument("--apps", nargs="+", choices=[a.name for a in APPS], default=None)
    parser.add_argument("--readme", type=Path, default=BENCH_DIR / "README.md")
    parser.add_argument("--no-readme", action="store_true", help="write only the JSON")
    parser.add_argument("--json", type=Path, default=RESULTS_DIR / "latest.json")
    return parser.parse_args(argv)


def _fmt(value: float | None) -> str:
    return "timeout" if value is None else f"{value:.2f}s"


def _describe(rep: probe.Repetition) -> str:
    size = "n/a" if rep.page_bytes is None else f"{rep.page_bytes / 1e6:.2f} MB"
    text = (
        f"load {_fmt(rep.load_s)} (idle {_fmt(rep.load_idle_s)}, {size}), "
        f"filter {_fmt(rep.select_s)} (map kept: {rep.select_same_map}), "
        f"clear {_fmt(rep.clear_s)}"
    )
    return text + (f"  ERROR: {rep.error}" if rep.error else "")


def _tail(path: Path, lines: int = 15) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _run_repetitions(
    browser: Browser, scenario: probe.Scenario, *, app: str, plan: Plan, log_path: Path
) -> tuple[list[dict[str, Any]], bool]:
    """Run the cold session and the warm ones; return them and whether the budget ran out."""
    reps: list[dict[str, Any]] = []
    warm = plan.repeats
    rep = 0
    began = time.perf_counter()
    while rep <= warm:
        started = time.perf_counter()
        timeout_s = plan.timeout_s
        if plan.budget_s is not None:
            left = plan.budget_s - (started - began)
            longest = max((r["took_s"] for r in reps), default=0.0)
            if left <= 0 or (reps and left < longest):
                print(f"  [{app}] budget of {plan.budget_s:.0f} s used: no more sessions")
                return reps, True
            timeout_s = left  # each step may use what is left of the budget, no more
        shot = RESULTS_DIR / f"failed_{app}_{scenario.n_places}_rep{rep}.png"
        result = probe.run_repetition(
            browser, replace(scenario, timeout_s=timeout_s), rep=rep, screenshot=shot
        )
        took = time.perf_counter() - started
        kind = "cold" if rep == 0 else "warm"
        print(
            f"  [{app} n={scenario.n_places}] rep {rep} ({kind}, {took:.0f} s): "
            f"{_describe(result)}",
            flush=True,
        )
        if result.error and plan.budget_s is not None:
            print(f"  [{app}] did not finish within its budget of {plan.budget_s:.0f} s")
            reps.append(result.to_dict() | {"took_s": took, "error": None})
            return reps, True
        if result.error:
            print(_tail(log_path), flush=True)
        if rep == 0 and took > plan.slow_rep_s and warm > plan.slow_repeats:
            warm = plan.slow_repeats
            print(f"  slow ({took:.0f} s > {plan.slow_rep_s:.0f} s): {warm} warm repetitions")
        reps.append(result.to_dict() | {"took_s": took})
        rep += 1
    return reps, False


def bench_app(
    browser: Browser, app: AppUnderTest, *, n_places: int, data_dir: Path, plan: Plan
) -> dict[str, Any]:
    """Start one app on one catalogue (a fresh server) and time its sessions.

    Parameters
    ----------
    browser
        From ``probe.launch``.
    app
        The app.
    n_places
        Places in the catalogue.
    data_dir
        Folder with the catalogue; the server's log is written next to it.
    plan
        Repetitions and time limits.

    Returns
    -------
    dict
        ``{"app", "n_places", "n_filtered", "budget_s", "out_of_budget", "startup_s",
        "rss_bytes", "rss_peak_bytes", "repetitions": [...]}``; memory is the server's, read
        after the last session (``None`` if it could not be read); ``startup_s`` is from
        starting the server's process to its first healthy answer.
    """
    log_path = data_dir / f"{app.name}.log"
    context_dir = data_dir / "no_context"  # empty: no optional context layers
    context_dir.mkdir(exist_ok=True)
    n_filtered = expected_filtered_count(n_places)
    plan = plan if app.budgeted else replace(plan, budget_s=None)
    env = {DATA_DIR_VAR: str(data_dir), CONTEXT_DIR_VAR: str(context_dir)}
    with streamlit_server(app.script, env=env, log_path=log_path) as server:
        startup_s = server.startup_s
        print(f"  [{app.name} n={n_places}] server ready {startup_s:.1f} s after its start")
        scenario = probe.Scenario(server.url, app.count_js, n_places, n_filtered, plan.timeout_s)
        reps, out_of_budget = _run_repetitions(
            browser, scenario, app=app.name, plan=plan, log_path=log_path
        )
        try:
            rss, peak = rss_bytes(server.proc.pid)
        except OSError:
            rss = peak = None
    print(f"  [{app.name} n={n_places}] server memory: RSS {_mb(rss)}, peak {_mb(peak)}")
    return {
        "app": app.name,
        "n_places": n_places,
        "n_filtered": n_filtered,
        "budget_s": plan.budget_s,
        "out_of_budget": out_of_budget,
        "startup_s": startup_s,
        "rss_bytes": rss,
        "rss_peak_bytes": peak,
        "repetitions": reps,
    }


def _mb(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 1e6:.0f} MB"


def _code_version() -> str:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def _meta(args: argparse.Namespace, browser_version: str) -> dict[str, Any]:
    return {
        "machine": f"{os.cpu_count()} CPU cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}",
        "chromium": browser_version,
        "versions": {p: metadata.version(p) for p in PACKAGES},
        "code": _code_version(),
        "sizes": args.sizes,
        "repeats": args.repeats,
        "slow_rep_s": args.slow_rep_s,
        "slow_repeats": args.slow_repeats,
        "timeout_s": args.timeout_s,
        "baseline_budget_s": args.baseline_budget_s,
        "load_avg_start": os.getloadavg()[0],
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run every app at every size; return the raw results with their summaries."""
    apps = [a for a in APPS if args.apps is None or a.name in args.apps]
    plan = Plan(
        args.repeats, args.timeout_s, args.slow_rep_s, args.slow_repeats, args.baseline_budget_s
    )
    started = time.perf_counter()
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="map_bench_") as tmp, sync_playwright() as pw:
        browser = probe.launch(pw)
        meta = _meta(args, browser.version)
        for n_places in args.sizes:
            print(f"{n_places:,} places", flush=True)
            data_dir = Path(tmp) / f"places_{n_places}"
            data_dir.mkdir()
            write_catalogue(n_places, data_dir)  # the same seed, so the same places for all
            for app in apps:
                runs.append(
                    bench_app(browser, app, n_places=n_places, data_dir=data_dir, plan=plan)
                )
        browser.close()
    meta["duration_s"] = time.perf_counter() - started
    meta["load_avg_end"] = os.getloadavg()[0]
    meta["finished"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return {"meta": meta, "runs": runs, "summary": [report.summarise_run(r) for r in runs]}


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and write its JSON and README section."""
    args = parse_args(argv)
    RESULTS_DIR.mkdir(exist_ok=True)
    for old in RESULTS_DIR.glob("failed_*.png"):  # screenshots from an earlier run
        old.unlink()
    results = run(args)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    section = report.results_markdown(results["summary"], results["meta"])
    print(section)
    if not args.no_readme:
        report.write_readme(args.readme, section)
        print(f"wrote {args.readme}")


if __name__ == "__main__":
    main()
