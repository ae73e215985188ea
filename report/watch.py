"""Notice changes to a project's inputs by polling their modification times (no extra dependency).

Watched: the files at the top of the project folder and of its data/ folder (koho.toml, the CSV
files or the workbook), and everything under templates/ and styles/. Nothing outside the project.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

Snapshot = dict[Path, tuple[int, int, int]]  # path → (modification time in ns, size, inode)

FLAT_FOLDERS = ("", "data")
DEEP_FOLDERS = ("templates", "styles")


def _ignored(name: str) -> bool:
    """Hidden files, editors' backups and Excel's lock files (~$book.xlsx) are not inputs."""
    return name.startswith((".", "~")) or name.endswith(("~", ".part", ".swp", ".tmp"))


def _stat(path: Path, snapshot: Snapshot) -> None:
    try:
        stat = path.stat()
    except OSError:  # removed while we looked
        return
    snapshot[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)  # inode: a save that replaces the file


def snapshot(root: Path) -> Snapshot:
    """The modification time, size and inode of every watched file of the project at `root`."""
    found: Snapshot = {}
    for name in FLAT_FOLDERS:
        folder = root / name
        if folder.is_dir():
            for entry in os.scandir(folder):
                if entry.is_file() and not _ignored(entry.name):
                    _stat(Path(entry.path), found)
    for name in DEEP_FOLDERS:
        for folder, folders, files in os.walk(root / name):
            folders[:] = [f for f in folders if not _ignored(f)]
            for file in files:
                if not _ignored(file):
                    _stat(Path(folder) / file, found)
    return found


def differences(before: Snapshot, after: Snapshot) -> list[Path]:
    """Files added, removed or changed between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


class Watcher:
    """Polls a project and reports changes once they have settled (a save often writes twice)."""

    def __init__(self, root: Path, interval: float = 0.25, settle: float = 0.4) -> None:
        self.root = Path(root)
        self.interval = interval
        self.settle = settle
        self.last = snapshot(self.root)

    def wait(self, stop: threading.Event) -> list[Path] | None:
        """Block until something changed and nothing more changed for `settle` seconds.

        Returns the changed files, or None once `stop` is set.
        """
        while not stop.wait(self.interval):
            current = snapshot(self.root)
            if current == self.last:
                continue
            while not stop.wait(self.settle):  # let the writer finish
                settled = snapshot(self.root)
                if settled == current:
                    break
                current = settled
            if stop.is_set():
                break
            changed = differences(self.last, current)
            self.last = current
            return changed
        return None
