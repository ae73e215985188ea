"""What is attached is what was printed, and a damaged chart cache is redrawn, never trusted."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pypdf import PdfReader

import report.commands.build
from charts import cache
from report.commands.build import build
from report.compose.figures import project_figures
from report.load.validate import load_project

from .conftest import SAMPLE, copy_project, pdf_text


def test_the_archive_attaches_the_bytes_it_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path)
    metrics = project / "metrics.csv"
    original = metrics.read_bytes()
    lay_out = report.commands.build.layout

    def edited_during_the_build(*args: object, **kwargs: object):  # noqa: ANN202
        metrics.write_bytes(original.replace(b",104,", b",999,"))  # someone saves the file mid-build
        return lay_out(*args, **kwargs)

    monkeypatch.setattr(report.commands.build, "layout", edited_during_the_build)
    result = build(project, kind="archive", output=tmp_path / "archive.pdf")
    attached = PdfReader(result.pdf).attachments["metrics.csv"][0]
    assert attached == original
    assert hashlib.sha256(attached).hexdigest() == hashlib.sha256(original).hexdigest()
    text = pdf_text(result.pdf)
    assert "104" in text and "999" not in text


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / "charts").glob(f"*{cache.SUFFIX}"))


@pytest.mark.parametrize("damage", ["truncated", "emptied", "one byte changed"])
def test_a_damaged_cache_entry_is_redrawn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "cache"))
    project = load_project(SAMPLE)
    first = project_figures(project)
    entries = _entries(tmp_path / "cache")
    assert entries
    victim = entries[0]
    data = victim.read_bytes()
    victim.write_bytes({"truncated": data[: len(data) // 2], "emptied": b"",
                        "one byte changed": data[:-10] + b"X" + data[-9:]}[damage])
    again = project_figures(project)
    assert again == first  # the same charts, the damaged one drawn again
    assert victim.read_bytes() == data  # and stored whole
    assert not list((tmp_path / "cache" / "charts").glob("*.part"))
