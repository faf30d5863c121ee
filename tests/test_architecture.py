"""The import direction: import-linter's contracts in pyproject.toml, run as `make lint` runs them.

``lint-imports`` only scans packages, so the one module it cannot look inside that has rules of
its own, ``settings.py``, is checked here too (``dashboard.py`` is the top: it may import
anything, and the contracts see every import of it).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]["contracts"]
# What settings.py may never import: everything of ours above geo, and the UI.
ABOVE_SETTINGS = {"dashboard", "ui", "exports", "ingest", "sources", "store", "layers", "i18n"}


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own venv's tool, fixed arguments
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_import_contract_is_kept():
    result = _lint_imports(ROOT)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in output, output
    for contract in CONTRACTS:
        assert f"{contract['name']} KEPT" in " ".join(output.split()), output


def test_settings_imports_nothing_above_geo_and_no_ui():
    tree = ast.parse((ROOT / "settings.py").read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert imported  # it reads the environment: an empty set means this check parsed nothing
    tops = {name.split(".")[0] for name in imported}
    assert not tops & (ABOVE_SETTINGS | {"streamlit", "streamlit_folium", "folium"})


@pytest.fixture
def project_copy(tmp_path):
    """A copy of the code and pyproject.toml, to break on purpose."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["importlinter"]["root_packages"]
    assert "geo" in packages  # the list was read
    for name in packages:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("settings.py", "dashboard.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    assert _lint_imports(tmp_path).returncode == 0  # the copy is as good as the original
    return tmp_path


@pytest.mark.parametrize(
    ("module", "bad_import", "broken"),
    [
        ("geo/crs.py", "import folium", "geo is not allowed to import folium"),
        ("geo/crs.py", "import settings", "geo is not allowed to import settings"),
        ("layers/spec.py", "import streamlit", "layers is not allowed to import streamlit"),
        ("layers/spec.py", "from ui import text", "layers is not allowed to import ui"),
        ("sources/osm.py", "import ui.text", "sources is not allowed to import ui"),
        ("ui/text.py", "import dashboard", "ui is not allowed to import dashboard"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(project_copy, module, bad_import, broken):
    path = project_copy / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{bad_import}\n", encoding="utf-8")
    result = _lint_imports(project_copy)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert broken in output, output
