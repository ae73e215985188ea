"""The import's fixtures (tests/fixtures/import): one invented city source per layout family of
IMPORT-LAYOUTS.md, each beside the long tables a careful person types from it (`<name>.expected/`).

Checked here: the generator writes exactly the committed files (cells of the workbooks, bytes of
the rest) and the same bytes every time; every expected set is a clean koho project; the sources
keep the features each family is there for; the handouts built from two sets print their labels
and years.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import shutil
import sys
import tomllib
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import load_workbook

from report.commands.build import build

from .conftest import ROOT, pdf_text
from .test_errors import koho

FIXTURES = ROOT / "tests" / "fixtures" / "import"
SOURCES = ("wide-years.xlsx", "wide-years-2.xlsx", "seika-shihyo.xlsx", "per-area.xlsx", "opendata-kpi.csv",
           "evaluation-export.xlsx")
DASHES = {"-", "－", "―", "‐", "–"}


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    writes, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # no __pycache__ among the fixtures
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = writes
        del sys.modules[spec.name]
    return module


def cells(path: Path) -> list[tuple[str, str, list[str], dict[str, tuple[object, str]]]]:
    """Every sheet of a workbook: name, visibility, merged ranges, and each cell's value and format."""
    book = load_workbook(path)
    return [(sheet.title, sheet.sheet_state, sorted(str(r) for r in sheet.merged_cells.ranges),
             {cell.coordinate: (cell.value, cell.number_format)
              for row in sheet.iter_rows() for cell in row if cell.value is not None})
            for sheet in book.worksheets]


def texts(path: Path) -> list[str]:
    """Every non-empty cell of a source as text (a workbook's sheets in order, or a CSV's fields)."""
    if path.suffix == ".csv":
        return [field for row in csv.reader(path.read_text(encoding="cp932").splitlines()) for field in row if field]
    return [str(value) for _, _, _, sheet in cells(path) for value, _ in sheet.values()]


def numbers(path: Path) -> set[Decimal]:
    """Every figure a source shows: numbers in text cells (「1,007人」 → 1007) and number cells as
    their format shows them (0.785 with 0.0% → 78.5)."""
    found: set[Decimal] = set()
    if path.suffix == ".csv":
        shown = texts(path)
    else:
        shown = []
        for _, _, _, sheet in cells(path):
            for value, fmt in sheet.values():
                if isinstance(value, (int, float)):
                    found.add(round(Decimal(str(value)) * (100 if "%" in fmt else 1), 6).normalize())
                else:
                    shown.append(str(value))
    for text in shown:
        found |= {Decimal(n).normalize() for n in re.findall(r"\d+(?:\.\d+)?", text.replace(",", ""))}
    return found


def rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and path.suffix != ".py"
            and "__pycache__" not in path.parts}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fixtures")
    generator().main(out)
    return out


def test_the_generator_writes_the_committed_fixtures(regenerated: Path) -> None:
    committed, fresh = files(FIXTURES), files(regenerated)
    assert sorted(fresh) == sorted(name for name in committed if name != "README.md")
    for name in fresh:
        if name.endswith(".xlsx"):
            assert cells(regenerated / name) == cells(FIXTURES / name), name
        else:
            assert fresh[name] == committed[name], name


def test_the_generator_writes_the_same_bytes_every_time(regenerated: Path, tmp_path: Path) -> None:
    generator().main(tmp_path)
    assert files(tmp_path) == files(regenerated)


