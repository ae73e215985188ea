"""`koho import`: a project from the city's own spreadsheet. The source is put in the project (copied
into PROJECT/data/ when it is outside) and referenced, not converted, by the `[import]` mapping that
detection drafts into koho.toml; the summary says what was found and what was assumed, and
`--explain` shows cell by cell what was taken as header, data, note or hierarchy and what was dropped."""

from __future__ import annotations

import shutil
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from report.ingest.apply import ImportedTables, apply
from report.ingest.ask import settle, write_settings
from report.ingest.sheets.headers import header_key
from report.ingest.mapping import MEANING_LABELS, Mapping, draft_mapping, write_mapping
from report.ingest.sheets.model import Grid, Meaning, column_letter
from report.load.values.era import fiscal_year_label
from report.load.project.sources import CONFIG_NAME
from report.problems import KohoError, Problem


@dataclass
class ImportResult:
    """What `koho import` did, for the summary it prints."""

    project: Path
    config: Path
    source: Path  # the source inside the project
    copied_from: Path | None  # the source given, when it was copied into the project
    created_config: bool
    mapping: Mapping
    imported: ImportedTables
    problems: list[Problem] = field(default_factory=list)


def default_project(source: Path) -> Path:
    """The project of a source: the project it already sits in (PROJECT/ or PROJECT/data/), else a
    folder beside it named after it."""
    for folder in (source.parent, source.parent.parent if source.parent.name == "data" else None):
        if folder is not None and (folder / CONFIG_NAME).is_file():
            return folder
    return source.parent / source.stem


def _grid(source: Path) -> Grid:
    from report.ingest.sheets.grid import read_grid

    if source.is_dir():
        raise KohoError(f"{source} はフォルダです。市の表のファイル(.xlsx・.xlsm・.csv)を指定してください"
                        f" / {source} is a folder: give the city's workbook or CSV file")
    if not source.is_file():
        raise KohoError(f"{source}: ファイルが見つかりません / file not found")
    return read_grid(source)


def project_source(folder: Path) -> Path | None:
    """The source a project's [import] names (`koho import PROJECT` drafts it again), or None."""
    from report.load.project.sources import import_source

    config = folder / CONFIG_NAME
    return import_source(folder.resolve(), config) if folder.is_dir() and config.is_file() else None


def _place_source(source: Path, project: Path) -> tuple[Path, Path | None]:
    """The source's path inside the project; a source outside is copied into PROJECT/data/ (a
    different file of that name there is never overwritten)."""
    if source.resolve().is_relative_to(project.resolve()):
        return source.resolve(), None
    target = project / "data" / source.name
    if target.exists() and target.read_bytes() != source.read_bytes():
        raise KohoError(f"{target} に別の内容の同じ名前のファイルがあります。元の表をそこに置くか、別のプロジェクトを指定してください"
                        f" / {target} exists with other contents")
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        shutil.copy2(source, target)
    return target.resolve(), source


def import_project(source: Path, project: Path | None = None, interactive: bool = False) -> ImportResult:
    """Draft the mapping of `source` into PROJECT/koho.toml (made from koho's commented skeleton
    when missing; otherwise only its [import] table is replaced) and read the source through it.
    What the file cannot say is asked on a terminal (`interactive`), else written as questions."""
    from report.commands.init import SKELETON
    from report.output import write_atomic
    from report.ingest.sheets.detect import detect

    source = Path(source)
    if project is None and (named := project_source(source)) is not None:
        source, project = named, source  # `koho import PROJECT`: its own source, drafted again
    grid = _grid(source)
    project = Path(project) if project is not None else default_project(source)
    if project.exists() and not project.is_dir():
        raise KohoError(f"{project} はフォルダではありません / {project} is not a folder")
    layouts, skipped = detect(grid)
    if not layouts:
        reasons = "、".join(f"「{s.name}」({s.reason})" for s in skipped) or "なし"
        raise KohoError(f"{source.name}: 表が見つかりません(読まなかったシート: {reasons})")
    project.mkdir(parents=True, exist_ok=True)
    placed, copied_from = _place_source(source, project)
    relative = placed.relative_to(project.resolve()).as_posix()
    config = project / CONFIG_NAME
    mapping = with_previous(draft_mapping(grid, layouts, skipped, relative), config)
    created = not config.exists()
    if created:
        skeleton = SKELETON.read_bytes()
        write_atomic(config, lambda stream: stream.write(skeleton))
    mapping, decisions = settle(mapping, grid, interactive)  # ask, never guess (report/ingest/ask.py)
    write_mapping(mapping, config)
    write_settings(config, decisions)  # [rates]/[grades] learned from the city's own columns
    imported = apply(mapping, grid, decisions)  # settle's decisions are the written mapping's
    return ImportResult(project, config, placed, copied_from, created, mapping, imported,
                        [*grid.problems, *imported.problems])


