"""The `koho` command as a user runs it: output, exit status, errors without tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE, copy_project, new_project

KOHO = str(Path(sys.executable).parent / "koho")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KOHO, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_build_prints_where_the_pdf_is(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "newsletter.pdf"
    result = run("build", str(SAMPLE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    assert "ページ" in result.stdout
    assert out.read_bytes().startswith(b"%PDF-")


def test_build_writes_html_too(tmp_path: Path) -> None:
    result = run("build", str(SAMPLE), "-o", str(tmp_path / "a.pdf"), "--html", str(tmp_path / "a.html"))
    assert result.returncode == 0, result.stderr
    assert "市長マニフェスト" in (tmp_path / "a.html").read_text(encoding="utf-8")


def test_validate_reports_counts() -> None:
    result = run("validate", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert "8分野、16施策、13件の実績" in result.stdout


def test_version() -> None:
    for option in ("--version", "-V"):
        assert "koho, version" in run(option).stdout


@pytest.mark.parametrize("command", ["init", "serve", "build", "validate"])
def test_every_command_has_help_with_examples_in_japanese_and_english(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert "例 / Examples:" in result.stdout and f"koho {command}" in result.stdout
    assert "-q, --quiet" in result.stdout and "-v, --verbose" in result.stdout


def test_main_help_documents_exit_statuses_and_completion() -> None:
    text = run("--help").stdout
    assert "終了ステータス / Exit status" in text
    assert "_KOHO_COMPLETE=bash_source koho" in text
    assert text.index("init") < text.index("serve") < text.index("build  ") < text.index("validate")


def test_shell_completion_script() -> None:
    result = subprocess.run([KOHO], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "_KOHO_COMPLETE": "bash_source"})
    assert "_koho_completion" in result.stdout


def test_usage_errors_exit_with_status_2() -> None:
    result = run("build", "--no-such-option")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert run("init").returncode == 2


@pytest.mark.parametrize("args", [["--help"], *[[c, "--help"] for c in ("init", "serve", "build", "validate")]])
def test_help_does_not_import_the_renderer(args: list[str]) -> None:
    """Like mkdocs, each command imports its module only when it runs, so help is instant."""
    script = ("import sys; from cli import cli\n"
              "try:\n    cli(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
              "heavy = [m for m in ('weasyprint', 'matplotlib', 'pandas', 'openpyxl', 'jinja2') if m in sys.modules]\n"
              "print('HEAVY', heavy)")
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_validate_does_not_import_the_renderer_or_matplotlib() -> None:
    script = ("import sys; from cli import cli\n"
              "try:\n    cli(['validate', 'data'])\nexcept SystemExit as exit:\n    print('EXIT', exit.code)\n"
              "print('HEAVY', [m for m in ('weasyprint', 'matplotlib') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "問題はありません" in result.stdout and "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_open_opens_the_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import cli

    opened: list[str] = []
    monkeypatch.setattr(cli.click, "launch", lambda target, **kwargs: opened.append(target) or 0)
    out = tmp_path / "open.pdf"
    result = CliRunner().invoke(cli.cli, ["build", str(new_project(tmp_path)), "-o", str(out), "--open", "-q"])
    assert result.exit_code == 0, result.output
    assert opened == [str(out)] and result.output == ""


def _break(project: Path, file: str, old: str, new: str) -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("file, old, new, expected", [
    ("metrics.csv", "03-1,紹介動画を作成した保育所数,令和5年度,22,", "03-1,紹介動画を作成した保育所数,令和5年度,二十二,",
     ["metrics.csv", "2行目", "「実績値」(value)", "二十二"]),
    ("metrics.csv", "令和5年度,22,", "令和99年度,22,", ["metrics.csv", "2行目", "「年度」(fiscal_year)"]),
    ("measures.csv", "施策番号,分野番号,ビジョン内容", "施策番号,分野番号,ビジョン内用",
     ["measures.csv", "1行目", "「ビジョン内容」(vision)", "必須の列"]),
    ("areas.csv", "8,財政・行政運営,", "3,重複,x\n8,財政・行政運営,", ["areas.csv", "9行目", "分野番号 3 が重複"]),
    ("koho.toml", "first_page = 2", "first_page = \"二\"", ["koho.toml", "{first_page_line}行目", "first_page"]),
    ("koho.toml", "first_page = 2", "first_page = = 2", ["koho.toml", "{first_page_line}行目", "TOML"]),
])
def test_bad_input_is_reported_with_file_row_and_column(tmp_path: Path, file: str, old: str, new: str,
                                                        expected: list[str]) -> None:
    project = copy_project(tmp_path)
    _break(project, file, old, new)
    out = tmp_path / "out.pdf"
    result = run("build", str(project), "-o", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    toml_lines = (SAMPLE / "koho.toml").read_text(encoding="utf-8").splitlines()
    first_page_line = next(i for i, line in enumerate(toml_lines, 1) if line.startswith("first_page"))
    for fragment in expected:
        assert fragment.format(first_page_line=first_page_line) in result.stderr, result.stderr
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == []


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _break(project, "metrics.csv", "令和5年度,22,", "令和5年度,たくさん,")
    _break(project, "measures.csv", "08-2,8,", "08-2,9,")
    result = run("validate", str(project))
    assert result.returncode == 1
    assert "metrics.csv 2行目" in result.stderr
    assert "measures.csv 17行目" in result.stderr and "分野の表にない分野番号" in result.stderr


def test_a_failed_build_keeps_the_previous_pdf(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    out = tmp_path / "keep.pdf"
    out.write_bytes(b"%PDF- the good one")
    _break(project, "metrics.csv", "令和5年度,22,", "令和5年度,x,")
    assert run("build", str(project), "-o", str(out)).returncode == 1
    assert out.read_bytes() == b"%PDF- the good one"


def test_missing_project_is_a_clean_error(tmp_path: Path) -> None:
    result = run("build", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "見つかりません" in result.stderr and "Traceback" not in result.stderr


def test_unknown_column_is_a_warning_with_a_suggestion(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _break(project, "metrics.csv", ",備考", ",備考,びこう2")
    result = run("validate", str(project))
    assert result.returncode == 0, result.stderr
    assert "注意:" in result.stderr and "びこう2" in result.stderr


def test_cell_markup_prints_literally(tmp_path: Path) -> None:
    from .conftest import pdf_text

    project = copy_project(tmp_path)
    hostile = "<script>alert(1)</script>{{ config }}<img src=file:///etc/passwd>"
    _break(project, "areas.csv", "確実で迅速な新型コロナウイルス対策", hostile)
    out = tmp_path / "h.pdf"
    html = tmp_path / "h.html"
    result = run("build", str(project), "-o", str(out), "--html", str(html))
    assert result.returncode == 0, result.stderr
    from .composition import without_composition

    assert "<script>" not in html.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in without_composition(html.read_text(encoding="utf-8"))
    assert "<script>alert(1)</script>{{config}}<imgsrc=file:///etc/passwd>" in pdf_text(out)
