"""The font configuration a warm process keeps: per project, anew when its own stylesheets or
templates change."""

from __future__ import annotations

import os
from pathlib import Path

from report.render.typeset.warm import font_config


def test_one_font_configuration_per_project_and_version_of_its_own_files(tmp_path: Path) -> None:
    first, other = tmp_path / "a", tmp_path / "b"
    for root in (first, other):
        (root / "styles").mkdir(parents=True)
    fonts = font_config(first)
    assert font_config(first) is fonts
    assert font_config(other) is not fonts
    sheet = first / "styles" / "fonts.css"
    sheet.write_text('@font-face { font-family: "X"; src: url("x.ttf"); }', encoding="utf-8")
    changed = font_config(first)
    assert changed is not fonts
    os.utime(sheet, ns=(1, 1))
    assert font_config(first) is not changed
    kept = font_config(first)
    assert font_config(first) is kept
    (first / "templates").mkdir()
    (first / "templates" / "base.html").write_text("<style>@font-face {}</style>", encoding="utf-8")
    assert font_config(first) is not kept  # a template may hold @font-face rules too
