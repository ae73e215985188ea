"""Ask, never guess (issue 22 item 4): the import's findings decided, asked or left open.

`decide(mapping, grid)` gathers what the file states (evidence.py) and what its derived columns
teach (derived.py), takes the mapping's answers (the mapping is the truth), and gives:
- the fields each indicator row gets in koho's metrics table (方向, 累計, the label without its
  arrow) — where a question is open, the reading that prints nothing the file does not say: an
  undecided 累計 is each value as its own figure (未確定: no total, no rate, no grade); an
  undecided direction is left empty (koho's default and warning for typed data);
- [rates] and [grades] learned from the city's own columns, for koho.toml;
- problems: a cell breaking the city's own method (warning), and each open question not yet in
  the mapping (severity `question`, naming the source cell; placing.py names those in the mapping).
`koho import` then asks on a terminal (`ask_on_terminal`, one answer may cover the rest of a group)
or, without one, writes the questions with their candidates into the mapping (`settle`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from report.ingest.derived import (GradeLesson, RateLesson, cumulative_from_rate, direction_from_rate, learn_grades,
                                   learn_rates, rate_cells)
from report.ingest.evidence import (ADDS_UP, ALL_YEARS, DOWN, RUNNING, UP, Indicator, as_of_finding, as_of_row,
                                    department_finding,
                                    block_year_findings, cumulative_finding, direction_finding, grade_findings,
                                    indicators_of, is_cumulative_indicator, note_lines)
from report.ingest.mapping import Mapping, Question, question_problem
from report.ingest.sheets.model import CellRef, Grid
from report.ingest.placing import PlacedTable, place_tables
from report.ingest.readings import reading_findings
from report.load.indicators import UNDECIDED_WORD
from report.problems import Problem

CUMULATIVE_FIELD = {RUNNING: "累計値", ADDS_UP: "累計"}  # the answer → koho's 累計 column
UNDECIDED_CUMULATIVE = UNDECIDED_WORD  # 未確定 until answered: each value its own figure, no total, no rate
ALL_REST = "(残りすべて)"


@dataclass
class Decisions:
    """What the import decided, asked and learned (see the module's docstring)."""

    findings: list[Question] = field(default_factory=list)  # answered (with evidence) and open, by id
    # the metrics fields of each indicator, by (sheet, row, its 指標名 column): a row may hold several (slots)
    fields: dict[tuple[str | None, int, int], dict[str, tuple[str, CellRef | None]]] = field(default_factory=dict)
    measure_fields: dict[tuple[str | None, int], dict[str, tuple[str, CellRef | None]]] = field(default_factory=dict)
    rates: dict[str, object] = field(default_factory=dict)
    grades: dict[str, dict[str, object]] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)  # grade word → symbol, from the answers
    problems: list[Problem] = field(default_factory=list)
    lessons: list[tuple[str, RateLesson, GradeLesson]] = field(default_factory=list)
    as_of: dict[str, tuple[int | None, str, CellRef]] = field(default_factory=dict)  # table → (year or all, day, cell)
    departments: dict[str, tuple[str, CellRef]] = field(default_factory=dict)  # table → the answered 担当課

    @property
    def open(self) -> list[Question]:
        return [q for q in self.findings if not q.answer]

    @property
    def answered(self) -> list[Question]:
        return [q for q in self.findings if q.answer]


def _merge(found: Question, mapping: Mapping) -> Question:
    """The mapping's answer wins (it is the truth); otherwise what the file states, or the question."""
    given = mapping.question(found.id)
    if given is not None and given.answer:
        return replace(found, answer=given.answer, evidence=given.evidence or "koho.toml の回答",
                       question=found.question or given.question)
    return found


