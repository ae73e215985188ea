"""Find a project's files: koho.toml and the data (three CSV files or one Excel workbook)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report.problems import DataError, Problem, os_reason
from report.load.tables.schema import TABLES, normalize_name, table_names

EXCEL_SUFFIXES = (".xlsx", ".xlsm")  # .xlsm is read like .xlsx: its macros are never loaded
CONFIG_NAME = "koho.toml"
# Spreadsheet formats koho does not read, named so that staff know what to save as instead.
UNREAD_FORMATS = {
    ".xls": "Excel 97-2003形式(.xls)のブック", ".xlsb": "Excel バイナリ ブック(.xlsb)",
    ".ods": "OpenDocument スプレッドシート(.ods、LibreOffice など)", ".fods": "OpenDocument スプレッドシート(.fods)",
    ".numbers": "Numbers の書類(.numbers)", ".et": "WPS Spreadsheets のブック(.et)",
}


@dataclass(frozen=True)
class ProjectFiles:
    """Where one project's inputs are. `tables` maps table name → CSV path (CSV projects); a table
    without a file is missing from it."""

    root: Path
    config: Path | None
    workbook: Path | None
    tables: dict[str, Path]
    source: Path | None = None  # the city's own file read through koho.toml's [import] mapping

    @property
    def inputs(self) -> list[Path]:
        """Every input file, in a stable order (for attachments and change detection)."""
        files = [self.config] if self.config else []
        if self.source is not None:
            return files + [self.source]
        files += [self.workbook] if self.workbook else list(self.tables.values())
        return files


def _is_excel(path: Path) -> bool:
    return path.suffix.lower() in EXCEL_SUFFIXES and not path.name.startswith("~$")


def unread_format_problem(path: Path) -> Problem | None:
    """A spreadsheet in a format koho does not read: what it is, and what to save it as."""
    name = UNREAD_FORMATS.get(path.suffix.lower())
    if name is None or path.name.startswith(("~$", ".")):
        return None
    return Problem(path.name, f"{name}は読めません(koho が読むのは Excel ブック .xlsx・.xlsm と CSV です)。"
                   "「Excel ブック(.xlsx)」か「CSV UTF-8」として保存し直してください")


def is_input_name(name: str) -> bool:
    """Whether a file of this name in the project folder or data/ is one of its inputs."""
    path = Path(name)
    return (name == CONFIG_NAME or _is_excel(path)
            or (path.suffix.lower() == ".csv" and any(normalize_name(path.stem) in table_names(t) for t in TABLES)))


def _not_files(folder: Path) -> list[Path]:
    """Entries of `folder` named as inputs that are not files (a folder put where a file was)."""
    return sorted(p for p in folder.iterdir() if is_input_name(p.name) and not p.is_file())


def _folder_problem(paths: list[Path]) -> DataError:
    return DataError([Problem(str(p.name), "入力ファイルの名前ですが、ファイルではなくフォルダ(または特殊なファイル)です。"
                              "フォルダの名前を変えるか、ファイルを置き直してください") for p in paths])


def _csv_tables(folder: Path) -> dict[str, list[Path]]:
    """Table name → every CSV file in `folder` named for it (in any accepted spelling)."""
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*")):
        if path.suffix.lower() != ".csv" or not path.is_file():
            continue
        for table in TABLES:
            if normalize_name(path.stem) in table_names(table):
                found.setdefault(table.name, []).append(path)
    return found


def _listed(paths: list[Path], root: Path) -> str:
    return "、".join(str(p.relative_to(root)) if p.is_relative_to(root) else p.name for p in paths)


def _one_each(csvs: dict[str, list[Path]], root: Path) -> dict[str, Path]:
    """The CSV file of each table; two files for one table (areas.csv and 分野.csv) are an error."""
    doubles = [paths for paths in csvs.values() if len(paths) > 1]
    if doubles:
        raise DataError([Problem(_listed(paths, root), "同じ表のCSVファイルが複数あります。"
                                 "どちらを使うか決められないため、一方を削除するか名前を変えてください")
                         for paths in doubles])
    return {name: paths[0] for name, paths in csvs.items()}


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
    try:
        return _locate(Path(path))
    except OSError as error:
        raise DataError([Problem(str(error.filename or path), f"フォルダやファイルを読めません({os_reason(error)})")]) from None


def import_source(root: Path, config: Path) -> Path | None:
    """The source file named by koho.toml's [import] table (koho import), or None when there is
    none. A koho.toml that cannot be read is reported by load_config; a source outside the project
    or missing is an error naming koho.toml's line."""
    import tomllib

    from report.load.project.config import line_of

    try:
        data = config.read_bytes()
    except OSError:
        return None
    try:
        text = data.decode("utf-8-sig")
        table = tomllib.loads(text).get("import")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        if b"[import" in data:  # an imported project: its data is not the contract's, say only this
            from report.load.project.config import load_config

            load_config(config, data)  # raises the TOML error, naming the line
        return None
    if not isinstance(table, dict) or not isinstance(table.get("source"), str) or not table["source"].strip():
        return None
    written = table["source"].strip()
    path = (root / written.replace("\\", "/")).resolve()
    where = {"row": line_of(text, "source"), "column": "import.source", "value": written}
    if not path.is_relative_to(root.resolve()):
        raise DataError([Problem(CONFIG_NAME, "[import] の source はプロジェクトのフォルダの中のファイルを"
                                 "相対パスで書いてください", **where)])
    if not path.is_file():
        raise DataError([Problem(CONFIG_NAME, "[import] の source のファイルが見つかりません"
                                 "(元の表をプロジェクトのフォルダに置いてください)", **where)])
    return path


