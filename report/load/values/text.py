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
# Full-width brackets and marks that carry their own blank (half an em, a quarter either side of ・):
# a space typed next to one would add a second blank, a hole of up to an em (「施設 「ひびのば」」).
MARKS_WITH_BLANK = "「」『』（）〔〕［］｛｝〈〉《》【】〘〙〖〗、。，．・：；！？"
_SPACE_BY_MARK_RE = re.compile(rf"[ \u3000]+(?=[{MARKS_WITH_BLANK}])|(?<=[{MARKS_WITH_BLANK}])[ \u3000]+")


def _widen_kana(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def normalize_text(text: str) -> str:
    """Tidy one text cell: line ends, control characters, half-width katakana, the wave dash, stray spaces
    (at a line's ends, and next to a full-width bracket or mark, which has its own blank)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL_RE.sub("", text)
    text = _HALFWIDTH_KANA_RE.sub(_widen_kana, text)
    text = _TILDE_RE.sub("〜", text)
    text = _SPACE_BY_MARK_RE.sub("", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def split_lines(text: str) -> tuple[str, ...]:
    """One item per non-empty line of a cell (the actions column)."""
    return tuple(line for line in (part.strip() for part in text.split("\n")) if line)


# Invisible format characters (Unicode category Cf) and the invisible C1 controls: bidi controls
# reverse printed numbers and dates, zero-width characters make two ids that print alike. They are
# removed from every cell (a warning names it). Kept: a zero-width joiner inside an emoji sequence
# (👨‍👩‍👧) and the tag characters of a flag (🏴 England); variation selectors are not Cf and stay.
INVISIBLE_RANGES = (
    (0x007F, 0x009F), (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD),
    (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F),
    (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)
_INVISIBLE = "".join(f"\\U{a:08X}-\\U{b:08X}" for a, b in INVISIBLE_RANGES)  # a regex class
_ZWJ = "\u200d"
_EMOJI_BEFORE = {"So", "Sk"}  # a pictograph, or a skin-tone modifier ending one
_FLAG_TAGS_RE = re.compile("\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# Characters XML cannot hold (C0 controls but tab and line ends; noncharacters; lone surrogates):
# they stop the PDF and web build, so a cell holding one is an error.
_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef"
                           + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
                           + "]")
_SUSPECT_RE = re.compile(f"{_INVISIBLE_RE.pattern}|{_FORBIDDEN_RE.pattern}")
CHARACTER_NAMES = {  # what staff can look for, by code point
    **dict.fromkeys((0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)),
                    "文字の向きを変える制御文字"),
    0x200B: "ゼロ幅スペース", 0x200C: "ゼロ幅非接合子", 0x200D: "ゼロ幅接合子", 0x2060: "単語結合子",
    0xFEFF: "BOM(ゼロ幅ノーブレークスペース)", 0x00AD: "ソフトハイフン", 0xFFFE: "非文字", 0xFFFF: "非文字",
}


def _needed(text: str, index: int) -> bool:
    """Whether the invisible character at `index` holds an emoji sequence together (a ZWJ between
    two pictographs)."""
    if text[index] != _ZWJ or index == 0 or index + 1 >= len(text):
        return False
    before, after = text[index - 1], text[index + 1]
    return (before == "\ufe0f" or unicodedata.category(before) in _EMOJI_BEFORE) \
        and unicodedata.category(after) == "So"


def _flag_spans(text: str) -> list[range]:
    return [range(*m.span()) for m in _FLAG_TAGS_RE.finditer(text)] if "\U0001F3F4" in text else []


def _removable(text: str) -> list[re.Match[str]]:
    """The invisible characters of `text` that hold nothing together."""
    if not _INVISIBLE_RE.search(text):
        return []
    flags = _flag_spans(text)
    return [m for m in _INVISIBLE_RE.finditer(text)
            if not _needed(text, m.start()) and not any(m.start() in span for span in flags)]


def invisible_characters(text: str) -> list[str]:
    """The invisible characters `remove_invisible` takes out of `text`, in order."""
    return [m.group() for m in _removable(text)]


def remove_invisible(text: str) -> str:
    """`text` without its invisible format characters (see INVISIBLE_RANGES)."""
    removable = _removable(text)
    if not removable:
        return text
    starts = {m.start() for m in removable}
    return "".join(c for i, c in enumerate(text) if i not in starts)


def needs_cleaning(text: str) -> bool:
    """Whether `text` holds an invisible or a forbidden character (one quick search)."""
    return _SUSPECT_RE.search(text) is not None


def forbidden_characters(text: str) -> list[str]:
    """The characters of `text` that XML cannot hold (U+FFFF, U+0001, …), in order."""
    return _FORBIDDEN_RE.findall(text)


def remove_forbidden(text: str) -> str:
    return _FORBIDDEN_RE.sub("", text)


def code_point(character: str) -> str:
    """「U+202E(文字の向きを変える制御文字)」: a character staff cannot see, named."""
    name = CHARACTER_NAMES.get(ord(character), "")
    return f"U+{ord(character):04X}" + (f"({name})" if name else "")


def visible(text: str, characters: list[str]) -> str:
    """`text` with each of `characters` shown as ⟨U+202E⟩, so that a message quoting it reads
    as typed (a bidi control quoted as it is would reverse the message itself)."""
    marked = set(characters)
    return "".join(f"⟨U+{ord(c):04X}⟩" if c in marked else c for c in text)


def read_word_flag(text: str, yes: set[str], no: set[str], message: str) -> bool:
    """A yes/no cell written in words (compared after NFKC and lower case): True for a word of
    `yes`, False for one of `no`, else ValueError(message)."""
    value = unicodedata.normalize("NFKC", text).strip().lower()
    if value in yes:
        return True
    if value in no:
        return False
    raise ValueError(message)


# Symbols typed for one another (the kanji zero and the large circle for ○, the multiplication X for ×).
_TWINS = str.maketrans({"〇": "○", "◯": "○", "✕": "×", "✖": "×"})


def status_key(text: str) -> str:
    """A status or scale entry as compared: width, spaces and look-alike symbols aside."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_TWINS).split())
