"""The printer's ICC profile named in koho.toml: inside the project, and really a CMYK output profile.

A PDF/X-4 names its printing condition by an output intent; a file that is not an ICC output
profile would make a PDF that claims PDF/X-4 without one, so it is refused before layout.
"""

from __future__ import annotations

import struct
from pathlib import Path

from report.paths import inside
from report.problems import Problem
from report.load.sources import CONFIG_NAME

HEADER_SIZE = 128



def profile_error(data: bytes) -> str | None:
    """What is wrong with an ICC profile's bytes for a printer's output intent, or None."""
    if len(data) < HEADER_SIZE or data[36:40] != b"acsp":
        return "ICCプロファイルではありません(ファイルの先頭にICCの印 acsp がありません)"
    if struct.unpack(">I", data[:4])[0] > len(data):
        return "ICCプロファイルが途中で切れています"
    if data[16:20] != b"CMYK":
        space = data[16:20].decode("ascii", errors="replace").strip()
        return f"CMYKのプロファイルではありません(色空間: {space})。印刷所のCMYKプロファイルを指定してください"
    if data[12:16] != b"prtr":
        kind = data[12:16].decode("ascii", errors="replace").strip()
        return f"出力(印刷)用のプロファイルではありません(種類: {kind})"
    return None


def check_profile(root: Path, name: str) -> Problem | None:
    """The problem with koho.toml's `[print] icc_profile`, or None when it is a usable profile."""
    path = root / name
    place = {"column": "print.icc_profile", "value": name}
    if not path.is_file() or not inside(path, [root]):
        return Problem(CONFIG_NAME, "ICCプロファイルのファイルがプロジェクトフォルダにありません", **place)
    try:
        error = profile_error(path.read_bytes())
    except OSError as failure:
        error = f"ICCプロファイルを読めません({failure.strerror})"
    return Problem(CONFIG_NAME, error, **place) if error else None
