"""How the measures table's photo cells are read: the file's path, 装飾, and トリミング's focus point.

トリミング (photo_crop) is empty for a photo printed whole, or the point to keep in view when the
photo is cut to the 3:2 landscape frame (CROP_ASPECT): a word — 中央, 上, 下, 左, 右, 左上, 右上,
左下, 右下 — or two percentages across and down from the top left, 「50%,30%」.
"""

from __future__ import annotations

import re
import unicodedata

from report.load.values.text import read_word_flag

FOCUS_WORDS: dict[str, tuple[float, float]] = {
    "中央": (0.5, 0.5), "中心": (0.5, 0.5), "真ん中": (0.5, 0.5),
    "上": (0.5, 0.0), "下": (0.5, 1.0), "左": (0.0, 0.5), "右": (1.0, 0.5),
    "左上": (0.0, 0.0), "右上": (1.0, 0.0), "左下": (0.0, 1.0), "右下": (1.0, 1.0),
}
_PERCENTS_RE = re.compile(r"^(\d{1,3}(?:\.\d+)?)%?[,、 ](\d{1,3}(?:\.\d+)?)%?$")
_DECORATIVE_TRUE = {"1", "true", "yes", "y", "○", "〇", "◯", "●", "はい", "装飾"}
_DECORATIVE_FALSE = {"", "0", "false", "no", "n", "×", "いいえ", "-", "ー", "－"}


def read_photo_path(text: str) -> str:
    """A photo's path as typed, with Windows' backslashes as slashes (photos\\a.jpg → photos/a.jpg)."""
    return text.strip().replace("\\", "/")


def read_focus(text: str) -> tuple[float, float]:
    """A focus point (0–1 across, 0–1 down) from 「中央」「上」… or 「50%,30%」."""
    value = "".join(unicodedata.normalize("NFKC", text).split(" ")).strip()
    if value in FOCUS_WORDS:
        return FOCUS_WORDS[value]
    match = _PERCENTS_RE.match(value.replace(", ", ","))
    if match and all(0 <= float(part) <= 100 for part in match.groups()):
        return float(match.group(1)) / 100, float(match.group(2)) / 100
    words = "、".join(w for w in FOCUS_WORDS if w not in ("中心", "真ん中"))
    raise ValueError(f"トリミングは残したい位置を{words}のどれか、または左からと上からの割合「50%,30%」で書いてください"
                     "(空欄なら写真を切らずに載せます)")


def read_decorative(text: str) -> bool:
    """○ / 空欄: whether the photo is decoration only."""
    return read_word_flag(text, _DECORATIVE_TRUE, _DECORATIVE_FALSE,
                          "装飾の写真には ○ を入れ、そうでなければ空欄にしてください(1/0、はい/いいえ でも可)")
