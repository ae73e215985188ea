"""Pages laid out while the charts are drawn (report/render/typeset/late_charts.py): the PDF is the very
one a build with every chart at hand writes, and a chart whose drawn size differed from its frame
would make the pages laid out again."""

from __future__ import annotations

import re
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
    from report.compose.figures import SVG_DATA_URI, svg_bytes

    uris = re.findall(re.escape(SVG_DATA_URI) + r"[A-Za-z0-9+/=]+", html)
    svgs = [svg_bytes(uri).decode("utf-8") for uri in uris]
    assert any("<text" in svg for svg in svgs)  # the charts, drawn
    assert not [svg for svg in svgs if "<desc>" in svg], "the HTML carries the charts, never their frames (<desc>key)"


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


def _specs() -> list[ChartSpec]:
    return [ChartSpec(kind="bar", labels=("令和4年度", "令和5年度"), values=(float(n), float(n + 3)),
                      value_labels=(f"{n}件", f"{n + 3}件"), color="#005AFF") for n in range(1, 4)]


def test_a_prestarted_worker_draws_the_charts_and_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from report.assets import FONTS_DIR

    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "cache"))
    worker = charts.cache.Worker(FONTS_DIR, warm=True)
    monkeypatch.setattr(charts.cache, "_spare", worker)
    drawing = charts.cache.start_drawing(_specs(), FONTS_DIR, jobs=2, cold=True)
    assert drawing is not None and charts.cache._spare is None  # noqa: SLF001 - the spare was taken
    drawn = drawing.result()
    assert not worker.process.is_alive() and worker.process.exitcode == 0
    assert drawn == charts.cache.svgs(_specs(), FONTS_DIR)  # now from the cache: the same SVGs
    assert len(list((tmp_path / "cache" / "charts").glob("*.chart"))) == 3


def test_a_prestarted_worker_is_dismissed_when_the_cache_holds_every_chart(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from report.assets import FONTS_DIR

    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "cache"))
    charts.cache.svgs(_specs(), FONTS_DIR)
    worker = charts.cache.Worker(FONTS_DIR, warm=False)
    monkeypatch.setattr(charts.cache, "_spare", worker)
    assert charts.cache.start_drawing(_specs(), FONTS_DIR, jobs=2, cold=True) is None
    worker.process.join(timeout=30)
    assert worker.process.exitcode == 0 and charts.cache._spare is None  # noqa: SLF001


def test_charts_a_dead_worker_did_not_send_are_drawn_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from report.assets import FONTS_DIR

    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "cache"))
    worker = charts.cache.Worker(FONTS_DIR, warm=False)
    worker.process.kill()
    worker.process.join()
    drawn = charts.cache.Drawing({}, [(spec.key(), spec) for spec in _specs()], worker).result()
    assert [drawn[spec.key()] for spec in _specs()] == [
        charts.cache._draw(spec, FONTS_DIR).decode("utf-8") for spec in _specs()]  # noqa: SLF001


def test_an_error_drawing_a_chart_in_the_worker_is_raised_here(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from report.assets import FONTS_DIR

    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "cache"))

    def broken(spec: ChartSpec, font_dir: Path) -> bytes:
        raise ValueError(f"cannot draw {spec.values}")

    monkeypatch.setattr(charts.cache, "_draw", broken)  # the forked worker has it too
    drawing = charts.cache.Drawing({}, [(spec.key(), spec) for spec in _specs()],
                                   charts.cache.Worker(FONTS_DIR, warm=False))
    with pytest.raises(ValueError, match="cannot draw"):
        drawing.result()
    assert not list((tmp_path / "cache").rglob("*.chart"))


def test_koho_build_with_an_empty_cache_writes_what_a_full_cache_gives(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    koho = str(Path(sys.executable).parent / "koho")
    env = {**os.environ, "KOHO_CACHE_DIR": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1700000000"}
    for name in ("empty", "full"):
        done = subprocess.run([koho, "build", str(SAMPLE), "--kind", "archive", "-o", str(tmp_path / f"{name}.pdf")],
                              env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        if name == "empty":
            entries = len(list((tmp_path / "cache" / "charts").glob("*.chart")))
    assert entries > 0  # the archive's charts, drawn by the worker koho build started first
    assert (tmp_path / "empty.pdf").read_bytes() == (tmp_path / "full.pdf").read_bytes()


def test_without_fork_the_charts_are_drawn_before_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from report.assets import FONTS_DIR

    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(charts.cache, "CAN_FORK", False)  # as on Windows
    charts.cache.prestart(FONTS_DIR)
    assert charts.cache._spare is None  # noqa: SLF001
    assert charts.cache.start_drawing(_specs(), FONTS_DIR, jobs=2, cold=True) is None
    assert len(charts.cache.svgs(_specs(), FONTS_DIR, jobs=2)) == 3


def test_a_worker_forked_during_a_build_collects_its_own_cycles(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from report.assets import FONTS_DIR
    from report.commands.collection import collector_paused

    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(charts.cache, "_draw", lambda spec, font_dir: b"on" if gc.isenabled() else b"off")
    with collector_paused():  # as build() forks it
        drawn = charts.cache.Drawing({}, [(s.key(), s) for s in _specs()],
                                     charts.cache.Worker(FONTS_DIR, warm=False)).result()
    assert set(drawn.values()) == {"on"}


def test_a_worker_that_hangs_is_ended_and_its_charts_drawn_here(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import signal

    from report.assets import FONTS_DIR

    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(charts.cache, "DEADLINE_SECONDS", 1.0)
    monkeypatch.setattr(charts.cache, "DEADLINE_PER_CHART", 0.0)
    worker = charts.cache.Worker(FONTS_DIR, warm=False)
    os.kill(worker.process.pid, signal.SIGSTOP)  # hung before it drew anything
    drawn = charts.cache.Drawing({}, [(s.key(), s) for s in _specs()], worker).result()
    assert not worker.process.is_alive()
    assert [drawn[s.key()] for s in _specs()] == [
        charts.cache._draw(s, FONTS_DIR).decode("utf-8") for s in _specs()]  # noqa: SLF001
