"""Write a build's outputs all or nothing: staged beside their targets, then swapped in together.

Each file is first written to a temporary file beside its target, `.TARGET.PID.RANDOM.part`; a
folder written as one unit (the web version) is written whole to a temporary folder beside it,
named the same way. Only when every one is written are they swapped in, each old one kept aside
(`.TARGET.PID.RANDOM.old`) until all are in place; if a swap fails, those already made are undone
and the old set is back. A build killed outright (SIGKILL, power loss) cannot clean up after
itself: the next write beside the same target removes its temporary files, and puts back an old
one it had set aside where the target is missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from report.problems import KohoError, os_reason

Writer = Callable[[BinaryIO], None]
SUFFIX = ".part"  # a new file or folder, not yet in place
KEPT = ".old"  # an old one set aside while the new set is swapped in


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    """Remove a file or a whole folder (never what a symbolic link points to)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def remove_stale_parts(target: Path) -> None:
    """Clean up after builds of `target` that were killed: remove their temporary files and
    folders, and put back an old target one of them had set aside if the target is missing."""
    prefix = f".{target.name}."
    for leftover in target.parent.glob(f".{target.name}.*"):
        pid = leftover.name.removeprefix(prefix).split(".")[0]
        if (not leftover.name.endswith((SUFFIX, KEPT)) or not pid.isdigit() or int(pid) == os.getpid()
                or _alive(int(pid))):
            continue
        if leftover.name.endswith(KEPT) and not os.path.lexists(target):
            os.replace(leftover, target)
        else:
            _remove(leftover)


@contextlib.contextmanager
def _termination_as_exit() -> Iterator[None]:
    """While temporary files exist, SIGTERM (plain `kill`) exits through the cleanup code."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _beside(target: Path, suffix: str) -> str:
    """A free name beside `target` for its old copy, kept aside while the new set is swapped in."""
    return tempfile.mktemp(prefix=f".{target.name}.{os.getpid()}.", suffix=suffix, dir=target.parent)


def _write(stream: BinaryIO, write: Writer) -> None:
    """Write a file through `write`, flushed to the disk."""
    write(stream)
    stream.flush()
    os.fsync(stream.fileno())


def replace_file(target: Path, write: Writer) -> None:
    """Write one file beside `target` (`.NAME.RANDOM.part`, flushed to the disk), then move it into
    place in one step: a reader sees the old file or the new one, never a part. For caches, whose
    entries stand alone (the chart cache, the web fonts); a build's outputs use write_all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=SUFFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            _write(stream, write)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_file(path: Path, write: Writer) -> None:
    """Write a new file, readable by a web server."""
    with open(path, "xb") as stream:
        _write(stream, write)
    os.chmod(path, 0o644)


@dataclass
class _Swap:
    """One target of the set: its staged new version, and its old one while it is set aside."""

    target: Path
    staged: Path
    kept: Path | None = None  # the old one, set aside (or a hard link to it)
    linked: bool = False  # `kept` is a hard link: the old file stayed in place until replaced
    done: bool = False  # the new version is in place

    def swap_in(self) -> None:
        """Set the old one aside, then move the new one into place."""
        if os.path.lexists(self.target):
            kept = Path(_beside(self.target, KEPT))
            if not self.staged.is_dir():
                with contextlib.suppress(OSError):  # a hard link keeps the old file readable throughout
                    os.link(self.target, kept, follow_symlinks=False)
                    self.kept, self.linked = kept, True
            if self.kept is None:
                os.replace(self.target, kept)
                self.kept = kept
        os.replace(self.staged, self.target)
        self.done = True

    def undo(self) -> None:
        """Put the old one back where it was (or take the new one away where there was none)."""
        if self.done and self.kept is not None and self.linked:
            os.replace(self.kept, self.target)  # the old file back in one step
            self.kept, self.done = None, False
        if self.done:
            os.replace(self.target, self.staged)  # the new one out, removed with what was staged
            self.done = False
        if self.kept is not None:
            if self.linked:
                self.kept.unlink()  # the old file never left its place
            else:
                os.replace(self.kept, self.target)
            self.kept = None

    def finish(self) -> None:
        if self.kept is not None:
            _remove(self.kept)


