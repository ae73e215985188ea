"""Workbooks as Excel saves them are read as Excel shows them: number formats, dates and era
dates, numbers stored as text, formulas, stale dimensions, `_x000D_` escapes, hidden and doubled
sheets, and doubled CSV sources."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from report.commands.build import build
from report.load.values.numfmt import date_text, is_date_format, number_text, unescape
from report.problems import DataError
from report.load.tables.schema import TABLES
from report.load.validate import load_project

from .conftest import SAMPLE, pdf_text
from .excel import ERA_DATE, patch_xml, sample_sheets, sheet_member, write_typed_workbook
from .test_errors import assert_clean_failure, koho
from .test_inputs import write_rows


@pytest.mark.parametrize("value, fmt, shown", [
    (0.894, "0.0%", "89.4%"), (1, "0%", "100%"), (0.5, "0.00%", "50.00%"), (62, "0.0", "62.0"), (1234, "#,##0", "1234"),
    (89.43, "0.0", "89.4"), (2.5, "0", "3"), (-2.5, "0", "-3"), (0.1 + 0.2, "General", "0.3"),
    (-1234, '#,##0;"△"#,##0', "-1234"), (-1234, "#,##0;[Red]\\-#,##0", "-1234"), (1234567, "#,##0,", "1235"),
    (12, '0"人"', "12人"), (-3, '#,##0"件";"△"#,##0" 件"', "-3件"), (5, '"約"0', "5"), (3.25, "@", "3.25"), (104, "General", "104"), (1e15, "General", "1000000000000000"),
])
def test_numbers_read_as_excel_shows_them(value: float, fmt: str, shown: str) -> None:
    assert number_text(value, fmt) == shown


@pytest.mark.parametrize("fmt, shown", [
    (ERA_DATE, "令和元年5月1日"), ('ggge"年"m"月"d"日"', "令和1年5月1日"), ('[$-411]ggge"年度"', "令和1年度"),
    ("gee.mm.dd", "R01.05.01"), ("yyyy/m/d", "2019-05-01"), ('m"月"d"日"', "2019-05-01"),
])
def test_dates_read_as_excel_shows_them(fmt: str, shown: str) -> None:
    assert is_date_format(fmt)
    assert date_text(dt.date(2019, 5, 1), fmt) == shown


@pytest.mark.parametrize("fmt", ["General", "0.0%", "#,##0", "0.00E+00", '0"年度"', "@"])
def test_number_formats_are_not_dates(fmt: str) -> None:
    assert not is_date_format(fmt)


def test_excel_escapes_are_decoded() -> None:
    assert unescape("取組A_x000D_\n取組B") == "取組A\n取組B"
    assert unescape("a_x0009_b_x005F_c") == "a\tb_c"


def typed_metrics(rows: list[list[object]]) -> list[list[object]]:
    """The sample's figures typed into Excel as numbers, percentages, era dates and years."""
    header = rows[0]
    year, value, unit, as_of = (header.index(n) for n in ("年度", "実績値", "単位", "時点"))
    typed = [header]
    for number, row in enumerate(rows[1:]):
        row = list(row)
        amount = Decimal(row[value])
        if row[unit] == "%":  # typed as 89.4% in a percent cell: Excel stores 0.894
            row[value] = (float(amount / 100), "0.0%" if amount % 1 else "0%")
        else:
            row[value] = (int(amount), "#,##0") if amount % 1 == 0 else (float(amount), "0.0")
        fiscal = {"令和4年度": 2022, "令和5年度": 2023}[row[year]]
        row[year] = (dt.datetime(fiscal, 4, 1), '[$-411]ggge"年度"') if number % 2 else fiscal
        if row[as_of]:
            era, rest = row[as_of][:2], row[as_of][2:]
            assert era == "令和"
            y, rest = rest.split("年")
            m, rest = rest.split("月")
            row[as_of] = (dt.datetime(2018 + int(y), int(m), int(rest.removesuffix("日"))), ERA_DATE)
        typed.append(row)
    return typed


