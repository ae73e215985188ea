"""Every class of bad input gets a clear Japanese message naming file, sheet, row, column and value;
exit status 1, no traceback, and no output file created or changed."""

from __future__ import annotations

import json
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import cli
from report.load.tables.schema import TABLES

from .conftest import SAMPLE, copy_project
from .test_inputs import read_rows, write_workbook

PREVIOUS = b"%PDF-1.7 the previous, good newsletter"


def koho(*args: str) -> Result:
    """Run the command in this process, as a user would from the shell."""
    return CliRunner().invoke(cli, list(args))


def assert_clean_failure(result: Result) -> None:
    """Exit 1 through a KohoError: a message, never a traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def as_workbook(project: Path, drop: str | None = None) -> Path:
    """Turn the CSV project into one workbook with Japanese sheet names (without `drop`)."""
    sheets = {t.label: read_rows(project / f"{t.name}.csv") for t in TABLES if t.name != drop}
    write_workbook(project / "book.xlsx", sheets)
    for table in TABLES:
        (project / f"{table.name}.csv").unlink()
    return project / "book.xlsx"


def random_bytes(size: int) -> bytes:
    return random.Random(6).randbytes(size)


def zip_with(path: Path, names: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)


def truncate_sheet(project: Path) -> None:
    book = as_workbook(project)
    with zipfile.ZipFile(book) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(name for name in members if name.endswith("sheet1.xml"))
    members[sheet] = members[sheet][: len(members[sheet]) // 2]
    zip_with(book, members)


def toml_line(key: str) -> int:
    lines = (SAMPLE / "koho.toml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(f"{key} ="))


Breaker = Callable[[Path], object]

# (what is wrong, how to break the sample project, fragments the message must contain)
CASES: list[tuple[str, Breaker, list[str]]] = [
    ("missing file", lambda p: (p / "metrics.csv").unlink(),
     ["metrics.csv", "実績のCSVファイル", "がありません"]),
    ("missing sheet", lambda p: as_workbook(p, drop="metrics"),
     ["book.xlsx", "シート「実績」(または「metrics」)がありません(ブックにあるシート: 分野、施策)"]),
    ("missing required column", lambda p: replace_in(p / "measures.csv", "ビジョン内容", "ビジョン内用"),
     ["measures.csv 1行目 列「ビジョン内容」(vision)", "必須の列", "「ビジョン内用」は「ビジョン内容」の誤り"]),
    ("empty table", lambda p: (p / "measures.csv").write_text("施策番号,分野番号,ビジョン内容,取組内容\n", encoding="utf-8"),
     ["measures.csv", "施策の表にデータ行がありません(2行目から"]),
    ("empty file", lambda p: (p / "areas.csv").write_bytes(b""),
     ["areas.csv", "表が空です"]),
    ("duplicate measure id", lambda p: replace_in(p / "measures.csv", "\n02-1,2,", "\n01-1,2,"),
     ["measures.csv 4行目 列「施策番号」(id): 値「01-1」", "施策番号が重複しています(2行目にもあります)"]),
    ("measure in unknown area", lambda p: replace_in(p / "measures.csv", "\n08-2,8,", "\n08-2,9,"),
     ["measures.csv 17行目 列「分野番号」(area): 値「9」", "分野の表にない分野番号です(分野の表にあるのは 1、2、3、4、5、6、7、8)"]),
    ("metric for unknown measure", lambda p: replace_in(p / "metrics.csv", "\n03-1,", "\n03-9,"),
     ["metrics.csv 2行目 列「施策番号」(measure): 値「03-9」",
      "施策の表にない施策番号です(施策の表にあるのは 01-1、01-2、02-1、02-2、03-1、03-2、04-1、04-2、05-1、05-2 など16件)"]),
    ("value not a number", lambda p: replace_in(p / "metrics.csv", "令和5年度,22,", "令和5年度,二十二,"),
     ["metrics.csv 2行目 列「実績値」(value): 値「二十二」", "数値として読めません"]),
    ("impossible fiscal year", lambda p: replace_in(p / "metrics.csv", "令和5年度,22,", "令和99年度,22,"),
     ["metrics.csv 2行目 列「年度」(fiscal_year): 値「令和99年度」", "1989〜2100年度の範囲にありません"]),
    ("impossible date", lambda p: replace_in(p / "metrics.csv", "令和5年12月22日", "令和5年2月30日"),
     ["metrics.csv 3行目 列「時点」(as_of): 値「令和5年2月30日」", "存在しない日付です"]),
    ("bad byte in a UTF-8 file", lambda p: (p / "measures.csv").write_bytes(
        (SAMPLE / "measures.csv").read_bytes().replace("02-2,2,".encode(), b"02-2\x81,2,")),
     ["measures.csv 5行目: 値「0x81」", "文字コードが UTF-8 のファイルに、UTF-8 として読めない行があります(5行目から)"]),
    ("EUC-JP file", lambda p: (p / "areas.csv").write_bytes(
        (SAMPLE / "areas.csv").read_text(encoding="utf-8").encode("euc-jp")),
     ["areas.csv", "文字コードが UTF-8 でも Shift_JIS(CP932) でもありません"]),
    ("UTF-16 file", lambda p: (p / "areas.csv").write_bytes(
        (SAMPLE / "areas.csv").read_text(encoding="utf-8").encode("utf-16")),
     ["areas.csv", "UTF-16"]),
    ("random bytes as CSV", lambda p: (p / "areas.csv").write_bytes(random_bytes(2000)),
     ["areas.csv", "CSVファイルではありません"]),
    ("zip renamed to CSV", lambda p: zip_with(p / "measures.csv", {"a.txt": b"hello"}),
     ["measures.csv", "CSVファイルではありません: ZIP形式のファイル"]),
    ("random bytes as workbook", lambda p: (as_workbook(p).write_bytes(random_bytes(2000))),
     ["book.xlsx", "Excelブック(.xlsx)として読めません", "壊れているか"]),
    ("zip renamed to workbook", lambda p: zip_with(as_workbook(p), {"a.txt": b"hello"}),
     ["book.xlsx", "ZIPファイルですが、Excelブック(.xlsx)として読めません"]),
    ("password-protected workbook", lambda p: as_workbook(p).write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random_bytes(4000)),
     ["book.xlsx", "パスワード付きのブック"]),
    ("damaged sheet", truncate_sheet, ["book.xlsx シート「分野」", "シートが壊れているため読めません"]),
    ("old .xls workbook", lambda p: [*((p / f"{t.name}.csv").unlink() for t in TABLES),
                                     (p / "book.xls").write_bytes(b"\xd0\xcf\x11\xe0")],
     ["book.xls", "Excel 97-2003形式(.xls)のブックは読めません"]),
    ("colour not a colour", lambda p: replace_in(p / "areas.csv", "対策,\n", "対策,\"red;background:url(x)\"\n"),
     ["areas.csv 2行目 列「色」(color): 値「red;background:url(x)」", "色は #005AFF のような"]),
    ("TOML syntax", lambda p: replace_in(p / "koho.toml", "first_page = 2", "first_page = = 2"),
     [f"koho.toml {toml_line('first_page')}行目: 値「first_page = = 2」", "TOMLの書き方に誤りがあります"]),
    ("TOML unclosed string", lambda p: replace_in(p / "koho.toml", 'issue = "令和6年3月号"', 'issue = "令和6年3月号'),
     [f"koho.toml {toml_line('issue')}行目", "TOMLの書き方に誤りがあります"]),
    ("TOML wrong type", lambda p: replace_in(p / "koho.toml", "first_page = 2", 'first_page = "二"'),
     [f"koho.toml {toml_line('first_page')}行目 設定 first_page: 値「二」", "1以上の整数"]),
    ("koho.toml not UTF-8", lambda p: (p / "koho.toml").write_bytes(
        (SAMPLE / "koho.toml").read_text(encoding="utf-8").encode("cp932")),
     ["koho.toml", "UTF-8 で保存してください"]),
]


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """An output folder holding a good PDF and HTML from an earlier build."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "newsletter.pdf").write_bytes(PREVIOUS)
    (out / "newsletter.html").write_bytes(b"<p>previous</p>")
    return out


