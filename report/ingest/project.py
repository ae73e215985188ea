"""A project whose koho.toml has an [import] table: its tables read through the mapping (the
source as a grid → check_layout → apply) instead of the three-table contract."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from report.ingest.apply import ImportedTables, apply
from report.ingest.sheets.grid import read_grid
from report.ingest.mapping import Mapping, read_mapping
from report.load.project.sources import ProjectFiles
from report.problems import DataError, Problem


def mapping_of(config_bytes: bytes) -> tuple[Mapping, list[Problem]]:
    """The [import] mapping of koho.toml's bytes (the file parses: locate found its source)."""
    text = config_bytes.decode("utf-8-sig")
    return read_mapping(tomllib.loads(text).get("import", {}), text)


Imported = tuple[ImportedTables | None, Mapping | None, list[Problem]]
_last: tuple[bytes, Imported] | None = None  # the last import of this process (koho serve rebuilds)


def import_tables(files: ProjectFiles, contents: dict[Path, bytes]) -> Imported:
    """The imported tables (None when the source or the mapping cannot be read), the mapping, and
    every problem found: the mapping's, the source's, the layout's and the cells'. The same source
    and koho.toml as last time give the last result (a preview's rebuild after a template change
    does not read the workbook again)."""
    global _last
    if files.source is None or files.config not in contents or files.source not in contents:
        return None, None, []  # unreadable: reported by read_inputs
    key = hashlib.sha256(b"\0".join((str(files.source).encode(), contents[files.config], contents[files.source]))).digest()
    if _last is not None and _last[0] == key:
        imported, mapping, problems = _last[1]
        return imported, mapping, list(problems)
    result = _import(files, contents)
    _last = (key, result)
    return result


def _import(files: ProjectFiles, contents: dict[Path, bytes]) -> Imported:
    mapping, problems = mapping_of(contents[files.config])
    if any(p.severity == "error" for p in problems):
        return None, mapping, problems
    try:
        grid = read_grid(files.source, contents[files.source])
    except DataError as error:
        return None, mapping, problems + error.problems
    imported = apply(mapping, grid)
    problems += [*grid.problems, *imported.problems]
    if any(p.severity == "error" for p in imported.layout_problems):
        return None, mapping, problems  # the tables are not where the mapping says: nothing more to check
    return imported, mapping, problems
