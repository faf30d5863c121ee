"""`make osm-sample`: record a small real Overpass response (OSM XML) for the importer's tests.

It asks the Overpass API for the venues in a small box around central Astana and saves the
answer as it came, in OSM XML, to tests/data/osm_recorded.osm. The venue tests then also run
on it (tests/geo/test_venues.py checks properties that hold for any real response). Needs
internet; offline it says so and writes nothing.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from geo.venues import TAG_KINDS
from sources.osm import ROOT, USER_AGENT, FetchError, check_online

log = logging.getLogger("sources.osm_record")

OVERPASS_URL = "https://overpass-api.de/api/interpreter"
# About 2.5 km by 2 km around the Baiterek and the Nurzhol boulevard: small, and busy.
SAMPLE_BBOX_S_W_N_E = (51.118, 71.405, 51.138, 71.445)
DEFAULT_OUT = ROOT / "tests" / "data" / "osm_recorded.osm"
TIMEOUT_S = 90


def overpass_query(bbox: tuple[float, float, float, float]) -> str:
    """Return the Overpass QL query for every venue tag in a box, answered in OSM XML.

    Parameters
    ----------
    bbox
        (south, west, north, east) in WGS 84 degrees.

    Returns
    -------
    str
        The query: the tagged elements, then the nodes their ways need.
    """
    box = ",".join(f"{v:.5f}" for v in bbox)
    parts = "".join(f'nwr["{key}"="{value}"]({box});' for key, value, _ in TAG_KINDS)
    return f"[out:xml][timeout:{TIMEOUT_S}];({parts});out body;>;out skel qt;"


def record(path: Path, *, bbox: tuple[float, float, float, float] = SAMPLE_BBOX_S_W_N_E) -> int:
    """Fetch the sample and write it to ``path``; return how many bytes were written.

    Raises
    ------
    FetchError
        If the Overpass API cannot be reached or answers with an error.
    """
    import requests  # noqa: PLC0415 - only this tool needs it

    check_online(OVERPASS_URL)
    try:
        response = requests.post(
            OVERPASS_URL,
            data={"data": overpass_query(bbox)},
            headers={"User-Agent": USER_AGENT},
            timeout=TIMEOUT_S + 30,
        )
        response.raise_for_status()
    except requests.exceptions.RequestException as err:
        msg = f"the Overpass API failed: {err}"
        raise FetchError(msg) from err
    if "<osm" not in response.text[:500]:
        msg = "the Overpass API did not answer with OSM XML"
        raise FetchError(msg)
    path.write_text(response.text, encoding="utf-8")
    return len(response.content)


def main(argv: list[str] | None = None) -> int:
    """Record the sample; return the exit code (0 written, 1 nothing written)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        size = record(args.out)
    except FetchError as err:
        log.error("%s\nNothing was written.", err)
        return 1
    log.info(
        "Wrote %d bytes of OSM XML to %s (© OpenStreetMap contributors, ODbL 1.0).", size, args.out
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