def assert_untouched(out: Path) -> None:
    """The earlier build's files are as they were, and no temporary file is left beside them."""
    assert sorted(p.name for p in out.iterdir()) == ["newsletter.html", "newsletter.pdf"]
    assert (out / "newsletter.pdf").read_bytes() == PREVIOUS
    assert (out / "newsletter.html").read_bytes() == b"<p>previous</p>"


def assert_build_refused(tmp_path: Path, previous: Path, breaker: Breaker, fragments: list[str]) -> Path:
    """Break a copy of the sample with `breaker`; its build fails cleanly with every fragment in the
    message and leaves the earlier outputs (`previous`) untouched. Returns the broken project."""
    project = copy_project(tmp_path)
    breaker(project)
    result = koho("build", str(project), "-o", str(previous / "newsletter.pdf"),
                  "--html", str(previous / "newsletter.html"))
    assert_clean_failure(result)
    assert result.stderr.startswith("エラー: 入力データに")
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert_untouched(previous)
    assert not (project / "build").exists()
    return project


@pytest.mark.parametrize("name, breaker, fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_cleanly_and_writes_nothing(tmp_path: Path, previous: Path, name: str,
                                                    breaker: Breaker, fragments: list[str]) -> None:
    assert_build_refused(tmp_path, previous, breaker, fragments)