def typed_book(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(SAMPLE / "koho.toml", folder / "koho.toml")
    sheets = sample_sheets(SAMPLE)
    sheets["実績"] = typed_metrics(sheets["実績"])
    return write_typed_workbook(folder / "manifesto.xlsx", sheets)


def test_a_typed_workbook_reads_as_the_sample(tmp_path: Path, sample_text: str) -> None:
    book = typed_book(tmp_path / "typed")
    assert load_project(book).areas == load_project(SAMPLE).areas
    text = pdf_text(build(book, output=tmp_path / "typed.pdf").pdf)
    assert text == sample_text
    assert "89.4%" in text and "0.894" not in text and "100%" in text


def test_numbers_stored_as_text_read_as_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "text"
    folder.mkdir()
    sheets = sample_sheets(SAMPLE)
    for row in sheets["実績"][1:]:
        if row[3] == "89.4":
            row[3] = ("８９．４", "@")  # a text cell (Excel's green triangle), typed in full width
    book = write_typed_workbook(folder / "book.xlsx", sheets)
    assert load_project(book).areas == load_project(SAMPLE).areas


def test_every_row_is_read_whatever_the_dimension_says(tmp_path: Path) -> None:
    folder = tmp_path / "stale"
    folder.mkdir()
    book = write_typed_workbook(folder / "book.xlsx", sample_sheets(SAMPLE))
    patch_xml(book, sheet_member(book, "実績"), r'<dimension ref="[^"]*"', '<dimension ref="A1:H4"')
    patch_xml(book, sheet_member(book, "施策"), r'<dimension ref="[^"]*"', '<dimension ref="A1"')
    project = load_project(book)
    assert sum(len(m.metrics) for m in project.measures) == 13
    assert project.areas == load_project(SAMPLE).areas


def test_line_breaks_saved_as_x000d_become_line_breaks(tmp_path: Path) -> None:
    folder = tmp_path / "escaped"
    folder.mkdir()
    sheets = sample_sheets(SAMPLE)
    for row in sheets["施策"][1:]:
        row[3] = row[3].replace("\n", "_x000D_\n")  # as Excel saves Alt+Enter
    book = write_typed_workbook(folder / "book.xlsx", sheets)
    project = load_project(book)
    assert project.areas == load_project(SAMPLE).areas
    assert not any("_x000D_" in action for m in project.measures for action in m.actions)


def formula_book(folder: Path, cached: str | None) -> Path:
    folder.mkdir()
    sheets = sample_sheets(SAMPLE)
    assert sheets["実績"][1][3] == "22"
    sheets["実績"][1][3] = "=11*2"
    book = write_typed_workbook(folder / "book.xlsx", sheets)
    if cached is not None:  # Excel saves the formula's result beside it
        patch_xml(book, sheet_member(book, "実績"), r"<f>11\*2</f>(<v ?/>|<v></v>)?", f"<f>11*2</f><v>{cached}</v>")
    return book


def test_a_formula_is_read_by_its_cached_value(tmp_path: Path) -> None:
    assert load_project(formula_book(tmp_path / "f", "22")).areas == load_project(SAMPLE).areas


def test_a_formula_without_a_cached_value_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    book = formula_book(tmp_path / "f", None)
    result = koho("validate", str(book), "--format", "json")
    assert_clean_failure(result)
    [problem] = json.loads(result.stdout)
    assert (problem["file"], problem["sheet"], problem["row"], problem["column"]) == ("book.xlsx", "実績", 2, "実績値")
    assert "D2セルの数式に計算結果が保存されていません" in problem["message"]


def test_a_hidden_sheet_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "hidden"
    folder.mkdir()
    sheets = sample_sheets(SAMPLE)
    sheets["areas"] = [row[:] for row in sheets["分野"]]
    sheets["areas"][1][1] = "古い分野名"
    book = write_typed_workbook(folder / "book.xlsx", sheets, hidden=("areas",))
    project = load_project(book)
    assert project.areas == load_project(SAMPLE).areas
    [warning] = [w for w in project.warnings if w.sheet == "areas"]
    assert warning.severity == "warning" and "非表示のシートは読みません" in warning.message


def test_two_visible_sheets_for_one_table_are_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    sheets = sample_sheets(SAMPLE)
    sheets["Areas "] = sheets["分野"]
    book = write_typed_workbook(folder / "book.xlsx", sheets)
    with pytest.raises(DataError) as raised:
        load_project(book)
    assert "分野の表が複数のシートにあります(「分野」、「Areas 」)" in str(raised.value)


def test_two_csv_files_for_one_table_are_an_error(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(SAMPLE, project)
    shutil.copy(project / "areas.csv", project / "分野.csv")
    result = koho("validate", str(project))
    assert_clean_failure(result)
    assert "areas.csv、分野.csv" in result.stderr and "同じ表のCSVファイルが複数あります" in result.stderr


def test_data_in_the_project_and_in_data_is_an_error(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(SAMPLE, project)
    (project / "data").mkdir()
    for table in TABLES:
        write_rows(project / "data" / f"{table.label}.csv", [["x"]], "utf-8")
    result = koho("validate", str(project))
    assert_clean_failure(result)
    assert "data/分野.csv" in result.stderr and "areas.csv" in result.stderr
    assert "両方にあります" in result.stderr
