"""Turn each measure's metrics into the figures a newsletter prints: key numbers and one chart.

Metrics of one label form a series over fiscal years. A series gets the chart its shape calls for
(charts.choose); single-year figures of one measure that can be compared — percentages, or counts
in the same unit — share one chart instead of getting one each.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace

from charts import ChartSpec, choose_series_kind, svgs

from report.assets import FONTS_DIR
from report.load.values.era import date_label, fiscal_year_label, year_label
from report.load.project.grade_bands import GradeScheme
from report.load.indicators import DOWN, Indicator, indicator_of
from report.load.model import Metric, Project
from report.load.values.numbers import format_number, format_quantity
from report.load.project.rate_settings import RateSettings
from report.compose.standings import adds_up, standings


@dataclass(frozen=True)
class YearValue:
    """One fiscal year's figure as printed: 「令和4年度」「72自治会」, and for tables 「令和4」「72」."""

    year: str
    value: str
    short: str = ""
    number: str = ""
    rate: str = ""  # 「97.6%」; empty where there is no target or no honest rate
    judgment: str = ""  # 達成 / 未達成, decided from the values, never from the rounded rate
    grade: str = ""  # the band of [grades]: 「○ 概ね達成」
    target: str = ""  # this year's own target where it differs from the final one
    compared: str = ""  # the running total of a 累計 indicator, as compared with the target
    city_grade: str = ""  # the city's own grade (評価 column), where printed beside koho's


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
    judgment: str = ""  # the latest year's: 達成 / 未達成
    grade: str = ""  # the latest year's band
    target_year: str = ""  # 「令和7年度」
    baseline: str = ""  # 「900」 (the unit is printed beside it)
    baseline_year: str = ""  # 「平成30年度」
    direction: str = ""  # 「減少」 for a lower-is-better indicator; 「増加」 where stated; else empty
    detailed: bool = False  # the table says more than value and target: print every year's rate
    running: bool = False  # each value already is the running total (累計値): printed as given
    final: bool = False  # `target` is the final target (最終目標値), beside differing yearly ones
    city_grade: str = ""  # the latest year's city grade, where printed beside koho's
    year_target: str = ""  # beside a final target: the target the latest year's rate is against
    calendar: bool = False  # the years are calendar years (暦年): 令和5年, not 令和5年度
    undecided: bool = False  # 累計 not decided yet (未確定): values and target only, no rate row

    @property
    def target_word(self) -> str:
        """「最終目標」 where the target is the plan's final one beside yearly targets, else 「目標」."""
        return "最終目標" if self.final else "目標"

    @property
    def year_word(self) -> str:
        """The head of the years' column: 「年」 for calendar years, else 「年度」."""
        return "年" if self.calendar else "年度"

    @property
    def direction_words(self) -> str:
        """The direction in words with its arrow, for tables and captions (never colour alone)."""
        return {"減少": "↓ 少ないほど良い", "増加": "↑ 多いほど良い"}.get(self.direction, "")


@dataclass(frozen=True)
class Figure:
    """Key numbers shown together, with the chart drawn for them (if any)."""

    kind: str
    items: tuple[KeyNumber, ...]
    spec: ChartSpec | None
    alt: str
    chart: str | None = None  # a data: URI of the SVG, filled in once charts are drawn
    continued: bool = False  # a later part of a chart too tall for a page, split (printed 「（続き）」)

    @property
    def as_of(self) -> str:
        """The as-of date all items share (printed once under the figure), or ''."""
        dates = {item.as_of for item in self.items}
        return dates.pop() if len(dates) == 1 else ""


def _short_year(year: int, era_style: str, calendar: bool = False) -> str:
    """A year for a table's column head under 「年度」 (or 「年」): in the document's style, without the
    word the head says: 「令和4」 (never 「R4」 beside a text that says 令和4年度), 「2022」."""
    return year_label(year, era_style, calendar).removesuffix("年" if calendar else "年度")


def _grades_printed(band: str, city: str, source: str) -> tuple[str, str]:
    """(the grade printed, the city's printed beside it) for one year: [data] grades `koho` prints
    koho's band alone, `city` the city's 評価 alone, `both` koho's with the city's beside it (the
    city's alone where koho computes none)."""
    if source == "koho" or not city:
        return band, ""
    if source == "city" or not band:
        return city, ""
    return band, city


def _shown(series: tuple[Metric, ...], years: set[int] | None, cumulative: bool) -> tuple[Metric, ...]:
    """The metrics a document prints: those of its years; every year of a 累計 indicator, whose
    running total is made of them all."""
    if years is None or cumulative:
        return series
    return tuple(m for m in series if m.fiscal_year in years)


