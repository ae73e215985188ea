"""Which folder the web version may be written to: koho writes only into a folder that is its own.

A folder is koho's when its index.html carries koho's generator mark (`<meta name="generator"
content="koho …">`, which every web version has); a new or empty folder becomes koho's. Any other
folder (a city's site, someone's documents) is refused, and so is the project folder itself, its
data/ and any folder holding the project: the web version's metrics.csv there would become an
input of the next build, and replacing such a folder whole would take the project with it.
"""

from __future__ import annotations

import os
from pathlib import Path

from report.paths import inside
from report.problems import Problem
from report.render.web.photos import KOHOS_PHOTO, PHOTOS_FOLDER
from report.render.web.web import INDEX, has_mark

HEAD_BYTES = 64 * 1024  # the mark is in <head>


def is_kohos(folder: Path, index: str = INDEX) -> bool:
    """A folder koho may replace: missing, empty, or with koho's mark in its page (`index`, or the
    index.html of a web version built before)."""
    if not folder.exists():
        return True
    if not any(folder.iterdir()):
        return True
    for page in dict.fromkeys((folder / index, folder / INDEX)):
        if page.is_file():
            with page.open("rb") as stream:
                if has_mark(stream.read(HEAD_BYTES).decode("utf-8", errors="replace")):
                    return True
    return False


def folder_problems(folder: Path, root: Path, index: str = INDEX) -> list[Problem]:
    """Why the web version may not be written to `folder` (the folder of its index.html), if not."""
    if inside(root, [folder]) or inside(root / "data", [folder]):  # the project (or its data/) in the folder
        return [Problem(str(folder), "プロジェクトのフォルダ(とその data/)や、それを含むフォルダはウェブ版の出力先に"
                                     "できません(metrics.csv などが次の作成の入力と混ざります)。"
                                     "別のフォルダ(例: build/web)を指定してください")]
    if os.path.lexists(folder) and not os.path.isdir(folder):
        return []  # target_problems says what is in the way
    try:
        own = is_kohos(folder, index)
    except OSError:
        own = True  # unreadable: writing it will say why
    if not own:
        return [Problem(str(folder), f"koho がつくったウェブ版のフォルダではありません({index} に koho の印"
                                     f"<meta name=\"generator\" content=\"koho\"> がありません)。"
                                     "中のファイルを置き換えないよう、空のフォルダか新しいフォルダを指定してください")]
    return []


def owned_names(folder: Path, outputs: list[Path]) -> set[str]:
    """The names in `folder` that koho writes: the first part of each output's path inside it, and
    the photos' folder, koho's even when a build has no photo (an earlier build's go with it)."""
    home = os.path.realpath(folder)
    return {Path(os.path.relpath(os.path.realpath(path), home)).parts[0] for path in outputs
            if os.path.realpath(path).startswith(home + os.sep)} | {PHOTOS_FOLDER}


def foreign_entries(folder: Path, own: set[str]) -> list[str]:
    """The entries of koho's web folder that koho does not write there (a city's own additions):
    carried over into the new folder, and so are the files in its photos/ folder not named as koho
    names a photo (photos/city-banner.jpg). Missing folder: none."""
    try:
        entries = sorted(entry.name for entry in folder.iterdir() if entry.name not in own)
    except (FileNotFoundError, NotADirectoryError):
        return []
    photos = folder / PHOTOS_FOLDER
    if photos.is_dir() and not photos.is_symlink():
        entries += sorted(f"{PHOTOS_FOLDER}/{entry.name}" for entry in photos.iterdir()
                          if not KOHOS_PHOTO.fullmatch(entry.name))
    return entries
