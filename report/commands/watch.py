"""Notice changes to a project's inputs as they are saved (inotify and the like, via watchfiles).

Watched: the files at the top of the project folder and of its data/ folder (koho.toml, the CSV
files or the workbook), everything under templates/ and styles/, and the city's own workbook that
koho.toml's [import] names wherever it sits in the project (data/2024/…). Nothing outside the project.
The operating system reports each save at once; a burst of writes (a save often writes a
temporary file, renames it and removes a backup) is reported once, `settle` seconds after the
last of them. Where the system cannot watch (too many watches, some network drives) the
folders are polled instead.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from report.load.project.sources import is_input_name

FLAT_FOLDERS = ("", "data")
DEEP_FOLDERS = ("templates", "styles")
LONGEST_BURST_MS = 2000  # a burst that goes on longer is reported anyway, and the rest after it
STOP_CHECK_MS = 1000  # how long one wait for the operating system lasts before looking again


def _ignored(name: str) -> bool:
    """Hidden files, editors' backups and Excel's lock files (~$book.xlsx) are not inputs."""
    return name.startswith((".", "~")) or name.endswith(("~", ".part", ".swp", ".tmp"))


def is_input(root: Path, path: Path) -> bool:
    """Whether a changed path under `root` is one of the project's inputs. A folder is not (its
    files may be), unless it has an input's name: an input replaced by a folder is a change, and
    the rebuild reports it."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    if not parts or any(_ignored(part) for part in parts):
        return False
    folder = "/".join(parts[:-1])
    if path.is_dir():
        return folder in FLAT_FOLDERS and is_input_name(parts[-1])
    return folder in FLAT_FOLDERS or parts[0] in DEEP_FOLDERS


def import_source_of(root: Path) -> Path | None:
    """The source koho.toml's [import] names (resolved), or None (none, or koho.toml in error:
    the rebuild reports that)."""
    from report.load.project.sources import CONFIG_NAME, import_source
    from report.problems import DataError

    try:
        return import_source(Path(os.path.realpath(root)), Path(root) / CONFIG_NAME)
    except (DataError, OSError, ValueError):
        return None


def _files_in(folder: Path) -> list[Path]:
    """The files in a folder that just appeared: written before its own watch began, they would be
    missed otherwise."""
    return [Path(top) / name for top, _, names in os.walk(folder) for name in names]


def _notifier(root: Path, polling: bool):  # noqa: ANN202 - watchfiles' RustNotify
    from watchfiles._rust_notify import RustNotify

    # paths, debug, force_polling, poll_delay_ms, recursive, ignore_permission_denied
    return RustNotify([str(root)], False, polling, 250, True, True)


class Watcher:
    """Reports changed inputs of a project, once per burst of saves; watching starts at once."""

    def __init__(self, root: Path, settle: float = 0.03) -> None:
        self.root = Path(root)
        self.settle = settle
        try:
            self._notify = _notifier(self.root, polling=False)
        except OSError:  # no more inotify watches, an unsupported file system, …
            self._notify = _notifier(self.root, polling=True)

    def wait(self, stop: threading.Event) -> list[Path] | None:
        """Block until inputs changed and nothing more changed for `settle` seconds.

        Returns the changed inputs, sorted, or None once `stop` is set. Changes made while
        nobody waited (during a rebuild) are reported by the next call.
        """
        while not stop.is_set():
            found = self._notify.watch(LONGEST_BURST_MS, max(1, round(self.settle * 1000)), STOP_CHECK_MS, stop)
            if found in ("stop", "signal") or stop.is_set():
                break
            if found == "timeout":
                continue
            paths = {Path(name) for _, name in found}
            paths |= {inner for path in paths if path.is_dir() for inner in _files_in(path)}
            source = import_source_of(self.root)  # read again: koho.toml may name another file now
            changed = sorted(path for path in paths if is_input(self.root, path)
                             or (source is not None and Path(os.path.realpath(path)) == source))
            if changed:
                return changed
        return None

    def close(self) -> None:
        self._notify.close()