@pytest.mark.parametrize("source", SOURCES)
def test_each_expected_set_is_a_clean_project(source: str, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / f"{source}.expected", project)
    result = koho("validate", str(project), "--strict", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    metrics = rows(project, "metrics")
    assert 10 <= len(metrics) <= 40, len(metrics)


@pytest.mark.parametrize("source", SOURCES)
def test_each_expected_set_comes_from_its_source(source: str) -> None:
    """Every label, measure text and department typed is in the source (marks ↓ and ※1 left out),
    and every figure typed is one the source shows."""
    shown = "\n".join(texts(FIXTURES / source))
    expected = FIXTURES / f"{source}.expected"
    figures = numbers(FIXTURES / source)
    for row in rows(expected, "metrics"):
        assert row["指標名"] in shown, row
        for column in ("実績値", "目標値", "基準値"):
            if row[column]:
                typed = Decimal(re.match(r"[\d.]+", row[column])[0]).normalize()
                assert typed in figures, (column, row)
    for row in rows(expected, "measures"):
        assert row["ビジョン内容"] in shown and row["担当課"] in shown, row
        assert all(line in shown for line in row["取組内容"].splitlines()), row
    for row in rows(expected, "areas"):
        assert row["分野名"] in shown, row



CUMULATIVE_ANSWERS = {"累計値": "累計値", "累計": "年度ごとの数"}  # typed 累計 column ← the answer


@pytest.mark.parametrize("source", SOURCES)
def test_every_typed_direction_and_running_total_is_asked_or_stated(source: str) -> None:
    """questions.md's answers (TOML, ids as report/ingest/evidence.py names them) give exactly the
    typed tables: each typed 方向 and 累計 is an answer asked or a reading the file states."""
    expected = FIXTURES / f"{source}.expected"
    questions = (expected / "questions.md").read_text(encoding="utf-8")
    assert "## Questions a careful importer must ask" in questions
    [block] = re.findall(r"```toml\n(.*?)```", questions, re.S)
    answers = tomllib.loads(block)
    stated = answers.pop("stated", {})
    assert answers and all(isinstance(v, str) and v and ":" in k for k, v in {**answers, **stated}.items())
    assert not set(answers) & set(stated)
    known = {**answers, **stated}
    for row in rows(expected, "metrics"):
        if row["方向"]:
            assert known.get(f"方向:{row['指標名']}") == row["方向"], row
        if row["累計"]:
            assert known.get(f"累計:{row['指標名']}") == CUMULATIVE_ANSWERS[row["累計"]], row


def test_wide_years_keeps_its_layout_features() -> None:
    [(cover, _, _, _), (name, _, merged, sheet), (hidden, state, _, _)] = cells(FIXTURES / "wide-years.xlsx")
    assert (cover, name, hidden, state) == ("表紙", "KPI進捗", "作業用", "hidden")
    assert sheet["L2"][0] == "令和6年3月31日現在" and "KPI" in sheet["A1"][0]
    assert {"E4:F4", "G4:H4", "I4:J4", "A6:A8", "B6:B7"} <= set(merged)  # year row over pairs; 分野・施策 down
    assert [sheet[f"{c}5"][0] for c in "EFGHIJ"] == ["目標", "実績"] * 3
    assert sheet["H7"][0] == "1,007人" and sheet["K4"][0].startswith("達成率")
    assert DASHES <= {value for value, _ in sheet.values()}
    assert sheet["F13"] == (0.785, "0.0%")  # a percent stored as a number, shown 78.5%


def test_the_second_year_adds_a_year_a_row_and_a_reworded_header() -> None:
    first = cells(FIXTURES / "wide-years.xlsx")[1][3]
    second = cells(FIXTURES / "wide-years-2.xlsx")[1][3]
    assert (first["C4"][0], second["C4"][0]) == ("指標名", "成果指標")
    assert second["K4"][0] == "令和6年度" and first["K4"][0].startswith("達成率")  # the new pair moves it right
    assert second["C12"][0] == "空き家バンク成約件数" and "空き家バンク成約件数" not in texts(FIXTURES / "wide-years.xlsx")
    before = {r["指標名"] for r in rows(FIXTURES / "wide-years.xlsx.expected", "metrics")}
    after = rows(FIXTURES / "wide-years-2.xlsx.expected", "metrics")
    assert {r["指標名"] for r in after} - before == {"空き家バンク成約件数"}
    assert {r["年度"] for r in after} == {"令和3年度", "令和4年度", "令和5年度", "令和6年度"}


def test_seika_shihyo_keeps_its_layout_features() -> None:
    [(name, _, merged, sheet)] = cells(FIXTURES / "seika-shihyo.xlsx")
    assert name == "成果指標" and {"A5:I5", "A18:I18"} <= set(merged)
    shown = [value for value, _ in sheet.values()]
    row = next(r for c, (v, _) in sheet.items() if v == "公民館改修数(累計)" for r in [c[1:]])
    assert [sheet[f"{c}{row}"][0] for c in "DEFGH"] == ["なし", "なし", "5箇所", "6箇所", "7箇所"]
    assert any("（累計）の指標は" in str(v) and "累計値を記載" in str(v) for v in shown)
    assert {"基準値(R1)", "令和2年実績", "目標(令和7年度)", "82.6 (2019年度)", "【01】子育て支援"} <= set(shown)
    assert any(str(v).endswith("↓") for v in shown) and sum(str(v).startswith("基本目標") for v in shown) == 2
    running = [r for r in rows(FIXTURES / "seika-shihyo.xlsx.expected", "metrics") if "累計" in r["指標名"]]
    assert [(r["実績値"], r["累計"]) for r in running] == [("5", "累計値"), ("6", "累計値"), ("7", "累計値")]


def test_per_area_keeps_its_layout_features() -> None:
    sheets = cells(FIXTURES / "per-area.xlsx")
    assert [name for name, *_ in sheets] == ["見方", "集計", "分野1 子育て・教育", "分野2 産業・観光", "分野3 安全・安心"]
    shown = [str(v) for _, _, _, sheet in sheets[2:] for v, _ in sheet.values()]
    assert "〃" in shown and {"A", "B", "C", "D"} <= set(shown)
    assert any(v.startswith("・") and "\n・" in v for v in shown) and any(v.startswith("●") for v in shown)
    assert sum("A：達成(100%以上)" in v and "B：概ね達成(80%以上)" in v for v in shown) == 3
    status = {r["施策番号"]: r["進捗"] for r in rows(FIXTURES / "per-area.xlsx.expected", "measures")}
    assert (status["1-1"], status["1-2"], status["2-2"], status["3-2"], status["2-3"]) == (
        "達成", "概ね達成", "やや遅れ", "遅れ", "")


def test_opendata_kpi_is_cp932_with_western_years_and_extra_columns() -> None:
    data = (FIXTURES / "opendata-kpi.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    header, *body = list(csv.reader(data.decode("cp932").splitlines()))
    assert b"\r\n" in data and {"2020", "2021", "2022", "2023", "単位", "URL", "更新日", "所管部局コード"} <= set(header)
    fields = {field for row in body for field in row}
    assert {"1,020", "3.8％", "移住者数（累計）", "目標値は2020～2024年度の累計"} <= fields


def test_evaluation_export_keeps_its_layout_features() -> None:
    [(_, _, _, sheet)] = cells(FIXTURES / "evaluation-export.xlsx")
    helper = [value for coordinate, (value, _) in sheet.items() if re.fullmatch(r"[A-Z]+1", coordinate)]
    header = [value for coordinate, (value, _) in sheet.items() if re.fullmatch(r"[A-Z]+2", coordinate)]
    assert len(helper) == len(header) == 58 and set(helper) == {"調整用"}
    assert any(v.startswith("①") and "\n（" in v for v in header)
    assert [f"指標{k}{part}" for k in (1, 2, 3) for part in ("名", "単位", "目標", "実績")] == [
        v for v in header if v.startswith("指標")]
    assert header.count("目標") == header.count("実績") == 18  # six 目標/実績 blocks per slot, years unnamed
    assert not any(re.search(r"令和|平成|20\d\d|R\d", v) for v in header)  # no header names a year


@pytest.mark.parametrize("source", ["wide-years-2.xlsx", "seika-shihyo.xlsx"])
def test_a_handout_of_the_expected_tables_prints_every_label_and_year(source: str, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / f"{source}.expected", project)
    text = pdf_text(build(project, kind="handout", output=tmp_path / "handout.pdf").pdf)
    metrics = rows(project, "metrics")
    for row in metrics:
        assert "".join(row["指標名"].split()) in text, row["指標名"]
    for year in {row["年度"] for row in metrics}:  # the handout's tables name years as the text does: 令和3 …
        assert year.removesuffix("年度") in text and "R" + re.sub(r"\D", "", year) not in text, year
    first, last = min(r["年度"] for r in metrics), max(r["年度"] for r in metrics)
    assert f"{first[:-2]}〜{last[2:-2]}年度" in text  # the period, e.g. 令和3〜6年度
