"""Colours: the colour-universal-design (CUD ver.4) palette and a strict colour grammar."""

from __future__ import annotations

import re
import unicodedata

# CUD 推奨配色セット ver.4, accents (for small areas such as badges and bars).
CUD_ACCENTS: dict[str, str] = {
    "red": "#FF4B00", "yellow": "#FFF100", "green": "#03AF7A", "blue": "#005AFF",
    "sky": "#4DC4FF", "pink": "#FF8082", "orange": "#F6AA00", "purple": "#990099",
    "brown": "#804000",
}
CUD_BASES: dict[str, str] = {
    "lightpink": "#FFCABF", "cream": "#FFFF80", "lightyellowgreen": "#D8F255",
    "lightsky": "#BFE4FF", "beige": "#FFCA80", "lightgreen": "#77D9A8", "lightpurple": "#C9ACE6",
}
JAPANESE_NAMES: dict[str, str] = {
    "赤": "red", "黄": "yellow", "黄色": "yellow", "緑": "green", "青": "blue", "空色": "sky",
    "水色": "sky", "ピンク": "pink", "オレンジ": "orange", "紫": "purple", "茶": "brown", "茶色": "brown",
}
# Area colours in order: neighbours never pair blue with purple (CUD guidance).
AREA_SEQUENCE: tuple[str, ...] = (
    "#005AFF", "#F6AA00", "#03AF7A", "#FF4B00", "#4DC4FF", "#804000", "#FF8082", "#990099",
)

_HEX_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_color(text: str) -> str | None:
    """'#005AFF', '#05F', 'blue', '青' → '#005AFF'; empty → None. Nothing else reaches CSS."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return None
    key = JAPANESE_NAMES.get(value, value.lower().replace(" ", ""))
    if key in CUD_ACCENTS:
        return CUD_ACCENTS[key]
    if key in CUD_BASES:
        return CUD_BASES[key]
    if _HEX_RE.match(value):
        digits = value[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return "#" + digits.upper()
    raise ValueError("色は #005AFF のような16進数か、CUD配色の色名(青、緑、orange など)で入力してください")


def area_color(index: int) -> str:
    """The default colour of the index-th area (0-based)."""
    return AREA_SEQUENCE[index % len(AREA_SEQUENCE)]


def _luminance(color: str) -> float:
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_on(color: str) -> str:
    """Black or white, whichever contrasts more with the background colour."""
    luminance = _luminance(color)
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#FFFFFF"
