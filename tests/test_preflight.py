"""Preflight of the rendered document: tofu, overflowing or clipped text, measures missing from the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.assets import FONTS_DIR, STYLES_DIR
from report.commands.build import BuildResult, build
from report.render.checks.coverage import COVERAGE_NAME, bundled_coverage, read_fonts, read_stored, stored_text
from report.render.pdf.pdf import layout
from report.render.checks.preflight import missing_glyphs, overflows
from report.problems import DataError
from report.load.validate import load_project

from .conftest import SAMPLE, copy_project
from .test_errors import assert_clean_failure, koho, replace_in

LONG_URL = "https://example.jp/" + "a" * 90  # no break opportunity: wider than a column


def warnings_of(result: BuildResult, fragment: str) -> list:
    return [w for w in result.warnings if fragment in w.message]


def test_the_sample_passes_preflight(sample_build: BuildResult) -> None:
    assert sample_build.warnings == ()
    assert sample_build.refused == ()


def test_bundled_fonts_cover_japanese_but_not_emoji() -> None:
    covered = bundled_coverage()
    for char in "あア漢髙﨑①㈱〜～―123ABC":
        assert ord(char) in covered, char
    for char in "🙂𠮷":
        assert ord(char) not in covered, char


def test_the_stored_coverage_is_what_the_fonts_have() -> None:
    stored = read_stored(FONTS_DIR)
    assert stored is not None, f"run `python -m report.render.checks.coverage`: {COVERAGE_NAME} is missing or stale"
    assert stored == read_fonts(FONTS_DIR), "run `python -m report.render.checks.coverage`: the fonts changed"


def test_a_stale_coverage_list_is_not_trusted(tmp_path: Path) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes((FONTS_DIR / "BIZUDPMincho-Regular.ttf").read_bytes())
    (tmp_path / COVERAGE_NAME).write_text(stored_text(tmp_path, frozenset({0x3042})), encoding="ascii")
    assert read_stored(tmp_path) == {0x3042}
    with font.open("ab") as stream:
        stream.write(b"\0")  # another font now: the list names the old size
    assert read_stored(tmp_path) is None
    assert 0x6F22 in bundled_coverage(tmp_path)


def test_characters_no_font_has_are_warned_with_their_cell(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "measures.csv", "受診率向上に取り組みます。", "受診率向上に取り組みます🙂。𠮷野家")
    replace_in(project / "koho.toml", 'issue = "令和6年3月号"', 'issue = "令和6年3月号🎉"')
    problems = missing_glyphs(load_project(project))
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("koho.toml", 11, "issue", "🎉(U+1F389)"),
        ("measures.csv", 4, "vision", "🙂(U+1F642)、𠮷(U+20BB7)"),
    ]
    assert all(p.severity == "warning" and "豆腐" in p.message for p in problems)


def test_tofu_is_a_warning_and_strict_makes_it_an_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "areas.csv", "コロナ対策,", "コロナ対策🦠,")
    result = koho("validate", str(project))
    assert result.exit_code == 0
    assert "注意: areas.csv 2行目 列「分野名」(title): 値「🦠(U+1F9A0)」: 同梱のフォントにない文字です" in result.stderr
    assert_clean_failure(koho("validate", str(project), "--strict"))
    out = tmp_path / "strict.pdf"
    strict = koho("build", str(project), "--strict", "-o", str(out))
    assert_clean_failure(strict)
    assert "入力データと仕上がりに1件の問題があります。(--strict" in strict.stderr
    assert not out.exists()


def test_text_that_overflows_its_column_is_located(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "measures.csv", "特定健診やがん検診の受診率向上に取り組みます。", f"特定健診の受診率向上 {LONG_URL}")
    replace_in(project / "metrics.csv", "令和5年度,22,保育所", "令和5年度,999999999999999." + "9" * 90 + ",保育所")  # under 1000兆, but too wide
    result = build(project, output=tmp_path / "out.pdf")
    found = {(w.file, w.row, w.column): w for w in warnings_of(result, "はみ出しています")}
    assert set(found) == {("measures.csv", 4, "vision"), ("metrics.csv", 2, "value")}, result.warnings
    vision = found["measures.csv", 4, "vision"]
    assert vision.value == "a" * 40 + "…"  # the line breaks after the slash; the a's do not fit
    assert vision.message.startswith("1ページ: 文字が枠からはみ出しています(")
    with pytest.raises(DataError, match="はみ出しています"):
        build(project, output=tmp_path / "strict.pdf", strict=True)
    assert not (tmp_path / "strict.pdf").exists()


def test_clipped_text_is_found_in_the_laid_out_boxes(tmp_path: Path) -> None:
    html = """<html><head><style>@page { size: A5; margin: 20mm }</style></head><body>
      <p>ふつうの段落です。</p>
      <div style="height: 12pt; overflow: hidden">一行目<br>二行目は枠の外で切れます</div>
      <div style="width: 30mm; white-space: nowrap">改行できない長い一行は幅を越えます</div>
    </body></html>"""
    document, _ = layout(html, tmp_path)
    found = {(p.value, p.message.split(":")[1].split("(")[0].strip()) for p in
             overflows(load_project(SAMPLE), document, "test.pdf")}
    assert found == {("二行目は枠の外で切れます", "文字が枠で切れて、一部が印刷されません"),
                     ("改行できない長い一行は幅を越えます", "文字が枠からはみ出しています")}


def test_a_measure_missing_from_the_pdf_is_warned(tmp_path: Path) -> None:
    """A project's stylesheet overrides koho's by name; one that hides a measure is caught."""
    project = copy_project(tmp_path)
    (project / "styles").mkdir()
    css = (STYLES_DIR / "newsletter.css").read_text(encoding="utf-8")
    (project / "styles" / "newsletter.css").write_text(css + "\n#measure-03-2 { display: none }\n", encoding="utf-8")
    result = build(project, output=tmp_path / "out.pdf")
    [missing] = warnings_of(result, "載っていません")
    assert (missing.file, missing.row, missing.column, missing.value) == ("measures.csv", 7, "vision", "03-2")
    assert "out.pdf" in missing.message