def key_number(series: tuple[Metric, ...], era_style: str, cumulative: bool,
               rates: RateSettings = RateSettings(), grades: GradeScheme = GradeScheme(),
               years: set[int] | None = None, grade_source: str = "both",
               indicator: Indicator | None = None) -> KeyNumber:
    """The printed form of one series: the latest value, or the running total of a cumulative one,
    with every year's rate and grade against the target in force that year. The indicator is read
    from the whole series (`indicator`, where the caller has read it already); only `years`
    (default: all) are printed."""
    indicator = indicator if indicator is not None else indicator_of(series)
    everything = standings(series, indicator, cumulative, rates, grades)
    shown = _shown(series, years, cumulative)
    pairs = [(m, st) for m, st in zip(series, everything) if m in shown]
    series = tuple(m for m, _ in pairs)
    latest = series[-1]
    unit = latest.unit
    final = pairs[-1][1]
    differs = len({st.target for st in everything if st.target is not None}) > 1
    final_target = indicator.final_target is not None

    def year_value(metric: Metric, standing) -> YearValue:  # noqa: ANN001 - a Standing
        own = metric.target is not None and (differs or final_target)
        grade, city = _grades_printed(str(standing.band) if standing.band else "", metric.grade, grade_source)
        return YearValue(
            year_label(metric.fiscal_year, era_style, metric.calendar), format_quantity(metric.value, unit),
            _short_year(metric.fiscal_year, era_style, metric.calendar),
            format_number(metric.value),
            rate=standing.rate.text if standing.rate else "",
            judgment=standing.rate.word if standing.rate else "",
            grade=grade,
            target=indicator.target_words(metric.target, metric.target_qualifier, unit) if own else "",
            compared=format_number(standing.compared) if cumulative else "",
            city_grade=city,
        )

    years_printed = tuple(year_value(m, st) for m, st in pairs)
    if final_target:
        target = indicator.target_words(indicator.final_target, indicator.final_qualifier, unit)
        target_year = indicator.final_target_year
    elif indicator.target is not None:
        target, target_year = indicator.target_words(indicator.target, indicator.qualifier, unit), indicator.target_year
    else:
        target, target_year = "", indicator.target_year

    return KeyNumber(
        label=latest.label,
        number=format_number(final.compared),
        unit=unit,
        years=years_printed,
        target=target,
        rate=final.rate.text if final.rate else "",
        as_of=next((date_label(m.as_of) for m in reversed(series) if m.as_of), ""),
        note=latest.note,
        cumulative=cumulative,
        judgment=final.rate.word if final.rate else "",
        grade=years_printed[-1].grade,
        target_year=fiscal_year_label(target_year, era_style) if target_year else "",
        baseline=format_number(indicator.baseline) if indicator.baseline is not None else "",
        baseline_year=fiscal_year_label(indicator.baseline_year, era_style) if indicator.baseline_year else "",
        direction="減少" if indicator.direction == DOWN else ("増加" if indicator.stated else ""),
        detailed=indicator.described or bool(grades) or differs or any(m.grade for m in series),
        running=indicator.running,
        final=final_target,
        city_grade=years_printed[-1].city_grade,
        year_target=indicator.target_words(final.target, final.qualifier, unit)
        if final_target and final.target is not None
        and (final.target, final.qualifier) != (indicator.final_target, indicator.final_qualifier) else "",
        calendar=latest.calendar,
        undecided=indicator.undecided,
    )


def _year_words(year: YearValue, unit: str) -> str:
    """「令和5年度870g/人(達成率97.7%、未達成、○ 概ね達成)」."""
    extras = [part for part in (f"累計{year.compared}{unit}" if year.compared else "",
                                f"目標{year.target}" if year.target else "",
                                f"達成率{year.rate}" if year.rate else "", year.judgment, year.grade,
                                f"市の評価{year.city_grade}" if year.city_grade else "") if part]
    return f"{year.year}{year.value}" + (f"({'、'.join(extras)})" if extras else "")


def alt_text(items: tuple[KeyNumber, ...]) -> str:
    """Every value of the figure in words: 「草の根対話…:令和4年度72自治会、令和5年度104自治会、目標176自治会」."""
    parts = []
    for item in items:
        values = [f"{y.year}{y.value}" for y in item.years] if len(item.years) > 1 else [
            f"{item.years[0].year}{item.years[0].value}"]
        if item.detailed:
            values = [_year_words(y, item.unit) for y in item.years]
            if item.baseline:
                values.insert(0, f"基準値{item.baseline}{item.unit}" + (f"({item.baseline_year})" if item.baseline_year else ""))
        elif item.cumulative:
            values.append(f"累計{item.number}{item.unit}")
        if item.target:
            target = f"{item.target_word}{item.target}" + (f"({item.target_year})" if item.target_year else "")
            values.append(target + (f"(達成率{item.rate})" if item.rate and not item.detailed else ""))
        if item.direction_words:
            values.append(f"{item.direction_words.split(' ', 1)[1]}指標")  # words only, no arrow to read aloud
        if item.as_of:
            values.append(f"{item.as_of}時点")
        parts.append(f"{item.label}{'(累計)' if item.running else ''}:{'、'.join(values)}")
    return "。".join(parts)


