"""The server's private folder of layer documents: written privately, pruned, cleaned up.

One folder per server process, in the system's temporary folder, named
``creative-map-layers-<pid>-<random>``: the PID lets a later server tell the folder of a dead
server (killed, so its ``atexit`` clean-up never ran) from a live one's and remove it.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import tempfile
import threading
from collections import deque
from pathlib import Path

from layers.payload import write_document

log = logging.getLogger(__name__)

FOLDER_PREFIX = "creative-map-layers-"
_FOLDER_NAME = re.compile(rf"^{re.escape(FOLDER_PREFIX)}(\d+)-[A-Za-z0-9_]+$")
PRIVATE_DIR_MODE = 0o700
# Versions of a layer's document kept per language: the current one, and the one before it,
# which a session that has not rerun since the data changed may still fetch.
KEEP_VERSIONS = 2


def is_pid_alive(pid: int) -> bool:
    """Return whether a process with this PID exists (of any user).

    Parameters
    ----------
    pid
        A process id.

    Returns
    -------
    bool
        ``False`` only when no process has this PID.
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: checks only
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _is_own_dir(path: Path) -> bool:
    """Return whether ``path`` is a real folder (not a link) owned by this process's user."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()


def remove_stale_folders(parent: Path | None = None) -> list[Path]:
    """Remove the document folders of servers that are no longer running.

    Only folders named ``creative-map-layers-<pid>-<random>``, owned by this user and not
    links, whose PID belongs to no process, are removed.

    Parameters
    ----------
    parent
        Where the folders are; default the system's temporary folder.

    Returns
    -------
    list of pathlib.Path
        The folders removed.
    """
    parent = Path(tempfile.gettempdir()) if parent is None else parent
    removed: list[Path] = []
    for path in parent.glob(f"{FOLDER_PREFIX}*"):
        match = _FOLDER_NAME.match(path.name)
        if match is None or not _is_own_dir(path) or is_pid_alive(int(match.group(1))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(path)
            log.info("removed the layer documents of a stopped server: %s", path)
    return removed


def make_private_folder(parent: Path | None = None) -> Path:
    """Create this process's document folder (mode 0700, the PID in its name).

    Parameters
    ----------
    parent
        Where to create it; default the system's temporary folder.

    Returns
    -------
    pathlib.Path
        The new, empty folder.
    """
    prefix = f"{FOLDER_PREFIX}{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))  # mkdtemp: 0700, unguessable


def ensure_private_folder(folder: Path) -> None:
    """Make sure ``folder`` exists, is a folder of this user and is private (0700).

    Parameters
    ----------
    folder
        The document folder; recreated (0700) if it was removed.

    Raises
    ------
    PermissionError
        If something else now stands at that path (a link, a file, another user's folder).
    """
    try:
        folder.mkdir(mode=PRIVATE_DIR_MODE)
        log.warning("recreated the layer documents folder %s", folder)
    except FileExistsError:
        if not _is_own_dir(folder):
            msg = (
                f"the layer documents folder {folder} was replaced by something this server "
                "does not own; restart the server"
            )
            raise PermissionError(msg) from None
    os.chmod(folder, PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask; chmod is not


class DocumentFolder:
    """A private folder of layer documents that keeps the last versions of each document.

    Thread-safe: every session of the server writes through the one instance.

    Parameters
    ----------
    folder
        The folder the app serves documents from (``make_private_folder``).
    keep
        How many versions of each (layer, language) to keep.
    """

    def __init__(self, folder: Path, *, keep: int = KEEP_VERSIONS) -> None:
        self.folder = folder
        self.keep = keep
        self._lock = threading.Lock()
        self._versions: dict[tuple[str, str], deque[str]] = {}

    def write(self, filename: str, text: str, *, layer_id: str, lang: str) -> Path:
        """Write a document if it is not there, and remove versions that fell out of use.

        Parameters
        ----------
        filename
            From ``layers.payload.document_filename``.
        text
            The document.
        layer_id, lang
            Which layer and language the document is: each keeps ``keep`` versions.

        Returns
        -------
        pathlib.Path
            The document's file.
        """
        with self._lock:
            if not self.folder.is_dir() or self.folder.is_symlink():
                ensure_private_folder(self.folder)
            path = write_document(self.folder, filename, text)
            versions = self._versions.setdefault((layer_id, lang), deque())
            if filename in versions:
                return path
            versions.append(filename)
            dropped = versions.popleft() if len(versions) > self.keep else None
            if dropped is not None and not self._is_kept(dropped):
                (self.folder / dropped).unlink(missing_ok=True)
                log.info("removed an old layer document: %s", dropped)
            return path

    def _is_kept(self, filename: str) -> bool:
        # Two languages can share one document (a layer with no translated text).
        return any(filename in versions for versions in self._versions.values())
