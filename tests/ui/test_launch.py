"""The launcher prepares the shared caches before the server listens (``ui/launch.py``).

Each check runs in a fresh interpreter, as a server start does: Streamlit's caches are
process-wide, so only a new process shows what preparing leaves behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.catalogue import PLACES, write_catalogue
from tests.conftest import ROOT

# After prepare(): every loaded layer's document in every language must come from the cache.
# Building one now would call layer_document, which this replaces with a function that fails.
_CHECK = textwrap.dedent(
    """
    import sys
    from settings import load_settings
    from ui.launch import prepare

    ok = prepare(load_settings())
    print("prepared", ok)
    print("component modules", sorted(
        m for m in ("streamlit_folium", "ui.assets", "ui.pages.map") if m in sys.modules))
    if ok:
        import ui.cache
        from layers.i18n import LANGS
        from ui.cache import load_data

        def rebuilt(*args, **kwargs):
            raise AssertionError("a document was built after prepare()")

        ui.cache.layer_document = rebuilt
        data, _, _ = load_data(load_settings())
        served = [data.document(spec.id, lang) for lang in LANGS for spec in data.layers]
        print("documents from the cache", len(served), len(data.layers) * len(LANGS))
    """
)


def _run(data_dir: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    context = tmp_path / "no_context"
    context.mkdir(exist_ok=True)
    env = {**os.environ, DATA_DIR_VAR: str(data_dir), CONTEXT_DIR_VAR: str(context)}
    return subprocess.run(
        [sys.executable, "-c", _CHECK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_prepare_fills_every_document_without_registering_components(tmp_path):
    """Every document is cached; no component module is imported outside a session.

    streamlit-folium and ui.assets declare Streamlit components when imported: imported
    before the server runs, the map's frame and its script would never be served.
    """
    write_catalogue(tmp_path)
    result = _run(tmp_path, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "prepared True" in lines
    assert "component modules []" in lines
    counts = next(line for line in lines if line.startswith("documents from the cache"))
    served, expected = map(int, counts.split()[-2:])
    assert served == expected > 0


@pytest.mark.parametrize("broken", ["no catalogue", "invalid place"])
def test_prepare_reports_failure_and_lets_the_server_start(tmp_path, broken):
    """A catalogue that cannot load makes prepare() return False, with the reason logged."""
    if broken == "invalid place":
        bad = PLACES.copy()
        bad.loc[bad.index[0], "status"] = "rumoured"
        write_catalogue(tmp_path, bad)
    result = _run(tmp_path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "prepared False" in result.stdout.splitlines()
    assert "preparing the data at start-up failed" in result.stderr
