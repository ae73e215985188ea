"""Errors raised while rendering a template, as problems naming the template file and line."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2

from report.problems import Problem

TEMPLATE_REASONS = {  # what went wrong in a template, in the designer's words
    jinja2.exceptions.SecurityError: "テンプレートからは使えない操作です(安全のため、Pythonの内部やファイル、コマンドには届きません)",
    jinja2.UndefinedError: "テンプレートに未定義の名前があります",
    jinja2.TemplateNotFound: "テンプレートが見つからないか、読み込みを拒否しました",
    RecursionError: "テンプレートの呼び出しが深すぎます(マクロや include が自分自身を呼んでいませんか)",
}


def shown_name(filename: str, root: Path) -> str:
    """A file's name as the user knows it: relative to the project, or its bare name."""
    path = Path(filename)
    return str(path.relative_to(root)) if path.is_relative_to(root) else path.name


def template_problem(error: BaseException, root: Path) -> Problem | None:
    """The problem to report for an error raised while rendering a template: the template file and
    line, and what went wrong; None when the error did not come from a template."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return Problem(shown_name(error.filename or error.name or "?", root),
                       f"テンプレートの書き方に誤りがあります({error.message})", row=error.lineno)
    reason = next((text for kind, text in TEMPLATE_REASONS.items() if isinstance(error, kind)), None)
    message = f"{reason or 'テンプレートの実行中に誤りがありました'}({type(error).__name__}: {str(error)[:200]})"
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith((".html", ".htm")):  # Jinja2 puts template lines in tracebacks
            return Problem(shown_name(frame.filename, root), message, row=frame.lineno)
    if reason is not None or isinstance(error, jinja2.TemplateError):
        return Problem("templates", message)
    return None

