"""The newsletter's sizes follow variables.css: one line changes the body size, and the grid,
margins and charts follow it."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from charts import ChartSpec
from charts.style import GREY, INK, RULE
from report.assets import STYLES_DIR
from report.commands.build import build
from report.problems import DataError
from report.render.html.sizes import grid_from, variables

from .composition import glyph_span
from .conftest import copy_project

KOHO_VARIABLES = (STYLES_DIR / "variables.css").read_text(encoding="utf-8")
PT_PER_MM = 72 / 25.4


def _grid(*overrides: str):  # noqa: ANN202 - report.render.html.sizes.Grid
    return grid_from([("variables.css", KOHO_VARIABLES),
                      *((f"styles/variables.css", f":root {{ {line} }}") for line in overrides)])


def test_koho_s_grid_is_two_columns_of_25em_at_10pt() -> None:
    grid = _grid()
    assert (grid.body_pt, grid.column_em, grid.text_width_pt) == (10.0, 25, 520.0)
    assert grid.chart_width_mm == ChartSpec("bar", (), (), (), "").width_mm == 76.0


@pytest.mark.parametrize(("body", "column_em"), [("9pt", 27), ("10.5pt", 23), ("12pt", 20), ("16Q", 21)])
def test_columns_are_the_most_whole_ems_that_fit(body: str, column_em: int) -> None:
    grid = _grid(f"--body-size: {body};")
    assert grid.column_em == column_em
    assert grid.text_width_pt <= (210 - 15 - 11.5) * PT_PER_MM
    assert grid.text_width_pt + grid.body_pt * 2 > (210 - 15 - 11.5) * PT_PER_MM  # one more em each would not fit


def test_a_variable_it_cannot_read_names_the_file_and_the_variable() -> None:
    with pytest.raises(DataError) as error:
        _grid("--body-size: large;")
    [problem] = error.value.problems
    assert (problem.file, problem.column, problem.value) == ("styles/variables.css", "--body-size", "large")
    with pytest.raises(DataError, match="狭すぎます"):
        _grid("--body-size: 30pt;")


def test_the_charts_greys_are_the_documents() -> None:
    declared = variables(KOHO_VARIABLES)
    assert (declared["--ink"], declared["--grey"], declared["--rule"]) == (INK, GREY, RULE)


@pytest.fixture(scope="module")
def sized_builds(tmp_path_factory: pytest.TempPathFactory) -> dict:
    builds = {}
    for body in ("9pt", "10.5pt", "12pt"):
        folder = tmp_path_factory.mktemp(f"body-{body}")
        project = copy_project(folder)
        (project / "styles").mkdir()
        (project / "styles" / "variables.css").write_text(f":root {{ --body-size: {body}; }}\n", encoding="utf-8")
        builds[body] = build(project, output=folder / "out.pdf")
    return builds


@pytest.mark.parametrize("body", ["9pt", "10.5pt", "12pt"])
def test_a_project_s_body_size_is_used_and_fits_the_page(sized_builds: dict, body: str) -> None:
    result = sized_builds[body]
    assert result.warnings == (), [str(w) for w in result.warnings]
    grid = _grid(f"--body-size: {body};")
    with pdfplumber.open(result.pdf) as pdf:
        sizes = [round(c["size"], 2) for page in pdf.pages for c in page.chars]
        assert max(set(sizes), key=sizes.count) == grid.body_pt  # the body is most of the text
        for number, page in enumerate(pdf.pages, start=2):
            inner = 15 * PT_PER_MM
            left, right = (page.width - inner - grid.text_width_pt, page.width - inner) if number % 2 == 0 else (
                inner, inner + grid.text_width_pt)
            body_chars = [c for c in page.chars if 20 * PT_PER_MM < c["top"] < page.height - 20 * PT_PER_MM]
            glyphs = [glyph_span(c) for c in body_chars]  # a bracket's blank may hang past the edge
            assert min(start for start, _ in glyphs) >= left - 0.5, (number, body)
            assert max(end for _, end in glyphs) <= right + 0.5, (number, body)
