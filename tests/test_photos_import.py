"""The import reads a city's photo columns (issue 27): 写真 / 画像 / 写真ファイル, 写真説明 /
キャプション, 代替テキスト and 撮影 / 提供 become the measures table's photo columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.ingest.sheets.lexicon import meaning_of
from report.ingest.sheets.model import Meaning
from report.load.validate import load_project

from .camera_photos import camera_jpeg
from .ingest_grids import workbook_bytes
from .test_errors import koho

HEADER = ["分野", "施策", "ビジョン内容", "取組内容", "指標名", "単位", "令和5年度 実績", "写真ファイル", "キャプション",
          "代替テキスト", "撮影"]
ROWS = [HEADER,
        ["1 子育て", "1-1 保育の充実", "待機児童ゼロ", "保育所の新設", "待機児童数", "人", 3, "photos/hoikuen.jpg",
         "新しい保育園の開園式", "保育園の園舎の前でテープカットをする市長と園児たち", "広報課"],
        ["2 産業", "2-1 特産品", "特産品のブランド化", "コンクールの開催", "出品数", "件", 42, None, None, None, None]]


@pytest.mark.parametrize(("header", "meaning"), [
    ("写真", Meaning.PHOTO), ("画像", Meaning.PHOTO), ("写真ファイル", Meaning.PHOTO), ("写真(JPEG)", Meaning.PHOTO),
    ("写真説明", Meaning.PHOTO_CAPTION), ("キャプション", Meaning.PHOTO_CAPTION),
    ("代替テキスト", Meaning.PHOTO_ALT), ("撮影", Meaning.PHOTO_CREDIT), ("提供", Meaning.PHOTO_CREDIT),
    ("撮影・提供", Meaning.PHOTO_CREDIT), ("写真提供", Meaning.PHOTO_CREDIT), ("撮影者", Meaning.PHOTO_CREDIT),
])
def test_photo_headers_have_their_meaning(header: str, meaning: Meaning) -> None:
    assert meaning_of(header) is meaning


@pytest.mark.parametrize("header", ["撮影回数", "提供件数", "写真展の開催数", "画像診断の受診率", "説明会の開催回数"])
def test_indicator_names_with_those_words_are_not_photo_columns(header: str) -> None:
    assert meaning_of(header) not in (Meaning.PHOTO, Meaning.PHOTO_CAPTION, Meaning.PHOTO_ALT, Meaning.PHOTO_CREDIT)


def test_a_citys_photo_columns_are_imported(tmp_path: Path) -> None:
    source = tmp_path / "city.xlsx"
    source.write_bytes(workbook_bytes({"施策一覧": ROWS}))
    project = tmp_path / "project"
    result = koho("import", str(source), "-o", str(project))
    assert result.exit_code == 0, result.output
    for letter, label in (("H", "写真"), ("I", "写真説明"), ("J", "代替テキスト"), ("K", "撮影・提供")):
        assert f"列{letter}「{ROWS[0][ord(letter) - ord('A')]}」→ {label}" in result.output
    (project / "photos").mkdir()
    (project / "photos" / "hoikuen.jpg").write_bytes(camera_jpeg(1, (600, 400)))
    measures = {measure.id: measure for measure in load_project(project).measures}
    photo = measures["1-1"].photo
    assert photo is not None and photo.path == (project / "photos" / "hoikuen.jpg").resolve()
    assert (photo.caption, photo.alt, photo.credit) == ("新しい保育園の開園式", "保育園の園舎の前でテープカットをする市長と園児たち",
                                                        "広報課")
    assert measures["2-1"].photo is None


def test_an_imported_photo_that_is_missing_is_named_at_its_cell(tmp_path: Path) -> None:
    source = tmp_path / "city.xlsx"
    source.write_bytes(workbook_bytes({"施策一覧": ROWS}))
    project = tmp_path / "project"
    assert koho("import", str(source), "-o", str(project)).exit_code == 0
    result = koho("validate", str(project))
    assert result.exit_code == 1
    assert "hoikuen.jpg" in result.output and "H2" in result.output, result.output


def test_an_empty_alt_text_cell_of_an_imported_photo_is_named_itself(tmp_path: Path) -> None:
    """The warning for a photo without 代替テキスト names the empty cell (J2), not the row's first."""
    rows = [list(row) for row in ROWS]
    rows[1][9] = None  # 代替テキスト left empty
    source = tmp_path / "city.xlsx"
    source.write_bytes(workbook_bytes({"施策一覧": rows}))
    project = tmp_path / "project"
    assert koho("import", str(source), "-o", str(project)).exit_code == 0
    (project / "photos").mkdir()
    (project / "photos" / "hoikuen.jpg").write_bytes(camera_jpeg(1, (600, 400)))
    result = koho("validate", str(project))
    warning = next(line for line in result.output.splitlines() if "代替テキストがありません" in line)
    assert "セルJ2" in warning, warning
