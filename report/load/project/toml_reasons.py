"""A TOML syntax error (tomllib's English) as koho says it: line, column, and the reason in
Japanese with the parser's English after it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_WHERE_END = re.compile(r"\s*\(at end of document\)\s*$")
# tomllib's reasons (Python 3.11 to 3.13) → Japanese. Patterns: the English without its "(at …)".
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(english), japanese) for english, japanese in (
    (r"^Expected '=' after a key in a key/value pair$", "項目名の後に「=」がありません"),
    (r"^Expected newline or end of document after a statement$", "1行に書けるのは「項目名 = 値」一つです(値の後に余分な文字があります)"),
    (r"^Expected ']' at the end of a table declaration$", "表の名前を「]」で閉じてください"),
    (r"^Expected ']]' at the end of an array declaration$", "表の配列の名前を「]]」で閉じてください"),
    (r"^Expected '(?P<what>.*)'$", "「{what}」があるはずの所に別の文字があります"),
    (r"^Invalid statement$", "「項目名 = 値」の形になっていません"),
    (r"^Invalid initial character for a key part$", "項目名に使えない文字で始まっています(日本語の項目名は \"\" で囲みます)"),
    (r"^Invalid value$", "値の書き方が正しくありません(文字は \"\" で囲みます)"),
    (r"^Unclosed array$", "配列が「]」で閉じられていません"),
    (r"^Unclosed inline table$", "表が「}}」で閉じられていません"),
    (r"^Unterminated string$", "文字列が閉じられていません(\" が足りません)"),
    (r"^Unescaped '\\\\' in a string$", "文字列の中の「\\」は「\\\\」と書いてください"),
    (r"^Invalid hex value$", "\\u の後の16進数が正しくありません"),
    (r"^Escaped character is not a Unicode scalar value$", "\\u で書いた文字がありません"),
    (r"^Invalid date or datetime$", "日付または日時が正しくありません"),
    (r"^Cannot overwrite a value$", "同じ項目に二度値を書いています"),
    (r"^Cannot declare (?P<what>.*) twice$", "表 {what} を二度書いています"),
    (r"^Cannot (mutate immutable|redefine) namespace (?P<what>.*)$", "{what} はすでに値として書かれています"),
    (r"^Duplicate inline table key (?P<what>.*)$", "表の中に同じ項目 {what} が二つあります"),
    (r"^(Found invalid|Illegal) character '\\n'$", "文字列が行の終わりまでに閉じられていません(\" が足りません)"),
    (r"^(Found invalid|Illegal) character (?P<what>.*)$", "使えない文字 {what} があります"),
))


@dataclass(frozen=True)
class TomlSyntax:
    """Where a TOML file cannot be read and why."""

    line: int | None
    column: int | None
    japanese: str
    english: str
    at_end: bool = False  # tomllib says "at end of document": no line to name

    def reason(self) -> str:
        """「5文字目: 項目名の後に「=」がありません / Expected '=' after a key in a key/value pair」"""
        where = f"{self.column}文字目: " if self.column else "ファイルの終わり: " if self.at_end else ""
        return f"{where}{self.japanese} / {self.english}" if self.japanese else f"{where}{self.english}"


def toml_syntax(error: tomllib.TOMLDecodeError) -> TomlSyntax:
    """The line, column and reasons of tomllib's error."""
    message = str(error)
    match = _WHERE.search(message)
    english = _WHERE_END.sub("", _WHERE.sub("", message))
    line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    japanese = next((japanese.format(**found.groupdict()) for pattern, japanese in _REASONS
                     if (found := pattern.match(english))), "")
    return TomlSyntax(line, column, japanese, english, at_end=bool(_WHERE_END.search(message)))
