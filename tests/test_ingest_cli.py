"""koho import, export and build of an imported project, as a user runs them: the city's workbook
(merged two-row header) becomes a project whose koho.toml holds the mapping; a bad cell is named by
file, sheet and A1 cell (exit 1, no traceback); the export builds the same pages; next year's
column is read without editing the mapping."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from .conftest import pdf_text
from .test_errors import assert_clean_failure, koho

ROWS = [
    ["令和6年度 マニフェスト進捗管理表"],
    ["令和6年6月30日現在"],
    ["分野", "施策", "指標名", "単位", "令和4年度", None, "令和5年度", None, "達成率"],
    [None, None, None, None, "目標", "実績", "目標", "実績", None],
    ["1 子育て・教育", "1-1 子育て支援の充実", "保育所待機児童数", "人", 10, 5, 5, 2, None],
    [None, None, "放課後児童クラブ数", "か所", 10, 10, 12, "12※1", "100%"],
    ["2 安全・安心", "2-1 防災力の向上", "自主防災組織数", "団体", 50, 48, 55, "－", None],
    [],
    ["※1 令和5年度に2か所新設"],
]
MERGED = ["A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3", "G3:H3", "I3:I4", "A5:A6", "B5:B6"]
SHEET = "進捗管理表"


def write_source(path: Path) -> Path:
    """The city's workbook: a cover sheet, then the progress table with merged cells."""
    book = Workbook()
    book.active.title = "表紙"
    book.active["A1"] = "マニフェスト進捗管理表"
    sheet = book.create_sheet(SHEET)
    for row in ROWS:
        sheet.append(row)
    for cells in MERGED:
        sheet.merge_cells(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def edit_source(path: Path, edit) -> None:  # noqa: ANN001 - a function of the worksheet
    book = load_workbook(path)
    edit(book[SHEET])
    book.save(path)


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    """A project made by `koho import` from a workbook outside it."""
    source = write_source(tmp_path / "city" / "進捗.xlsx")
    project = tmp_path / "project"
    result = koho("import", str(source), "-o", str(project))
    assert result.exit_code == 0, result.output
    return project


def test_import_drafts_the_mapping_and_puts_the_source_in_the_project(tmp_path: Path) -> None:
    source = write_source(tmp_path / "city" / "進捗.xlsx")
    project = tmp_path / "project"
    result = koho("import", str(source), "-o", str(project))
    assert result.exit_code == 0, result.output
    assert (project / "data" / "進捗.xlsx").read_bytes() == source.read_bytes()
    for said in ("data/ にコピーしました", "見出し 3〜4行目", "データ 5〜7行目", "注記 9行目",
                 "分野 = 列A「分野」(番号と名前)", "令和4年度、令和5年度", "列I「達成率」→ 達成率(数値としては読みません)",
                 "読まないシート: 「表紙」", "2分野、2施策、5件の実績"):
        assert said in result.stdout, (said, result.stdout)
    config = tomllib.loads((project / "koho.toml").read_text(encoding="utf-8"))
    assert config["title"]  # koho's commented skeleton, with [import] added
    assert config["import"]["source"] == "data/進捗.xlsx"
    assert config["import"]["tables"][0]["sheets"] == [SHEET]


def test_explain_shows_each_cell_and_what_was_dropped(tmp_path: Path) -> None:
    source = write_source(tmp_path / "進捗.xlsx")
    result = koho("import", str(source), "--explain")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "進捗").exists()  # --explain writes nothing
    lines = result.stdout.splitlines()
    assert any(line.startswith("   3 見分野") for line in lines), result.stdout
    assert any(line.startswith("   5 階1 子育て") and "値5" in line for line in lines), result.stdout
    assert any(line.startswith("   9 注※1") for line in lines), result.stdout
    assert "  × セルH7「－」: 数値なし(「－」)" in lines
    assert "  × セルI6「100%」: 計算された列(照合用、数値としては読みません)" in lines


def test_a_bad_value_cell_is_named_by_file_sheet_and_cell(imported: Path) -> None:
    edit_source(imported / "data" / "進捗.xlsx", lambda sheet: sheet.__setitem__("F5", "abc"))
    result = koho("build", str(imported))
    assert_clean_failure(result)
    assert "進捗.xlsx シート「進捗管理表」 セルF5 列「実績値」(value): 値「abc」: 数値として読めません" in result.stderr
    assert not (imported / "build").exists()


