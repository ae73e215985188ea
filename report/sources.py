"""Find a project's files: koho.toml and the data (three CSV files or one Excel workbook)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .problems import DataError, Problem
from .schema import TABLES, normalize_name, table_names

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CONFIG_NAME = "koho.toml"


@dataclass(frozen=True)
class ProjectFiles:
    """Where one project's inputs are. `tables` maps table name → CSV path (CSV projects); a table
    without a file is missing from it."""

    root: Path
    config: Path | None
    workbook: Path | None
    tables: dict[str, Path]

    @property
    def inputs(self) -> list[Path]:
        """Every input file, in a stable order (for attachments and change detection)."""
        files = [self.config] if self.config else []
        files += [self.workbook] if self.workbook else list(self.tables.values())
        return files


def _is_excel(path: Path) -> bool:
    return path.suffix.lower() in EXCEL_SUFFIXES and not path.name.startswith("~$")


def _csv_tables(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*")):
        if path.suffix.lower() != ".csv" or not path.is_file():
            continue
        for table in TABLES:
            if normalize_name(path.stem) in table_names(table):
                found.setdefault(table.name, path)
    return found


def project_root(path: Path) -> Path:
    """The project folder of a folder, a koho.toml or a workbook (its folder, or above data/)."""
    path = Path(path)
    if not path.is_file():
        return path
    folder = path.parent
    if path.name != CONFIG_NAME and folder.name == "data" and not (folder / CONFIG_NAME).exists():
        return folder.parent
    return folder


def locate(path: Path) -> ProjectFiles:
    """Resolve a project folder, a workbook, or a koho.toml into its input files."""
    path = Path(path)
    if not path.exists():
        raise DataError([Problem(str(path), "ファイルまたはフォルダが見つかりません")])
    if path.is_file() and path.name == CONFIG_NAME:
        path = path.parent
    if path.is_file():
        if not _is_excel(path):
            raise DataError([Problem(
                str(path), "プロジェクトのフォルダ、Excelブック(.xlsx)、koho.toml のいずれかを指定してください")])
        root = project_root(path)
        config = root / CONFIG_NAME
        return ProjectFiles(root.resolve(), config.resolve() if config.is_file() else None,
                            path.resolve(), {})
    root = path.resolve()
    config = root / CONFIG_NAME
    old_books: list[str] = []
    for folder in (root, root / "data"):
        if not folder.is_dir():
            continue
        csvs = _csv_tables(folder)
        books = sorted(p for p in folder.iterdir() if p.is_file() and _is_excel(p))
        if csvs and books:
            raise DataError([Problem(str(folder), "CSVファイルとExcelブックの両方があります。"
                                     "どちらか一方にするか、koho build にブックを直接指定してください")])
        if len(books) > 1:
            names = "、".join(b.name for b in books)
            raise DataError([Problem(str(folder), f"Excelブックが複数あります({names})。"
                                     "koho build にブックを直接指定してください")])
        if books:
            return ProjectFiles(root, config if config.is_file() else None, books[0], {})
        if csvs:  # a missing table is reported with the other tables' problems
            return ProjectFiles(root, config if config.is_file() else None, None, csvs)
        old_books += sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".xls")
    if old_books:
        raise DataError([Problem(name, "Excel 97-2003形式(.xls)のブックは読めません。"
                                 "「Excel ブック(.xlsx)」として保存し直してください") for name in old_books])
    raise DataError([Problem(str(root), "データが見つかりません。areas.csv・measures.csv・metrics.csv "
                             "または Excelブック(.xlsx)を、フォルダか data/ に置いてください")])