def _series_figure(series: tuple[Metric, ...], kind: str, color: str, era_style: str,
                   rates: RateSettings = RateSettings(), grades: GradeScheme = GradeScheme(),
                   cumulative: bool | None = None, years: set[int] | None = None,
                   grade_source: str = "both", indicator: Indicator | None = None) -> Figure:
    """One series' figure: its key number and chart (`indicator`: the series', where already read)."""
    indicator = indicator if indicator is not None else indicator_of(series)
    adds = kind == "progress" if cumulative is None else cumulative
    item = key_number(series, era_style, adds, rates, grades, years, grade_source, indicator)
    series = _shown(series, years, adds)
    spec = None
    if kind in ("bar", "progress", "share"):
        target = item.target and float(indicator.final_target if item.final else indicator.target)
        marked = kind == "bar" and indicator.baseline is not None
        spec = ChartSpec(
            kind=kind,
            labels=tuple(year_label(m.fiscal_year, era_style, m.calendar) if kind != "share" else m.label
                         for m in series),
            values=tuple(float(m.value) for m in series),
            value_labels=tuple(format_quantity(m.value, m.unit) for m in series),
            color=color,
            target=target or None,
            target_label=f"{item.target_word} {item.target}" if item.target else "",
            key_above=item.detailed,
            **({"baseline": float(indicator.baseline),
                "baseline_label": "基準" + (f" {fiscal_year_label(indicator.baseline_year, era_style)}"
                                            if indicator.baseline_year else ""),
                "baseline_value_label": format_quantity(indicator.baseline, series[-1].unit)}
               if marked else {}),
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


def _series_kind(series: tuple[Metric, ...], indicator: Indicator, cumulative: bool) -> str:
    """The chart the `chart` column asks for, else the one the data's shape calls for: a progress
    bar only for amounts that add up toward a higher-is-better target."""
    chosen = next((m.chart for m in reversed(series) if m.chart), "")
    if chosen:
        return chosen
    target = float(indicator.target) if indicator.target is not None else None
    if cumulative and target is not None and indicator.direction != DOWN and len(series) >= 2:
        return "progress"
    kind = choose_series_kind([float(m.value) for m in series], series[-1].unit, target)
    return "bar" if kind == "progress" else kind


def measure_figures(all_series: list[tuple[Metric, ...]], color: str, era_style: str,
                    rates: RateSettings = RateSettings(), grades: GradeScheme = GradeScheme(),
                    years: set[int] | None = None, grade_source: str = "both") -> tuple[Figure, ...]:
    """The figures of one measure, in the order its metrics first appear; only `years` are printed
    (default: all), but baselines, targets and running totals come from every year."""
    figures: list[Figure | tuple[str, str]] = []
    groups: dict[tuple[str, str], list[tuple[Metric, ...]]] = {}
    for whole in all_series:
        indicator = indicator_of(whole)
        cumulative = adds_up(whole, indicator)
        series = _shown(whole, years, cumulative)
        if not series:
            continue
        kind = _series_kind(series, indicator, cumulative)
        chosen = any(m.chart for m in series)
        groupable = not chosen and len(series) == 1 and indicator.target is None and not indicator.described \
            and series[-1].value >= 0  # a negative count has no place in a row of counts
        if groupable and kind in ("share", "none"):
            group_kind = "share" if kind == "share" else "compare"
            key = (group_kind, series[-1].unit)
            if key not in groups:
                groups[key] = []
                figures.append(key)
            groups[key].append(series)
        else:
            figures.append(_series_figure(whole, kind, color, era_style, rates, grades, cumulative, years,
                                          grade_source, indicator))
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


def split_figure(figure: Figure, height_mm: float) -> tuple[Figure, ...]:
    """The figure as figures whose charts are no taller than `height_mm` (ChartSpec.parts): a row
    chart too tall for a page is cut into parts, in order, each with the key numbers of its rows;
    every part after the first is marked `continued`. A figure that fits is itself."""
    specs = figure.spec.parts(height_mm) if figure.spec is not None else ()
    if len(specs) < 2:
        return (figure,)
    by_row = len(figure.items) == len(figure.spec.labels)  # a group: one key number per row
    parts, start = [], 0
    for index, spec in enumerate(specs):
        items = figure.items[start:start + len(spec.labels)] if by_row else figure.items
        start += len(spec.labels)
        parts.append(replace(figure, items=items, spec=spec, alt=alt_text(items) if by_row else figure.alt,
                             continued=index > 0))
    return tuple(parts)


def svg_data_uri(svg: str) -> str:
    return SVG_DATA_URI + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def svg_bytes(data_uri: str) -> bytes:
    """The SVG a data: URI made by svg_data_uri carries."""
    return base64.b64decode(data_uri.removeprefix(SVG_DATA_URI))


def measure_figures_of(project: Project, years: list[int] | None = None, measures: set[str] | None = None,
                       chart_width_mm: float | None = None,
                       chart_height_mm: float | None = None) -> dict[str, tuple[Figure, ...]]:
    """Measure id → its figures, their charts specified (`spec`) but not yet drawn.

    Only the metrics of `years` count (default: all), only `measures` get figures (default: all);
    charts are drawn `chart_width_mm` wide (report.render.html.sizes; default: ChartSpec's), and a chart
    taller than `chart_height_mm` is split into parts (split_figure; default: never).
    """
    def sized(figure: Figure) -> tuple[Figure, ...]:
        if figure.spec is not None and chart_width_mm is not None:
            figure = replace(figure, spec=replace(figure.spec, width_mm=chart_width_mm))
        return split_figure(figure, chart_height_mm) if chart_height_mm is not None else (figure,)

    return {
        measure.id: tuple(part for figure in measure_figures(
            list(measure.metric_series.values()), area.color, project.config.era_style,
            project.config.rates, project.config.grades, set(years) if years is not None else None,
            project.config.data.grades)
            for part in sized(figure))
        for area in project.areas for measure in area.measures
        if measures is None or measure.id in measures
    }


def chart_specs(figures: dict[str, tuple[Figure, ...]]) -> list[ChartSpec]:
    """The charts the figures need drawn, in document order."""
    return [f.spec for items in figures.values() for f in items if f.spec is not None]


def with_charts(figures: dict[str, tuple[Figure, ...]], uris: dict[str, str]) -> dict[str, tuple[Figure, ...]]:
    """The figures with their charts: `uris` gives each chart's data: URI by spec key."""
    return {
        measure_id: tuple(replace(f, chart=uris[f.spec.key()]) if f.spec else f for f in items)
        for measure_id, items in figures.items()
    }


def bar_charts(figures: dict[str, tuple[Figure, ...]], measures: set[str] | None = None) -> int:
    """How many bar charts over years the figures draw (of the `measures` named, or all)."""
    return sum(spec.kind == "bar" for measure_id, items in figures.items() if measures is None or measure_id in measures
               for spec in chart_specs({measure_id: items}))


def bar_height(figures: dict[str, tuple[Figure, ...]], measure_id: str) -> float | None:
    """The height (mm) a measure's bar charts over years are drawn at; None when it has none."""
    return next((f.spec.height_mm for f in figures.get(measure_id, ()) if f.spec is not None and f.spec.kind == "bar"),
                None)


def with_bar_height(figures: dict[str, tuple[Figure, ...]], height_mm: float,
                    measures: set[str] | None = None) -> dict[str, tuple[Figure, ...]]:
    """The figures with their bar charts over years (of the `measures` named, or all) drawn `height_mm`
    tall (their text keeps its size)."""
    return {
        measure_id: tuple(replace(f, spec=replace(f.spec, height=height_mm))
                          if f.spec is not None and f.spec.kind == "bar"
                          and (measures is None or measure_id in measures) else f for f in items)
        for measure_id, items in figures.items()
    }


def project_figures(project: Project, years: list[int] | None = None, measures: set[str] | None = None,
                    chart_width_mm: float | None = None,
                    chart_height_mm: float | None = None) -> dict[str, tuple[Figure, ...]]:
    """Measure id → its figures with their charts drawn (from the chart cache where possible);
    see measure_figures_of for the arguments. (A build draws its charts with report/render/typeset/late_charts.py.)"""
    return drawn(measure_figures_of(project, years, measures, chart_width_mm, chart_height_mm))


def drawn(figures: dict[str, tuple[Figure, ...]]) -> dict[str, tuple[Figure, ...]]:
    """The figures with their charts drawn (from the chart cache where possible)."""
    svg = svgs(chart_specs(figures), FONTS_DIR)
    return with_charts(figures, {key: svg_data_uri(data) for key, data in svg.items()})
