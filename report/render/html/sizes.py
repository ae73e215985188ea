"""The newsletter's grid, worked out from variables.css: the one Python source of its sizes.

The body size (`--body-size`), the column gap in ems (`--column-gap`), the binding margin
(`--inner-margin`), the narrowest outer margin (`--outer-margin-min`) and the paper width
(`--paper-width`) are read from the project's variables.css (or koho's). Columns are the largest
whole number of ems that fits, so Japanese lines fill them evenly; CSS derives every width and
margin from that count with calc(), and the charts are drawn at the width their column leaves.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from report.problems import DataError, Problem

PT_PER = {"pt": 1.0, "px": 0.75, "mm": 72 / 25.4, "cm": 720 / 25.4, "q": 18 / 25.4, "in": 72.0, "pc": 12.0}
MM_PER_PT = 25.4 / 72
COLUMNS = 2  # the newsletter's feature runs in two columns
FIGURE_INSET_EM = 1  # a figure box is indented 1em (newsletter.css .figures)
FIGURE_INSET_MM = 5.0  # and has 2mm padding each side and a 1mm rule (newsletter.css .figures)
CHART_AIR_EM = 1  # room left beside the chart, so max-width never has to shrink it
_VARIABLE_RE = re.compile(r"(--[\w-]+)\s*:\s*([^;}]+?)\s*(?:!important\s*)?[;}]")
_LENGTH_RE = re.compile(r"^(-?\d+(?:\.\d+)?)\s*([a-zA-Z]+)$")
REQUIRED = ("--body-size", "--line-height", "--column-gap", "--paper-width", "--inner-margin", "--outer-margin-min")
MIN_COLUMN_EM = 10  # narrower columns would not be a newsletter any more
# A chart taller than this is printed in parts (report/compose/figures.py split_figure), each with
# its own key: well within a page of any kind (an A4 newsletter column is 263mm), and a part that
# does not fit at the foot of a column leaves it less than half empty. Chart text keeps its size.
CHART_MAX_HEIGHT_MM = 120.0
# The heights a bar chart over years (charts/spec.py BAR_HEIGHT_MM: 26mm) may be drawn at when the
# newsletter's make-up chooses another (report/render/typeset/candidates.py): from where its value
# labels still clear the bars to about half its width.
BAR_HEIGHT_RANGE_MM = (22.0, 36.0)


def variables(css: str) -> dict[str, str]:
    """Custom properties declared in a stylesheet (comments removed), the last declaration winning."""
    text = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return {name: value.strip() for name, value in _VARIABLE_RE.findall(text)}


def length_pt(value: str, em_pt: float | None = None) -> float:
    """A CSS length (10pt, 15mm, 2em) in points; ValueError if it is not one."""
    match = _LENGTH_RE.match(value.strip())
    if not match:
        raise ValueError(value)
    number, unit = float(match.group(1)), match.group(2).lower()
    if unit == "em" and em_pt is not None:
        return number * em_pt
    if unit not in PT_PER:
        raise ValueError(value)
    return number * PT_PER[unit]


@dataclass(frozen=True)
class Grid:
    """The newsletter's type area: columns of whole ems of the body size."""

    body_pt: float
    line_height: float
    column_em: int
    gap_em: float

    @property
    def column_pt(self) -> float:
        return self.column_em * self.body_pt

    @property
    def text_width_pt(self) -> float:
        return (COLUMNS * self.column_em + self.gap_em) * self.body_pt

    @property
    def chart_width_mm(self) -> float:
        """Charts are drawn at the width they print at (their text at its real size), in whole mm."""
        free_pt = (self.column_em - FIGURE_INSET_EM - CHART_AIR_EM) * self.body_pt
        return float(math.floor(free_pt * MM_PER_PT - FIGURE_INSET_MM))

    def css(self) -> str:
        """The one number CSS cannot work out itself (a whole count of ems); the rest is calc()."""
        return f":root {{ --column-em: {self.column_em} !important; }}"


def grid_from(sheets: list[tuple[str, str]]) -> Grid:
    """The grid that variables stylesheets make, each (name, css) overriding the ones before it;
    DataError naming the file and the variable it cannot use."""
    found: dict[str, tuple[str, str]] = {}
    for source, css in sheets:
        found.update({name: (value, source) for name, value in variables(css).items()})
    values = {name: found[name][0] for name in found}
    name = REQUIRED[0]
    try:
        body = length_pt(values[name])
        name = "--line-height"
        line_height = float(values[name])
        name = "--column-gap"
        gap_em = length_pt(values[name], em_pt=1.0) if values[name].endswith("em") else length_pt(values[name]) / body
        margins = []
        for name in ("--paper-width", "--inner-margin", "--outer-margin-min"):
            margins.append(length_pt(values[name]))
    except (KeyError, ValueError, ZeroDivisionError):
        raise DataError([_problem(found, name, "長さ(例: 10pt、15mm。--line-height は 1.5 のような数)として読めません")]) from None
    paper, inner, outer = margins
    column_em = math.floor(((paper - inner - outer) / body - gap_em) / COLUMNS) if body > 0 else 0
    if column_em < MIN_COLUMN_EM:
        raise DataError([_problem(found, "--body-size", f"この大きさでは段が狭すぎます(1段{column_em}字)")])
    return Grid(body, line_height, column_em, gap_em)


def _problem(found: dict[str, tuple[str, str]], name: str, message: str) -> Problem:
    value, source = found.get(name, ("", "variables.css"))
    return Problem(source, f"{name}: {message}", column=name, value=value)
