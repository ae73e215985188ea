"""Issue 24, text and input trust: invisible characters are removed from every cell (a warning
names the cell), characters XML cannot hold and files not in one encoding are refused naming the
row, and every limit (file and unzipped size, cell length, sheet kinds, formats koho does not read)
is a clear message, in `koho validate` as in `koho build`; the preview shows an input replaced by
a folder as the error it is."""

from __future__ import annotations

import json
import os
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from report.load.tables.limits import MAX_CELL_CHARACTERS, MAX_INPUT_BYTES, MAX_WORKBOOK_EXPANDED
from report.load.tables.encodings import decode_text
from report.load.values.text import INVISIBLE_RANGES, invisible_characters, remove_invisible
from report.load.validate import load_project
from report.problems import DataError

from .conftest import copy_project
from .excel import patch_xml
from .serving import running_server
from .test_errors import (as_workbook, assert_build_refused, assert_clean_failure, assert_untouched, koho,  # noqa: F401
                          previous, replace_in, zip_with)
from .test_inputs import read_rows, write_rows, write_workbook

# Rows whose UTF-8 bytes CP932 also reads (as mojibake): a file of them with one odd row was read
# whole as CP932, every row mojibake, exit 0.
AREA = "財政・行政運営,財政の健全化と挑戦する行政運営,"


def _area_rows() -> list[str]:
    return ["area,title,subtitle,color\n"] + [f"{number},{AREA}\n" for number in range(1, 9)]


def _areas_in(project: Path, encoding_of: Callable[[int], str], prefix: bytes = b"") -> bytes:
    """areas.csv with each row (numbered as a spreadsheet does) in the encoding given for it."""
    data = prefix + b"".join(row.encode(encoding_of(number)) for number, row in enumerate(_area_rows(), start=1))
    (project / "areas.csv").write_bytes(data)
    return data


def utf8_with_a_cp932_row(project: Path) -> None:
    _areas_in(project, lambda row: "cp932" if row == 3 else "utf-8").decode("cp932")  # what koho fell back on


def bom_with_a_cp932_row(project: Path) -> None:
    _areas_in(project, lambda row: "cp932" if row == 3 else "utf-8", prefix=b"\xef\xbb\xbf")


def cp932_with_a_utf8_row(project: Path) -> None:
    _areas_in(project, lambda row: "utf-8" if row == 3 else "cp932").decode("cp932")


def stray_byte_cp932_reads(project: Path) -> None:
    """One stray byte (0xA0, a Latin-1 no-break space) in a UTF-8 file."""
    _areas_in(project, lambda row: "utf-8")
    data = (project / "areas.csv").read_bytes().replace(b"\n2,", b"\n2,\xa0", 1)
    data.decode("cp932")
    (project / "areas.csv").write_bytes(data)


def long_csv_cell(project: Path) -> None:
    replace_in(project / "metrics.csv", "紹介動画を作成した保育所数", "長" * 131_073)


def long_workbook_cell(project: Path) -> None:
    sheets = {t: read_rows(project / f"{n}.csv") for t, n in (("分野", "areas"), ("施策", "measures"), ("実績", "metrics"))}
    sheets["施策"][3][2] = "LONGCELL"  # openpyxl cuts what it writes at Excel's limit: the XML is patched
    write_workbook(project / "book.xlsx", sheets)
    patch_xml(project / "book.xlsx", "xl/worksheets/sheet2.xml", "LONGCELL", "長" * (MAX_CELL_CHARACTERS + 1))
    for name in ("areas", "measures", "metrics"):
        (project / f"{name}.csv").unlink()


