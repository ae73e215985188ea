"""koho.toml's [build] table gives koho build its defaults; command-line options win."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.commands.build import build
from report.problems import DataError

from .conftest import new_project
from .test_cli import run


def _with_build_table(project: Path, table: str) -> Path:
    with (project / "koho.toml").open("a", encoding="utf-8") as file:
        file.write(f"\n[build]\n{table}\n")
    return project


def test_build_table_sets_the_outputs(tmp_path: Path) -> None:
    project = _with_build_table(new_project(tmp_path), 'output = "out/広報.pdf"\nhtml = "out/広報.html"\nkind = "newsletter"')
    result = build(project)
    assert result.pdf == project / "out" / "広報.pdf" and result.pdf.is_file()
    assert result.html == project / "out" / "広報.html" and result.html.is_file()


def test_command_line_options_win_over_the_build_table(tmp_path: Path) -> None:
    project = _with_build_table(new_project(tmp_path), 'output = "out/広報.pdf"\nhtml = "out/広報.html"')
    pdf, html = tmp_path / "cli.pdf", tmp_path / "cli.html"
    result = run("build", str(project), "-o", str(pdf), "--html", str(html))
    assert result.returncode == 0, result.stderr
    assert pdf.is_file() and html.is_file()
    assert not (project / "out").exists()


def test_without_options_or_table_the_defaults_apply(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    result = build(project)
    assert result.pdf == project / "build" / "newsletter.pdf" and result.html is None


def test_unknown_build_key_is_a_warning_with_a_suggestion(tmp_path: Path) -> None:
    project = _with_build_table(new_project(tmp_path), 'outptu = "x.pdf"')
    result = build(project)
    warning = next(p for p in result.project.warnings if p.column == "build.outptu")
    assert "「output」の誤りではありませんか" in warning.message and warning.severity == "warning"


@pytest.mark.parametrize("table, column", [
    ('output = "../outside.pdf"', "build.output"),
    ('output = "/tmp/outside.pdf"', "build.output"),
    ('output = "build/out.html"', "build.output"),
    ('kind = "poster"', "build.kind"),
    ("build = 1", "build"),
])
def test_bad_build_settings_are_errors(tmp_path: Path, table: str, column: str) -> None:
    project = new_project(tmp_path)
    if table.startswith("build ="):
        text = (project / "koho.toml").read_text(encoding="utf-8")
        (project / "koho.toml").write_text(f"{table}\n{text}", encoding="utf-8")
    else:
        _with_build_table(project, table)
    with pytest.raises(DataError) as caught:
        build(project)
    assert [p.column for p in caught.value.problems] == [column]