def test_validate_reports_the_same_problem_as_json(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "metrics.csv", "令和5年度,22,", "令和5年度,二十二,")
    result = koho("validate", str(project), "--format", "json")
    assert_clean_failure(result)
    problems = json.loads(result.stdout)
    assert problems == [{
        "file": "metrics.csv", "sheet": None, "row": 2, "column": "value", "column_label": "実績値",
        "value": "二十二", "message": "数値として読めません(例: 104、1,234、89.4%)", "severity": "error",
    }]
    assert result.stderr == ""


def test_json_names_the_sheet_of_a_workbook(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "metrics.csv", "令和5年度,22,", "令和5年度,二十二,")
    book = as_workbook(project)
    result = koho("validate", str(book), "--format", "json")
    assert_clean_failure(result)
    [problem] = json.loads(result.stdout)
    assert (problem["file"], problem["sheet"], problem["row"], problem["column"]) == ("book.xlsx", "実績", 2, "value")


def test_json_of_a_good_project_is_its_warnings(tmp_path: Path) -> None:
    assert json.loads(koho("validate", str(SAMPLE), "--format", "json").stdout) == []
    project = copy_project(tmp_path)
    replace_in(project / "koho.toml", "first_page = 2", "first_page = 2\ntitel = \"x\"")
    result = koho("validate", str(project), "--format", "json")
    assert result.exit_code == 0
    [warning] = json.loads(result.stdout)
    assert warning["severity"] == "warning" and warning["column"] == "titel"
    assert "「title」の誤りではありませんか" in warning["message"]


def test_every_problem_of_a_run_is_reported_together(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "koho.toml", "first_page = 2", "first_page = 0")
    replace_in(project / "areas.csv", "対策,\n", "対策,紫外線\n")
    replace_in(project / "measures.csv", "\n08-2,8,", "\n08-2,9,")
    replace_in(project / "measures.csv", "撮影・提供\n", "撮影・提供,ビジョン内用\n")  # a warning, not an error
    replace_in(project / "metrics.csv", "令和5年度,22,", "令和5年度,たくさん,")
    replace_in(project / "metrics.csv", "\n03-2,", "\n99-9,")
    result = koho("validate", str(project), "--format", "json")
    assert_clean_failure(result)
    found = {(p["file"], p["row"], p["column"], p["severity"]) for p in json.loads(result.stdout)}
    assert found == {
        ("koho.toml", toml_line("first_page"), "first_page", "error"),
        ("areas.csv", 2, "color", "error"),
        ("measures.csv", 1, "ビジョン内用", "warning"),
        ("measures.csv", 17, "area", "error"),
        ("metrics.csv", 2, "value", "error"),
        ("metrics.csv", 3, "measure", "error"),
    }
    text = koho("validate", str(project))
    assert "入力データに5件の問題があります" in text.stderr
    assert "  - 注意: measures.csv 1行目 列ビジョン内用: 不明な列です。「ビジョン内容」(vision)の誤りではありませんか" in text.stderr


def test_missing_files_are_reported_with_the_other_problems(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "metrics.csv").unlink()
    replace_in(project / "measures.csv", "\n08-2,8,", "\n08-2,9,")
    result = koho("validate", str(project))
    assert_clean_failure(result)
    assert "metrics.csv: 実績のCSVファイル" in result.stderr
    assert "measures.csv 17行目" in result.stderr


def test_an_unknown_column_is_a_warning_with_the_nearest_name(tmp_path: Path, previous: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "measures.csv", "撮影・提供\n", "撮影・提供,ビジョン内用\n")
    result = koho("validate", str(project))
    assert result.exit_code == 0, result.output
    assert ("注意: measures.csv 1行目 列ビジョン内用: 不明な列です。「ビジョン内容」(vision)の誤りではありませんか"
            in result.stderr)
    strict = koho("build", str(project), "--strict", "-o", str(previous / "newsletter.pdf"))
    assert_clean_failure(strict)
    assert "--strict" in strict.stderr and "ビジョン内用" in strict.stderr
    assert (previous / "newsletter.pdf").read_bytes() == PREVIOUS


def test_a_rejected_cell_does_not_cascade(tmp_path: Path) -> None:
    """A metric of a measure whose own row is bad is not reported again as an unknown measure."""
    project = copy_project(tmp_path)
    replace_in(project / "measures.csv", "\n03-1,3,", "\n03-1,三,")
    result = koho("validate", str(project), "--format", "json")
    assert [(p["file"], p["row"], p["column"]) for p in json.loads(result.stdout)] == [("measures.csv", 6, "area")]


def test_an_input_is_never_the_output(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    before = (project / "areas.csv").read_bytes()
    result = koho("build", str(project), "-o", str(project / "areas.csv"))
    assert_clean_failure(result)
    assert "入力ファイルを出力先にはできません" in result.stderr
    assert (project / "areas.csv").read_bytes() == before
