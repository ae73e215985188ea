"""Turn each measure's metrics into the figures a newsletter prints: key numbers and one chart.

Metrics of one label form a series over fiscal years. A series gets the chart its shape calls for
(charts.choose); single-year figures of one measure that can be compared — percentages, or counts
in the same unit — share one chart instead of getting one each.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace
from decimal import Decimal

from charts import ChartSpec, choose_series_kind, svgs

from .assets import FONTS_DIR
from .era import date_label, fiscal_year_label
from .model import Measure, Metric, Project
from .numbers import format_number, format_quantity


@dataclass(frozen=True)
class YearValue:
    """One fiscal year's figure as printed: 「令和4年度」「72自治会」, and for tables 「R4」「72」."""

    year: str
    value: str
    short: str = ""
    number: str = ""


@dataclass(frozen=True)
class KeyNumber:
    """One metric as the page states it: the number large, its unit, years, target and date."""

    label: str
    number: str
    unit: str
    years: tuple[YearValue, ...]
    target: str
    rate: str
    as_of: str
    note: str
    cumulative: bool = False


@dataclass(frozen=True)
class Figure:
    """Key numbers shown together, with the chart drawn for them (if any)."""

    kind: str
    items: tuple[KeyNumber, ...]
    spec: ChartSpec | None
    alt: str
    chart: str | None = None  # a data: URI of the SVG, filled in once charts are drawn

    @property
    def as_of(self) -> str:
        """The as-of date all items share (printed once under the figure), or ''."""
        dates = {item.as_of for item in self.items}
        return dates.pop() if len(dates) == 1 else ""


def _year_label(year: int, era_style: str, many: bool) -> str:
    return fiscal_year_label(year, "short" if many and era_style == "wareki" else era_style)


def _rate(value: Decimal, target: Decimal | None) -> str:
    if not target:
        return ""
    return f"{format_number(round(value / target * 100, 1))}%"


def key_number(series: tuple[Metric, ...], era_style: str, cumulative: bool) -> KeyNumber:
    """The printed form of one series: the latest value, or the running total of a cumulative one."""
    latest = series[-1]
    value = sum((m.value for m in series), Decimal(0)) if cumulative else latest.value
    target = next((m.target for m in reversed(series) if m.target is not None), None)
    return KeyNumber(
        label=latest.label,
        number=format_number(value),
        unit=latest.unit,
        years=tuple(YearValue(fiscal_year_label(m.fiscal_year, era_style), format_quantity(m.value, m.unit),
                              fiscal_year_label(m.fiscal_year, "short" if era_style == "wareki" else era_style),
                              format_number(m.value))
                    for m in series),
        target=format_quantity(target, latest.unit) if target is not None else "",
        rate=_rate(value, target),
        as_of=next((date_label(m.as_of) for m in reversed(series) if m.as_of), ""),
        note=latest.note,
        cumulative=cumulative,
    )


def alt_text(items: tuple[KeyNumber, ...]) -> str:
    """Every value of the figure in words: 「草の根対話…:令和4年度72自治会、令和5年度104自治会、目標176自治会」."""
    parts = []
    for item in items:
        values = [f"{y.year}{y.value}" for y in item.years] if len(item.years) > 1 else [
            f"{item.years[0].year}{item.years[0].value}"]
        if item.cumulative:
            values.append(f"累計{item.number}{item.unit}")
        if item.target:
            values.append(f"目標{item.target}" + (f"(達成率{item.rate})" if item.rate else ""))
        if item.as_of:
            values.append(f"{item.as_of}時点")
        parts.append(f"{item.label}:{'、'.join(values)}")
    return "。".join(parts)


def _series_figure(series: tuple[Metric, ...], kind: str, color: str, era_style: str) -> Figure:
    many = len(series) > 4
    item = key_number(series, era_style, cumulative=kind == "progress")
    spec = None
    if kind in ("bar", "progress", "share"):
        target = item.target and float(next(m.target for m in reversed(series) if m.target is not None))
        spec = ChartSpec(
            kind=kind,
            labels=tuple(_year_label(m.fiscal_year, era_style, many) if kind != "share" else m.label
                         for m in series),
            values=tuple(float(m.value) for m in series),
            value_labels=tuple(format_quantity(m.value, m.unit) for m in series),
            color=color,
            target=target or None,
            target_label=f"目標 {item.target}" if item.target else "",
        )
    return Figure(kind, (item,), spec, alt_text((item,)))


