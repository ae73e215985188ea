"""The city's own grade (評価 column) beside koho's from [grades]: where both exist, they must name
the same band, else a warning naming the cell — the two are never printed silently disagreeing."""

from __future__ import annotations

from collections.abc import Iterable

from report.load.project.grade_bands import Band, GradeScheme
from report.load.project.rate_settings import RateSettings
from report.compose.standings import adds_up, standings
from report.load.values.era import year_label
from report.load.indicators import indicator_of, series_of
from report.load.model import Metric
from report.load.tables.schema import METRICS
from report.load.status import status_key
from report.problems import Problem


def names_band(typed: str, band: Band) -> bool:
    """Whether a typed grade names the band: its name (A), word (達成), symbol (◎) or both (◎ 達成)."""
    names = {status_key(n) for n in (band.grade, band.word, band.symbol, band.symbol + band.word, str(band)) if n}
    return status_key(typed) in names


def city_grade_problems(metrics: Iterable[Metric], rates: RateSettings, grades: GradeScheme) -> list[Problem]:
    """A warning for every 評価 cell whose grade differs from the band koho computes for that year."""
    if not grades:
        return []
    column = METRICS.column("grade")
    problems = []
    for series in series_of(metrics):
        if not any(m.grade for m in series):
            continue
        indicator = indicator_of(series)
        for metric, standing in zip(series, standings(series, indicator, adds_up(series, indicator), rates, grades)):
            if not metric.grade or standing.band is None or names_band(metric.grade, standing.band):
                continue
            source = metric.source
            rate = f"達成率{standing.rate.text}、" if standing.rate and standing.rate.text else ""
            problems.append(Problem(
                source.file if source else METRICS.name,
                f"評価「{metric.grade}」が、koho.toml の [grades] で計算した{year_label(metric.fiscal_year, calendar=metric.calendar)}の"
                f"評価({rate}{standing.band})と違います(市の評価の基準と [grades] の段階を確かめてください。"
                "どちらを印刷するかは [data] grades で決めます)",
                sheet=source.sheet if source else None, row=source.row if source else None,
                column=column.name, column_label=column.label, value=metric.grade, severity="warning"))
    return problems
