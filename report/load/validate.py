"""Check raw tables cell by cell and build the document model, collecting every problem."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from report.compose.city_grades import city_grade_problems
from report.load.cells import READERS
from report.load.values.colors import area_color
from report.load.project.config import Config, line_of, load_config
from report.load.values.era import fiscal_year_label, period_label
from report.load.tables.era_notes import era_notes
from report.clock import fiscal_year_of, japan_today
from report.load.project.icc import check_profile
from report.load.indicators import check_indicators, metric_fields, undecided_questions, unit_conflicts
from report.load.tables.limits import input_size_problem
from report.load.model import Area, Measure, Metric, Project, Source
from report.problems import DataError, Problem, os_reason
from report.load.tables.readers import RawTable, read_csv, read_workbook
from report.load.tables.schema import AREAS, MEASURES, METRICS, TABLES, Column, column_lookup, normalize_name
from report.load.project.sources import CONFIG_NAME, ProjectFiles, locate
from report.load.status import off_scale_problems
from report.load.project.targets import outside_problems, target_problems

Row = dict[str, Any]


class _Checker:
    """Collects problems while reading one table's rows into typed dicts."""

    def __init__(self, raw: RawTable, problems: list[Problem]) -> None:
        self.raw = raw
        self.problems = problems
        self.positions: dict[str, int] = {}
        self._map_header()

    def problem(self, message: str, row: int | None = None, column: Column | None = None,
                value: str | None = None, severity: str = "error") -> None:
        self.problems.append(Problem(
            self.raw.file, message, sheet=self.raw.sheet, row=row,
            column=column.name if column else None, column_label=column.label if column else None,
            value=value, severity=severity))

    def _map_header(self) -> None:
        lookup = column_lookup(self.raw.table)
        typos: dict[str, str] = {}  # known column label → the unknown header that looks like it
        for index, name in enumerate(self.raw.header):
            column = lookup.get(normalize_name(name))
            if not name:
                continue
            if column is None:
                near = self._nearest(name)
                hint = f"「{near.label}」({near.name})の誤りではありませんか" if near else "この列は使われません"
                if near:
                    typos.setdefault(near.label, name)
                self.problems.append(Problem(self.raw.file, f"不明な列です。{hint}", sheet=self.raw.sheet,
                                             row=1, column=name, severity="warning"))
            elif column.name in self.positions:
                self.problem("同じ列が2回あります", row=1, column=column)
            else:
                self.positions[column.name] = index
        for column in self.raw.table.columns:
            if column.required and column.name not in self.positions:
                typo = typos.get(column.label)
                hint = f"1行目の「{typo}」は「{column.label}」の誤りではありませんか" if typo else "1行目の見出しを確認してください"
                self.problem(f"必須の列「{column.label}」がありません({hint})", row=1, column=column, value=typo)

    def _nearest(self, name: str) -> Column | None:
        """The known column whose label or English name is closest to an unknown header."""
        names = {normalize_name(n): c for c in self.raw.table.columns for n in (c.label, c.name, *c.aliases)}
        near = difflib.get_close_matches(normalize_name(name), list(names), n=1, cutoff=0.5)
        return names[near[0]] if near else None

    def keys(self, column: Column) -> set[Any]:
        """Every readable value of one column, bad rows included: what other tables may refer to."""
        position = self.positions.get(column.name)
        if position is None:
            return set()
        values = set()
        for cells in self.raw.rows.cells:
            try:
                values.add(READERS[column.kind](str(cells[position])))
            except ValueError:
                continue
        return values

    def source(self, number: int) -> Source:
        return Source(self.raw.file, self.raw.sheet, number)

    @property
    def usable(self) -> bool:
        return all(c.name in self.positions for c in self.raw.table.columns if c.required)

    def rows(self) -> Iterator[tuple[int, Row]]:
        """Typed rows with their spreadsheet row number; rows with a bad cell are reported and skipped."""
        if not self.usable:
            return
        if self.raw.rows.empty:
            if not self.raw.table.can_be_empty:
                self.problem(f"{self.raw.table.label}の表にデータ行がありません"
                             "(2行目から1行に1件ずつ入力してください)")
            return
        for number, cells in zip(self.raw.rows.numbers, self.raw.rows.cells):
            row: Row = {}
            ok = True
            for column in self.raw.table.columns:
                position = self.positions.get(column.name)
                text = str(cells[position]) if position is not None else ""
                if not text.strip():
                    if column.needs_value:
                        self.problem(f"「{column.label}」が空欄です", row=number, column=column)
                        ok = False
                    present = position is not None and column.kind == "bool"  # an empty 掲載 cell means no
                    row[column.name] = READERS[column.kind](text) if column.kind in ("text", "lines") or present else None
                    continue
                try:
                    row[column.name] = READERS[column.kind](text)
                except ValueError as error:
                    self.problem(str(error), row=number, column=column, value=text.strip())
                    ok = False
            if ok:
                yield int(number), row


