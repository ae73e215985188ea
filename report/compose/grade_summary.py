"""The handout's count of indicators by grade, per area: whatever bands koho.toml's [grades] sets."""

from __future__ import annotations

from dataclasses import dataclass

from report.load.era import fiscal_year_label
from report.load.indicators import indicator_of
from report.load.model import Project
from report.compose.standings import adds_up, standings


@dataclass(frozen=True)
class GradeRow:
    """The indicators of one area counted by the grade of their latest year."""

    label: str
    counts: tuple[int, ...]
    other: int  # indicators with no grade: no target, or below every band

    @property
    def total(self) -> int:
        return sum(self.counts) + self.other


@dataclass(frozen=True)
class GradeSummary:
    bands: tuple[str, ...]  # 「◎ 達成」…, every band of every year's scheme
    rows: tuple[GradeRow, ...]
    total: GradeRow
    years: str  # the latest years counted: 「令和5年度」 or 「令和4年度〜令和5年度」
    undecided: int = 0  # indicators left out: their 累計 is not decided yet (未確定), so they have no grade


def grade_summary(project: Project) -> GradeSummary | None:
    """Count every indicator (featured or not) by the grade of its latest year; None without [grades].
    An indicator whose 累計 is not decided yet (未確定) has no grade and is left out (and counted
    apart, for the page to say so)."""
    config = project.config
    if not config.grades or config.data.grades == "city":  # the pages print the city's grades: no count of koho's
        return None
    bands = tuple(str(band) for band in config.grades.all_bands)
    rows, latest_years, undecided = [], set(), 0
    for area in project.areas:
        counts, other = [0] * len(bands), 0
        for measure in area.measures:
            for series in measure.metric_series.values():
                indicator = indicator_of(series)
                if indicator.undecided:
                    undecided += 1
                    continue
                last = standings(series, indicator, adds_up(series, indicator), config.rates, config.grades)[-1]
                latest_years.add(last.fiscal_year)
                if last.band is None:
                    other += 1
                else:
                    counts[bands.index(str(last.band))] += 1
        rows.append(GradeRow(f"{area.number:02d} {area.title}", tuple(counts), other))
    total = GradeRow("計", tuple(sum(r.counts[i] for r in rows) for i in range(len(bands))), sum(r.other for r in rows))
    labels = [fiscal_year_label(y, config.era_style) for y in sorted(latest_years)]
    years = labels[0] if len(labels) == 1 else (f"{labels[0]}〜{labels[-1]}" if labels else "")
    return GradeSummary(bands, tuple(rows), total, years, undecided)
