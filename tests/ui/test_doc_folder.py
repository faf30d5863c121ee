"""The server's folder of layer documents: private, pruned, and cleaned up after a dead server."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import pytest

from layers.doc_folder import (
    FOLDER_PREFIX,
    DocumentFolder,
    is_pid_alive,
    make_private_folder,
    remove_stale_folders,
)
from layers.payload import document_filename, write_document


@pytest.fixture
def open_umask():
    """A umask that lets everyone read new files, as on many servers."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _doc(layer_id: str, version: int, lang: str = "en") -> tuple[str, str]:
    text = f'{{"layer": "{layer_id}", "version": {version}, "lang": "{lang}"}}'
    return document_filename(layer_id, text), text


def test_old_versions_are_pruned_keeping_the_current_and_the_previous(tmp_path):
    docs = DocumentFolder(make_private_folder(tmp_path))
    names = []
    for version in range(5):
        name, text = _doc("places", version)
        docs.write(name, text, layer_id="places", lang="en")
        names.append(name)
    kept = sorted(p.name for p in docs.folder.glob("*.json"))
    assert kept == sorted(names[-2:])


def test_each_layer_and_language_keeps_its_own_versions(tmp_path):
    docs = DocumentFolder(make_private_folder(tmp_path))
    for version in range(3):
        for layer_id in ("places", "targets"):
            for lang in ("kk", "ru", "en"):
                name, text = _doc(layer_id, version, lang)
                docs.write(name, text, layer_id=layer_id, lang=lang)
    assert len(list(docs.folder.glob("*.json"))) == 2 * 3 * 2


def test_a_document_two_languages_share_stays_while_one_still_uses_it(tmp_path):
    docs = DocumentFolder(make_private_folder(tmp_path))
    shared, text = _doc("river", 0, "any")
    docs.write(shared, text, layer_id="river", lang="kk")
    docs.write(shared, text, layer_id="river", lang="en")
    for version in (1, 2):  # kk moves on twice; en still shows the shared one
        name, text = _doc("river", version, "kk")
        docs.write(name, text, layer_id="river", lang="kk")
    assert (docs.folder / shared).is_file()


def test_writing_the_current_version_again_writes_nothing_new(tmp_path):
    docs = DocumentFolder(make_private_folder(tmp_path))
    name, text = _doc("places", 0)
    for _ in range(3):
        docs.write(name, text, layer_id="places", lang="en")
    assert [p.name for p in docs.folder.iterdir()] == [name]


def test_the_folder_and_documents_are_private(tmp_path, open_umask):
    folder = make_private_folder(tmp_path)
    assert folder.name.startswith(f"{FOLDER_PREFIX}{os.getpid()}-")
    docs = DocumentFolder(folder)
    name, text = _doc("places", 0)
    path = docs.write(name, text, layer_id="places", lang="en")
    assert (_mode(folder), _mode(path)) == (0o700, 0o600)


def test_a_removed_folder_is_recreated_private(tmp_path, open_umask):
    docs = DocumentFolder(make_private_folder(tmp_path))
    shutil.rmtree(docs.folder)
    name, text = _doc("places", 0)
    path = docs.write(name, text, layer_id="places", lang="en")
    assert path.read_text(encoding="utf-8") == text
    assert (_mode(docs.folder), _mode(path)) == (0o700, 0o600)


def test_write_document_alone_creates_a_private_folder_and_file(tmp_path, open_umask):
    name, text = _doc("places", 0)
    path = write_document(tmp_path / "new", name, text)
    assert (_mode(tmp_path / "new"), _mode(path)) == (0o700, 0o600)
    assert [p.name for p in (tmp_path / "new").iterdir()] == [name]  # no temporary file left


def test_a_folder_replaced_by_a_link_is_refused(tmp_path):
    docs = DocumentFolder(make_private_folder(tmp_path))
    shutil.rmtree(docs.folder)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    docs.folder.symlink_to(elsewhere)
    name, text = _doc("places", 0)
    with pytest.raises(PermissionError, match="replaced by something"):
        docs.write(name, text, layer_id="places", lang="en")
    assert list(elsewhere.iterdir()) == []


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert not is_pid_alive(proc.pid)
    return proc.pid


def test_folders_of_dead_servers_are_removed_and_nothing_else(tmp_path):
    dead = tmp_path / f"{FOLDER_PREFIX}{_dead_pid()}-abc123"
    alive = tmp_path / f"{FOLDER_PREFIX}{os.getpid()}-def456"
    old_style = tmp_path / f"{FOLDER_PREFIX}xyz789"  # no PID in the name: not ours to judge
    other = tmp_path / "something-else-1-abc"
    for folder in (dead, alive, old_style, other):
        folder.mkdir()
        (folder / "places-1.json").write_text("{}", encoding="utf-8")
    target = tmp_path / "target"
    target.mkdir()
    link = tmp_path / f"{FOLDER_PREFIX}{_dead_pid()}-link00"
    link.symlink_to(target)
    assert remove_stale_folders(tmp_path) == [dead]
    assert not dead.exists()
    assert all(p.exists() for p in (alive, old_style, other, link, target / "."))


def test_pid_checks():
    assert is_pid_alive(os.getpid())
    assert is_pid_alive(1)  # init: another user's process counts as alive
    assert not is_pid_alive(0)
    assert not is_pid_alive(_dead_pid())