def decide(mapping: Mapping, grid: Grid, placed: list[PlacedTable] | None = None) -> Decisions:
    """The findings of every placed table (see the module's docstring)."""
    if placed is None:
        placed = place_tables(mapping, grid)[0]
    decisions = Decisions()
    seen: dict[str, Question] = {}

    def note(question: Question) -> Question:
        question = _merge(question, mapping)
        if question.id not in seen:
            seen[question.id] = question
            decisions.findings.append(question)
        return seen[question.id]

    for table in placed:
        notes = note_lines(table)
        indicators = indicators_of(table)
        for question in [*block_year_findings(table), *reading_findings(table)]:
            note(question)
        stated = {item.name: _merge(direction_finding(item), mapping) for item in indicators}
        running = {item.name for item in indicators if "累計" not in item.label}
        lesson = learn_rates(rate_cells(indicators, {n: q.answer for n, q in stated.items()}, running),
                             grid.file, table.rule.name)
        directions = {}
        for item in indicators:
            finding = stated[item.name]
            if not finding.answer and (from_rate := direction_from_rate(item, lesson)) is not None:
                finding = replace(finding, question="", answer=from_rate[0], evidence=from_rate[1])
            directions[item.name] = note(finding).answer
        if lesson.question is not None:
            note(lesson.question)
        for item in indicators:
            if is_cumulative_indicator(item):
                cumulative = _cumulative(item, notes, lesson, directions, mapping)
                note(cumulative)
        grades = learn_grades(indicators, notes, lesson, directions, grid.file)
        for question in grade_findings(indicators, notes):
            note(question)
        decisions.lessons.append((table.rule.name, lesson, grades))
        for learned in _lesson_findings(table, lesson, grades):
            note(learned)
        decisions.problems += lesson.breaks + grades.breaks
        if lesson.learned and not decisions.rates:
            decisions.rates = lesson.settings()
        for item in indicators:
            decisions.fields[(item.sheet, item.row, item.label_ref.column)] = _row_fields(item, seen)
        for item in indicators:
            status = _grade_status(item, seen)
            if status:
                decisions.measure_fields[(item.sheet, item.row)] = status
        _table_as_of(table, note, decisions)
        if (named := department_finding(table)) is not None and (given := note(named[0]).answer):
            decisions.departments[table.rule.name] = (given, named[1])  # the title block's 「所管：…」
    banded = next((grades for _, _, grades in decisions.lessons if grades.bands), None)
    if banded is not None:  # after every table: each letter's answer is known
        if not mapping.grades_as_given:  # as given: the city's own grade is printed, koho computes none
            decisions.grades = banded.settings(_grade_symbols(seen))
        answers = [_word_symbol(seen[f"評価:{b.letter}"].answer) for b in banded.bands
                   if f"評価:{b.letter}" in seen and seen[f"評価:{b.letter}"].answer]
        decisions.status = {word: symbol for word, symbol in answers if symbol}
    asked = {q.id for q in mapping.questions}
    for question in decisions.open:
        if question.id not in asked:
            decisions.problems.append(question_problem(question, grid.file))
    return decisions


def _table_as_of(table: PlacedTable, note: Callable[[Question], Question], decisions: Decisions) -> None:
    """A table-wide date above the header (「令和6年3月31日現在」): asked which years it dates; once
    answered, the 時点 of those years' rows (a row's own 時点 column wins)."""
    from report.ingest.sheets.model import Meaning
    from report.clock import fiscal_year_of
    from report.load.values.era import fiscal_year_label, parse_date, parse_fiscal_year

    years = sorted({c.year.year for c in table.columns if c.rule.meaning is Meaning.VALUE and c.year is not None
                    and not c.year.provisional})
    finding = as_of_finding(table, years)
    if finding is None:
        return
    answer = note(finding).answer
    if not answer:
        return
    day, ref = as_of_row(table)
    if answer == ALL_YEARS:
        decisions.as_of[table.rule.name] = (None, day, ref)
        return
    try:
        year = parse_fiscal_year(answer.strip())
    except ValueError:
        return  # an answer that names no year: no 時点 is written (nothing the file does not say)
    try:
        date = parse_date(day)
    except ValueError:
        date = None
    if date is not None and fiscal_year_of(date) != year:
        decisions.problems.append(Problem(  # next year's workbook: the date row moved on, the answer did not
            table.sheet.file, f"表の上の日付「{day}」は{fiscal_year_label(year)}のものでは"
            f"ありません(質問「{finding.id}」の答えは「{answer}」)。日付の行が新しくなったときは、答えを書き直してください。"
            "それまで時点は載せません", sheet=ref.sheet, row=ref.row, cell=ref.a1, value=day, severity="warning"))
        return
    decisions.as_of[table.rule.name] = (year, day, ref)


