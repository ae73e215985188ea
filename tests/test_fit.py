"""Copy-fitting with fewer layouts: the bounds of report/render/typeset/flow.py, the line height tried first by a
warm process, and results identical to the plain copy-fit."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from report.commands import build as build_module
from report.render.typeset import fit as fit_module
from report.commands.build import BuildResult, build
from report.render.typeset.closing import BOX_STARTS_COLUMN_CSS, CARRY_LAST_MEASURE_CSS, SPAN_CLOSING_CSS
from report.render.typeset.fit import fit_to_spreads
from report.render.typeset.flow import Flow, cannot_lose_a_page, measure
from report.render.pdf.pdf import layout

from .conftest import SAMPLE, copy_project
from .projects import make_project

TIGHTER = 1.45  # one step under koho's 1.5


def fake(pages_by_line_height: dict[float | None, int]):  # noqa: ANN201 - a lay_out stand-in
    laid_out: list[float | None] = []

    def lay_out(line_height: float | None) -> SimpleNamespace:
        laid_out.append(line_height)
        return SimpleNamespace(pages=[None] * pages_by_line_height[line_height])

    return lay_out, laid_out


def test_the_tighter_step_is_taken_when_it_closes_the_spread() -> None:
    lay_out, laid_out = fake({None: 3, TIGHTER: 2})
    line_height, _ = fit_to_spreads(lay_out, 2, 1.5)
    assert line_height == TIGHTER and laid_out == [None, TIGHTER]


def test_the_line_height_that_fitted_last_time_is_shown_first_then_checked() -> None:
    lay_out, laid_out = fake({None: 3, TIGHTER: 2})
    shown = []
    line_height, _ = fit_to_spreads(lay_out, 2, 1.5, first=TIGHTER, provisional=shown.append)
    assert [height for height, _ in shown] == [TIGHTER]
    assert line_height == TIGHTER and laid_out == [TIGHTER, None]  # the tighter one not laid out again


def test_a_wrong_guess_is_corrected_by_the_exact_fit() -> None:
    lay_out, laid_out = fake({None: 2, TIGHTER: 2})  # the data now fit at 1.5
    shown = []
    line_height, _ = fit_to_spreads(lay_out, 2, 1.5, first=TIGHTER, provisional=shown.append)
    assert shown[0][0] == TIGHTER and line_height is None


def test_without_a_caller_to_show_it_the_guess_comes_back_at_once() -> None:
    lay_out, laid_out = fake({None: 3, TIGHTER: 2})
    assert fit_to_spreads(lay_out, 2, 1.5, first=TIGHTER)[0] == TIGHTER and laid_out == [TIGHTER]


def flow(used: tuple[float, ...], capacity: tuple[float, ...], lines: float) -> Flow:
    return Flow(1.5, used, capacity, lines)


def test_the_bound_skips_the_tighter_layout_only_when_it_cannot_help() -> None:
    # A third page nearly full: tighter lines (at most 0.05 × 2000 px of font sizes = 100 px)
    # and the 50 px left on pages 1-2 cannot take its 900 px; its 120 px they might.
    assert cannot_lose_a_page(flow((1000, 950, 900), (1000, 1000, 1000), 2000), 1.45)
    assert not cannot_lose_a_page(flow((1000, 950, 120), (1000, 1000, 1000), 2000), 1.45)


def test_a_spread_the_tighter_step_cannot_close_is_laid_out_once(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "p", areas=4, measures_per_area=4)  # a third page well filled
    laid_out = []
    monkeypatch.setattr(build_module, "layout",
                        lambda html, root, css, cmyk, **kw: laid_out.append(css) or layout(html, root, css, cmyk, **kw))

    def fitting() -> list[str]:  # the layouts copy-fitting made (not those repairing breaks or ending the page)
        ending = (BOX_STARTS_COLUMN_CSS, SPAN_CLOSING_CSS, CARRY_LAST_MEASURE_CSS, ".measure[id=")
        return [css for css in laid_out if not any(rule in css for rule in ending)]

    fitted = build(project, output=tmp_path / "fitted.pdf")
    assert len(fitting()) == 1 and fitted.line_height is None and fitted.pages == 3
    assert len(laid_out) <= 3  # and at most one to repair breaks, one to end the last page (closing.py)
    monkeypatch.setattr(fit_module, "cannot_lose_a_page", lambda flow, tighter: False)  # as before: try it
    laid_out.clear()
    tried = build(project, output=tmp_path / "tried.pdf")
    assert len(fitting()) == 2 and (tried.line_height, tried.pages) == (None, 3)


def test_a_document_without_columns_has_no_flow(tmp_path: Path) -> None:
    document, _ = layout("<p>一段落だけ</p>", tmp_path)
    assert measure(document, 1.5) is None


def test_the_sample_flow_is_measured_from_its_columns(sample_build: BuildResult) -> None:
    result = sample_build
    document, _ = layout(result.html.read_text(encoding="utf-8"), SAMPLE.resolve())  # its CSS inlined
    measured = measure(document, result.line_height)
    assert measured is not None and measured.pages == len(document.pages) == result.pages == 2
    assert all(0 < used <= room for used, room in zip(measured.used, measured.capacity))
    assert measured.line_sizes > 1000  # every line box's font size, in px


def test_the_guess_gives_the_same_pdf_as_a_cold_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1710000000")
    project = copy_project(tmp_path)
    cold = build(project, output=tmp_path / "cold.pdf")
    shown = []
    warm = build(project, output=tmp_path / "warm.pdf", fit_first=cold.line_height, provisional=shown.append)
    assert cold.line_height == TIGHTER
    assert [r.provisional for r in shown] == [True] and not warm.provisional
    assert warm.sha256 == shown[0].sha256 == cold.sha256
