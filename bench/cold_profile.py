"""Profile the server side of the map page: a cold run of the script, a filter change, clearing it.

Run ``python -m bench.cold_profile --places 100000`` to see where a first load after a server
start spends its time. The script runs in Streamlit's AppTest (no browser) on a synthetic
catalogue (``bench/synthetic.py``), with cProfile around each run of the script in the thread
that runs it. Prints each run's wall time and the project's functions by cumulative time.
Times under cProfile are inflated (about 1.5-3x for pandas-heavy code): read them as shares.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.server import ROOT
from bench.synthetic import FILTER_STATUS, write_catalogue

PROJECT_DIRS = ("dashboard.py", "/ui/", "/geo/", "/layers/", "/store/", "/settings.py")


def _profiled_runs() -> tuple[list[tuple[float, cProfile.Profile]], Callable[[], None]]:
    """Wrap Streamlit's script execution so that each run is profiled in its own thread."""
    import streamlit.runtime.scriptrunner.script_runner as runner  # noqa: PLC0415

    original = runner.exec_func_with_error_handling
    runs: list[tuple[float, cProfile.Profile]] = []

    def profiled(func: Any, ctx: Any) -> Any:
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        try:
            return original(func, ctx)
        finally:
            profile.disable()
            runs.append((time.perf_counter() - started, profile))

    runner.exec_func_with_error_handling = profiled

    def undo() -> None:
        runner.exec_func_with_error_handling = original

    return runs, undo


def _project_lines(profile: cProfile.Profile, top: int) -> list[str]:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats()
    rows = [line for line in out.getvalue().splitlines() if any(d in line for d in PROJECT_DIRS)]
    return rows[:top]


def profile(n_places: int, *, top: int) -> list[tuple[str, float]]:
    """Profile a cold run, a filter change and clearing it; print and return the wall times.

    Parameters
    ----------
    n_places
        Synthetic places in the catalogue.
    top
        Project functions to print per run.

    Returns
    -------
    list of (str, float)
        Each run's name and wall time in seconds (under cProfile).
    """
    from streamlit.testing.v1 import AppTest  # noqa: PLC0415 - after the environment is set

    runs, undo = _profiled_runs()
    try:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        at.query_params["lang"] = "en"
        at.query_params["city"] = "both"
        at.run()
        at.multiselect(key="status").set_value([FILTER_STATUS]).run()
        at.multiselect(key="status").set_value([]).run()
    finally:
        undo()
    if at.exception:
        msg = f"the app raised: {at.exception}"
        raise RuntimeError(msg)
    names = ("cold run", "filter change", "filter cleared")
    timings = []
    for name, (wall_s, prof) in zip(names, runs, strict=False):
        print(f"==== {name}: {wall_s:.2f} s under cProfile")
        print("\n".join(_project_lines(prof, top)))
        timings.append((name, wall_s))
    return timings


def main(argv: Sequence[str] | None = None) -> None:
    """Write a synthetic catalogue to a temporary folder and profile the app on it."""
    parser = argparse.ArgumentParser(prog="python -m bench.cold_profile", description=__doc__)
    parser.add_argument("--places", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=30, help="project functions per run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cold_profile_") as tmp:
        folder = Path(tmp)
        write_catalogue(args.places, folder)
        (folder / "no_context").mkdir()
        os.environ["CREATIVE_MAP_DATA_DIR"] = str(folder)
        os.environ["CREATIVE_MAP_CONTEXT_DIR"] = str(folder / "no_context")
        os.environ["CREATIVE_MAP_GEOCODER"] = "off"
        profile(args.places, top=args.top)


if __name__ == "__main__":
    main()
