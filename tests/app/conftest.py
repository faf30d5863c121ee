"""AppTest fixtures: every test runs the app on the catalogue built in tests/catalogue.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR


@pytest.fixture(autouse=True)
def test_catalogue(catalogue_dir: Path, empty_dir: Path, monkeypatch) -> Path:
    """Point the app at the test catalogue and at no context layers; a test may override."""
    monkeypatch.setenv(DATA_DIR_VAR, str(catalogue_dir))
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(empty_dir))
    return catalogue_dir