def _group_figure(group: list[tuple[Metric, ...]], kind: str, color: str, era_style: str) -> Figure:
    items = tuple(key_number(series, era_style, cumulative=False) for series in group)
    spec = ChartSpec(
        kind=kind,
        labels=tuple(series[-1].label for series in group),
        values=tuple(float(series[-1].value) for series in group),
        value_labels=tuple(format_quantity(series[-1].value, series[-1].unit) for series in group),
        color=color,
    )
    return Figure(kind, items, spec, alt_text(items))


def measure_figures(all_series: list[tuple[Metric, ...]], color: str, era_style: str) -> tuple[Figure, ...]:
    """The figures of one measure, in the order its metrics first appear."""
    figures: list[Figure | tuple[str, str]] = []
    groups: dict[tuple[str, str], list[tuple[Metric, ...]]] = {}
    for series in all_series:
        values = [float(m.value) for m in series]
        target = next((float(m.target) for m in reversed(series) if m.target is not None), None)
        chosen = next((m.chart for m in reversed(series) if m.chart), "")
        kind = chosen or choose_series_kind(values, series[-1].unit, target)
        groupable = not chosen and len(series) == 1 and target is None
        if groupable and kind in ("share", "none"):
            group_kind = "share" if kind == "share" else "compare"
            key = (group_kind, series[-1].unit)
            if key not in groups:
                groups[key] = []
                figures.append(key)
            groups[key].append(series)
        else:
            figures.append(_series_figure(series, kind, color, era_style))
    result = []
    for entry in figures:
        if isinstance(entry, Figure):
            result.append(entry)
            continue
        group = groups[entry]
        if len(group) == 1:
            kind = "share" if entry[0] == "share" else "none"
            result.append(_series_figure(group[0], kind, color, era_style))
        else:
            result.append(_group_figure(group, entry[0], color, era_style))
    return tuple(result)


SVG_DATA_URI = "data:image/svg+xml;base64,"


def svg_data_uri(svg: str) -> str:
    return SVG_DATA_URI + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def svg_bytes(data_uri: str) -> bytes:
    """The SVG a data: URI made by svg_data_uri carries."""
    return base64.b64decode(data_uri.removeprefix(SVG_DATA_URI))


def project_figures(project: Project, jobs: int = 1, years: list[int] | None = None,
                    measures: set[str] | None = None, chart_width_mm: float | None = None,
                    ) -> dict[str, tuple[Figure, ...]]:
    """Measure id → its figures with their charts drawn (from the chart cache where possible).

    Only the metrics of `years` count (default: all), only `measures` get figures (default: all);
    charts are drawn `chart_width_mm` wide (report.sizes; default: ChartSpec's).
    """
    def series_of(measure: Measure) -> list[tuple[Metric, ...]]:
        kept = [tuple(m for m in series if years is None or m.fiscal_year in years)
                for series in measure.metric_series.values()]
        return [series for series in kept if series]

    def sized(figure: Figure) -> Figure:
        if figure.spec is None or chart_width_mm is None:
            return figure
        return replace(figure, spec=replace(figure.spec, width_mm=chart_width_mm))

    figures = {
        measure.id: tuple(map(sized, measure_figures(series_of(measure), area.color, project.config.era_style)))
        for area in project.areas for measure in area.measures
        if measures is None or measure.id in measures
    }
    specs = [f.spec for items in figures.values() for f in items if f.spec is not None]
    drawn = svgs(specs, FONTS_DIR, jobs=jobs)
    return {
        measure_id: tuple(replace(f, chart=svg_data_uri(drawn[f.spec.key()])) if f.spec else f for f in items)
        for measure_id, items in figures.items()
    }
