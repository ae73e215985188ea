"""`koho init`: a new project folder with a commented koho.toml and the input workbook."""

from __future__ import annotations

from pathlib import Path

from report.output import write_atomic
from report.problems import KohoError
from report.load.project.sources import CONFIG_NAME, EXCEL_SUFFIXES
from report.load.workbook import write_template_workbook

SKELETON = Path(__file__).resolve().parent / "skeleton" / CONFIG_NAME
WORKBOOK = Path("data") / "manifesto.xlsx"
DATA_SUFFIXES = (".csv", *EXCEL_SUFFIXES)


def _data_files(directory: Path) -> list[Path]:
    """Data files already in the places koho looks for them."""
    return sorted(path for folder in (directory, directory / "data") if folder.is_dir()
                  for path in folder.iterdir()
                  if path.is_file() and path.suffix.lower() in DATA_SUFFIXES and not path.name.startswith("~$"))


def create_project(directory: Path, force: bool = False) -> list[Path]:
    """Write koho.toml and data/manifesto.xlsx into `directory` (made if missing).

    Refuses (KohoError, exit status 1) when a project is already there, unless `force`; even
    then it refuses when other data files would make the project ambiguous.
    Returns the files written: koho.toml, then the workbook.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise KohoError(f"{directory} はフォルダではありません / {directory} is not a folder")
    config, book = directory / CONFIG_NAME, directory / WORKBOOK
    ours = [path for path in (config, book) if path.exists()]
    others = [path for path in _data_files(directory) if path.resolve() != book.resolve()]
    if others:
        names = "、".join(str(path) for path in others)
        raise KohoError(f"{directory} にはすでにデータがあります({names})。別のフォルダを指定してください"
                        f" / {directory} already holds data; choose another folder")
    if ours and not force:
        names = "、".join(str(path) for path in ours)
        raise KohoError(f"すでにプロジェクトがあります({names})。上書きするときは --force をつけてください"
                        " / A project is already there; add --force to overwrite it")
    skeleton = SKELETON.read_bytes()
    write_atomic(config, lambda stream: stream.write(skeleton))
    write_atomic(book, write_template_workbook)
    return [config, book]
