"""A build shows its stages: a bar on a terminal, nothing in a pipe or with -q, lines with -v."""

from __future__ import annotations

import os
import pty
import select
import subprocess
from pathlib import Path

from report.commands.build import build
from report.commands.progress import STAGES

from .conftest import new_project
from .test_cli import KOHO, run


def test_build_reports_each_stage_in_order(tmp_path: Path) -> None:
    seen: list[str] = []
    build(new_project(tmp_path), progress=seen.append)
    assert seen == list(STAGES)


def _run_on_a_terminal(*args: str) -> str:
    """Run koho with its stdout on a pseudo-terminal; return what the terminal showed."""
    master, slave = pty.openpty()
    process = subprocess.Popen([KOHO, *args], stdout=slave, stderr=subprocess.PIPE,
                               env={**os.environ, "TERM": "xterm", "COLUMNS": "100"})
    os.close(slave)
    shown = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 120)
            if not ready:
                raise TimeoutError("koho printed nothing for two minutes")
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal closed: koho has exited
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(master)
        assert process.wait(timeout=120) == 0, process.stderr.read().decode()
        process.stderr.close()
    return shown.decode("utf-8")


def test_a_terminal_shows_a_progress_bar_then_the_summary(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    shown = _run_on_a_terminal("build", str(project))
    for label in STAGES.values():
        assert label in shown
    assert "100%" in shown and "\r" in shown
    summary = shown.rstrip().splitlines()[-1]
    assert summary.startswith("PDF: ") and "newsletter.pdf" in summary
    assert "ページ" in summary and "KB" in summary and "秒" in summary


def test_a_pipe_gets_only_the_summary(tmp_path: Path) -> None:
    result = run("build", str(new_project(tmp_path)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("PDF: ")
    assert "\r" not in result.stdout and "作成中" not in result.stdout


def test_quiet_prints_nothing_even_on_a_terminal(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    assert _run_on_a_terminal("build", str(project), "-q") == ""
    assert (project / "build" / "newsletter.pdf").is_file()


def test_verbose_lists_the_stages_with_their_times(tmp_path: Path) -> None:
    result = run("build", str(new_project(tmp_path)), "-v")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("(")[1].split(")")[0] for line in lines[:-1]] == list(STAGES)
    assert all(line.endswith("秒") for line in lines[:-1]) and lines[-1].startswith("PDF: ")
