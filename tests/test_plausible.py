"""Values that change the document are checked for plausibility: a fiscal year far from the others
or after next fiscal year is a warning naming the cell (an error with --strict); `years` that no
figure has is an error."""

from __future__ import annotations

import json
from pathlib import Path

from report.load.values.era import fiscal_year_label
from report.load.validate import current_fiscal_year

from .conftest import copy_project
from .test_errors import assert_clean_failure, koho, replace_in, toml_line


def test_a_fiscal_year_far_from_the_others_is_a_warning_naming_the_cell(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "metrics.csv", "03-1,紹介動画を作成した保育所数,令和5年度", "03-1,紹介動画を作成した保育所数,令和15年度")
    result = koho("validate", str(project), "--format", "json")
    assert result.exit_code == 0, result.output
    [warning] = json.loads(result.stdout)
    assert (warning["file"], warning["row"], warning["column"], warning["value"], warning["severity"]) == (
        "metrics.csv", 2, "fiscal_year", "令和15年度", "warning")
    assert "令和4年度および令和5年度" in warning["message"]
    strict = koho("validate", str(project), "--strict")
    assert_clean_failure(strict)
    assert "metrics.csv 2行目 列「年度」(fiscal_year): 値「令和15年度」" in strict.stderr


def test_a_fiscal_year_after_next_is_a_warning(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    future = current_fiscal_year() + 2
    replace_in(project / "metrics.csv", "04-2,ICT担当者研修会の開催回数,令和5年度", f"04-2,ICT担当者研修会の開催回数,{future}")
    result = koho("validate", str(project), "--format", "json")
    found = [w for w in json.loads(result.stdout) if w["column"] == "fiscal_year"]
    assert [(w["row"], w["value"]) for w in found] == [(5, fiscal_year_label(future))]
    assert "来年度" in found[0]["message"]


def test_years_without_data_are_an_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "koho.toml", "first_page = 2", 'first_page = 2\nyears = ["令和10年度"]')
    result = koho("build", str(project), "-o", str(tmp_path / "out.pdf"))
    assert_clean_failure(result)
    assert f"koho.toml {toml_line('first_page') + 1}行目 列years: 値「令和10年度」" in result.stderr
    assert "実績のデータにない年度です(データにある年度: 令和4年度および令和5年度)" in result.stderr
    assert not (tmp_path / "out.pdf").exists()
