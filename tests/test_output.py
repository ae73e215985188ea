"""Output is all or nothing: a failed, interrupted or killed build leaves the previous files as they
were and no temporary files; inputs are never written."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO

import pytest

import report.commands.build
from report.commands.build import build
from report.output import remove_stale_parts, write_all
from report.problems import DataError, KohoError

from .conftest import SAMPLE, copy_project
from .test_errors import PREVIOUS, assert_untouched, previous, replace_in  # noqa: F401 - a fixture

# Runs a build whose PDF writer stops half-way (after creating the temporary file) and waits.
HALF_WRITTEN_BUILD = """
import sys, time
from pathlib import Path
import report.commands.build

def half_written(data):
    def write(stream):
        stream.write(b"%PDF-1.7 half written")
        stream.flush()
        Path(sys.argv[3]).touch()
        time.sleep(120)
    return write

report.commands.build.bytes_writer = half_written
report.commands.build.build(Path(sys.argv[1]), output=Path(sys.argv[2]))
"""


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below a folder with its bytes and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_build(project: Path, previous: Path) -> None:
    build(project, output=previous / "newsletter.pdf", html_output=previous / "newsletter.html")


def test_a_data_error_leaves_previous_outputs(tmp_path: Path, previous: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "metrics.csv", "令和5年度,22,", "令和5年度,x,")
    inputs = snapshot(project)
    with pytest.raises(DataError):
        run_build(project, previous)
    assert_untouched(previous)
    assert snapshot(project) == inputs


@pytest.mark.parametrize("interruption", [RuntimeError("layout failed"), KeyboardInterrupt()])
def test_an_exception_during_layout_leaves_previous_outputs(previous: Path, monkeypatch: pytest.MonkeyPatch,
                                                            interruption: BaseException) -> None:
    def broken_layout(html: str, root: Path, css: str = "", cmyk_profile: Path | None = None,
                      **kwargs: object) -> None:
        raise interruption

    monkeypatch.setattr(report.commands.build, "layout", broken_layout)
    with pytest.raises(type(interruption)):
        run_build(SAMPLE, previous)
    assert_untouched(previous)


@pytest.mark.parametrize("interruption", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_an_interrupted_write_leaves_previous_outputs(previous: Path, monkeypatch: pytest.MonkeyPatch,
                                                      interruption: BaseException) -> None:
    def half_written(data: bytes):  # noqa: ANN202 - a writer
        def write(stream: BinaryIO) -> None:
            stream.write(b"%PDF-1.7 half written")
            assert [p.name for p in previous.glob(".newsletter.pdf.*.part")]  # the temporary file exists
            raise interruption
        return write

    monkeypatch.setattr(report.commands.build, "bytes_writer", half_written)
    with pytest.raises(type(interruption)):
        run_build(SAMPLE, previous)
    assert_untouched(previous)


def test_outputs_are_moved_into_place_only_when_all_are_written(previous: Path) -> None:
    def fails(stream: BinaryIO) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(KohoError) as raised:
        write_all([(previous / "newsletter.pdf", lambda stream: stream.write(b"%PDF new")),
                   (previous / "newsletter.html", fails)])
    assert "newsletter.html に書き出せません(ディスクがいっぱいです)" in raised.value.format_message()
    assert_untouched(previous)
    write_all([(previous / "newsletter.pdf", lambda stream: stream.write(b"%PDF new")),
               (previous / "newsletter.html", lambda stream: stream.write(b"<p>new</p>"))])
    assert (previous / "newsletter.pdf").read_bytes() == b"%PDF new"
    assert (previous / "newsletter.html").read_bytes() == b"<p>new</p>"


def start_half_written_build(tmp_path: Path, previous: Path) -> tuple[subprocess.Popen, Path]:
    flag = tmp_path / "half-written"
    command = [sys.executable, "-c", HALF_WRITTEN_BUILD, str(SAMPLE), str(previous / "newsletter.pdf"), str(flag)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not flag.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.05)
    return child, flag


def test_a_build_killed_mid_write_leaves_the_previous_pdf(tmp_path: Path, previous: Path) -> None:
    child, _ = start_half_written_build(tmp_path, previous)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert (previous / "newsletter.pdf").read_bytes() == PREVIOUS
    [leftover] = previous.glob(".newsletter.pdf.*.part")  # a killed process cannot clean up …
    assert leftover.read_bytes() == b"%PDF-1.7 half written"
    build(SAMPLE, output=previous / "newsletter.pdf")  # … the next build in that folder does
    assert list(previous.glob(".*.part")) == []
    assert (previous / "newsletter.pdf").read_bytes().startswith(b"%PDF-")


def test_a_terminated_build_cleans_up(tmp_path: Path, previous: Path) -> None:
    child, _ = start_half_written_build(tmp_path, previous)
    child.send_signal(signal.SIGTERM)  # what plain `kill` sends
    child.wait(timeout=30)
    assert child.returncode == 128 + signal.SIGTERM
    assert_untouched(previous)


def test_only_temporary_files_of_dead_builds_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "newsletter.pdf"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".newsletter.pdf.{dead.stdout.strip()}.abc.part"
    running = tmp_path / f".newsletter.pdf.{os.getppid()}.abc.part"  # a build still at work
    other = tmp_path / f".other.pdf.{dead.stdout.strip()}.abc.part"
    for path in (stale, running, other):
        path.write_bytes(b"x")
    remove_stale_parts(target)
    assert not stale.exists()
    assert running.exists() and other.exists()
