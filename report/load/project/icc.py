"""The printer's ICC profile named in koho.toml: inside the project, and really a CMYK output profile.

A PDF/X-4 names its printing condition by an output intent; a file that is not an ICC output
profile would make a PDF that claims PDF/X-4 without one, so it is refused before layout. A
header is not enough (a profile with a valid header and a broken body passes it): the profile is
opened by LittleCMS (Pillow's ImageCms) and must convert both ways, RGB colours to its CMYK
(how koho prints a colour outside the CUD set) and its CMYK back to Lab (how a proof is made).
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from report.paths import inside
from report.problems import Problem
from report.load.project.sources import CONFIG_NAME

HEADER_SIZE = 128


def littlecms_error(data: bytes) -> str | None:
    """Why LittleCMS cannot use the profile for print (RGB→CMYK and CMYK→Lab), or None."""
    from PIL import ImageCms

    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return "LittleCMSでICCプロファイルを開けません(中身が壊れています)。印刷所から受け取ったファイルをもう一度コピーしてください"
    directions = (("RGBからCMYKへ", lambda: ImageCms.buildTransform(
                      ImageCms.createProfile("sRGB"), profile, "RGB", "CMYK",
                      renderingIntent=ImageCms.Intent.PERCEPTUAL)),
                  ("CMYKからLabへ", lambda: ImageCms.buildTransform(
                      profile, ImageCms.createProfile("LAB"), "CMYK", "LAB")))
    for direction, build in directions:
        try:
            build()
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            return (f"ICCプロファイルの中身が壊れているか足りず、LittleCMSで{direction}色を変換できません。"
                    "印刷所のCMYK出力プロファイルを指定してください")
    return None


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
    return littlecms_error(data)


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
