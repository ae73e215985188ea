"""A measures row's photo cells into a Photo, every problem named at its cell: a file missing,
outside the project, unreadable, not a picture, in a format koho does not print (HEIC: how to
convert it), and a photo without alternative text."""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import Image

from report.load.tables.limits import input_size_problem
from report.load.model import Photo, Source
from report.load.tables.schema import MEASURES
from report.paths import inside
from report.photos.source import ORIENTATION_TAG, opened, printed_size
from report.problems import Problem, os_reason

FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}  # what Pillow calls them → what staff call them
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
HEIC_ADVICE = ("HEIC形式(iPhoneの写真)は読めません。写真アプリなどで JPEG に書き出すか、"
               "iPhoneの設定「カメラ→フォーマット→互換性優先」で撮った写真を使ってください")
OUTSIDE = ("プロジェクトのフォルダの外のファイルは使えません。写真はプロジェクトのフォルダの中(例: photos/)に置き、"
           "そこからの相対パスで書いてください(例: photos/hibinoba.jpg)")
MAX_PIXELS = 100_000_000  # a camera's largest photo is about 60 megapixels
PHOTO_TEXT_COLUMNS = ("photo_caption", "photo_alt", "photo_credit")


def _problem(source: Source, column: str, message: str, value: str | None = None,
             severity: str = "error") -> Problem:
    named = MEASURES.column(column)
    return Problem(source.file, message, sheet=source.sheet, row=source.row, column=named.name,
                   column_label=named.label, value=value, severity=severity)


def is_heif(data: bytes) -> bool:
    """Whether the bytes are an HEIF/HEIC file (an ISO box `ftyp` with an HEIF brand)."""
    return data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS


def located(typed: str, root: Path) -> tuple[Path | None, str | None]:
    """The photo's file in the project, or why the path cannot be one."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", typed):  # https://…, file:///…: never fetched
        return None, ("URL は使えません(koho はネットワークから読み込みません)。写真をダウンロードしてプロジェクトの"
                      "フォルダの中(例: photos/)に置き、そこからの相対パスで書いてください")
    relative = PurePosixPath(typed)
    if relative.is_absolute() or typed.startswith("//") or (len(typed) > 1 and typed[1] == ":") or ".." in relative.parts:
        return None, OUTSIDE
    path = root / relative
    if not os.path.lexists(path):
        return None, "写真のファイルがありません。プロジェクトのフォルダからの相対パスで、ファイル名と拡張子まで正しく書いてください"
    if not inside(path, [root]):
        return None, f"シンボリックリンクを通って{OUTSIDE}"
    if path.is_dir():
        return None, "フォルダです。写真のファイル名まで書いてください(例: photos/hibinoba.jpg)"
    if not path.is_file():
        return None, "写真のファイルではありません(通常のファイルを指定してください)"
    return path.resolve(), None


def picture_problem(path: Path, crop: tuple[float, float] | None) -> tuple[tuple[int, int], str | None]:
    """The photo's printed size (pixels), or why koho cannot print it."""
    try:
        too_large = input_size_problem(path.name, path.stat().st_size)
        if too_large is not None:
            return (0, 0), too_large.message
        data = path.read_bytes()
    except OSError as error:
        return (0, 0), f"写真のファイルを読めません({os_reason(error)})"
    if is_heif(data) or path.suffix.lower() in (".heic", ".heif"):
        return (0, 0), HEIC_ADVICE
    try:
        with opened(data) as image:
            if image.format not in FORMATS:
                return (0, 0), (f"{image.format}形式の画像は使えません。JPEG・PNG・WebP のどれかで保存し直してください")
            if getattr(image, "is_animated", False):  # an animated WebP or PNG: which frame would print?
                return (0, 0), "動く画像(アニメーション)は使えません。載せたい1コマを JPEG か PNG で保存してください"
            if image.width * image.height > MAX_PIXELS:
                return (0, 0), f"画像が大きすぎます({image.width}×{image.height}画素)。1億画素までにしてください"
            orientation, size = image.getexif().get(ORIENTATION_TAG), image.size
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))  # JPEG: decoded small, quickly
            _load_whole(image)  # a cut-off or damaged file fails here
            return printed_size(size, orientation, crop), None
    except Image.DecompressionBombError:  # more than twice Pillow's limit: far over koho's
        return (0, 0), f"画像が大きすぎます。{MAX_PIXELS // 100_000_000}億画素までにしてください"
    except (Image.UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, struct.error):
        return (0, 0), "画像として読めません(壊れているか、画像でないファイルです)。JPEG・PNG・WebP で保存し直してください"


def _load_whole(image: Image.Image) -> None:
    """Decode the picture, failing on a cut-off file even where WeasyPrint (imported in a warm
    process) has told Pillow to accept them (ImageFile.LOAD_TRUNCATED_IMAGES)."""
    from PIL import ImageFile

    accepted = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = accepted


def read_photo(row: dict[str, Any], source: Source, root: Path) -> tuple[Photo | None, list[Problem]]:
    """The row's photo (None without one) and the problems of its cells."""
    typed = row.get("photo") or ""
    texts = {name: row.get(name) or "" for name in PHOTO_TEXT_COLUMNS}
    if not typed:
        return None, [_problem(source, name, "写真の列が空欄なので、この欄は載りません", value=text, severity="warning")
                      for name, text in texts.items() if text]
    path, reason = located(typed, root)
    if path is None:
        return None, [_problem(source, "photo", reason, value=typed)]
    pixels, reason = picture_problem(path, row.get("photo_crop"))
    if reason is not None:
        return None, [_problem(source, "photo", reason, value=typed)]
    decorative = bool(row.get("photo_decorative"))
    problems = []
    if not texts["photo_alt"] and not decorative:
        problems.append(_problem(source, "photo_alt", "写真の代替テキストがありません。写真に何が写っているかを書いてください"
                                 "(音声読み上げで聞く人や、写真が見えない人のため)。飾りだけの写真なら「装飾」に ○ を入れます",
                                 value=typed, severity="warning"))
    return Photo(path=path, file=typed, caption=texts["photo_caption"], alt=texts["photo_alt"], credit=texts["photo_credit"],
                 decorative=decorative, crop=row.get("photo_crop"), pixels=pixels, source=source), problems
