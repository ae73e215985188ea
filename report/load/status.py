"""The 進捗 column against the project's status scale (koho.toml [status]).

A status is on the scale when it is one of the scale's words, its symbol, or both (「◎達成」「◎ 達成」),
width and spaces aside. Anything else is printed as typed, without a symbol, counted as その他, and
named by a warning: a word koho does not know is never given a category (達成済 is not 達成,
達成困難 even less).
"""

from __future__ import annotations

from collections.abc import Iterable

from report.load.model import Source
from report.load.tables.schema import MEASURES
from report.load.values.text import status_key
from report.problems import Problem

Scale = tuple[tuple[str, str], ...]  # (word, symbol), best first


def scale_entry(text: str, scale: Scale) -> tuple[str, str] | None:
    """The (word, symbol) of the scale that `text` names, or None (empty or off the scale)."""
    value = status_key(text)
    if not value:
        return None
    for word, symbol in scale:
        if value in (status_key(word), status_key(symbol), status_key(symbol) + status_key(word)):
            return word, symbol
    return None


def scale_words(scale: Scale) -> str:
    """「◎ 達成、○ 実施中、△ 着手、× 未着手」."""
    return "、".join(f"{symbol} {word}".strip() for word, symbol in scale)


def _hint(text: str, scale: Scale) -> str:
    """「「達成」のことなら、そう書いてください。」 when a scale word is part of the value (the longest), else ''."""
    value = status_key(text)
    near = [word for word, _ in scale if status_key(word) and status_key(word) in value]
    return f"「{max(near, key=len)}」のことなら、そう書いてください。" if near else ""


def off_scale_problems(statuses: Iterable[tuple[Source, str]], scale: Scale) -> list[Problem]:
    """A warning naming every 進捗 cell (its row's source and text) whose word is not on the scale."""
    return [_off_scale(source, text, scale) for source, text in statuses
            if text and scale_entry(text, scale) is None]


def _off_scale(source: Source, text: str, scale: Scale) -> Problem:
    column = MEASURES.column("status")
    return Problem(source.file, f"進捗の言葉が koho.toml の [status] にありません(使える言葉: {scale_words(scale)})。"
                   f"{_hint(text, scale)}記号なしでそのまま載せ、分野別の集計では「その他」に数えます"
                   "(言葉を直すか、[status] に加えてください)",
                   sheet=source.sheet, row=source.row, column=column.name, column_label=column.label, value=text,
                   severity="warning")