def test_a_renamed_sheet_stops_the_build_naming_it(imported: Path) -> None:
    edit_source(imported / "data" / "進捗.xlsx", lambda sheet: setattr(sheet, "title", "R6進捗"))
    result = koho("build", str(imported))
    assert_clean_failure(result)
    assert "シート「進捗管理表」がありません" in result.stderr and "「R6進捗」のことではありませんか" in result.stderr


def test_next_years_column_is_read_with_the_same_mapping(imported: Path) -> None:
    def add_year(sheet) -> None:  # noqa: ANN001 - openpyxl worksheet
        for row, text in zip(range(3, 8), ["令和6年度", "実績", 1, 13, 60]):
            sheet.cell(row, 10, text)

    edit_source(imported / "data" / "進捗.xlsx", add_year)
    mapping = (imported / "koho.toml").read_bytes()
    result = koho("validate", str(imported))
    assert result.exit_code == 0, result.output
    assert "お知らせ: 進捗.xlsx シート「進捗管理表」 セルJ4: 新しい年度(令和6年度)の列「令和6年度 / 実績」を読みます" in result.stderr
    assert "8件の実績" in result.stdout
    assert (imported / "koho.toml").read_bytes() == mapping  # the mapping is never rewritten by a build


def test_the_export_builds_the_same_pages(imported: Path, tmp_path: Path) -> None:
    first = koho("build", str(imported), "-o", str(tmp_path / "from-import.pdf"))
    assert first.exit_code == 0, first.output
    result = koho("export", str(imported), "-o", str(tmp_path / "tables"))
    assert result.exit_code == 0, result.output
    exported = tmp_path / "tables"
    assert sorted(p.name for p in exported.iterdir()) == ["areas.csv", "koho.toml", "measures.csv", "metrics.csv"]
    metrics = (exported / "metrics.csv").read_bytes()
    assert metrics.startswith("\ufeff施策番号,指標名,年度,実績値,単位,目標値,備考\r\n".encode())
    assert "1-1,放課後児童クラブ数,2023,12,か所,12,令和5年度に2か所新設" in metrics.decode("utf-8-sig")
    assert "[import]" not in (exported / "koho.toml").read_text(encoding="utf-8")
    second = koho("build", str(exported), "-o", str(tmp_path / "from-export.pdf"))
    assert second.exit_code == 0, second.output
    assert pdf_text(tmp_path / "from-import.pdf") == pdf_text(tmp_path / "from-export.pdf")
    assert len(PdfReader(tmp_path / "from-import.pdf").pages) == len(PdfReader(tmp_path / "from-export.pdf").pages)


def test_the_archive_attaches_the_tables_and_the_mapping_not_the_workbook(imported: Path, tmp_path: Path) -> None:
    result = koho("build", str(imported), "--kind", "archive", "-o", str(tmp_path / "archive.pdf"))
    assert result.exit_code == 0, result.output
    assert "添付したファイル: areas.csv、measures.csv、metrics.csv、koho.toml" in result.stdout
    attached = PdfReader(tmp_path / "archive.pdf").attachments
    assert sorted(attached) == ["areas.csv", "koho.toml", "measures.csv", "metrics.csv"]


def test_a_broken_mapping_is_named_alone(imported: Path) -> None:
    config = imported / "koho.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("header_rows = 2", "header_rows = "), encoding="utf-8")
    result = koho("build", str(imported))
    assert_clean_failure(result)
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if t == "header_rows = 2")
    assert f"koho.toml {line}行目" in result.stderr and "TOMLの書き方に誤りがあります" in result.stderr
    assert "シート「分野」" not in result.stderr  # not read as koho's own three-sheet workbook


def test_a_mapping_key_problem_names_koho_toml_line_and_key(imported: Path) -> None:
    config = imported / "koho.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('meaning = "実績値"', 'meaning = "実積値"'), encoding="utf-8")
    result = koho("validate", str(imported))
    assert_clean_failure(result)
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if 'meaning = "実績値"' in t)
    assert (f"koho.toml {line}行目 設定 import.tables[1].columns[6].meaning: 値「実積値」: 「実績値」の誤りではありませんか"
            in result.stderr), result.stderr


def test_importing_again_keeps_what_the_mapping_says(imported: Path) -> None:
    config = imported / "koho.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text("# 担当: 企画課\n" + text.replace('{header = "単位", meaning = "単位"}',
                                                        '{header = "単位", meaning = "読まない"}'), encoding="utf-8")
    result = koho("import", str(imported / "data" / "進捗.xlsx"))  # the project it sits in
    assert result.exit_code == 0, result.output
    again = config.read_text(encoding="utf-8")
    assert '{header = "単位", meaning = "読まない"}' in again  # the city's correction kept
    assert again.count("[import]") == 1 and again.startswith("# 担当: 企画課\n")  # the rest of koho.toml kept


