"""Limits are checked before layout, in `koho validate` too: the QR code's capacity, the ICC profile,
and output paths (one file per output, regular files only, koho.toml's outputs inside the project)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from .conftest import copy_project, with_profile
from .icc import cmyk_profile
from .test_errors import assert_clean_failure, koho, replace_in, toml_line


@pytest.mark.parametrize("length", [300, 1500, 3000])
def test_a_url_too_long_for_the_qr_code_is_refused_by_validate(tmp_path: Path, length: int,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import report.commands.build

    def no_layout(*args: object) -> None:
        raise AssertionError("laid out a document whose URL does not fit its QR code")

    monkeypatch.setattr(report.commands.build, "layout", no_layout)
    project = copy_project(tmp_path)
    url = "https://www.city.example.jp/" + "a" * (length - 28)
    text = (project / "koho.toml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("url ="))
    replace_in(project / "koho.toml", line, f'url = "{url}"')
    for command in ("validate", "build"):
        result = koho(command, str(project), *(["-o", str(tmp_path / "x.pdf")] if command == "build" else []))
        assert_clean_failure(result)
        assert f"koho.toml {toml_line('url')}行目 設定 url" in result.stderr
        assert f"URLが長すぎて2次元コード(QR)が読み取れない細かさになります({length}文字" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("data, message", [
    (b"This is a text file, not a profile.\n" * 10, "ICCプロファイルではありません"),
    (cmyk_profile()[:16] + b"RGB " + cmyk_profile()[20:], "CMYKのプロファイルではありません(色空間: RGB)"),
    (cmyk_profile()[:12] + b"mntr" + cmyk_profile()[16:], "出力(印刷)用のプロファイルではありません"),
    (cmyk_profile()[:200], "途中で切れています"),
])
def test_a_file_that_is_not_a_cmyk_output_profile_is_refused(tmp_path: Path, data: bytes, message: str) -> None:
    project = copy_project(tmp_path)
    with_profile(project, data)
    result = koho("validate", str(project))
    assert_clean_failure(result)
    assert "koho.toml 設定 print.icc_profile: 値「printer.icc」" in result.stderr and message in result.stderr
    build = koho("build", str(project), "--print", "-o", str(tmp_path / "x.pdf"))
    assert_clean_failure(build)
    assert not (tmp_path / "x.pdf").exists()


def test_a_real_profile_passes(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with_profile(project, cmyk_profile())
    assert koho("validate", str(project)).exit_code == 0


def test_pdf_and_html_on_one_path_are_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    target = tmp_path / "same.out"
    result = koho("build", str(project), "-o", str(target), "--html", str(target))
    assert_clean_failure(result)
    assert "2つの出力先が同じファイルです" in result.stderr
    assert not target.exists()


def test_an_output_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    for target, what in ((fifo, "FIFO"), (Path("/dev/full"), "デバイス")):
        result = koho("build", str(project), "-o", str(target))
        assert_clean_failure(result)
        assert what in result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    (project / "build" / "x.pdf").mkdir(parents=True)
    replace_in(project / "koho.toml", "first_page = 2", 'first_page = 2\n[build]\noutput = "build/x.pdf"')
    result = koho("build", str(project))
    assert_clean_failure(result)
    assert "出力先がフォルダです" in result.stderr
    assert (project / "build" / "x.pdf").is_dir()


def test_an_output_under_a_regular_file_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (tmp_path / "file").write_text("x")
    result = koho("build", str(project), "-o", str(tmp_path / "file" / "sub" / "x.pdf"))
    assert_clean_failure(result)
    assert "フォルダではなくファイルです" in result.stderr


def test_a_configured_output_through_a_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "build").symlink_to(outside, target_is_directory=True)
    replace_in(project / "koho.toml", "first_page = 2", 'first_page = 2\n[build]\noutput = "build/x.pdf"')
    for command in ("validate", "build"):
        result = koho(command, str(project))
        assert_clean_failure(result)
        assert "koho.toml 設定 build: 値「build/x.pdf」" in result.stderr and "プロジェクトのフォルダの外" in result.stderr
    assert list(outside.iterdir()) == []


def test_the_default_output_through_a_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "build").symlink_to(outside, target_is_directory=True)
    result = koho("build", str(project))
    assert_clean_failure(result)
    assert "プロジェクトのフォルダの外" in result.stderr and "build/newsletter.pdf" in result.stderr
    assert list(outside.iterdir()) == []