def read_inputs(files: ProjectFiles) -> tuple[dict[Path, bytes], list[Problem]]:
    """The bytes of every input file, read once: what is checked, printed and attached is the same."""
    contents: dict[Path, bytes] = {}
    problems: list[Problem] = []
    for path in files.inputs:
        try:
            if (too_large := input_size_problem(path.name, path.stat().st_size)) is not None:
                problems.append(too_large)
                continue
            contents[path] = path.read_bytes()
        except OSError as error:
            problems.append(Problem(path.name, f"ファイルを読めません({os_reason(error)})"))
    return contents, problems


def read_tables(files: ProjectFiles, contents: dict[Path, bytes]) -> tuple[dict[str, RawTable], list[Problem]]:
    """Every table of the project that could be read as text, and the problems of the others."""
    if files.workbook is not None:
        if files.workbook not in contents:
            return {}, []  # unreadable: reported by read_inputs
        tables, problems = read_workbook(contents[files.workbook], files.workbook.name)
        return {raw.table.name: raw for raw in tables}, problems
    problems: list[Problem] = []
    found: dict[str, RawTable] = {}
    for table in TABLES:
        path = files.tables.get(table.name)
        if path is None:
            problems.append(Problem(f"{table.name}.csv", f"{table.label}のCSVファイル({table.name}.csv "
                                    f"または {table.label}.csv)がありません"))
            continue
        if path not in contents:
            continue  # unreadable: reported by read_inputs
        try:
            found[table.name], notes = read_csv(contents[path], path.name, table)
            problems += notes
        except DataError as error:
            problems += error.problems
    return found, problems


def _listing(keys: set[Any]) -> str:
    """「1、2、3」, or the first ten and how many there are."""
    ordered = sorted(keys)  # one column's keys: all numbers or all text
    shown = "、".join(str(k) for k in ordered[:10])
    return shown if len(ordered) <= 10 else f"{shown} など{len(ordered)}件"


def _rows(checker: _Checker | None) -> Iterator[tuple[int, Row]]:
    return checker.rows() if checker is not None else iter(())


def _known(checker: _Checker | None, column: Column) -> set[Any] | None:
    """The keys other tables may refer to, or None when the table gives nothing to check against."""
    keys = checker.keys(column) if checker is not None and checker.usable else set()
    return keys or None


def _areas(checker: _Checker | None) -> dict[int, Row]:
    areas: dict[int, Row] = {}
    for number, row in _rows(checker):
        if row["area"] in areas:
            checker.problem(f"分野番号 {row['area']} が重複しています({areas[row['area']]['_source'].row}行目にもあります)",
                            row=number, column=AREAS.column("area"), value=str(row["area"]))
            continue
        areas[row["area"]] = row | {"_source": checker.source(number)}
    return areas


