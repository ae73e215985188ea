"""The archive's continued head (「施策 1-10(続き)」, styles/archive.css) comes from the measure id the
template gives its facts line (`data-measure`). A project whose own templates/archive.html predates
that attribute gets no head rather than one naming no measure (「施策 (続き)」)."""

from __future__ import annotations

from pathlib import Path

from report.assets import TEMPLATES_DIR
from report.commands.build import build
from tests.conftest import EXAMPLE, copy_project
from tests.test_makeup_pages import _archive_openings

ATTRIBUTE = ' data-measure="{{ measure.id }}"'


def test_a_project_archive_template_without_the_measure_id_prints_no_empty_head(tmp_path: Path) -> None:
    project = copy_project(tmp_path, EXAMPLE)
    template = (TEMPLATES_DIR / "archive.html").read_text(encoding="utf-8")
    assert ATTRIBUTE in template
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "archive.html").write_text(template.replace(ATTRIBUTE, ""), encoding="utf-8")
    result = build(project, kind="archive", output=tmp_path / "archive.pdf")
    openings = _archive_openings(result.pdf)
    assert any(measure is not None for _, _, _, measure, _ in openings)  # pages that open inside a measure
    assert [head for _, head, _, _, _ in openings if head] == []


LONG_TITLE = "第3次総合計画後期基本計画に基づく市長マニフェスト重点施策の進捗と今後の取組方針について"


def test_the_continued_head_stays_on_one_line_beside_a_long_title(tmp_path: Path) -> None:
    """A long title in the running head (top right) leaves the continued head (top left) on one line:
    「施策 01-4(続き)」, never 「施策 01-4(続 / き)」."""
    import pdfplumber

    from tests.ending import MM
    from tests.projects import make_project

    project = make_project(tmp_path / "p", areas=2, measures_per_area=9, years=4, first_page=3, vision_repeat=2)
    toml = project / "koho.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "市長マニフェスト"', f'title = "{LONG_TITLE}"'),
                    encoding="utf-8")
    result = build(project, kind="archive", output=tmp_path / "archive.pdf")
    heads = []
    with pdfplumber.open(result.pdf) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if c["top"] < 20 * MM and c["x0"] < page.width / 3]
            if chars and chars[0]["text"] == "施":
                heads.append(({round(c["top"]) for c in chars if c["text"] in "施)"},
                              "".join(c["text"] for c in chars if c["x0"] < 60 * MM)))
    assert heads, "pages opening inside a measure"
    assert all(len(tops) == 1 for tops, _ in heads), heads
