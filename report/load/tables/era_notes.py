"""Notes on cells that write a year in an era after its end (平成32年度 = 令和2年度)."""

from __future__ import annotations

from report.load.values.era import overrun_note
from report.problems import Problem
from report.load.tables.readers import RawTable


def era_notes(raw: RawTable, positions: dict[str, int]) -> list[Problem]:
    """A warning for every fiscal-year or date cell written in an era after its end, naming the cell."""
    notes: list[Problem] = []
    for column in raw.table.columns:
        position = positions.get(column.name)
        kind = "fiscal_year" if column.kind == "metric_year" else column.kind
        if position is None or kind not in ("fiscal_year", "date"):
            continue
        for number, cells in zip(raw.rows.numbers, raw.rows.cells):
            text = str(cells[position])
            try:
                note = overrun_note(text, kind)
            except ValueError:
                continue  # an unreadable cell is reported as an error by the checker
            if note:
                notes.append(Problem(raw.file, note, sheet=raw.sheet, row=int(number), column=column.name,
                                     column_label=column.label, value=text.strip(), severity="warning"))
    return notes