def _measures(checker: _Checker | None, areas: dict[int, Row], area_numbers: set[int] | None) -> dict[str, Row]:
    measures: dict[str, Row] = {}
    for number, row in _rows(checker):
        if row["id"] in measures:
            checker.problem(f"施策番号が重複しています({measures[row['id']]['_source'].row}行目にもあります)",
                            row=number, column=MEASURES.column("id"), value=row["id"])
            continue
        if area_numbers is not None and row["area"] not in area_numbers:
            checker.problem(f"分野の表にない分野番号です(分野の表にあるのは {_listing(area_numbers)})",
                            row=number, column=MEASURES.column("area"), value=str(row["area"]))
            continue
        measures[row["id"]] = row | {"_source": checker.source(number), "_metrics": []}
    return measures


def _metrics(checker: _Checker | None, measures: dict[str, Row], measure_ids: set[str] | None,
             as_of: dt.date | None = None) -> None:
    """The metrics rows into their measures; `as_of` (koho.toml [data] as_of) where a row has no 時点."""
    seen: dict[tuple[str, str, int, bool], int] = {}
    for number, row in _rows(checker):
        if measure_ids is not None and row["measure"] not in measure_ids:
            checker.problem(f"施策の表にない施策番号です(施策の表にあるのは {_listing(measure_ids)})",
                            row=number, column=METRICS.column("measure"), value=row["measure"])
            continue
        if row["measure"] not in measures:
            continue  # the measure's own row has a problem, reported there
        year, calendar = row["fiscal_year"]
        calendar = calendar or bool(row.get("year_kind"))
        key = (row["measure"], row["label"], year, calendar)
        if key in seen:
            checker.problem(f"同じ施策・指標名・年度の実績が重複しています({seen[key]}行目にもあります)",
                            row=number, column=METRICS.column("fiscal_year"))
            continue
        seen[key] = number
        value, typed_unit = row["value"]
        unit = row["unit"] or ("%" if typed_unit == "%" else "")
        conflicts = unit_conflicts(row, unit)
        for column, message, typed in conflicts:
            checker.problem(message, row=number, column=METRICS.column(column), value=typed)
        if conflicts:
            continue
        indicator = metric_fields(row)
        measures[row["measure"]]["_metrics"].append(Metric(
            measure=row["measure"], label=row["label"], fiscal_year=year, value=value,
            unit=unit, as_of=row["as_of"] or as_of, note=row["note"] or "", chart=row["chart"] or "",
            calendar=calendar, source=checker.source(number), **indicator))


def _build_areas(areas: dict[int, Row], measures: dict[str, Row]) -> tuple[Area, ...]:
    result = []
    for index, number in enumerate(sorted(areas)):
        row = areas[number]
        area_measures = tuple(
            Measure(id=m["id"], area=number, vision=m["vision"], actions=m["actions"] or (),
                    status=m["status"] or "", department=m["department"] or "",
                    featured=True if m["featured"] is None else m["featured"],
                    metrics=tuple(m["_metrics"]), source=m["_source"])
            for m in measures.values() if m["area"] == number
        )
        result.append(Area(number=number, title=row["title"], subtitle=row["subtitle"] or "",
                           color=row["color"] or area_color(index), measures=area_measures,
                           source=row["_source"]))
    return tuple(result)


YEAR_GAP = 3  # fiscal years further than this from every other year of the data look like typos


def current_fiscal_year(today: dt.date | None = None) -> int:
    """The fiscal year (starting 1 April) of today in Japan."""
    return fiscal_year_of(today or japan_today())


