"""Pages laid out while the charts are drawn (report/render/late_charts.py): the PDF is the very
one a build with every chart at hand writes, and a chart whose drawn size differed from its frame
would make the pages laid out again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

import charts.cache
from charts.spec import ChartSpec
from report.commands import build as build_module
from report.commands.build import build

SAMPLE = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(charts.cache, "PARALLEL_MIN", 1)  # draw in workers even with matplotlib warm here
    copy = tmp_path / "project"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("build"))
    return copy


def _build(project: Path, cache: Path, output: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setenv("KOHO_CACHE_DIR", str(cache))
    build(project, output=output, html_output=output.with_suffix(".html"))
    return output.read_bytes()


def _count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = build_module.layout

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "layout", counted)
    return calls


def test_charts_drawn_during_layout_give_the_same_pdf(project: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = []
    real_result = charts.cache.Drawing.result
    monkeypatch.setattr(charts.cache.Drawing, "result", lambda self: drawn.append(1) or real_result(self))
    late = _build(project, tmp_path / "empty-cache", tmp_path / "late.pdf", monkeypatch)
    assert drawn, "the charts were drawn in workers while the pages were laid out"
    at_hand = _build(project, tmp_path / "empty-cache", tmp_path / "at-hand.pdf", monkeypatch)  # now cached
    assert late == at_hand
    with pdfplumber.open(tmp_path / "late.pdf") as pdf:
        words = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "令和5年度" in words and "89.4%" in words  # the charts' own labels are on the pages
    html = (tmp_path / "late.html").read_text(encoding="utf-8")
    assert "<desc>" not in html, "the HTML carries the charts, never their frames"


def test_a_chart_drawn_at_another_size_than_its_frame_lays_the_pages_out_again(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _build(project, tmp_path / "cache-a", tmp_path / "expected.pdf", monkeypatch)
    real_frame = ChartSpec.frame_svg
    monkeypatch.setattr(ChartSpec, "frame_svg",
                        lambda self: real_frame(self).replace('viewBox="0 0 ', 'viewBox="0 0 1'))
    layouts = _count_layouts(monkeypatch)
    again = _build(project, tmp_path / "cache-b", tmp_path / "again.pdf", monkeypatch)
    assert again == expected
    calls = len(layouts)
    layouts.clear()
    _build(project, tmp_path / "cache-b", tmp_path / "cached.pdf", monkeypatch)  # every chart at hand
    assert calls == len(layouts) + 1, "one more layout, with the drawn charts"
