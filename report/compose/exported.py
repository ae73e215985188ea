"""The project's tables exactly as koho read them, as files (CSV, UTF-8 with BOM): what `koho
export` writes, for review and as the city's open data (a build from them gives the same pages),
and what the archive of an imported project attaches instead of the city's own workbook."""

from __future__ import annotations

import csv
import io

from report.load.project.sources import CONFIG_NAME
from report.load.tables.readers import RawTable
from report.load.tables.schema import TABLES

BOM = "\ufeff"


def table_csv(raw: RawTable) -> bytes:
    """One table as read, as CSV (UTF-8 with BOM, CRLF): its header and its cells as text, every
    cell a spreadsheet could run as a formula escaped (koho's reader removes the escape)."""
    from report.compose.opendata import escaped

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escaped(cell) for cell in raw.header])
    for cells in raw.rows.cells:
        writer.writerow([escaped(str(cell)) for cell in cells])
    return (BOM + buffer.getvalue()).encode("utf-8")


def config_without_import(data: bytes) -> bytes:
    """koho.toml without its [import] table (the exported tables need no mapping), comments kept."""
    import tomlkit

    document = tomlkit.parse(data.decode("utf-8-sig"))
    if "import" in document:
        del document["import"]
    return tomlkit.dumps(document).encode("utf-8")


def _table_files(project) -> list[tuple[str, bytes]]:  # noqa: ANN001 - report.load.model.Project
    """The three tables as koho read them, named areas.csv, measures.csv and metrics.csv."""
    return [(f"{table.name}.csv", table_csv(project.tables[table.name])) for table in TABLES
            if table.name in project.tables]


def exported_files(project) -> list[tuple[str, bytes]]:  # noqa: ANN001 - report.load.model.Project
    """The three tables as koho read them and koho.toml (without [import]) when the project has one."""
    files = _table_files(project)
    if project.files.config is not None:
        files.append((CONFIG_NAME, config_without_import(project.input_bytes(project.files.config))))
    return files


def archive_files(project) -> list[tuple[str, bytes]]:  # noqa: ANN001 - report.load.model.Project
    """What the archive PDF attaches: an imported project's exported tables and its koho.toml with
    the mapping (not the city's internal workbook: hidden sheets, comments and staff names stay out
    of a published PDF) unless [import] attach_source = true; any other project's input files."""
    if project.files.source is None:
        return [(path.name, project.input_bytes(path)) for path in project.files.inputs]
    from report.ingest.project import mapping_of

    config = project.files.config
    files = _table_files(project)
    files.append((config.name, project.input_bytes(config)))
    if mapping_of(project.input_bytes(config))[0].attach_source:
        files.append((project.files.source.name, project.input_bytes(project.files.source)))
    return files
