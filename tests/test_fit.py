"""Copy-fitting with fewer layouts: the bounds of report/flow.py, the line height tried first by a
warm process, and results identical to the plain copy-fit."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from report import build as build_module
from report import fit as fit_module
from report.build import build
from report.fit import TIGHTER_LINE_HEIGHT, fit_to_spreads, stylesheet_line_height
from report.flow import Flow, cannot_lose_a_page, measure
from report.pdf import layout

from .conftest import SAMPLE, copy_project
from .projects import make_project


def fake(pages_by_line_height: dict[str | None, int]):  # noqa: ANN201 - render and lay_out stand-ins
    laid_out: list[str] = []

    def render(line_height: str | None) -> str:
        return f"<html>{line_height}</html>"

    def lay_out(html: str) -> SimpleNamespace:
        laid_out.append(html)
        line_height = html[6:-7]
        return SimpleNamespace(pages=[None] * pages_by_line_height[None if line_height == "None" else line_height])

    return render, lay_out, laid_out


def test_the_tighter_step_is_taken_when_it_closes_the_spread() -> None:
    render, lay_out, laid_out = fake({None: 3, TIGHTER_LINE_HEIGHT: 2})
    fit = fit_to_spreads(render, lay_out, first_page=2)
    assert fit.line_height == TIGHTER_LINE_HEIGHT and not fit.provisional and len(laid_out) == 2


def test_the_line_height_that_fitted_last_time_is_shown_first_then_checked() -> None:
    render, lay_out, laid_out = fake({None: 3, TIGHTER_LINE_HEIGHT: 2})
    shown = []
    fit = fit_to_spreads(render, lay_out, first_page=2, first=TIGHTER_LINE_HEIGHT, provisional=shown.append)
    assert [(f.line_height, f.provisional) for f in shown] == [(TIGHTER_LINE_HEIGHT, True)]
    assert fit.line_height == TIGHTER_LINE_HEIGHT and len(laid_out) == 2  # the tighter one not laid out again
    assert laid_out[0] == f"<html>{TIGHTER_LINE_HEIGHT}</html>"


def test_a_wrong_guess_is_corrected_by_the_exact_fit() -> None:
    render, lay_out, laid_out = fake({None: 2, TIGHTER_LINE_HEIGHT: 2})  # the data now fit at 1.5
    shown = []
    fit = fit_to_spreads(render, lay_out, first_page=2, first=TIGHTER_LINE_HEIGHT, provisional=shown.append)
    assert shown[0].line_height == TIGHTER_LINE_HEIGHT and fit.line_height is None


def test_without_a_caller_to_show_it_the_guess_comes_back_marked_provisional() -> None:
    render, lay_out, laid_out = fake({None: 3, TIGHTER_LINE_HEIGHT: 2})
    fit = fit_to_spreads(render, lay_out, first_page=2, first=TIGHTER_LINE_HEIGHT)
    assert fit.provisional and len(laid_out) == 1


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
    monkeypatch.setattr(build_module, "layout", lambda html, root: laid_out.append(html) or layout(html, root))
    fitted = build(project, output=tmp_path / "fitted.pdf")
    assert len(laid_out) == 1 and fitted.line_height is None and fitted.pages == 3
    monkeypatch.setattr(fit_module, "cannot_lose_a_page", lambda flow, tighter: False)  # as before: try it
    tried = build(project, output=tmp_path / "tried.pdf")
    assert len(laid_out) == 3 and (tried.line_height, tried.pages) == (None, 3)


def test_a_document_without_columns_has_no_flow(tmp_path: Path) -> None:
    document, _ = layout("<p>一段落だけ</p>", tmp_path)
    assert measure(document, 1.5) is None


@pytest.fixture(scope="module")
def sample_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("fit")
    return build(SAMPLE, output=out / "s.pdf", html_output=out / "s.html").html.read_text(encoding="utf-8")


def test_the_sample_flow_is_measured_from_its_columns(sample_html: str) -> None:
    document, _ = layout(sample_html, SAMPLE.resolve())
    measured = measure(document, float(TIGHTER_LINE_HEIGHT))
    assert measured is not None and measured.pages == len(document.pages) == 2
    assert all(0 < used <= room for used, room in zip(measured.used, measured.capacity))
    assert measured.line_sizes > 1000  # every line box's font size, in px
    assert stylesheet_line_height(sample_html) == float(TIGHTER_LINE_HEIGHT)  # the copy-fitted override


def test_the_guess_gives_the_same_pdf_as_a_cold_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1710000000")
    project = copy_project(tmp_path)
    cold = build(project, output=tmp_path / "cold.pdf")
    shown = []
    warm = build(project, output=tmp_path / "warm.pdf", fit_first=cold.line_height, provisional=shown.append)
    assert cold.line_height == TIGHTER_LINE_HEIGHT
    assert [r.provisional for r in shown] == [True] and not warm.provisional
    assert warm.sha256 == shown[0].sha256 == cold.sha256
