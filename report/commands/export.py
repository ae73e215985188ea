"""`koho export`: the three tables of the data contract exactly as koho read them (CSV, UTF-8 with
BOM, report/compose/exported.py), for review and as the city's open data; a build from the export
gives the same pages."""

from __future__ import annotations

import os
from pathlib import Path

from report.compose.exported import exported_files
from report.output import bytes_writer, write_all
from report.problems import KohoError


def export(project_path: Path, out_dir: Path) -> tuple[list[Path], list]:
    """Write the tables of `project_path` as koho read them into `out_dir` (made if missing):
    areas.csv, measures.csv, metrics.csv and koho.toml. Refuses to write into the project's own
    folder or data/ (its inputs). Returns the files written and the warnings."""
    from report.commands.build import check

    project, warnings = check(project_path)
    out_dir = Path(out_dir)
    root = os.path.realpath(project.files.root)
    if os.path.realpath(out_dir) in (root, os.path.join(root, "data")):
        raise KohoError(f"{out_dir} はプロジェクトのフォルダ(またはその data/)です。別のフォルダを指定してください"
                        " / choose a folder other than the project's own")
    if out_dir.exists() and not out_dir.is_dir():
        raise KohoError(f"{out_dir} はフォルダではありません / {out_dir} is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = [(out_dir / name, bytes_writer(data)) for name, data in exported_files(project)]
    write_all(outputs)
    return [path for path, _ in outputs], warnings
