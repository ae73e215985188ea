"""No traceback, ever: every failure fixture, run through the command line, ends with a message
naming the file and exit status 1. The system's failures (disk full, read-only folder, unreadable
input) are simulated where root would not see them (tests run as root on CI)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SAMPLE, copy_project
from .excel import sample_sheets, write_typed_workbook
from .test_errors import CASES, assert_clean_failure, koho, replace_in
from .test_photos_data import CASES as PHOTO_CASES
from .test_sandbox import ESCAPES, MISTAKES, _template
from .test_trust_claims import CASES as CLAIM_CASES
from .test_trust_outputs import CASES as OUTPUT_CASES
from .test_trust_scales import CASES as SCALE_CASES
from .test_trust_text import CASES as TEXT_CASES

KOHO = str(Path(sys.executable).parent / "koho")
Setup = Callable[[Path, pytest.MonkeyPatch], list[str]]  # breaks a project copy; returns extra CLI args


def _fail_on(monkeypatch: pytest.MonkeyPatch, target: str, code: int) -> None:
    """Make every call of `target` (module.function) fail as the system would, with errno `code`."""
    module, name = target.rsplit(".", 1)

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(f"{module}.{name}", failing)


def _unreadable(file: str) -> Setup:
    def setup(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        read = Path.read_bytes

        def refuse(path: Path) -> bytes:
            if path.name == file:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return read(path)

        monkeypatch.setattr(Path, "read_bytes", refuse)
        return []
    return setup


def _nested_toml(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (project / "koho.toml").write_text("x = " + "[" * 10000 + "]" * 10000 + "\n", encoding="utf-8")
    return []


def _epoch(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    return []


def _under_a_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (project / "plain").write_text("x")
    return ["-o", str(project / "plain" / "x.pdf")]


def _template_mistake(body: str) -> Setup:
    def setup(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        _template(project, body)
        return []
    return setup


def _system(target: str, code: int) -> Setup:
    def setup(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        _fail_on(monkeypatch, target, code)
        return []
    return setup


def _uncalculated_formula(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    sheets = sample_sheets(SAMPLE)
    sheets["実績"][1][3] = "=11*2"
    for table in ("areas", "measures", "metrics"):
        (project / f"{table}.csv").unlink()
    write_typed_workbook(project / "book.xlsx", sheets)
    return []


def _long_url(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    text = (project / "koho.toml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("url ="))
    replace_in(project / "koho.toml", line, f'url = "https://example.jp/{"a" * 3000}"')
    return []


def _same_outputs(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return ["-o", str(project / "same"), "--html", str(project / "same")]


SYSTEM: list[tuple[str, Setup, str]] = [
    ("disk full", _system("os.fsync", errno.ENOSPC), "ディスクがいっぱいです"),
    ("read-only output folder", _system("tempfile.mkstemp", errno.EROFS), "読み取り専用の場所です"),
    ("unwritable output folder", _system("tempfile.mkstemp", errno.EACCES), "権限がありません"),
    ("output under a regular file", _under_a_file, "フォルダではなくファイルです"),
    ("unreadable CSV", _unreadable("metrics.csv"), "metrics.csv: ファイルを読めません(権限がありません)"),
    ("unreadable koho.toml", _unreadable("koho.toml"), "koho.toml: ファイルを読めません(権限がありません)"),
    ("10000 nested TOML arrays", _nested_toml, "入れ子"),
    ("SOURCE_DATE_EPOCH=abc", _epoch, "SOURCE_DATE_EPOCH"),
    ("formula without a result", _uncalculated_formula, "数式に計算結果が保存されていません"),
    ("URL too long for the QR code", _long_url, "URLが長すぎて"),
    ("-o and --html on one path", _same_outputs, "2つの出力先が同じファイル"),
    *[(f"template: {name}", _template_mistake(body), message) for name, body, message in MISTAKES],
    *[(f"template escape {n}", _template_mistake(body), "templates/newsletter.html") for n, body in enumerate(ESCAPES)],
]


def _as_setup(breaker: Callable[[Path], object]) -> Setup:
    def setup(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        breaker(project)
        return []
    return setup


def _with_options(setup: Callable[[Path], list[str]]) -> Setup:
    def with_options(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        return setup(project)
    return with_options


# Every failure fixture of the suite, as one set: `pytest tests/test_no_traceback.py` reruns them all.
BROKEN_PROJECTS = [*CASES, *SCALE_CASES, *TEXT_CASES, *CLAIM_CASES, *PHOTO_CASES]
EVERY = ([(name, _as_setup(breaker), fragments[0]) for name, breaker, fragments in BROKEN_PROJECTS] + SYSTEM
         + [(name, _with_options(setup), fragments[0]) for name, setup, fragments in OUTPUT_CASES])


@pytest.mark.parametrize("name, setup, fragment", EVERY, ids=[case[0] for case in EVERY])
def test_no_failure_fixture_ends_in_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                                                setup: Setup, fragment: str) -> None:
    project = copy_project(tmp_path)
    extra = setup(project, monkeypatch)
    result = koho("build", str(project), *(extra or ["-o", str(tmp_path / "out" / "x.pdf")]))
    assert_clean_failure(result)
    assert result.stderr.startswith("エラー: ")
    assert fragment in result.stderr, result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_json_is_safe_on_a_cp932_console(tmp_path: Path) -> None:
    """Japanese Windows: the console (and a redirected stdout) is cp932, which has no emoji."""
    project = copy_project(tmp_path)
    replace_in(project / "measures.csv", "特定健診やがん検診", "特定健診😀やがん検診")
    replace_in(project / "metrics.csv", "令和5年度,22,", "令和5年度,二十二😀,")
    environment = {**os.environ, "PYTHONIOENCODING": "cp932"}
    for strict in ([], ["--strict"]):
        result = subprocess.run([KOHO, "validate", str(project), "--format", "json", *strict], capture_output=True,
                                env=environment, timeout=120)
        assert result.returncode == 1
        assert b"Traceback" not in result.stderr
        problems = json.loads(result.stdout.decode("cp932"))
        assert {p["value"] for p in problems} >= {"二十二😀"}
    text = subprocess.run([KOHO, "validate", str(project)], capture_output=True, env=environment, timeout=120)
    assert text.returncode == 1 and b"Traceback" not in text.stderr
    assert "metrics.csv 2行目".encode("cp932") in text.stderr


def test_an_unforeseen_failure_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import report.commands.build

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(report.commands.build, "summarize", broken)
    result = koho("build", str(SAMPLE), "--kind", "handout", "-o", str(tmp_path / "x.pdf"))
    assert_clean_failure(result)
    assert "予期しない問題で止まりました(ZeroDivisionError: division by zero)" in result.stderr
    assert "KOHO_DEBUG=1" in result.stderr