def _fill_folder(staged: Path, folder: Path, files: list[tuple[Path, Writer]], carried: Collection[str]) -> None:
    """Write the new folder whole at `staged`, beside `folder`: `files` (paths relative to it) and
    a copy of the `carried` entries of the old folder (what koho did not write there)."""
    os.chmod(staged, 0o755)
    for relative, write in files:
        path = staged / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_file(path, write)
    for name in carried:
        old = folder / name
        (staged / name).parent.mkdir(parents=True, exist_ok=True)  # photos/city-banner.jpg: its folder too
        if old.is_dir() and not old.is_symlink():
            shutil.copytree(old, staged / name, symlinks=True)
        elif os.path.lexists(old):
            shutil.copy2(old, staged / name, follow_symlinks=False)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def write_all(outputs: list[tuple[Path, Writer]], folder: Path | None = None,
              carried: Collection[str] = ()) -> list[int]:
    """Write every output, then swap them all into place: all or nothing.

    Outputs inside `folder` are written as one new folder that replaces the old one whole; the
    old folder's `carried` entries (names of what koho does not own there) are copied into it.
    On any failure, including Ctrl-C and SIGTERM, every temporary file is removed and the old
    targets are as they were; a failure of the system (disk full, read-only or unwritable folder)
    is a KohoError naming the file and saying what became of the old one. Returns the sizes written.
    """
    home = _real(folder) if folder is not None else None
    inside = [(target, write) for target, write in outputs if home is not None and _real(target).is_relative_to(home)]
    swaps: list[_Swap] = []
    current: Path | None = None
    swapping = False  # every output is written; they are being swapped in
    with _termination_as_exit():
        try:
            if home is not None:
                current = home
                home.parent.mkdir(parents=True, exist_ok=True)
                remove_stale_parts(home)
                staged = Path(tempfile.mkdtemp(prefix=f".{home.name}.{os.getpid()}.", suffix=SUFFIX, dir=home.parent))
                swaps.append(_Swap(home, staged))
                _fill_folder(staged, home, [(_real(t).relative_to(home), write) for t, write in inside], carried)
            for target, write in outputs:
                if any(target is other for other, _ in inside):
                    continue
                current = target
                target.parent.mkdir(parents=True, exist_ok=True)
                remove_stale_parts(target)
                handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=SUFFIX,
                                                dir=target.parent)
                swaps.append(_Swap(target, Path(name)))
                with os.fdopen(handle, "wb") as stream:
                    _write(stream, write)
                os.chmod(name, 0o644)
            swapping = True
            for swap in swaps:
                current = swap.target
                swap.swap_in()
        except BaseException as error:
            unrestored = _undo(swaps)
            if isinstance(error, OSError) or unrestored:
                raise KohoError(_failure(current, error, swapping, unrestored)) from None
            raise
    for swap in swaps:
        swap.finish()
    return [target.stat().st_size for target, _ in outputs]


def _undo(swaps: list[_Swap]) -> list[_Swap]:
    """Undo the swaps made, last first, and remove what was staged; the swaps not undone."""
    failed = []
    for swap in reversed(swaps):
        try:
            swap.undo()
        except OSError:
            failed.append(swap)
        _remove(swap.staged)
    return failed


def _failure(target: Path | None, error: BaseException, swapping: bool, unrestored: list[_Swap]) -> str:
    """What happened, truthfully: the old set is back, or which old file is where."""
    reason = os_reason(error) if isinstance(error, OSError) else "中断されました"
    if unrestored:
        kept = "、".join(f"{s.kept}(元は {s.target})" for s in unrestored if s.kept is not None)
        return (f"{target} に書き出せず、以前のファイルに戻せなかったものがあります({reason})。"
                + (f"以前のファイルは {kept} に残っています。手で元の名前に戻してください" if kept else
                   "新しいファイルが残っている場合があります"))
    if swapping:
        return f"{target} を置き換えられません({reason})。入れ替えを取り消し、以前のファイルはそのままです"
    return f"{target} に書き出せません({reason})。以前のファイルはそのままです"


def bytes_writer(data: bytes) -> Writer:
    """Write bytes prepared in memory: the PDF is laid out and serialised before a file is touched."""
    return lambda stream: stream.write(data)


def write_atomic(target: Path, write: Writer) -> int:
    """Write one file all or nothing (see write_all). Returns the size written."""
    return write_all([(target, write)])[0]