def _year_warnings(metrics: list[Metric]) -> list[Problem]:
    """A fiscal year far from the others (令和15年度 among 令和4–5年度), or after next fiscal year,
    changes the period and the figures printed: a warning naming each such cell."""
    rows: dict[int, list[Metric]] = {}
    for metric in metrics:
        rows.setdefault(metric.fiscal_year, []).append(metric)
    groups: list[list[int]] = []
    for year in sorted(rows):
        if groups and year - groups[-1][-1] <= YEAR_GAP:
            groups[-1].append(year)
        else:
            groups.append([year])
    main = max(groups, key=lambda g: sum(len(rows[y]) for y in g)) if groups else []
    latest = current_fiscal_year() + 1
    column = METRICS.column("fiscal_year")
    problems = []
    for year in sorted(rows):
        if year in main and year <= latest:
            continue
        reasons = ([f"ほかの年度({period_label(main)})から離れています"] if year not in main else [])
        reasons += [f"来年度({fiscal_year_label(latest)})より先の年度です"] if year > latest else []
        reason = "。".join(reasons)
        for metric in rows[year]:
            problems.append(Problem(metric.source.file, f"{reason}。入力の誤りではありませんか(年度は期間と"
                                    "グラフを決めます)", sheet=metric.source.sheet, row=metric.source.row,
                                    column=column.name, column_label=column.label,
                                    value=fiscal_year_label(year), severity="warning"))
    return problems


def _unmatched_years(config: Config, metrics: list[Metric], toml: bytes) -> list[Problem]:
    """`years` in koho.toml that no figure has: the newsletter would drop every figure of them."""
    present = {m.fiscal_year for m in metrics}
    missing = [year for year in config.years if year not in present]
    if not missing:
        return []
    line = line_of(toml.decode("utf-8-sig", errors="replace"), "years")
    have = period_label(sorted(present)) if present else "なし"
    return [Problem(CONFIG_NAME, f"実績のデータにない年度です(データにある年度: {have})", row=line,
                    column="years", value=fiscal_year_label(year)) for year in missing]


def load_project(path: Path, progress: Callable[[str], None] | None = None) -> Project:
    """Locate, read and check a project. Raises DataError listing every problem found.

    `progress`, if given, is told "check" when reading is done and checking starts.
    """
    files = locate(path)
    contents, problems = read_inputs(files)
    config = None
    try:
        if files.config is None or files.config in contents:
            config, warnings = load_config(files.config, contents.get(files.config))
            problems += warnings
    except DataError as error:
        problems += error.problems
    provenance = None
    if files.source is not None:  # koho import: the city's own table through koho.toml's [import]
        from report.ingest.project import import_tables

        imported, _, found = import_tables(files, contents)
        problems += found
        tables, provenance = (imported.tables, imported.provenance) if imported else ({}, None)
    else:
        tables, unreadable = read_tables(files, contents)
        problems += unreadable
    if progress is not None:
        progress("check")
    checkers = {name: _Checker(raw, problems) for name, raw in tables.items()}
    for checker in checkers.values():
        problems += era_notes(checker.raw, checker.positions)
    area_checker, measure_checker = checkers.get(AREAS.name), checkers.get(MEASURES.name)
    areas = _areas(area_checker)
    measures = _measures(measure_checker, areas, _known(area_checker, AREAS.column("area")))
    _metrics(checkers.get(METRICS.name), measures, _known(measure_checker, MEASURES.column("id")),
             config.data.as_of if config is not None else None)
    metrics = [metric for m in measures.values() for metric in m["_metrics"]]
    problems += _year_warnings(metrics)
    if config is not None:
        configured = [files.root / name for name in (config.build.output, config.build.html) if name]
        problems += outside_problems(configured, files.root)
        problems += [p for target in configured for p in target_problems(target)]
        if config.print.icc_profile:
            problems += [p for p in [check_profile(files.root, config.print.icc_profile)] if p]
        if METRICS.name in tables:
            problems += _unmatched_years(config, metrics, contents.get(files.config, b""))
        problems += check_indicators(metrics, config.rates.method)
        if files.source is None:  # an import asks its own open questions (report.ingest.ask), each once
            problems += undecided_questions(metrics)
        problems += city_grade_problems(metrics, config.rates, config.grades)
        problems += off_scale_problems(((m["_source"], m["status"]) for m in measures.values()), config.status)
    if provenance is not None:  # every problem about imported data named at its source cell
        problems = provenance.resolve_all(problems)
    if config is None or any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return Project(config=config, files=files, areas=_build_areas(areas, measures),
                   warnings=tuple(problems), inputs=contents, tables=tables, provenance=provenance)
