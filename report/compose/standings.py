"""Each year of an indicator against its target: the value compared, the rate, the grade."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from charts import is_cumulative

from report.compose.grades import grade
from report.load.project.grade_bands import Band, GradeScheme
from report.load.indicators import DOWN, Indicator
from report.load.model import Metric
from report.compose.rates import Rate, rate
from report.load.project.rate_settings import RateSettings


@dataclass(frozen=True)
class Standing:
    """One fiscal year: what was compared with which target, and how it stands."""

    fiscal_year: int
    compared: Decimal  # the year's value, or the running total of a 累計 indicator
    target: Decimal | None  # the year's own target, else the final one
    qualifier: str
    rate: Rate | None  # None: no target, or an undecided 累計 (未確定: no reading of it is stated)
    band: Band | None  # None: no [grades], no target, or an undecided 累計


def adds_up(series: tuple[Metric, ...], indicator: Indicator) -> bool:
    """Whether the yearly amounts add up toward the target (never for a 累計値 column, whose cells
    already hold the running total): the 累計 column says so, or (when it is
    empty) the `chart` column asks for a progress bar, or the amounts make up the target exactly."""
    if indicator.running or indicator.undecided:
        return False  # each value already is the total, or may be: printed as given, never added up
    if indicator.cumulative is not None:
        return indicator.cumulative
    chosen = next((m.chart for m in reversed(series) if m.chart), "")
    if chosen:
        return chosen == "progress"
    target = float(indicator.target) if indicator.target is not None else None
    return indicator.direction != DOWN and is_cumulative([float(m.value) for m in series], target)


def standings(series: tuple[Metric, ...], indicator: Indicator, cumulative: bool,
              rates: RateSettings, grades: GradeScheme) -> tuple[Standing, ...]:
    """Every year of the series against the target in force that year; an undecided 累計 (未確定)
    gets no rate and no grade: whether a year's value is what the target is compared with is not
    stated (were the amounts to add up, one year's amount is no share of it)."""
    result = []
    total = Decimal(0)
    for metric in series:
        total += metric.value
        compared = total if cumulative else metric.value
        own = metric.target is not None
        target = metric.target if own else indicator.target
        qualifier = metric.target_qualifier if own else indicator.qualifier
        year_rate = (rate(compared, target, indicator.direction, qualifier, indicator.baseline, rates)
                     if target is not None and not indicator.undecided else None)
        band = grade(year_rate, grades.bands_for(metric.fiscal_year)) if year_rate and grades else None
        result.append(Standing(metric.fiscal_year, compared, target, qualifier, year_rate, band))
    return tuple(result)
