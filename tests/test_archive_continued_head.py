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
