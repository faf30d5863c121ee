"""Start the dashboard: prepare the data once, then run Streamlit's server in this process.

``python -m ui.launch [streamlit run options]`` is what ``make run`` (and the tests' and the
benchmark's server harness) starts: it runs ``streamlit run serve.py`` (the dashboard behind
the host-name guard, ``ui/host_guard.py``) in this process. Before the server accepts its
first connection it imports the heavy libraries, reads and validates every layer and builds
each layer's map document in every language, into the process-wide caches of
``ui/cache.py`` that every session then shares. The expensive work is done once, at
start-up, not by whoever opens the page first (at 100,000 places that is several seconds:
see ``bench/README.md``).

Preparing is best effort: when it fails (the database is down, the catalogue is invalid) it
logs why and the server starts anyway, so the page shows its own clear message, exactly as
without the launcher. ``streamlit run serve.py`` still works; its first visitor then waits
for the preparation.
"""

from __future__ import annotations

import gc
import logging
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from geo.cities import CITY_IDS
from layers.doc_folder import remove_stale_folders
from layers.i18n import DEFAULT_LANG, LANGS
from settings import ROOT, Settings, load_settings

log = logging.getLogger("creative_map")

SERVER_SCRIPT = ROOT / "serve.py"
# Streamlit warns about caches used outside a session: expected here, before the server runs,
# and harmless.
_EXPECTED_WARNINGS = ("No runtime found", "missing ScriptRunContext")
_QUIET_LOGGERS = (
    "streamlit.runtime.caching.cache_data_api",
    "streamlit.runtime.scriptrunner_utils.script_run_context",
)


class _Expected(logging.Filter):
    """Drop Streamlit's warnings about caches used outside a session (expected here)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(text in message for text in _EXPECTED_WARNINGS)


@contextmanager
def _quiet_streamlit() -> Iterator[None]:
    import streamlit  # noqa: F401, PLC0415  (creates its loggers first)

    loggers = [logging.getLogger(name) for name in _QUIET_LOGGERS]
    quiet = _Expected()
    for logger in loggers:
        logger.addFilter(quiet)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(quiet)


def prepare(settings: Settings, langs: Sequence[str] = LANGS) -> bool:
    """Fill the shared caches with what a first page load needs; return whether it worked.

    Imports the heavy libraries (geopandas, folium), reads and validates
    every layer, builds the places frame and its filter vocabulary, each loaded layer's
    document in each language (the default language first), the search index and each
    city's nearest-place index.

    Parameters
    ----------
    settings
        Where the data is, as the app will read it.
    langs
        Languages to build documents for.

    Returns
    -------
    bool
        ``True`` when everything was prepared; ``False`` when something failed (logged with
        its traceback; the page reports it to its users as usual).
    """
    started = time.perf_counter()
    try:
        with _quiet_streamlit():
            # Not the pages, nor streamlit-folium: a module that declares a Streamlit
            # component registers it only when imported inside a session's run.
            import folium  # noqa: F401, PLC0415

            from ui.cache import load_data  # noqa: PLC0415

            data, _, _ = load_data(settings)
            data.vocabulary()
            data.place_ids()
            ordered = sorted(langs, key=lambda lang: lang != DEFAULT_LANG)
            for lang in ordered:
                for spec in data.layers:
                    data.document(spec.id, lang)
            data.search_index()  # near me: the search and the nearest places
            for city in CITY_IDS:
                data.index(city)
    except Exception:
        log.exception("preparing the data at start-up failed; the page will say why")
        return False
    # What was just built lives as long as the process: keep it out of every later garbage
    # collection, which then scans only what the sessions create (Streamlit runs a full one
    # after every script run).
    gc.collect()
    gc.freeze()
    print(f"Map data prepared in {time.perf_counter() - started:.1f} s.", flush=True)  # noqa: T201
    return True


def main(argv: Sequence[str] | None = None) -> None:
    """Prepare the data, then run ``streamlit run serve.py <argv>`` in this process.

    Streamlit's configuration (``.streamlit/config.toml`` and the options given) is loaded
    first, as ``streamlit run`` loads it, so that preparing sees the same configuration as
    the server.

    Parameters
    ----------
    argv
        Options for ``streamlit run`` (``--server.port 8501``, ...); ``None`` reads
        ``sys.argv[1:]``.
    """
    from streamlit.web import bootstrap, cli  # noqa: PLC0415

    run_args = ["run", str(SERVER_SCRIPT), *(sys.argv[1:] if argv is None else argv)]
    flags = cli.main_run.make_context("run", run_args[1:]).params
    bootstrap.load_config_options(
        {name: value for name, value in flags.items() if name not in {"target", "args"}}
    )
    removed = remove_stale_folders()  # layer documents of servers that were killed
    if removed:
        print(f"Removed {len(removed)} folder(s) of servers no longer running.", flush=True)  # noqa: T201
    print("Preparing the map data…", flush=True)  # noqa: T201  (before Streamlit's banner)
    prepare(load_settings())
    cli.main(run_args, prog_name="streamlit")


if __name__ == "__main__":
    main()