def test_a_render_check_names_the_source_cell_once(imported: Path) -> None:
    edit_source(imported / "data" / "進捗.xlsx", lambda sheet: sheet.__setitem__("C5", "保育所待機児童数ก"))
    result = koho("validate", str(imported))
    assert result.exit_code == 0, result.output
    warning = ("注意: 進捗.xlsx シート「進捗管理表」 セルC5 列「指標名」(label): 値「ก(U+0E01)」: "
               "同梱のフォントにない文字です")
    assert result.stderr.count(warning) == 1, result.stderr  # the label of two metric rows, said once


def test_import_of_a_project_drafts_its_own_source_again(imported: Path) -> None:
    before = (imported / "koho.toml").read_text(encoding="utf-8")
    result = koho("import", str(imported))
    assert result.exit_code == 0, result.output
    assert "[import] の表だけを書き換えました" in result.stdout
    assert (imported / "koho.toml").read_text(encoding="utf-8") == before  # nothing changed, nothing new
    assert not (imported / "data" / "data").exists()


def test_import_of_a_folder_without_a_mapping_is_refused(tmp_path: Path) -> None:
    result = koho("import", str(tmp_path))
    assert_clean_failure(result)
    assert "はフォルダです。市の表のファイル(.xlsx・.xlsm・.csv)を指定してください" in result.stderr


def test_an_unchanged_source_is_not_read_again(imported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import report.ingest.project
    from report.load.validate import load_project

    first = load_project(imported)
    reads: list[str] = []
    real = report.ingest.project.read_grid
    monkeypatch.setattr(report.ingest.project, "read_grid", lambda *a: reads.append("read") or real(*a))
    assert load_project(imported).areas == first.areas and reads == []  # a preview rebuild: the last import
    edit_source(imported / "data" / "進捗.xlsx", lambda sheet: sheet.__setitem__("F5", 6))
    changed = load_project(imported)
    assert reads == ["read"]
    assert changed.measures[0].metrics[0].value == 6


def test_a_kpi_sheet_with_bare_era_year_columns_is_read_and_each_question_said_once(tmp_path: Path) -> None:
    """つくば市's KPI evaluation sheet shape (IMPORT-LAYOUTS.md): 従前値 H27 … H31 目標値, 基本目標 as
    band rows, a date row, units and 集計中 in cells: every year read, each open question said once."""
    from report.commands.import_ import import_project

    book = Workbook()
    sheet = book.active
    sheet.title = "KPI評価シート"
    sheet["A1"], sheet["A2"] = "総合戦略 KPI評価シート", "令和元年7月1日現在"
    rows = [["基本目標", "具体的な施策", "KPI", "単位", "従前値", "H27", "H28", "H29", "H30", "H31", "目標値"],
            ["基本目標1 しごとをつくる"],
            ["", "(1) 創業支援", "創業件数", "件", "12", "14", "16", "19", "21", "－", "25"],
            ["", "", "市内事業所の従業者数", "人", "52,010", "52,300", "52,800", "53,100", "53,350", "集計中", "55,000"],
            ["基本目標2 ひとの流れをつくる"],
            ["", "(2) 移住促進", "転出超過数", "人", "320", "300", "280", "265", "240", "231人", "200以下"]]
    for number, row in enumerate(rows, 4):
        for column, text in enumerate(row, 1):
            sheet.cell(number, column, text)
    book.save(tmp_path / "kpi.xlsx")
    result = import_project(tmp_path / "kpi.xlsx", tmp_path / "city")
    metrics = result.imported.tables["metrics"]
    header = list(metrics.header)
    read = {(row[header.index("指標名")], row[header.index("年度")], row[header.index("実績値")])
            for row in metrics.rows.cells}
    assert ("創業件数", "2015", "14") in read and ("転出超過数", "2019", "231") in read
    assert len(read) == 4 + 4 + 5  # － and 集計中 are no figure, never zero
    asked = [p.message for p in result.problems if p.severity == "question"]
    assert len(asked) == len(set(asked)) and any("方向:創業件数" in m for m in asked)
    assert not any("転出超過数" in m and "方向" in m for m in asked)  # 「200以下」 says it
