"""The newsletter's make-up chosen among candidates (issue 23 item 1, report/render/typeset/candidates.py),
measured on the PDFs: kpi-city's last page, which left 8 lines empty above its closing box, and the
sample, which ends well and must be laid out exactly as without candidates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from report.commands.build import BuildResult, Typesetter, build
from report.render.typeset import candidates
from report.render.typeset.candidates import Score
from report.render.typeset.fit import SHORT_BY_LINES
from tests.conftest import ROOT, SAMPLE
from tests.makeup import BODY_SIZE, empty_above_box, read_pages

KPI = ROOT / "examples" / "kpi-city"
PITCH = BODY_SIZE * 1.5  # kpi-city and the check below are laid out at the stylesheet's line height


def _built(project: Path, output: Path, with_candidates: bool, **options: object) -> tuple[BuildResult, int]:
    """The build, and how many times it laid the document out."""
    calls = []
    with pytest.MonkeyPatch.context() as patch:
        if not with_candidates:
            patch.setattr(candidates, "MOST_CANDIDATES", 0)
        lay_out = Typesetter.lay_out
        patch.setattr(Typesetter, "lay_out", lambda self, css: calls.append(css) or lay_out(self, css))
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return build(project, output=output, **options), len(calls)


@pytest.fixture(scope="module")
def kpi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """kpi-city without candidates, and with them as the preview builds it (the first layout shown)."""
    out = tmp_path_factory.mktemp("kpi")
    shown: list[BuildResult] = []
    without, _ = _built(KPI, out / "off" / "kpi.pdf", with_candidates=False)
    chosen, _ = _built(KPI, out / "on" / "kpi.pdf", with_candidates=True, provisional=shown.append)
    yield {"without": without, "chosen": chosen, "shown": shown}


def _empty_lines(pdf: Path) -> float:
    """The lines left empty on the last page: above the closing box, and under the first column."""
    [page] = read_pages(pdf)[-1:]
    return (empty_above_box(pdf) + page.short()[0]) / PITCH


def test_kpi_city_ends_nearer_the_foot(kpi: dict) -> None:
    """Without candidates the page leaves about 8 lines empty (and says so); the chosen layout, its bar
    charts drawn taller, ends within two lines of the foot a column, and says nothing."""
    without, chosen = kpi["without"], kpi["chosen"]
    before, after = _empty_lines(without.pdf), _empty_lines(chosen.pdf)
    assert before >= 6
    assert after < before - 3
    assert after <= 2 * SHORT_BY_LINES + 0.5
    assert without.advice and not chosen.advice
    assert chosen.pages == without.pages


def test_the_advice_counts_the_lines_of_the_layout_printed(kpi: dict) -> None:
    """The お知らせ of the layout without candidates tells the lines its PDF leaves empty."""
    said = int(re.search(r"約(\d+)行", kpi["without"].advice[0].message).group(1))
    assert abs(said - _empty_lines(kpi["without"].pdf)) <= 1.5


def test_the_preview_shows_the_first_layout_then_the_chosen(kpi: dict) -> None:
    """koho serve shows the first layout (with its お知らせ) before the candidates are laid out, then
    the chosen one replaces it."""
    [first] = kpi["shown"]
    assert first.provisional and first.advice
    assert not kpi["chosen"].provisional
    assert first.sha256 != kpi["chosen"].sha256
    assert first.sha256 == kpi["without"].sha256  # the first layout is the one without candidates


def test_a_sample_that_ends_well_is_laid_out_as_without_candidates(tmp_path: Path) -> None:
    """The sample ends at the foot of its right-hand page: nothing more is laid out, the same bytes."""
    on, layouts_on = _built(SAMPLE, tmp_path / "on" / "sample.pdf", with_candidates=True)
    off, layouts_off = _built(SAMPLE, tmp_path / "off" / "sample.pdf", with_candidates=False)
    assert layouts_on == layouts_off
    assert on.pdf.read_bytes() == off.pdf.read_bytes()


def test_the_score_ranks_as_a_designer_does() -> None:
    """Ending at the foot of a right-hand page first, then fewer pages, fewer empty lines, fewer moves."""
    at_foot = Score(misses_foot=False, pages=4, empty=2, moves=12)
    assert at_foot < Score(misses_foot=True, pages=3, empty=0, moves=0)
    assert Score(True, 3, 30, 5) < Score(True, 4, 0, 0)
    assert Score(True, 3, 4, 5) < Score(True, 3, 8, 0)
    assert Score(False, 1, 2, 3) < Score(False, 1, 2, 4)
    ranked = sorted([Score(True, 1, 8, 0), Score(False, 1, 2, 3), Score(True, 1, 5, 3)])
    assert ranked[0] == Score(False, 1, 2, 3) and ranked[-1] == Score(True, 1, 8, 0)
