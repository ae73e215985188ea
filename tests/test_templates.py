"""A project's templates/ and styles/ folders take precedence over koho's built-in ones."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from report.assets import STYLES_DIR, TEMPLATES_DIR
from report.commands.build import build

from .conftest import new_project, pdf_text


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_project_template_overrides_one_block_of_the_builtin_one(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    _write(project / "templates" / "newsletter.html",
           '{% extends "koho/newsletter.html" %}\n'
           '{% block body %}{{ super() }}<p class="notice">次回は6月号に掲載します</p>{% endblock %}\n')
    result = build(project, html_output=tmp_path / "out.html")
    text = pdf_text(result.pdf)
    assert "次回は6月号に掲載します" in text
    assert "子育て支援" in text, "the rest of the built-in template is still there"


def test_a_project_template_replaces_the_builtin_file(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    base = (TEMPLATES_DIR / "base.html").read_text(encoding="utf-8")
    _write(project / "templates" / "base.html", base.replace("<title>", "<title>【差し替え】", 1))
    result = build(project)
    assert PdfReader(result.pdf).metadata.title.startswith("【差し替え】")


def test_a_project_stylesheet_overrides_the_builtin_one(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    css = (STYLES_DIR / "newsletter.css").read_text(encoding="utf-8")
    _write(project / "styles" / "newsletter.css", css + '\n.lead::before { content: "【お知らせ】"; }\n')
    html = tmp_path / "out.html"
    result = build(project, html_output=html)
    assert "【お知らせ】市長マニフェストの取組状況" in pdf_text(result.pdf)
    assert html.read_text(encoding="utf-8").count("/* newsletter.css */") == 1

