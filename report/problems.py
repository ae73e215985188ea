"""Problems found in a project, and the error that reports all of them at once."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as a spreadsheet user would find it."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    column_label: str | None = None
    value: str | None = None
    severity: str = "error"

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"シート「{self.sheet}」")
        if self.row is not None:
            parts.append(f"{self.row}行目")
        if self.column:
            label = f"「{self.column_label}」({self.column})" if self.column_label else self.column
            parts.append(f"列{label}")
        return " ".join(parts)

    def __str__(self) -> str:
        value = f" 値「{self.value}」:" if self.value is not None else ""
        return f"{self.location()}:{value} {self.message}"


class KohoError(click.ClickException):
    """An error koho reports to its user with a message and exit status 1, never a traceback."""

    exit_code = 1

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"エラー: {self.format_message()}", err=True, file=file)


class DataError(KohoError):
    """The project's data or configuration has problems; all of them are listed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        lines = [f"入力データに{len(errors)}件の問題があります。"]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))