def _lesson_findings(table: PlacedTable, lesson: RateLesson, grades: GradeLesson) -> list[Question]:
    """What the derived columns taught, recorded in the mapping as answered findings with evidence."""
    from report.ingest.evidence import cell_name

    found = []
    if lesson.learned:
        found.append(Question(f"達成率の計算:{table.rule.name}", (), "", ("ratio", "progress"),
                              lesson.settings()["method"], lesson.evidence))
    if grades.bands and grades.legend is not None:
        bands = "、".join(f"{b.letter}={b.word}" + (f"({b.minimum}%以上)" if b.minimum is not None else "")
                          for b in grades.bands)
        checked = f"。評価 {grades.checked} セルがこの段階で再現できます" if grades.checked and not grades.breaks else ""
        found.append(Question("評価の段階", (cell_name(grades.legend[1]),), "", (), bands,
                              f"凡例 {cell_name(grades.legend[1])}「{grades.legend[0]}」{checked}"))
    return found


def _cumulative(item: Indicator, notes, lesson: RateLesson, directions: dict[str, str], mapping: Mapping) -> Question:  # noqa: ANN001
    found = cumulative_finding(item, notes)
    if not found.answer:
        from_rate = cumulative_from_rate(item, lesson, directions.get(item.name) == DOWN)
        if from_rate is not None:
            found = replace(found, question="", answer=from_rate[0], evidence=from_rate[1])
    return found


def _word_symbol(answer: str) -> tuple[str, str]:
    word, _, symbol = answer.partition(" ")
    return word.strip(), symbol.strip()


def _grade_symbols(seen: dict[str, Question]) -> dict[str, str]:
    return {qid.split(":", 1)[1]: _word_symbol(q.answer)[1] for qid, q in seen.items()
            if qid.startswith("評価:") and q.answer}


def _row_fields(item: Indicator, seen: dict[str, Question]) -> dict[str, tuple[str, CellRef | None]]:
    """The metrics fields an indicator's rows get from the decisions."""
    from report.ingest.evidence import cumulative_id, direction_id

    fields: dict[str, tuple[str, CellRef | None]] = {}
    direction = seen.get(direction_id(item))
    if direction is not None and direction.answer in (UP, DOWN):
        fields["direction"] = (direction.answer, item.direction[1] if item.direction else item.label_ref)
    if is_cumulative_indicator(item):
        cumulative = seen.get(cumulative_id(item))
        word = CUMULATIVE_FIELD.get(cumulative.answer if cumulative else "", UNDECIDED_CUMULATIVE)
        fields["cumulative"] = (word, item.cumulative[1] if item.cumulative else item.label_ref)
    if item.name != item.label.strip() and any(a in item.label for a in "↑↓⇧⇩⬆⬇"):
        fields["label"] = (item.name, item.label_ref)
    return fields


def _grade_status(item: Indicator, seen: dict[str, Question]) -> dict[str, tuple[str, CellRef | None]]:
    """The measure's 進捗: the word of its grade letter once the city answered what the letter means
    (「A」 → 「達成」); nothing until then (no word the file does not say)."""
    import unicodedata

    if item.grade is None:
        return {}
    letter = unicodedata.normalize("NFKC", item.grade[0]).strip().upper()
    question = seen.get(f"評価:{letter}")
    if question is None or not question.answer:
        return {}
    return {"status": (_word_symbol(question.answer)[0], item.grade[1])}


# ---------------------------------------------------------------------------------------------
# Asking and recording


