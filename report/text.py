"""Japanese text hygiene applied to every text cell on the way in."""

from __future__ import annotations

import re
import unicodedata

_JAPANESE = r"\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヵヶ"
# A tilde (ASCII ~ or the overline-looking ‾) between Japanese characters is a wave dash.
_TILDE_RE = re.compile(rf"(?<=[{_JAPANESE}])\s*[~∼〜～]\s*(?=[{_JAPANESE}])")
_HALFWIDTH_KANA_RE = re.compile(r"[\uff61-\uff9f]+")


def _widen_kana(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def normalize_text(text: str) -> str:
    """Tidy one text cell: line ends, half-width katakana, the wave dash, stray spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _HALFWIDTH_KANA_RE.sub(_widen_kana, text)
    text = _TILDE_RE.sub("〜", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def split_lines(text: str) -> tuple[str, ...]:
    """One item per non-empty line of a cell (the actions column)."""
    return tuple(line for line in (part.strip() for part in text.split("\n")) if line)
