"""koho.toml: the document's settings, validated key by key (all optional)."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .problems import DataError, Problem

CONTACT_KEYS = ("department", "phone", "email", "address", "hours")
ERA_STYLES = ("wareki", "short", "western")
_URL_RE = re.compile(r"^https?://[^\s<>\"']+$")


@dataclass(frozen=True)
class Contact:
    """The お問い合わせ box: who to ask about the report."""

    department: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    hours: str = ""

    def __bool__(self) -> bool:
        return any(getattr(self, key) for key in CONTACT_KEYS)


@dataclass(frozen=True)
class Config:
    """Settings from koho.toml; every field has a neutral default."""

    title: str = "施策の取組状況"
    period: str = ""
    municipality: str = ""
    prefecture: str = ""
    newsletter: str = ""
    issue: str = ""
    first_page: int = 1
    lead: str = ""
    closing_note: str = ""
    url: str = ""
    era_style: str = "wareki"
    contact: Contact = field(default_factory=Contact)

    @property
    def running_head(self) -> str:
        """「広報ひおき 令和6年3月号」, or the municipality when there is no newsletter name."""
        return " ".join(part for part in (self.newsletter or self.municipality, self.issue) if part)


def _check_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("文字列で書いてください(例: title = \"市長マニフェスト\")")
    return value.strip()


def _check_first_page(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 9999:
        raise ValueError("1以上の整数で書いてください(例: first_page = 2)")
    return value


def _check_url(value: Any) -> str:
    text = _check_str(value)
    if text and not _URL_RE.match(text):
        raise ValueError("http:// または https:// で始まるURLを書いてください")
    return text


def _check_era_style(value: Any) -> str:
    text = _check_str(value)
    if text not in ERA_STYLES:
        raise ValueError(f"{' / '.join(ERA_STYLES)} のいずれかを書いてください")
    return text


def _check_contact(value: Any) -> Contact:
    if not isinstance(value, dict):
        raise ValueError("[contact] の表として書いてください")
    unknown = sorted(set(value) - set(CONTACT_KEYS))
    if unknown:
        raise ValueError(f"[contact] に使えない項目があります: {', '.join(unknown)}"
                         f"(使える項目: {', '.join(CONTACT_KEYS)})")
    return Contact(**{key: _check_str(item) for key, item in value.items()})


CHECKS = {
    f.name: _check_str for f in fields(Config)
} | {
    "first_page": _check_first_page,
    "url": _check_url,
    "era_style": _check_era_style,
    "contact": _check_contact,
}


def line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\[{re.escape(key)}\]|{re.escape(key)}\s*=)", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_config(path: Path | None) -> tuple[Config, list[Problem]]:
    """Read and check koho.toml. Returns the config and its warnings; raises DataError on errors."""
    if path is None:
        return Config(), []
    file = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError([Problem(file, "koho.toml は UTF-8 で保存してください")]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line = int(match.group(1)) if match else None
        where = f"{match.group(2)}文字目: " if match else ""
        reason = re.sub(r"\s*\(at .*\)$", "", str(error))
        typed = text.splitlines()[line - 1].strip() if line and line <= len(text.splitlines()) else None
        raise DataError([Problem(file, f"TOMLの書き方に誤りがあります({where}{reason})", row=line,
                                 value=typed)]) from None
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in raw.items():
        check = CHECKS.get(key)
        if check is None:
            near = difflib.get_close_matches(key, CHECKS, n=1)
            hint = f"「{near[0]}」の誤りではありませんか" if near else "この項目は使われません"
            problems.append(Problem(file, f"不明な設定項目です。{hint}", row=line_of(text, key),
                                    column=key, severity="warning"))
            continue
        try:
            values[key] = check(value)
        except ValueError as error:
            problems.append(Problem(file, str(error), row=line_of(text, key), column=key,
                                    value=str(value)))
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return Config(**values), problems
