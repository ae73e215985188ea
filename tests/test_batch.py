"""`koho batch`: many projects on every core; one failure is reported and the others are built."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from report.commands.batch import build_many

from .conftest import SAMPLE, new_project

KOHO = str(Path(sys.executable).parent / "koho")


def _projects(tmp_path: Path, count: int) -> list[Path]:
    projects = []
    for number in range(count):
        project = tmp_path / f"city{number}"
        shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("build"))
        toml = project / "koho.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('issue = "令和6年3月号"', f'issue = "第{number}号"'),
                        encoding="utf-8")
        projects.append(project)
    return projects


def test_batch_builds_every_project_and_reports_the_broken_one(tmp_path: Path) -> None:
    projects = _projects(tmp_path, 4)
    broken = projects[2] / "metrics.csv"
    broken.write_text(broken.read_text(encoding="utf-8").replace("令和5年度,22,", "令和5年度,x,"), encoding="utf-8")
    result = subprocess.run([KOHO, "batch", *map(str, projects), "--jobs", "2"], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 1
    assert f"NG {projects[2]}" in result.stderr and "metrics.csv 2行目" in result.stderr
    assert "Traceback" not in result.stderr
    assert "3/4件できました" in result.stdout
    for number, project in enumerate(projects):
        pdf = project / "build" / "newsletter.pdf"
        assert pdf.exists() == (number != 2)
        if number != 2:
            assert f"第{number}号" in PdfReader(pdf).pages[0].extract_text()


def test_build_many_keeps_the_input_order_in_workers(tmp_path: Path) -> None:
    projects = _projects(tmp_path, 3)
    items = build_many(projects, jobs=2, kind="handout")
    assert [item.project for item in items] == projects
    assert all(item.ok and item.pdf == item.project / "build" / "handout.pdf" for item in items)


def _children(pid: int) -> list[int]:
    """The processes forked by `pid` (same command line: the pool's workers, not helpers)."""
    own = Path(f"/proc/{pid}/cmdline").read_bytes()
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid and (stat.parent / "cmdline").read_bytes() == own:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def test_a_killed_worker_fails_no_batch(tmp_path: Path) -> None:
    """kill -9 of a worker (as the OOM killer does): the batch rebuilds what was not finished, one
    project per process, and reports every project; no traceback."""
    import os
    import signal
    import time

    projects = _projects(tmp_path, 3)
    process = subprocess.Popen([KOHO, "batch", *map(str, projects), "--jobs", "2"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and time.monotonic() < deadline and process.poll() is None:
        seen = set(_children(process.pid))
        time.sleep(1.0)  # mid-build; a pool worker lives on, a short-lived fork (before its exec) does not
        workers = sorted(seen & set(_children(process.pid)))
        if workers:
            try:
                os.kill(workers[0], signal.SIGKILL)
                killed = workers[0]
            except ProcessLookupError:
                pass
    stdout, stderr = process.communicate(timeout=600)
    assert killed is not None
    assert "Traceback" not in stderr and "BrokenProcessPool" not in stderr
    assert "作業プロセスが異常終了したため" in stderr
    assert process.returncode == 0, stderr
    assert "3/3件できました" in stdout
    assert all((p / "build" / "newsletter.pdf").exists() for p in projects)


def die(project: Path, kind: str | None) -> object:
    """A build that kills its own process, like a crash in a native library."""
    import os

    os._exit(70)


def test_a_project_that_kills_its_worker_is_that_projects_failure(tmp_path: Path) -> None:
    from report.commands.batch import DIED, run_alone

    item = run_alone(tmp_path, None, work=die)
    assert not item.ok and item.error == DIED and item.project == tmp_path


def test_batch_builds_the_web_version(tmp_path: Path) -> None:
    projects = _projects(tmp_path, 2)
    items = build_many(projects, jobs=1, kind="web")
    for project, item in zip(projects, items):
        assert item.ok and item.web == project / "build" / "web" / "index.html", item.error
        assert item.web.is_file() and item.pdf == project / "build" / "web" / "newsletter.pdf"
        assert "<h1>" in item.web.read_text(encoding="utf-8")


def test_batch_shows_each_build_s_warnings(tmp_path: Path) -> None:
    [project] = _projects(tmp_path, 1)
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write('\nissu = "誤記"\n')  # an unknown key: a warning, the build goes on
    [item] = build_many([project], jobs=1)
    assert item.ok and any(w.column == "issu" for w in item.warnings)
    result = subprocess.run([KOHO, "batch", str(project)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and "注意1件" in result.stdout
    assert f"注意: {project}: koho.toml" in result.stderr and "issu" in result.stderr


def test_builds_run_with_the_loaded_state_frozen_and_it_is_unfrozen_after(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from report.commands import batch

    seen: list[int] = []
    real = batch._build_one  # noqa: SLF001

    def recording(project: Path, kind: str | None) -> batch.BatchItem:
        seen.append(gc.get_freeze_count())
        return real(project, kind)

    monkeypatch.setattr(batch, "_build_one", recording)
    items = batch.build_many([new_project(tmp_path)], jobs=1)
    assert items[0].ok and seen and seen[0] > 10_000  # koho's and WeasyPrint's modules, not walked after each build
    assert gc.get_freeze_count() == 0
