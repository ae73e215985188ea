"""The figures a page shows as open data: one CSV in the data contract's metrics columns.

UTF-8 with a BOM (so Excel opens it without garbling the Japanese), CRLF line ends, Japanese
column names, values exactly as entered (no rounding, no thousands separators), fiscal years as
western years and dates as ISO 8601, so koho, pandas and Excel all read it back the same.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from report.load.indicators import CUMULATIVE_WORDS, DIRECTION_WORDS
from report.load.model import Metric
from report.load.schema import METRICS

COLUMNS = tuple(c for c in METRICS.columns if c.name != "chart")  # the chart is koho's, not data
ENCODING = "utf-8-sig"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as a formula


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _text(value: str) -> str:
    """Text as a spreadsheet shows it, never run as a formula (OWASP's CSV-injection rule)."""
    return "'" + value if value.startswith(_FORMULA_START) else value




def metric_row(metric: Metric) -> list[str]:
    """One metric in COLUMNS order, each cell as koho's reader reads it back to the same value."""
    cells = {
        "measure": metric.measure,
        "label": _text(metric.label),
        "fiscal_year": str(metric.fiscal_year),
        "value": _number(metric.value),
        "unit": _text(metric.unit),
        "target": _number(metric.target) + (metric.target_qualifier if metric.target is not None else ""),
        "target_year": str(metric.target_year or ""),
        "baseline": _number(metric.baseline),
        "baseline_year": str(metric.baseline_year or ""),
        "direction": DIRECTION_WORDS.get(metric.direction, metric.direction),
        "cumulative": CUMULATIVE_WORDS.get(metric.cumulative, ""),
        "as_of": metric.as_of.isoformat() if metric.as_of else "",
        "note": _text(metric.note),
    }
    return [cells[c.name] for c in COLUMNS]


def metrics_csv(metrics: Iterable[Metric]) -> bytes:
    """The metrics as CSV bytes: header of the contract's Japanese column names, one row each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.label for c in COLUMNS])
    writer.writerows(metric_row(m) for m in metrics)
    return buffer.getvalue().encode(ENCODING)
