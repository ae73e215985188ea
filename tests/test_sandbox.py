"""Project templates run in Jinja2's immutable sandbox: no Python internals, files or commands; and
every template mistake is a message naming the template file and line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import new_project
from .test_errors import assert_clean_failure, koho

MARKER = "koho-sandbox-escaped"


def _template(project: Path, body: str, name: str = "newsletter.html") -> None:
    folder = project / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text('{% extends "koho/newsletter.html" %}\n{% block body %}\n' + body
                               + "\n{% endblock %}\n", encoding="utf-8")


ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ joiner.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ config.__class__.__init__.__globals__['__builtins__']['open']('/etc/passwd').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ areas.append(1) }}",
    "{% set x = config.__dict__ %}{{ x }}",
]


@pytest.mark.parametrize("body", ESCAPES)
def test_a_template_cannot_reach_python_files_or_commands(tmp_path: Path, body: str) -> None:
    project = new_project(tmp_path)
    marker = tmp_path / MARKER
    _template(project, body.replace("MARKER", str(marker)))
    result = koho("build", str(project), "-o", str(tmp_path / "x.pdf"))
    assert_clean_failure(result)
    assert "templates/newsletter.html 3行目" in result.stderr
    assert not marker.exists()
    assert "root:" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


MISTAKES = [
    ("undefined name", "{{ no_such_name }}", "未定義の名前"),
    ("syntax", "{% if %}", "テンプレートの書き方に誤りがあります"),
    ("recursion", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "呼び出しが深すぎます"),
    ("refused include", '{% include "../../../../etc/passwd" %}', "見つからないか、読み込みを拒否しました"),
    ("missing include", '{% include "nothere.html" %}', "見つからないか、読み込みを拒否しました"),
]


@pytest.mark.parametrize("name, body, message", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_template_mistake_names_the_file_and_line(tmp_path: Path, name: str, body: str, message: str) -> None:
    project = new_project(tmp_path)
    _template(project, body)
    result = koho("build", str(project), "-o", str(tmp_path / "x.pdf"))
    assert_clean_failure(result)
    assert "templates/newsletter.html" in result.stderr and message in result.stderr, result.stderr
    if name != "recursion":
        assert "3行目" in result.stderr
