"""`koho init`: a commented koho.toml and an input workbook that build as they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from report.commands.build import build
from report.load.project.config import BUILD_CHECKS, CONTACT_KEYS, Config, load_config
from report.commands.init import create_project
from report.problems import KohoError
from report.load.tables.schema import TABLES
from report.load.workbook import HINTS

from .conftest import new_project, pdf_text
from .test_cli import run

_COMMENTED_SETTING = re.compile(r"^# (?=\[[a-z]+\]$|[a-z_]+ = )")


def test_init_then_build_from_the_command_line(tmp_path: Path) -> None:
    project = tmp_path / "mycity"
    result = run("init", str(project))
    assert result.returncode == 0, result.stderr
    assert "koho.toml" in result.stdout and "manifesto.xlsx" in result.stdout
    assert f"koho serve {project}" in result.stdout
    built = run("build", str(project))
    assert built.returncode == 0, built.stderr
    text = pdf_text(project / "build" / "newsletter.pdf")
    assert "市長マニフェスト取組状況" in text and "子育て支援" in text and "紹介動画を作成した保育所数" in text


def test_init_refuses_to_overwrite_a_project(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    (project / "koho.toml").write_text('title = "わたしの設定"\n', encoding="utf-8")
    result = run("init", str(project))
    assert result.returncode == 1
    assert "--force" in result.stderr and "Traceback" not in result.stderr
    assert "わたしの設定" in (project / "koho.toml").read_text(encoding="utf-8")
    assert run("init", str(project), "--force").returncode == 0
    assert "わたしの設定" not in (project / "koho.toml").read_text(encoding="utf-8")


def test_init_refuses_a_folder_that_already_holds_data(tmp_path: Path) -> None:
    (tmp_path / "areas.csv").write_text("分野番号,分野名,副題\n", encoding="utf-8")
    with pytest.raises(KohoError, match="areas.csv"):
        create_project(tmp_path, force=True)
    assert not (tmp_path / "koho.toml").exists()


def test_koho_toml_explains_every_setting_and_its_examples_are_valid(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    text = (project / "koho.toml").read_text(encoding="utf-8")
    config, warnings = load_config(project / "koho.toml")
    assert warnings == []
    assert config.title and config.contact.department
    tables = ("contact", "build", "print", "handout", "archive", "status", "rates", "grades", "data")
    keys = [f for f in Config.__dataclass_fields__ if f not in tables]
    for key in [*keys, *CONTACT_KEYS, *BUILD_CHECKS, *(f"[{table}]" for table in tables)]:
        line = next((line for line in text.splitlines() if re.match(rf"^(# )?{re.escape(key)}(\s|=|$)", line)), None)
        assert line is not None, f"{key} is not in the new koho.toml"
    uncommented = project / "all.toml"
    uncommented.write_text("\n".join(_COMMENTED_SETTING.sub("", line) for line in text.splitlines()),
                           encoding="utf-8")
    every, warnings = load_config(uncommented)
    assert warnings == []
    assert every.url.startswith("https://") and every.contact.phone and every.build.output


def test_workbook_has_the_contract_hints_and_one_example_row_per_sheet(tmp_path: Path) -> None:
    book = load_workbook(new_project(tmp_path) / "data" / "manifesto.xlsx")
    assert book.sheetnames == [table.label for table in TABLES]
    for table in TABLES:
        sheet = book[table.label]
        assert [cell.value for cell in sheet[1]] == [column.label for column in table.columns]
        assert sheet.max_row == 2, "one example row"
        assert sheet.freeze_panes == "A2"
        prompts = {str(rule.sqref).split(":")[0]: rule.prompt for rule in sheet.data_validations.dataValidation}
        for index, column in enumerate(table.columns):
            letter = sheet.cell(row=1, column=index + 1).column_letter
            assert prompts[f"{letter}1"] == HINTS[(table.name, column.name)]
            assert sheet.column_dimensions[letter].width >= 8
    assert book["施策"]["A2"].number_format == "@", "施策番号 is text, so that 01-1 never becomes a date"


def test_an_edited_workbook_builds(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    path = project / "data" / "manifesto.xlsx"
    book = load_workbook(path)
    book["分野"].append([2, "防災", "災害に強いまち"])
    book["施策"].append(["02-1", 2, "避難所の備蓄を見直します。", "全避難所の備蓄品を点検\n地区ごとの訓練を実施", "", "危機管理課", "○"])
    book["実績"].append(["02-1", "防災訓練の参加者数", "R5", "1,234", "人"])
    book.save(path)
    result = build(project, html_output=tmp_path / "out.html")
    assert [area.title for area in result.project.areas] == ["子育て支援", "防災"]
    assert "1,234" in pdf_text(result.pdf)