def ask_on_terminal(questions: list[Question], prompt: Callable[..., str] | None = None,
                    echo: Callable[[str], None] | None = None) -> list[Question]:
    """Each open question asked (click.prompt); an answer 「増加(残りすべて)」 covers the rest of
    its group (same kind: 方向, 累計, …). An empty answer leaves the question open."""
    import click

    prompt = prompt or click.prompt
    echo = echo or click.echo
    answered: list[Question] = []
    rest: dict[str, str] = {}
    for question in questions:
        kind = question.id.split(":", 1)[0]
        if kind in rest:
            answered.append(replace(question, answer=rest[kind], evidence="koho import での回答(まとめて)"))
            continue
        echo(f"\n質問({', '.join(question.cells)}): {question.question}")
        choices = list(question.candidates) + [f"{c}{ALL_REST}" for c in question.candidates]
        if choices:
            echo("  候補: " + " / ".join(choices) + "(空欄: あとで答える)")
        answer = str(prompt("答え", default="", show_default=False)).strip()
        if answer.endswith(ALL_REST) and answer[:-len(ALL_REST)] in question.candidates:
            answer = answer[:-len(ALL_REST)]
            rest[kind] = answer
        if answer and question.candidates and answer not in question.candidates:
            echo(f"  「{answer}」は候補にありません。あとで koho.toml に書いてください")
            answer = ""
        answered.append(replace(question, answer=answer, evidence="koho import での回答" if answer else ""))
    return answered


def settle(mapping: Mapping, grid: Grid, interactive: bool = False,
           prompt: Callable[..., str] | None = None, echo: Callable[[str], None] | None = None
           ) -> tuple[Mapping, Decisions]:
    """The mapping with every finding recorded: answers with their evidence, and the open
    questions asked on a terminal (`interactive`) or written with their candidates."""
    decisions = decide(mapping, grid)
    findings = decisions.findings
    if interactive and decisions.open:
        asked = {q.id: q for q in ask_on_terminal(decisions.open, prompt, echo)}
        findings = [asked.get(q.id, q) for q in findings]
    by_id = {q.id: q for q in findings}
    kept = [q for q in mapping.questions if q.id not in by_id]
    merged = replace(mapping, questions=tuple([*kept, *findings]))
    if interactive:
        decisions = decide(merged, grid)
    return merged, decisions


def _written_by_koho(table) -> bool:  # noqa: ANN001 - a tomlkit table
    """Whether a koho.toml table is the one an import wrote (its comment says koho import)."""
    return "(koho import)" in table.as_string() or "koho import での回答から" in table.as_string()


def write_settings(config_path, decisions: Decisions) -> list[str]:  # noqa: ANN001 - a Path
    """[rates], [grades] and [status] learned from the city's own columns, written into koho.toml
    where it has none yet or has the one an earlier import wrote (answers given since, such as a grade
    letter's symbol, change it); a table the city wrote is never replaced. Returns the tables written."""
    from pathlib import Path

    import tomlkit

    from report.output import write_atomic

    path = Path(config_path)
    document = tomlkit.parse(path.read_text(encoding="utf-8-sig")) if path.exists() else tomlkit.document()
    written = []
    for name, values, comment in (
            ("rates", decisions.rates, "達成率の計算方法: 元の表の達成率の列から読み取りました(koho import)"),
            ("grades", decisions.grades, "評価の段階: 元の表の評価の凡例(※注)から読み取りました(koho import)"),
            ("status", decisions.status, "進捗の言葉と記号: koho import での回答から")):
        if not values or (name in document and not _written_by_koho(document[name])):
            continue  # a table the city wrote is never replaced
        if name in document:
            if document[name].unwrap() == values:
                continue
            del document[name]  # koho's own, from an earlier import: the answers given since change it
        table = tomlkit.table()
        table.add(tomlkit.comment(comment))
        for key, value in values.items():
            if isinstance(value, dict):
                item = tomlkit.inline_table()
                item.update(value)
                table.add(key, item)
            else:
                table.add(key, value)
        if "import" in document:
            body = document["import"]
            del document["import"]
            document.add(name, table)
            document.add("import", body)
        else:
            document.add(name, table)
        written.append(name)
    if written:
        data = tomlkit.dumps(document).encode("utf-8")
        write_atomic(path, lambda stream: stream.write(data))
    return written