def zip_bomb(project: Path) -> None:
    """A workbook whose sheet is 64 MB of one character, deflated to a few dozen KB (3 MB held 4.3 GB)."""
    book = as_workbook(project)
    with zipfile.ZipFile(book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name == "xl/worksheets/sheet1.xml":
                with archive.open(name, "w") as member:
                    member.write(data.replace(b"</sheetData>", b""))
                    for _ in range(64):
                        member.write(b" " * (1024 * 1024))
                    member.write(b"</sheetData></worksheet>")
            else:
                archive.writestr(name, data)


def chart_sheet_for_a_table(project: Path) -> None:
    """The 実績 sheet is a chart sheet (it was listed as a sheet the workbook has, and missing)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    book.remove(book.active)
    for label, name in (("分野", "areas"), ("施策", "measures")):
        sheet = book.create_sheet(label)
        for row in read_rows(project / f"{name}.csv"):
            sheet.append(row)
    chart = BarChart()
    chart.add_data(Reference(book["分野"], min_col=1, min_row=1, max_row=3))
    book.create_chartsheet("実績").add_chart(chart)
    book.save(project / "book.xlsx")
    for name in ("areas", "measures", "metrics"):
        (project / f"{name}.csv").unlink()


def macro_sheet_for_a_table(project: Path) -> None:
    """The 実績 sheet is an Excel 4.0 macro sheet (openpyxl reads those as worksheets)."""
    book = as_workbook(project)
    patch_xml(book, "xl/_rels/workbook.xml.rels",
              r'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
              r'Target="(/?xl/)?worksheets/sheet3.xml"',
              'Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" '
              'Target="/xl/worksheets/sheet3.xml"')


def spreadsheet_as(suffix: str) -> Callable[[Path], None]:
    def breaker(project: Path) -> None:
        for name in ("areas", "measures", "metrics"):
            (project / f"{name}.csv").unlink()
        (project / f"book{suffix}").write_bytes(b"PK\x03\x04 not read")
    return breaker


def folder_in_place_of(name: str) -> Callable[[Path], None]:
    def breaker(project: Path) -> None:
        (project / name).unlink()
        (project / name).mkdir()
    return breaker


def too_large(project: Path) -> None:
    """A metrics.csv one byte over the limit (sparse: nothing is written to disk)."""
    with (project / "metrics.csv").open("r+b") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)


Breaker = Callable[[Path], object]

# (what is wrong, how to break the sample project, fragments the message must contain)
CASES: list[tuple[str, Breaker, list[str]]] = [
    ("U+FFFF in a unit", lambda p: replace_in(p / "metrics.csv", "令和5年度,22,保育所", "令和5年度,22,保\uffff育所"),
     ["metrics.csv 2行目 列「単位」(unit): 値「保⟨U+FFFF⟩育所」", "使えない文字 U+FFFF(非文字)"]),
    ("C0 control in a cell", lambda p: replace_in(p / "areas.csv", "コロナ対策", "コロナ\x0b対策"),
     ["areas.csv 2行目 列「分野名」(title): 値「コロナ⟨U+000B⟩対策」", "使えない文字 U+000B"]),
    ("ids equal but for a zero-width space", lambda p: replace_in(p / "measures.csv", "\n02-1,2,", "\n01\u200b-1,2,"),
     ["measures.csv 4行目 列「施策番号」(id): 値「01-1」", "施策番号が重複しています(2行目にもあります)"]),
    ("UTF-8 CSV with a row from a CP932 export", utf8_with_a_cp932_row,
     ["areas.csv 3行目: 値「0x8D」", "文字コードが UTF-8 のファイルに、UTF-8 として読めない行があります(3行目から)"]),
    ("UTF-8 CSV with BOM and a CP932 row", bom_with_a_cp932_row,
     ["areas.csv 3行目: 値「0x8D」", "文字コードが UTF-8 のファイルに"]),
    ("CP932 CSV with a UTF-8 row", cp932_with_a_utf8_row,
     ["areas.csv 3行目: 値「0xE8 0xB2 0xA1」", "文字コードが Shift_JIS(CP932) のファイルに、UTF-8 の行があります"]),
    ("UTF-8 CSV with a stray byte CP932 reads", stray_byte_cp932_reads,
     ["areas.csv 3行目: 値「0xA0」", "UTF-8 として読めない行があります"]),
    ("CSV cell over 131,072 characters", long_csv_cell,
     ["metrics.csv 2行目 列「指標名」(label)", "セルの文字数が多すぎます(131,073文字)", "32,767文字まで"]),
    ("workbook cell over the cell limit", long_workbook_cell,
     ["book.xlsx シート「施策」 4行目 列「ビジョン内容」(vision)", "セルの文字数が多すぎます(32,768文字)"]),
    ("zip bomb", zip_bomb, ["book.xlsx", "異常に圧縮されています", "200倍まで", "Excel で開いて保存し直してください"]),
    ("input file over the size limit", too_large, ["metrics.csv", "ファイルが大きすぎます", "100MBまで"]),
    ("chart sheet for a table", chart_sheet_for_a_table,
     ["book.xlsx", "シート「実績」(または「metrics」)がありません(ブックにあるシート: 分野、施策)",
      "「実績」はグラフシートで、表として読めません"]),
    ("macro sheet for a table", macro_sheet_for_a_table,
     ["book.xlsx", "シート「実績」(または「metrics」)がありません", "「実績」はマクロシートで"]),
    (".ods spreadsheet", spreadsheet_as(".ods"),
     ["book.ods", "OpenDocument スプレッドシート(.ods", "読めません", "「Excel ブック(.xlsx)」か「CSV UTF-8」"]),
    (".xlsb workbook", spreadsheet_as(".xlsb"), ["book.xlsb", "Excel バイナリ ブック(.xlsb)は読めません"]),
    (".xls workbook", spreadsheet_as(".xls"), ["book.xls", "Excel 97-2003形式(.xls)のブックは読めません"]),
    ("CSV replaced by a folder", folder_in_place_of("metrics.csv"),
     ["metrics.csv", "ファイルではなくフォルダ"]),
    ("koho.toml replaced by a folder", folder_in_place_of("koho.toml"),
     ["koho.toml", "ファイルではなくフォルダ"]),
]


@pytest.mark.parametrize("name, breaker, fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_cleanly_and_writes_nothing(tmp_path: Path, previous: Path, name: str,  # noqa: F811
                                                    breaker: Breaker, fragments: list[str]) -> None:
    assert_build_refused(tmp_path, previous, breaker, fragments)


@pytest.mark.parametrize("name, breaker, fragments", CASES, ids=[c[0] for c in CASES])
def test_validate_finds_the_same_problem(tmp_path: Path, name: str, breaker: Breaker, fragments: list[str]) -> None:
    project = copy_project(tmp_path)
    breaker(project)
    result = koho("validate", str(project))
    assert_clean_failure(result)
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def _opened_members(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[object]]:
    """Record every workbook member unzipped and every openpyxl reader made."""
    import openpyxl.reader.excel

    unzipped: list[str] = []
    readers: list[object] = []
    original_open = zipfile.ZipFile.open

    def recording_open(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        unzipped.append(getattr(name, "filename", name))
        return original_open(self, name, *args, **kwargs)

    def no_reader(*args: object, **kwargs: object) -> None:
        readers.append(args)
        raise AssertionError("openpyxl opened the workbook")

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    monkeypatch.setattr(openpyxl.reader.excel.ExcelReader, "__init__", no_reader)
    return unzipped, readers


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unzipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path)
    zip_bomb(project)
    book = project / "book.xlsx"
    assert book.stat().st_size < 1024 * 1024
    with zipfile.ZipFile(book) as archive:
        assert sum(info.file_size for info in archive.infolist()) > 64 * 1024 * 1024
    unzipped, readers = _opened_members(monkeypatch)
    result = koho("validate", str(project))
    assert_clean_failure(result)
    assert "xl/worksheets/sheet1.xml が異常に圧縮されています" in result.stderr
    assert unzipped == [] and readers == []


def test_a_workbook_declaring_gigabytes_is_refused_by_its_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts each under the ratio check but over the total together (their declared sizes: Python
    never unzips a part beyond the size its directory declares)."""
    project = copy_project(tmp_path)
    book = as_workbook(project)
    with zipfile.ZipFile(book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    data = bytearray()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_STORED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        for number in range(60):
            archive.writestr(f"xl/media/padding{number}.bin", b"x" * 100)
    data = bytearray(book.read_bytes())
    directory = data.find(b"PK\x01\x02")
    declared = 0
    while directory >= 0:  # declare each padding part 9 MB: under RATIO_CHECKED_FROM, 540 MB in all
        name_length = int.from_bytes(data[directory + 28:directory + 30], "little")
        name = bytes(data[directory + 46:directory + 46 + name_length])
        if name.startswith(b"xl/media/padding"):
            data[directory + 24:directory + 28] = (9 * 1024 * 1024).to_bytes(4, "little")
            declared += 9 * 1024 * 1024
        directory = data.find(b"PK\x01\x02", directory + 4)
    book.write_bytes(bytes(data))
    assert declared > MAX_WORKBOOK_EXPANDED
    unzipped, readers = _opened_members(monkeypatch)
    result = koho("validate", str(project))
    assert_clean_failure(result)
    assert "展開すると大きすぎます" in result.stderr and "展開後500MBまで" in result.stderr
    assert unzipped == [] and readers == []


def test_an_input_over_the_size_limit_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path)
    too_large(project)
    read = Path.read_bytes
    read_files: list[str] = []

    def recording(path: Path) -> bytes:
        read_files.append(path.name)
        return read(path)

    monkeypatch.setattr(Path, "read_bytes", recording)
    result = koho("validate", str(project))
    assert_clean_failure(result)
    assert "metrics.csv" not in read_files and "areas.csv" in read_files


# --- warnings: invisible characters are removed, the cell named, the value kept -----------------

def _problems(project: Path) -> list[dict]:
    result = koho("validate", str(project), "--format", "json")
    return json.loads(result.stdout)


def test_bidi_controls_are_removed_and_named(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "metrics.csv", "令和5年12月22日", "\u202e令和5年12月22日\u202c")
    replace_in(project / "measures.csv", "域内経済への刺激策を実施します", "域内経済への\u202e施実を54321\u202c")
    warnings = _problems(project)
    assert {(w["file"], w["row"], w["column"], w["severity"]) for w in warnings} == {
        ("metrics.csv", 3, "as_of", "warning"), ("measures.csv", 2, "vision", "warning")}
    date = next(w for w in warnings if w["column"] == "as_of")
    assert date["value"] == "⟨U+202E⟩令和5年12月22日⟨U+202C⟩"
    assert "U+202E(文字の向きを変える制御文字)" in date["message"] and "取り除きました" in date["message"]
    assert not any("\u202e" in w["value"] + w["message"] for w in warnings)
    model = load_project(project)
    metric = next(m for measure in model.measures for m in measure.metrics if m.as_of and m.source.row == 3)
    assert metric.as_of.isoformat() == "2023-12-22"
    assert model.measures[0].vision.endswith("域内経済への施実を54321。")


@pytest.mark.parametrize("character", ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u2066", "\u061c", "\x85"])
def test_every_invisible_character_is_removed_from_cells_and_ids(tmp_path: Path, character: str) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "measures.csv", "\n02-1,2,", f"\n02{character}-1,2,")
    replace_in(project / "metrics.csv", "紹介動画を作成した", f"紹介動画を{character}作成した")
    warnings = _problems(project)
    assert [(w["file"], w["row"], w["column"]) for w in warnings] == [
        ("measures.csv", 4, "id"), ("metrics.csv", 2, "label")]
    ids = [measure.id for measure in load_project(project).measures]
    assert "02-1" in ids and not any(character in i for i in ids)


def test_a_workbook_cell_warning_names_the_sheet(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "areas.csv", "コロナ対策", "コロナ\u200b対策")
    as_workbook(project)
    [warning] = _problems(project)
    assert (warning["file"], warning["sheet"], warning["row"], warning["column"]) == ("book.xlsx", "分野", 2, "title")
    assert load_project(project).areas[0].title == "コロナ対策"


def test_headers_with_invisible_characters_still_name_their_columns(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "metrics.csv", "実績値", "実績\u200b値")
    [warning] = _problems(project)
    assert (warning["row"], warning["column"]) == (1, "value")
    assert len(load_project(project).measures[4].metrics) >= 1


def test_emoji_sequences_flags_and_ivs_are_kept_without_a_warning(tmp_path: Path) -> None:
    family, runner = "👨\u200d👩\u200d👧", "🏃🏽\u200d♀\ufe0f"
    scotland = "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"
    ivs = "葛\U000E0100城"
    kept = f"{family}{runner}{scotland}{ivs}"
    project = copy_project(tmp_path)
    replace_in(project / "areas.csv", "コロナ対策", f"コロナ対策{kept}")
    assert not any("見えない文字" in p["message"] for p in _problems(project))  # (fonts may lack the emoji)
    assert load_project(project).areas[0].title == f"コロナ対策{kept}"
    assert remove_invisible(f"a\u200db{kept}") == f"ab{kept}"


def test_the_invisible_set_is_every_format_character_of_this_python() -> None:
    """Category Cf of the running Python's Unicode (and the C1 controls), none left out."""
    removed = {c for a, b in INVISIBLE_RANGES for c in range(a, b + 1)}
    format_characters = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    assert format_characters <= removed
    assert set(range(0x80, 0xA0)) <= removed
    assert all(unicodedata.category(chr(c)) in ("Cf", "Cc", "Cn") for c in removed)
    assert invisible_characters("\ufe0f\U000E0100") == []  # variation selectors are not Cf


# --- encodings ------------------------------------------------------------------------------------

def test_a_genuine_cp932_file_reads_half_width_kana_and_all() -> None:
    text = "施策番号,名前\n1,ﾃｽﾄ\n2,ｼｮｳｶｲ 紹介\n3,纂ア\n"
    assert decode_text(text.encode("cp932"), "x.csv") == text
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8"), "x.csv") == text


def test_the_mixed_row_is_named_in_a_multi_line_file(tmp_path: Path) -> None:
    """measures.csv has cells of several lines: the row named is the spreadsheet's row."""
    project = copy_project(tmp_path)
    rows = read_rows(project / "measures.csv")
    write_rows(project / "measures.csv", rows, "utf-8")
    data = (project / "measures.csv").read_bytes()
    odd = "\n".join(",".join(row) for row in rows[5:6]).encode("utf-8")
    assert odd in data
    (project / "measures.csv").write_bytes(data.replace(odd, odd.decode("utf-8").encode("cp932")))
    with pytest.raises(DataError) as caught:
        load_project(project)
    [problem] = caught.value.problems
    assert (problem.file, problem.row) == ("measures.csv", 6)


# --- formats koho reads --------------------------------------------------------------------------

def test_an_xlsm_workbook_is_read_and_its_macros_ignored(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    expected = load_project(project).areas
    book = as_workbook(project)
    with zipfile.ZipFile(book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 Sub Auto_Open(): Kill \"C:\\*\": End Sub"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>').replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in parts["[Content_Types].xml"]
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdVBA" Target="vbaProject.bin" '
        b'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/></Relationships>')
    book.unlink()
    zip_with(project / "book.xlsm", parts)
    result = koho("validate", str(project))
    assert result.exit_code == 0, result.output
    assert load_project(project).areas == expected


def test_a_format_koho_does_not_read_is_named_when_given_directly(tmp_path: Path) -> None:
    (tmp_path / "計画.ods").write_bytes(b"PK\x03\x04 an OpenDocument spreadsheet")
    result = koho("validate", str(tmp_path / "計画.ods"))
    assert_clean_failure(result)
    assert "計画.ods: OpenDocument スプレッドシート(.ods" in result.stderr and "読めません" in result.stderr
    assert "データが見つかりません" not in result.stderr


# --- the preview ---------------------------------------------------------------------------------

def test_the_preview_shows_an_input_replaced_by_a_folder_as_an_error(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        token = server.state.token
        book = server.root / "data" / "manifesto.xlsx"
        os.unlink(book)
        book.mkdir()
        server.wait_for_change(token, timeout=60)
        state = server.state
        assert state.failed and state.document is not None  # the last good document stays, marked
        assert [(p.file, p.severity) for p in state.problems] == [("manifesto.xlsx", "error")]
        assert "ファイルではなくフォルダ" in state.problems[0].message
        from .serving import get

        page = get(server, "/")[2].decode("utf-8")
        assert "作成できませんでした" in page and "manifesto.xlsx" in page


def test_the_watcher_counts_a_folder_with_an_input_s_name_and_no_other(tmp_path: Path) -> None:
    from report.commands.watch import is_input

    project = copy_project(tmp_path)
    for name in ("metrics.csv", "koho.toml", "data/book.xlsx", "build", "data/old", "notes.csv"):
        (project / name).unlink(missing_ok=True)
        (project / name).mkdir(parents=True)
    assert [name for name in ("metrics.csv", "koho.toml", "data/book.xlsx", "build", "data/old", "notes.csv")
            if is_input(project, project / name)] == ["metrics.csv", "koho.toml", "data/book.xlsx"]
