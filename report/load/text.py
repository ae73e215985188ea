"""Japanese text hygiene applied to every text cell on the way in."""

from __future__ import annotations

import re
import unicodedata

_JAPANESE = r"\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヵヶ"
# A tilde (ASCII ~ or the overline-looking ‾) between Japanese characters is a wave dash.
_TILDE_RE = re.compile(rf"(?<=[{_JAPANESE}])\s*[~∼〜～]\s*(?=[{_JAPANESE}])")
_HALFWIDTH_KANA_RE = re.compile(r"[\uff61-\uff9f]+")
# Control characters print as nothing or as tofu: a tab is a space, the others are dropped.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _widen_kana(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def normalize_text(text: str) -> str:
    """Tidy one text cell: line ends, control characters, half-width katakana, the wave dash, stray spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL_RE.sub("", text)
    text = _HALFWIDTH_KANA_RE.sub(_widen_kana, text)
    text = _TILDE_RE.sub("〜", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def split_lines(text: str) -> tuple[str, ...]:
    """One item per non-empty line of a cell (the actions column)."""
    return tuple(line for line in (part.strip() for part in text.split("\n")) if line)
