"""The cycle collector is paused while a document is built, and restored afterwards."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from report.commands.build import build
from report.commands.collection import collector_paused
from report.problems import DataError

from .conftest import new_project


def test_a_build_runs_with_the_collector_paused_and_restores_it(tmp_path: Path) -> None:
    seen: list[bool] = []
    assert gc.isenabled()
    build(new_project(tmp_path), output=tmp_path / "out.pdf", progress=lambda stage, *_: seen.append(gc.isenabled()))
    assert seen and not any(seen), "paused through every stage"
    assert gc.isenabled()


def test_a_failed_build_restores_the_collector(tmp_path: Path) -> None:
    with pytest.raises(DataError):
        build(tmp_path / "missing")
    assert gc.isenabled()


def test_pauses_nest_and_leave_a_disabled_collector_disabled() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_one_shot_process_does_not_collect_after_its_build_nor_at_exit(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = """
import atexit, gc
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0, "enabled:", gc.isenabled()))
from report.commands.collection import collector_paused, no_collection_after_build
no_collection_after_build()
print("enabled before the build:", gc.isenabled())
with collector_paused():
    cycles = [[] for _ in range(1000)]
    for item in cycles:
        item.append(item)
print("enabled after:", gc.isenabled())
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    # atexit runs last-registered first: the freeze has run when the check above does
    assert done.stdout.split("\n")[:3] == ["enabled before the build: True", "enabled after: False",
                                           "frozen at exit: True enabled: False"]


def test_the_build_command_invoked_in_a_longer_process_leaves_its_collector_alone(tmp_path: Path) -> None:
    from click.testing import CliRunner

    import charts.cache
    import cli

    result = CliRunner().invoke(cli.cli, ["build", str(new_project(tmp_path)), "-o", str(tmp_path / "o.pdf"), "-q"])
    assert result.exit_code == 0, result.output
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert charts.cache._spare is None  # noqa: SLF001 - no worker started for a build that is not the program's


def test_a_one_shot_build_leaves_no_temporary_folder(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    koho = str(Path(sys.executable).parent / "koho")
    env = {**os.environ, "TMPDIR": str(temporary), "KOHO_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([koho, "build", str(new_project(tmp_path)), "-o", str(tmp_path / "o.pdf"), "-q"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "o.pdf").stat().st_size > 10_000
    assert list(temporary.iterdir()) == []  # WeasyPrint's copy of the fonts (24 MB) removed at exit