def _locate(path: Path) -> ProjectFiles:
    if not path.exists():
        raise DataError([Problem(str(path), "ファイルまたはフォルダが見つかりません")])
    if path.is_file() and path.name == CONFIG_NAME:
        path = path.parent
    root = project_root(path)
    if (root / CONFIG_NAME).is_file() and (source := import_source(root, root / CONFIG_NAME)) is not None:
        return ProjectFiles(root.resolve(), (root / CONFIG_NAME).resolve(), None, {}, source)
    if path.is_dir() and is_input_name(path.name):
        raise _folder_problem([path])
    if path.is_file():
        if (unread := unread_format_problem(path)) is not None:
            raise DataError([unread])
        if not _is_excel(path):
            raise DataError([Problem(
                str(path), "プロジェクトのフォルダ、Excelブック(.xlsx)、koho.toml のいずれかを指定してください")])
        root = project_root(path)
        config = root / CONFIG_NAME
        if config.exists() and not config.is_file():
            raise _folder_problem([config])
        return ProjectFiles(root.resolve(), config.resolve() if config.is_file() else None,
                            path.resolve(), {})
    root = path.resolve()
    config = root / CONFIG_NAME
    unread: list[Problem] = []
    found: list[tuple[Path, list[Path], dict[str, list[Path]]]] = []  # (folder, workbooks, CSV files)
    for folder in (root, root / "data"):
        if not folder.is_dir():
            continue
        if not_files := _not_files(folder):
            raise _folder_problem(not_files)
        csvs = _csv_tables(folder)
        books = sorted(p for p in folder.iterdir() if p.is_file() and _is_excel(p))
        if csvs or books:
            found.append((folder, books, csvs))
        unread += [p for p in map(unread_format_problem, sorted(folder.iterdir())) if p is not None]
    if len(found) > 1:
        files = [p for _, books, csvs in found for p in [*books, *(q for paths in csvs.values() for q in paths)]]
        raise DataError([Problem(_listed(files, root), "データがプロジェクトのフォルダと data/ の両方にあります。"
                                 "どちらを使うか決められないため、一方にまとめてください")])
    for folder, books, csvs in found:
        if csvs and books:
            raise DataError([Problem(str(folder), "CSVファイルとExcelブックの両方があります。"
                                     "どちらか一方にするか、koho build にブックを直接指定してください")])
        if len(books) > 1:
            names = "、".join(b.name for b in books)
            raise DataError([Problem(str(folder), f"Excelブックが複数あります({names})。"
                                     "koho build にブックを直接指定してください")])
        if books:
            return ProjectFiles(root, config if config.is_file() else None, books[0], {})
        # a missing table is reported with the other tables' problems
        return ProjectFiles(root, config if config.is_file() else None, None, _one_each(csvs, root))
    if unread:
        raise DataError(unread)
    raise DataError([Problem(str(root), "データが見つかりません。areas.csv・measures.csv・metrics.csv "
                             "または Excelブック(.xlsx)を、フォルダか data/ に置いてください")])