def with_previous(mapping: Mapping, config: Path) -> Mapping:
    """A new draft keeping what the project's current mapping says (the mapping is the truth): each
    column's meaning and reading where its header is the same, the answers given, attach_source."""
    from report.ingest.project import mapping_of

    if not config.is_file():
        return mapping
    try:
        previous, _ = mapping_of(config.read_bytes())
    except (OSError, UnicodeDecodeError, ValueError):  # a koho.toml that does not parse: a fresh draft
        return mapping
    said = {(header_key(c.header), c.yearly): c for t in previous.tables for c in t.columns if c.meaning is not None}
    tables = tuple(replace(table, columns=tuple(said.get((header_key(c.header), c.yearly), c) for c in table.columns))
                   for table in mapping.tables)
    return replace(mapping, tables=tables, questions=tuple(q for q in previous.questions if q.answer),
                   attach_source=previous.attach_source)


def _span(rows: tuple[int, ...]) -> str:
    if not rows:
        return "なし"
    return f"{rows[0]}行目" if len(rows) == 1 else f"{rows[0]}〜{rows[-1]}行目"


def _unanswered(mapping: Mapping, column) -> bool:  # noqa: ANN001 - a PlacedColumn
    """Whether a column's reading waits for an answer (列:… or 階層:施策 still open)."""
    from report.ingest.readings import HIERARCHY_ID, column_id

    asked = [mapping.question(column_id(column.header)), mapping.question(HIERARCHY_ID)]
    return any(q is not None and not q.answer for q in asked)


def summary(result: ImportResult) -> list[str]:
    """What was found and what was assumed, in Japanese, line by line."""
    lines = [f"元の表: {result.source}"]
    if result.copied_from is not None:
        lines.append(f"  {result.copied_from} をプロジェクトの data/ にコピーしました(プロジェクトだけで完結するように)")
    lines.append(f"設定: {result.config}({'新しくつくりました' if result.created_config else '[import] の表だけを書き換えました'})")
    for table in result.imported.placed:
        rule = table.rule
        lines.append(f"表「{rule.name}」: シート「{table.sheet.name or result.source.name}」、見出し {_span(table.header_rows)}、"
                     f"データ {_span(table.body_rows)}、注記 {_span(table.note_rows)}")
        hierarchy = [f"{MEANING_LABELS[c.rule.meaning]} = 列{column_letter(c.column)}「{c.header}」({c.rule.read})"
                     for c in table.columns if c.rule.meaning in (Meaning.AREA, Meaning.MEASURE)]
        if rule.area_from != "列":
            hierarchy.insert(0, f"分野 = {rule.area_from}")
        lines.append("  階層: " + ("、".join(hierarchy) or "なし"))
        years = sorted({c.year.year for c in table.columns if c.year is not None})
        if years:
            lines.append("  年度: 見出しに書かれた年度(" + "、".join(fiscal_year_label(y) for y in years) + ")。"
                         "来年度の列が増えても設定を書き直さずに読みます")
        for column in table.columns:
            meaning = MEANING_LABELS[column.rule.meaning] if column.rule.meaning else "?(わかりません)"
            aside = "(数値としては読みません)" if column.rule.meaning in (Meaning.RATE, Meaning.GRADE) else ""
            if column.as_drafted is not None and _unanswered(result.mapping, column):
                meaning, aside = "?", "(質問に答えるまで読みません)"  # report/ingest/readings.py
            lines.append(f"  列{column_letter(column.column)}「{column.header}」→ {meaning}{aside}")
    for question in result.mapping.questions:
        if question.answer and question.evidence:
            lines.append(f"表に書かれていたこと: {question.id} → {question.answer}(根拠: {question.evidence})")
    for sheet in result.mapping.skipped:
        lines.append(f"読まないシート: 「{sheet.name}」({sheet.reason})")
    tables = result.imported.tables
    lines.append(f"読んだ結果: {len(tables['areas'].frame)}分野、{len(tables['measures'].frame)}施策、"
                 f"{len(tables['metrics'].frame)}件の実績")
    for problem in result.problems:
        prefix = {"question": "質問", "info": "お知らせ", "warning": "注意"}.get(problem.severity, "誤り")
        lines.append(f"{prefix}: {problem}")
    return lines


