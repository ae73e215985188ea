"""What the handout and the archive list for every measure: status on the city's scale, figures
over all fiscal years, and the per-area status summary."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from charts import ChartSpec
from charts.key import text_em

from report.load.model import Project
from report.load.status import scale_entry

OTHER = "その他"  # measures with no status or one off the scale: a category of its own


@dataclass(frozen=True)
class Status:
    """A measure's progress as printed: symbol and word, so it reads without colour."""

    symbol: str
    word: str

    def __str__(self) -> str:
        return f"{self.symbol} {self.word}".strip()


def status_of(text: str, scale: tuple[tuple[str, str], ...]) -> Status:
    """The typed status on the scale (its word, its symbol, or both), else as typed without a
    symbol: a word off the scale is never given a category (report/load/status.py warns of it)."""
    entry = scale_entry(text, scale)
    if entry is not None:
        return Status(entry[1], entry[0])
    return Status("", unicodedata.normalize("NFKC", text).strip())


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
    other_label: str = OTHER

    @property
    def beside(self) -> bool:
        """Whether the chart fits beside the table (at most five count columns, each word at most
        four characters wide under its symbol); else it goes under it."""
        heads = [*(s.word for s in self.statuses), *([self.other_label] if self.total.other else [])]
        return len(heads) <= 5 and all(text_em(head) <= 4 for head in heads)


def summarize(project: Project) -> Summary | None:
    """Count every measure (featured or not) by area and status; None when no measure has a status
    on the scale (a table of zeros and an empty chart say nothing)."""
    scale = project.config.status
    statuses = tuple(Status(symbol, word) for word, symbol in scale)
    words = [s.word for s in statuses]
    rows = []
    for area in project.areas:
        counts = [0] * len(scale)
        other = 0
        for measure in area.measures:
            entry = scale_entry(measure.status, scale)
            if entry is not None:
                counts[words.index(entry[0])] += 1
            else:
                other += 1
        rows.append(SummaryRow(f"{area.number:02d} {area.title}", tuple(counts), other))
    total = SummaryRow("計", tuple(sum(r.counts[i] for r in rows) for i in range(len(scale))),
                       sum(r.other for r in rows))
    if not any(total.counts):
        return None
    others = (OTHER,) if total.other else ()  # every category drawn: a bar never reads fuller than it is
    chart = ChartSpec(
        kind="stacked",
        labels=tuple(r.label for r in rows),
        values=tuple(float(r.total) for r in rows),
        value_labels=tuple(f"{r.total}施策" for r in rows),
        color="#000000",
        rows=tuple(tuple(float(c) for c in (*r.counts, *([r.other] if others else []))) for r in rows),
        series=(*(str(s) for s in statuses), *others),
        width_mm=140.0,  # drawn at the width it is shown at, so its text prints at 12pt
        font_pt=12.0,
    )
    return Summary(statuses, tuple(rows), total, chart)


def summary_alt(summary: Summary) -> str:
    """The status chart in words, one area after another, その他 included."""
    parts = []
    for row in summary.rows:
        named = [(s.word, c) for s, c in zip(summary.statuses, row.counts)] + [(OTHER, row.other)]
        counts = "、".join(f"{word}{count}" for word, count in named if count)
        parts.append(f"{row.label}:{counts or '施策なし'}")
    return "分野別の進捗状況。" + "。".join(parts)
