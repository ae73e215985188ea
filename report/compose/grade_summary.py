"""The handout's count of indicators by grade, per area: whatever bands koho.toml's [grades] sets."""

from __future__ import annotations

from dataclasses import dataclass, replace

from report.load.values.era import fiscal_year_label
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
    bands: tuple[str, ...]  # 「◎ 達成」…, the bands of one scale
    rows: tuple[GradeRow, ...]
    total: GradeRow
    years: str  # the latest years counted: 「令和5年度」 or 「令和4年度〜令和5年度」
    scale: str = ""  # which scale, when the bands changed: 「令和5年度から」, 「令和4年度まで」
    undecided: int = 0  # indicators left out: their 累計 is not decided yet (未確定), so they have no grade


def grade_summaries(project: Project) -> tuple[GradeSummary, ...]:
    """Count every indicator (featured or not) by the grade of its latest year, one count per grade
    scale in force (bands changed in 令和5年度: a ○ of each scale counted apart); none without
    [grades], or where the pages print the city's own grades. An indicator whose 累計 is not decided
    yet (未確定) has no grade and is left out (counted apart on the last count, for the page to say so)."""
    config = project.config
    if not config.grades or config.data.grades == "city":  # the pages print the city's grades: no count of koho's
        return ()
    scheme = config.grades
    scales = [(None, scheme.bands), *scheme.since]  # (first fiscal year, bands)
    latest: list[list[tuple[int, int, object]]] = [[] for _ in scales]  # per scale: (area, year, band)
    undecided = 0
    for index, area in enumerate(project.areas):
        for measure in area.measures:
            for series in measure.metric_series.values():
                indicator = indicator_of(series)
                if indicator.undecided:
                    undecided += 1
                    continue
                last = standings(series, indicator, adds_up(series, indicator), config.rates, scheme)[-1]
                in_force = max(i for i, (first, _) in enumerate(scales) if first is None or last.fiscal_year >= first)
                latest[in_force].append((index, last.fiscal_year, last.band))
    shown = [i for i, counted in enumerate(latest) if counted]
    if not shown:  # no indicator: no table of zeros
        return ()
    summaries = [_summary(project, scales, i, latest[i], named=len(shown) > 1) for i in shown]
    summaries[-1] = replace(summaries[-1], undecided=undecided)
    return tuple(summaries)


def _summary(project: Project, scales: list, index: int, counted: list, named: bool) -> GradeSummary:
    """The count of one scale's indicators, area by area."""
    config = project.config
    bands = tuple(str(band) for band in scales[index][1])
    rows = []
    for number, area in enumerate(project.areas):
        counts, other = [0] * len(bands), 0
        for _, _, band in (c for c in counted if c[0] == number):
            if band is None or str(band) not in bands:
                other += 1
            else:
                counts[bands.index(str(band))] += 1
        rows.append(GradeRow(f"{area.number:02d} {area.title}", tuple(counts), other))
    total = GradeRow("計", tuple(sum(r.counts[i] for r in rows) for i in range(len(bands))), sum(r.other for r in rows))
    labels = [fiscal_year_label(y, config.era_style) for y in sorted({year for _, year, _ in counted})]
    years = labels[0] if len(labels) == 1 else (f"{labels[0]}〜{labels[-1]}" if labels else "")
    scale = ""
    if named:
        first = scales[index][0]
        following = scales[index + 1][0] if index + 1 < len(scales) else None
        scale = (f"{fiscal_year_label(first, config.era_style)}から" if first is not None
                 else f"{fiscal_year_label(following - 1, config.era_style)}まで")
    return GradeSummary(bands, tuple(rows), total, years, scale)