# --- koho import --explain: the source, cell by cell --------------------------------------------

ROLE_MARKS = {"title": "題", "header": "見", "hierarchy": "階", "data": "値", "note": "注", "dropped": "×"}
LEGEND = "題=表の上の行(表題・日付) 見=見出し 階=階層(分野・施策) 値=データ 注=注記 ×=読まない(理由は下に)"
CELL_WIDTH = 12
MAX_COLUMNS = 12


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int) -> str:
    shown = ""
    for char in " ".join(text.split()):
        if _width(shown + char) > width:
            break
        shown += char
    return shown + " " * (width - _width(shown))


def roles(imported: ImportedTables) -> dict[tuple[str | None, int, int], tuple[str, str]]:
    """(sheet, row, column) → (role, why) for every cell the import looked at."""
    found: dict[tuple[str | None, int, int], tuple[str, str]] = {}
    for table in imported.placed:
        sheet = table.sheet
        placed = {c.column: c for c in table.columns}
        for (row, column) in sheet.cells:
            key = (sheet.name, row, column)
            if row in table.header_rows:
                found[key] = ("header", "")
            elif row in table.note_rows:
                found[key] = ("note", "")
            elif row in table.body_rows:
                rule = placed.get(column)
                if rule is None:
                    found[key] = ("dropped", "見出しが設定にない列")
                elif rule.rule.meaning in (Meaning.AREA, Meaning.MEASURE):
                    found[key] = ("hierarchy", "")
                elif rule.rule.meaning in (None, Meaning.IGNORED):
                    found[key] = ("dropped", "読まない列" if rule.rule.meaning else "意味のわからない列")
                else:
                    found[key] = ("data", "")
            elif row < table.header_rows[0] and key not in found:
                found[key] = ("title", "")
    for key, why in imported.dropped.items():
        found[key] = ("dropped", why)
    return found


def explain(grid: Grid, imported: ImportedTables) -> list[str]:
    """The source as a table in the terminal, each cell marked with what the import took it as."""
    found = roles(imported)
    lines = [LEGEND]
    for sheet in grid.sheets:
        lines.append("")
        lines.append(f"シート「{sheet.name}」" if sheet.name else grid.file)
        if not any(key[0] == sheet.name for key in found):
            lines.append("  (読みません)")
            continue
        shown = min(sheet.max_column, MAX_COLUMNS)
        lines.append("     " + "".join(_fit(column_letter(c), CELL_WIDTH) for c in range(1, shown + 1)))
        for row in range(1, sheet.max_row + 1):
            texts = [sheet.text(row, c) for c in range(1, shown + 1)]
            if not any(texts):
                continue
            cells = []
            for column, text in enumerate(texts, start=1):
                role = found.get((sheet.name, row, column))
                mark = ROLE_MARKS[role[0]] if role else ("・" if text else "")
                cells.append(_fit(f"{mark}{text}" if text else "", CELL_WIDTH))
            lines.append(f"{row:>4} " + "".join(cells).rstrip())
        if sheet.max_column > shown:
            lines.append(f"     (ほかに{sheet.max_column - shown}列。列{column_letter(shown + 1)}から先は省略)")
        dropped = [(row, column, why) for (name, row, column), (role, why) in sorted(
            found.items(), key=lambda item: (item[0][1], item[0][2])) if name == sheet.name and role == "dropped"]
        for row, column, why in dropped:
            lines.append(f"  × セル{column_letter(column)}{row}「{sheet.text(row, column)[:20]}」: {why}")
    return lines


def explain_source(source: Path) -> list[str]:
    """`koho import SOURCE --explain`: a project's own mapping when SOURCE is a project (or its
    koho.toml), else the mapping detection drafts; nothing is written."""
    from report.ingest.sheets.detect import detect
    from report.ingest.project import mapping_of

    source = Path(source)
    folder = source if source.is_dir() else source.parent if source.name == CONFIG_NAME else None
    if folder is not None:
        config = folder / CONFIG_NAME
        path = project_source(folder)
        if path is None:
            raise KohoError(f"{folder}: koho.toml に [import] の表がありません(koho import 元の表 で下書きできます)")
        mapping, problems = mapping_of(config.read_bytes())
        if problems and any(p.severity == "error" for p in problems):
            from report.problems import DataError

            raise DataError(problems)
        grid = _grid(path)
    else:
        grid = _grid(source)
        layouts, skipped = detect(grid)
        mapping = draft_mapping(grid, layouts, skipped, source.name)
    return explain(grid, apply(mapping, grid))
