"""click's usage errors in koho's voice: Japanese first, click's English after it.

koho's other messages say what went wrong in Japanese and, where a console user may read English,
the English after a 「 / 」. click words its usage errors (unknown option, missing argument, bad
choice, a number out of range…) in English only; `japanese_usage_error` wraps such an error so
that it shows the same facts in Japanese, then click's own sentence. The exit status stays 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO, Any

import click

# click's English reasons (click/types.py, parser.py, core.py; 8.1 to 8.3 wordings) → Japanese.
_PATH_PROBLEMS = {"does not exist": "が見つかりません", "is a directory": "はフォルダです(ファイルを指定してください)",
                  "is a file": "はファイルです(フォルダを指定してください)"}
_REASONS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^'?(?P<value>.*?)'? is not (one of )?(?P<choices>'.*')\.?$"),
     lambda m: f"「{m['value']}」は選べません。選べるのは {_plain(m['choices'])} です"),
    (re.compile(r"^(?P<value>\S+) is not in the range (?P<range>.+?)\.?$"),
     lambda m: f"{m['value']} は範囲({m['range']})の外です"),
    (re.compile(r"^'?(?P<value>.*?)'? is not a valid (?P<type>integer|float|floating point value)( range)?\.?$"),
     lambda m: f"「{m['value']}」は{'整数' if m['type'] == 'integer' else '数'}ではありません"),
    (re.compile(r"^\w+ '(?P<name>.*)' (?P<problem>does not exist|is a directory|is a file)\.?$"),
     lambda m: f"「{m['name']}」{_PATH_PROBLEMS[m['problem']]}"),
)
_OPTION_NEEDS_VALUE = re.compile(r"^Option '(?P<name>[^']+)' requires (an argument|\d+ arguments)\.?$")
_OPTION_TAKES_NO_VALUE = re.compile(r"^Option '(?P<name>[^']+)' does not take a value\.?$")
_NO_SUCH_COMMAND = re.compile(r"^No such command '(?P<name>[^']*)'\.?$")
_EXTRA_ARGUMENTS = re.compile(r"^Got unexpected extra arguments? \((?P<arguments>.*)\)\.?$")


def _plain(choices: str) -> str:
    """'newsletter', 'handout' → newsletter、handout."""
    return "、".join(part.strip().strip("'\"") for part in choices.split(","))


def _param_name(error: click.BadParameter) -> str:
    """How click names the parameter (`--kind`, `-p / --port`, `DIR`), without its quotes."""
    if error.param_hint is not None:
        hint = error.param_hint
        return (" / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)).replace("'", "")
    if error.param is not None:
        return error.param.get_error_hint(error.ctx).replace("'", "") if error.ctx else str(error.param.name)
    return ""


def japanese_reason(error: click.UsageError) -> str:
    """What went wrong, in Japanese, from the error's type and click's English message."""
    message = error.message
    if isinstance(error, click.NoSuchOption):
        maybe = f"({'、'.join(error.possibilities)} のことですか)" if error.possibilities else ""
        return f"{error.option_name} というオプションはありません{maybe}"
    if isinstance(error, click.MissingParameter):
        name = _param_name(error)
        if error.param is not None and error.param.param_type_name == "argument":
            return f"{name} を指定してください"
        return f"オプション {name} を指定してください"
    if isinstance(error, click.BadParameter):
        reason = next((say(m) for pattern, say in _REASONS if (m := pattern.match(message))), "")
        name = _param_name(error)
        return f"{name} の値が正しくありません" + (f": {reason}" if reason else "")
    if match := _OPTION_NEEDS_VALUE.match(message):
        return f"オプション {match['name']} には値が必要です"
    if match := _OPTION_TAKES_NO_VALUE.match(message):
        return f"オプション {match['name']} は値をとりません"
    if match := _NO_SUCH_COMMAND.match(message):
        close = getattr(error, "possibilities", None)  # click ≥ 8.4's NoSuchCommand: the close names
        maybe = f"({'、'.join(sorted(close))} のことですか)" if close else ""
        return f"{match['name']} というコマンドはありません{maybe}"
    if match := _EXTRA_ARGUMENTS.match(message):
        return f"余分な引数があります({match['arguments']})"
    return "コマンドの使い方に誤りがあります"


class JapaneseUsageError(click.UsageError):
    """A click usage error shown in Japanese, then in click's English; exit status 2 as before."""

    def __init__(self, original: click.UsageError) -> None:
        super().__init__(original.format_message(), original.ctx)
        self.original = original

    def format_message(self) -> str:
        return f"{japanese_reason(self.original)} / {self.original.format_message()}"

    def show(self, file: IO[Any] | None = None) -> None:
        ctx = self.ctx
        color = ctx.color if ctx is not None else None
        if ctx is not None:
            lines = [f"使い方 / {ctx.get_usage()}"]
            if ctx.command.get_help_option(ctx) is not None:
                help_name = max(ctx.command.get_help_option_names(ctx), key=len)
                command = f"{ctx.command_path} {help_name}"
                lines.append(f"説明は {command} で表示します / Try '{command}' for help.")
            click.echo("\n".join(lines) + "\n", file=file, err=file is None, color=color)
        click.echo(f"エラー: {self.format_message()}", file=file, err=file is None, color=color)


def japanese_usage_error(error: click.UsageError) -> click.UsageError:
    """`error` in koho's voice (already translated, or the help that no arguments show: as it is)."""
    if isinstance(error, JapaneseUsageError) or type(error).__name__ == "NoArgsIsHelpError":
        return error
    return JapaneseUsageError(error)
