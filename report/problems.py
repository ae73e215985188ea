"""Problems found in a project, and the error that reports all of them at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import click


def shorten(text: str, limit: int = 60) -> str:
    """A cell's text on one line, cut at `limit` characters (messages quote it; JSON has it whole)."""
    line = text.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵")
    return line if len(line) <= limit else line[:limit] + "…"


OS_REASONS = {  # errno name → what the user can do about it
    "ENOSPC": "ディスクがいっぱいです", "EDQUOT": "ディスクの割り当てを超えました",
    "EROFS": "読み取り専用の場所です", "EACCES": "権限がありません", "EPERM": "権限がありません",
    "ENOTDIR": "途中にフォルダでないファイルがあります", "EISDIR": "フォルダです",
    "ENOENT": "見つかりません", "EEXIST": "同じ名前のファイルがあります", "ENAMETOOLONG": "名前が長すぎます",
    "EIO": "入出力エラーです",
}


def os_reason(error: OSError) -> str:
    """An OSError in the user's words: 「ディスクがいっぱいです」, with the system's own text."""
    import errno

    name = errno.errorcode.get(error.errno or 0, "")
    return OS_REASONS.get(name, error.strerror or type(error).__name__)


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
    severity: str = "error"  # error / warning / question (asked in the import's mapping) / info
    cell: str | None = None  # the A1 reference in the source, for imported data (then printed for the row)

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"シート「{self.sheet}」")
        if self.cell:
            parts.append(f"セル{self.cell}")
        elif self.row is not None:
            parts.append(f"{self.row}行目")
        if self.column and self.names_setting:
            parts.append(f"設定 {self.column}")
        elif self.column:
            label = f"「{self.column_label}」({self.column})" if self.column_label else self.column
            parts.append(f"列{label}")
        return " ".join(parts)

    @property
    def names_setting(self) -> bool:
        """Whether `column` names a setting of a .toml file (「設定 first_page」), not a table's column."""
        return self.file.lower().endswith(".toml")

    def __str__(self) -> str:
        value = f" 値「{shorten(self.value)}」:" if self.value is not None else ""
        return f"{self.location()}:{value} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready fields (`koho validate --format json`); `cell` only where known."""
        fields = asdict(self)
        if self.cell is None:
            del fields["cell"]
        return fields


SEVERITY_PREFIX = {"warning": "注意: ", "question": "質問: ", "info": "お知らせ: "}


def counts(problem: Problem, strict: bool = False) -> bool:
    """Whether a problem stops the work: an error always; a warning or a question with --strict;
    an info line never (it says what was done, e.g. a new year column read)."""
    return problem.severity == "error" or (strict and problem.severity != "info")


class KohoError(click.ClickException):
    """An error koho reports to its user with a message and exit status 1, never a traceback."""

    exit_code = 1

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"エラー: {self.format_message()}", err=True, file=file)


class DataError(KohoError):
    """The project's data or configuration has problems; all of them are listed.

    With `strict`, warnings count as problems too (`--strict`). `subject` names what was checked.
    """

    def __init__(self, problems: Iterable[Problem], strict: bool = False, subject: str = "入力データ") -> None:
        self.problems = list(problems)
        counted = [p for p in self.problems if counts(p, strict)]
        lines = [f"{subject}に{len(counted)}件の問題があります。"
                 + ("(--strict のため、注意も問題として扱います)" if strict else "")]
        lines += [f"  - {SEVERITY_PREFIX.get(p.severity, '')}{p}" for p in self.problems]
        super().__init__("\n".join(lines))


def fail_on(problems: Iterable[Problem], strict: bool = False, subject: str = "入力データ") -> None:
    """Raise DataError listing every problem if any is an error (or, with `strict`, any at all)."""
    problems = list(problems)
    if any(counts(p, strict) for p in problems):
        raise DataError(problems, strict=strict, subject=subject)


def unexpected(error: BaseException) -> KohoError:
    """An error koho did not foresee, as a message naming what failed (and the file, if any)."""
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return KohoError(f"{where}ファイルを読み書きできません({os_reason(error)})")
    if isinstance(error, RecursionError):
        return KohoError("入れ子が深すぎるデータのため処理できません")
    if isinstance(error, MemoryError):
        return KohoError("メモリが足りません")
    return KohoError(f"予期しない問題で止まりました({type(error).__name__}: {str(error)[:300]})。"
                     "KOHO_DEBUG=1 をつけて実行すると詳細が表示されます")
