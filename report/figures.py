"""Turn each measure's metrics into the figures a newsletter prints: key number, years, chart."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from charts import chart_for_series, render_svg

from .assets import FONTS_DIR
from .era import date_label, fiscal_year_label
from .model import Metric, Project
from .numbers import format_number, format_quantity


@dataclass(frozen=True)
class YearValue:
    """One fiscal year's figure as printed: 「令和4年度」「72自治会」."""

    year: str
    value: str


@dataclass(frozen=True)
class Figure:
    """One metric series of a measure, ready to print."""

    label: str
    number: str
    unit: str
    years: tuple[YearValue, ...]
    target: str
    as_of: str
    note: str
    chart: str | None  # a data: URI of the SVG chart
    alt: str


def alt_text(label: str, years: tuple[YearValue, ...], target: str) -> str:
    """「草の根対話の実施自治会数:令和4年度72自治会、令和5年度104自治会、目標176自治会」."""
    parts = [f"{y.year}{y.value}" for y in years]
    if target:
        parts.append(f"目標{target}")
    return f"{label}:{'、'.join(parts)}"


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def figure_for(series: tuple[Metric, ...], color: str, era_style: str) -> Figure:
    """The figure for one series of one measure's metrics (same label, several years)."""
    latest = series[-1]
    unit = latest.unit
    years = tuple(YearValue(fiscal_year_label(m.fiscal_year, era_style), format_quantity(m.value, m.unit))
                  for m in series)
    target_value = next((m.target for m in reversed(series) if m.target is not None), None)
    target = format_quantity(target_value, unit) if target_value is not None else ""
    as_of = next((date_label(m.as_of) for m in reversed(series) if m.as_of), "")
    spec = chart_for_series(
        labels=[fiscal_year_label(m.fiscal_year, "short" if len(series) > 4 and era_style == "wareki" else era_style)
                for m in series],
        values=[float(m.value) for m in series],
        value_labels=[y.value for y in years],
        unit=unit,
        target=float(target_value) if target_value is not None else None,
        target_label=f"目標 {target}" if target else "",
        color=color,
    )
    chart = _svg_uri(render_svg(spec, FONTS_DIR)) if spec else None
    return Figure(label=latest.label, number=format_number(latest.value), unit=unit, years=years,
                  target=target, as_of=as_of, note=latest.note, chart=chart,
                  alt=alt_text(latest.label, years, target))


def project_figures(project: Project) -> dict[str, tuple[Figure, ...]]:
    """Measure id → its figures, in the order the metrics first appear."""
    figures: dict[str, tuple[Figure, ...]] = {}
    for area in project.areas:
        for measure in area.measures:
            figures[measure.id] = tuple(
                figure_for(series, area.color, project.config.era_style)
                for series in measure.metric_series.values()
            )
    return figures
