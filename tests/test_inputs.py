"""CSV encodings, Excel workbooks and Japanese or English headers all give the same document."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from report.commands.build import build
from report.load.tables.schema import TABLES
from report.load.project.sources import locate
from report.load.validate import load_project

from .conftest import SAMPLE, copy_project, pdf_text


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]], encoding: str, newline: str = "\n") -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, lineterminator=newline).writerows(rows)


def english_headers(rows: list[list[str]], table_name: str) -> list[list[str]]:
    table = next(t for t in TABLES if t.name == table_name)
    names = {c.label: c.name for c in table.columns}
    return [[names[h] for h in rows[0]], *rows[1:]]


def write_workbook(path: Path, sheets: dict[str, list[list[str]]]) -> None:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def sample_tables() -> dict[str, list[list[str]]]:
    return {t.name: read_rows(SAMPLE / f"{t.name}.csv") for t in TABLES}


def make_variant(tmp_path: Path, variant: str) -> Path:
    project = tmp_path / variant
    project.mkdir()
    (project / "koho.toml").write_bytes((SAMPLE / "koho.toml").read_bytes())
    tables = sample_tables()
    if variant == "utf8-bom-crlf":
        for name, rows in tables.items():
            write_rows(project / f"{name}.csv", rows, "utf-8-sig", "\r\n")
    elif variant == "cp932":
        for name, rows in tables.items():
            write_rows(project / f"{name}.csv", rows, "cp932", "\r\n")
    elif variant == "english-headers-in-data-folder":
        (project / "data").mkdir()
        for name, rows in tables.items():
            write_rows(project / "data" / f"{name}.csv", english_headers(rows, name), "utf-8")
    elif variant == "japanese-file-names":
        labels = {t.name: t.label for t in TABLES}
        for name, rows in tables.items():
            write_rows(project / f"{labels[name]}.csv", rows, "utf-8")
    elif variant == "excel-japanese-sheets":
        labels = {t.name: t.label for t in TABLES}
        write_workbook(project / "manifesto.xlsx", {labels[n]: rows for n, rows in tables.items()})
    elif variant == "excel-english-sheets":
        write_workbook(project / "book.xlsx", {n: english_headers(r, n) for n, r in tables.items()})
    return project


VARIANTS = ["utf8-bom-crlf", "cp932", "english-headers-in-data-folder", "japanese-file-names",
            "excel-japanese-sheets", "excel-english-sheets"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_input_form_gives_the_same_model(tmp_path: Path, variant: str) -> None:
    expected = load_project(SAMPLE)
    project = load_project(make_variant(tmp_path, variant))
    assert project.areas == expected.areas
    assert project.config == expected.config
    assert not project.warnings


@pytest.mark.parametrize("variant", ["cp932", "excel-japanese-sheets"])
def test_cp932_and_excel_give_the_same_pdf_text(tmp_path: Path, variant: str, sample_text: str) -> None:
    result = build(make_variant(tmp_path, variant), output=tmp_path / "out.pdf")
    assert pdf_text(result.pdf) == sample_text


def test_a_workbook_can_be_built_directly(tmp_path: Path, sample_text: str) -> None:
    project = make_variant(tmp_path, "excel-japanese-sheets")
    files = locate(project / "manifesto.xlsx")
    assert files.workbook == (project / "manifesto.xlsx").resolve()
    assert files.config == (project / "koho.toml").resolve()
    result = build(project / "manifesto.xlsx", output=tmp_path / "book.pdf")
    assert pdf_text(result.pdf) == sample_text


def test_values_typed_as_people_type_them(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    rows = read_rows(project / "metrics.csv")
    header = rows[0]
    year, value, as_of = header.index("年度"), header.index("実績値"), header.index("時点")
    typed = {"令和4年度": "R4", "令和5年度": "２０２３年度"}
    for row in rows[1:]:
        row[year] = typed.get(row[year], row[year])
        if row[value] == "89.4":
            row[value] = "８９．４%"
        if row[as_of] == "令和5年11月1日":
            row[as_of] = "2023-11-01"
    write_rows(project / "metrics.csv", rows, "utf-8")
    assert load_project(project).areas == load_project(SAMPLE).areas


def test_featured_column_selects_measures(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    rows = read_rows(project / "measures.csv")
    flag = rows[0].index("掲載")
    for i, row in enumerate(rows[1:]):
        row[flag] = ["○", "", "はい", "いいえ", "TRUE", "FALSE", "1", "0"][i % 8]
    write_rows(project / "measures.csv", rows, "utf-8")
    featured = [m.id for m in load_project(project).measures if m.featured]
    assert len(featured) == 8
    result = build(project, output=tmp_path / "out.pdf")
    text = pdf_text(result.pdf)
    measures = {m.id: m for m in load_project(project).measures}
    for measure_id, measure in measures.items():
        assert (("".join(measure.vision.split())) in text) == measure.featured, measure_id


def test_no_koho_toml_still_builds(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "koho.toml").unlink()
    result = build(project)
    assert result.pdf == project / "build" / "newsletter.pdf"
    text = pdf_text(result.pdf)
    assert "施策の取組状況" in text
    assert "令和4年度および令和5年度取組状況" in text  # the period comes from the data


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    build(project, output=tmp_path / "x.pdf")
    for path, data in before.items():
        assert path.read_bytes() == data
        assert path.stat().st_mtime_ns == mtimes[path]
