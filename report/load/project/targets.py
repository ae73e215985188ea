"""Where a build may write, checked before layout: every output a regular file (or a new one), no
two outputs on one path, and the outputs koho.toml names inside the project after symbolic links."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from report.paths import inside
from report.problems import Problem, fail_on
from report.load.project.sources import CONFIG_NAME


def _existing_ancestor(path: Path) -> Path:
    for parent in path.parents:
        if os.path.lexists(parent):
            return parent
    return Path(path.anchor or ".")


def target_problems(path: Path) -> list[Problem]:
    """Why `path` cannot be written as an output file, if it cannot."""
    name = str(path)
    try:
        mode = os.stat(path).st_mode if os.path.lexists(path) else None
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        what = "フォルダ" if stat.S_ISDIR(mode) else "FIFO(名前付きパイプ)" if stat.S_ISFIFO(mode) else \
            "デバイスなど通常のファイルでないもの"
        return [Problem(name, f"出力先が{what}です。書き出すPDFやHTMLのファイル名を指定してください")]
    ancestor = _existing_ancestor(path)
    if not ancestor.is_dir():
        return [Problem(name, f"出力先のフォルダの途中「{ancestor}」がフォルダではなくファイルです")]
    return []


def outside_problems(configured: list[Path], root: Path) -> list[Problem]:
    """Outputs that koho.toml names (or koho's default) and that lead out of the project after
    symbolic links (`koho validate` checks koho.toml's too)."""
    problems = []
    for target in configured:
        if not inside(target, [root]):
            shown = str(target.relative_to(root)) if target.is_relative_to(root) else str(target)
            problems.append(Problem(CONFIG_NAME, "出力先がシンボリックリンクを通ってプロジェクトのフォルダの外を指しています",
                                    column="build", value=shown))
    return problems


def check_targets(targets: list[Path], configured: list[Path], root: Path) -> None:
    """Refuse outputs that cannot be written, two outputs on one path (or one output where another
    needs its folder), and outputs that koho.toml names (or koho's default build/) that lead out of
    the project (a symbolic link such as build/ → elsewhere). Outputs given on the command line are
    the user's explicit choice."""
    problems = [p for target in targets for p in target_problems(target)]
    seen: dict[str, Path] = {}
    for target in targets:
        real = os.path.realpath(target)
        if real in seen:
            problems.append(Problem(str(target), f"PDFとHTMLなど、2つの出力先が同じファイルです({seen[real]})。"
                                    "別々のファイル名にしてください"))
        seen.setdefault(real, target)
    for real, target in seen.items():  # a file of one output where another needs a folder
        problems += [Problem(str(seen[str(folder)]), f"出力先が、別の出力先「{target}」を入れるフォルダと同じ名前です。"
                             "別々の名前にしてください") for folder in Path(real).parents if str(folder) in seen]
    problems += outside_problems(configured, root)
    fail_on(problems)
