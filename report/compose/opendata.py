"""The figures a page shows as open data: one CSV in the data contract's metrics columns.

UTF-8 with a BOM (so Excel opens it without garbling the Japanese), CRLF line ends, Japanese
column names, values exactly as entered (no rounding, no thousands separators), fiscal years as
western years and dates as ISO 8601, so koho, pandas and Excel all read it back the same. Every
cell a spreadsheet could run as a formula is escaped, ids included; koho's reader removes the escape.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from report.load.indicators import CUMULATIVE_WORDS, DIRECTION_WORDS, RUNNING_WORD, UNDECIDED_WORD
from report.load.model import Metric
from report.load.tables.readers import FORMULA_ESCAPE, FORMULA_START
from report.load.tables.schema import METRICS

# Columns written only when a figure fills them (a table without them keeps its exact CSV).
MODEL_COLUMNS = ("final_target", "final_target_year", "grade", "year_kind")
COLUMNS = tuple(c for c in METRICS.columns if c.name != "chart")  # the chart is koho's, not data
ENCODING = "utf-8-sig"
NUMERIC = frozenset({"fiscal_year", "value", "target", "target_year", "baseline", "baseline_year", "final_target",
                     "final_target_year"})
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def escaped(cell: str) -> str:
    """A cell as a spreadsheet shows it, never run as a formula (OWASP's CSV-injection rule): a "'"
    before a cell that starts with = + - @ tab or CR (or ＝＋－＠), and before one that starts with
    "'" and one of those, so that koho's reader (without_formula_escape) gives back the very cell."""
    first, second = cell[:1], cell[1:2]
    if first in FORMULA_START or (first == FORMULA_ESCAPE and second in (*FORMULA_START, FORMULA_ESCAPE)):
        return FORMULA_ESCAPE + cell
    return cell


def _safe(column: str, cell: str) -> str:
    """Every cell escaped but a plain number in a numeric column (-5 stays a number)."""
    return cell if column in NUMERIC and _PLAIN_NUMBER.fullmatch(cell) else escaped(cell)


def columns_of(metrics: Iterable[Metric]) -> tuple:
    """COLUMNS without the model's optional columns that no figure fills."""
    cells = [metric_cells(m) for m in metrics]
    used = {name for name in MODEL_COLUMNS if any(c[name] for c in cells)}
    return tuple(c for c in COLUMNS if c.name not in MODEL_COLUMNS or c.name in used)


def metric_row(metric: Metric, columns: tuple = COLUMNS) -> list[str]:
    """One metric in `columns` order, each cell as koho's reader reads it back to the same value."""
    cells = metric_cells(metric)
    return [_safe(c.name, cells[c.name]) for c in columns]


def metric_cells(metric: Metric) -> dict[str, str]:
    """One metric's cells by column name, as koho's reader reads them back."""
    cells = {
        "measure": metric.measure,
        "label": metric.label,
        "fiscal_year": str(metric.fiscal_year),
        "value": _number(metric.value),
        "unit": metric.unit,
        "target": _number(metric.target) + (metric.target_qualifier if metric.target is not None else ""),
        "target_year": str(metric.target_year or ""),
        "baseline": _number(metric.baseline),
        "baseline_year": str(metric.baseline_year or ""),
        "direction": DIRECTION_WORDS.get(metric.direction, metric.direction),
        "cumulative": RUNNING_WORD if metric.running else UNDECIDED_WORD if metric.undecided
        else CUMULATIVE_WORDS.get(metric.cumulative, ""),
        "final_target": _number(metric.final_target) + (metric.final_target_qualifier if metric.final_target is not None else ""),
        "final_target_year": str(metric.final_target_year or ""),
        "grade": metric.grade,
        "year_kind": "暦年" if metric.calendar else "",
        "as_of": metric.as_of.isoformat() if metric.as_of else "",
        "note": metric.note,
    }
    return cells


def metrics_csv(metrics: Iterable[Metric]) -> bytes:
    """The metrics as CSV bytes: header of the contract's Japanese column names, one row each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    rows = list(metrics)
    columns = columns_of(rows)
    writer.writerow([c.label for c in columns])
    writer.writerows(metric_row(m, columns) for m in rows)
    return buffer.getvalue().encode(ENCODING)
