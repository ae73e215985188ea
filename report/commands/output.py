"""Write output files all or nothing: to temporary files beside the targets, then rename.

A temporary file is named `.TARGET.PID.RANDOM.part`. A build that is killed outright (SIGKILL, power
loss) cannot remove its own; the next write to the same folder removes those whose process is gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from report.problems import KohoError, os_reason

Writer = Callable[[BinaryIO], None]
SUFFIX = ".part"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_parts(target: Path) -> None:
    """Remove temporary files of `target` left by builds that were killed."""
    prefix = f".{target.name}."
    for part in target.parent.glob(f".*{SUFFIX}"):
        pid = part.name.removeprefix(prefix).split(".")[0]
        if part.name.startswith(prefix) and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            part.unlink(missing_ok=True)


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


def write_all(outputs: list[tuple[Path, Writer]]) -> list[int]:
    """Write every output to a temporary file, then move them all into place.

    On any failure, including Ctrl-C and SIGTERM, every temporary file is removed and the existing
    targets are left untouched; a failure of the system (disk full, read-only or unwritable folder)
    is a KohoError naming the file. Returns the sizes written.
    """
    temporaries: list[Path] = []
    current: Path | None = None
    with _termination_as_exit():
        try:
            for target, write in outputs:
                current = target
                target.parent.mkdir(parents=True, exist_ok=True)
                remove_stale_parts(target)
                handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=SUFFIX,
                                                dir=target.parent)
                temporaries.append(Path(name))
                with os.fdopen(handle, "wb") as stream:
                    write(stream)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.chmod(name, 0o644)
            for temporary, (target, _) in zip(temporaries, outputs):
                current = target
                os.replace(temporary, target)
        except BaseException as error:
            for temporary in temporaries:
                temporary.unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise KohoError(f"{current} に書き出せません({os_reason(error)})。"
                                "以前のファイルはそのままです") from None
            raise
    return [target.stat().st_size for target, _ in outputs]


def write_atomic(target: Path, write: Writer) -> int:
    """Write one file all or nothing (see write_all). Returns the size written."""
    return write_all([(target, write)])[0]
