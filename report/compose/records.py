"""What the handout and the archive list for every measure: status on the city's scale, figures
over all fiscal years, and the per-area status summary."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from charts import ChartSpec

from report.load.model import Project


@dataclass(frozen=True)
class Status:
    """A measure's progress as printed: symbol and word, so it reads without colour."""

    symbol: str
    word: str

    def __str__(self) -> str:
        return f"{self.symbol} {self.word}".strip()


def status_of(text: str, scale: tuple[tuple[str, str], ...]) -> Status:
    """Map the typed status (a word of the scale, its symbol, or a longer word starting with one)."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return Status("", "")
    for word, symbol in scale:
        if value in (word, unicodedata.normalize("NFKC", symbol), f"{symbol}{word}", f"{symbol} {word}"):
            return Status(symbol, word)
    for word, symbol in scale:
        if value.startswith(word):
            return Status(symbol, value)
    return Status("", value)


@dataclass(frozen=True)
class SummaryRow:
    """Measures of one area counted by status."""

    label: str
    counts: tuple[int, ...]
    other: int  # measures with no status or one off the scale

    @property
    def total(self) -> int:
        return sum(self.counts) + self.other


@dataclass(frozen=True)
class Summary:
    """The status summary table and its chart."""

    statuses: tuple[Status, ...]
    rows: tuple[SummaryRow, ...]
    total: SummaryRow
    chart: ChartSpec


def summarize(project: Project) -> Summary:
    """Count every measure (featured or not) by area and status."""
    scale = project.config.status
    statuses = tuple(Status(symbol, word) for word, symbol in scale)
    words = [s.word for s in statuses]
    rows = []
    for area in project.areas:
        counts = [0] * len(scale)
        other = 0
        for measure in area.measures:
            status = status_of(measure.status, scale)
            if status.symbol and status.word in words:
                counts[words.index(status.word)] += 1
            else:
                other += 1
        rows.append(SummaryRow(f"{area.number:02d} {area.title}", tuple(counts), other))
    total = SummaryRow("計", tuple(sum(r.counts[i] for r in rows) for i in range(len(scale))),
                       sum(r.other for r in rows))
    chart = ChartSpec(
        kind="stacked",
        labels=tuple(r.label for r in rows),
        values=tuple(float(r.total) for r in rows),
        value_labels=tuple(f"{r.total}施策" for r in rows),
        color="#000000",
        rows=tuple(tuple(float(c) for c in r.counts) for r in rows),
        series=tuple(str(s) for s in statuses),
        width_mm=140.0,  # drawn at the width it is shown at, so its text prints at 12pt
        font_pt=12.0,
    )
    return Summary(statuses, tuple(rows), total, chart)


def summary_alt(summary: Summary) -> str:
    """The status chart in words, one area after another."""
    parts = []
    for row in summary.rows:
        counts = "、".join(f"{s.word}{c}" for s, c in zip(summary.statuses, row.counts) if c)
        parts.append(f"{row.label}:{counts or '進捗の記入なし'}")
    return "分野別の進捗状況。" + "。".join(parts)
