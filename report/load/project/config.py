"""koho.toml: the document's settings, validated key by key (all optional)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any

from report.load.project.grade_bands import GradeScheme, check_grades
from report.load.values.era import check_written_date
from report.load.values.keyed import KeyedError
from report.kinds import KIND_NAMES, DocumentKind, kind_named
from report.problems import DataError, Problem
from report.load.project.toml_reasons import toml_syntax
from report.load.project.rate_settings import RATE_CHECKS, RateSettings

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
class PrintSettings:
    """[print]: the printer's version (bleed and crop marks, PDF/X-4 with the printer's profile)."""

    enabled: bool = False
    icc_profile: str = ""  # a path in the project folder, e.g. "JapanColor2011Coated.icc"


@dataclass(frozen=True)
class HandoutSettings:
    """[handout]: the council handout's header block (all may also be given on the command line)."""

    meeting: str = ""  # 「令和7年第4回定例会 総務委員会」
    material: str = ""  # 資料番号: 「資料1」
    date: str = ""  # as printed: 「令和7年12月10日」
    photos: str = "thumbnail"  # a measure's photo in its row: thumbnail (小さな写真) or none (載せない)


@dataclass(frozen=True)
class ArchiveSettings:
    """[archive]: the annual record's cover."""

    published: str = ""  # publication date as printed; default: the build date


# The progress scale (DESIGN.md §7): a word and the symbol that carries it on a photocopy.
DEFAULT_STATUS_SCALE: tuple[tuple[str, str], ...] = (
    ("達成", "◎"), ("実施中", "○"), ("着手", "△"), ("未着手", "×"),
)


@dataclass(frozen=True)
class BuildSettings:
    """The [build] table: defaults for `koho build`; options given on the command line win.

    Paths are relative to the project folder and stay inside it; empty means koho's default.
    """

    output: str = ""
    html: str = ""
    kind: DocumentKind | None = None  # None: koho's default (the newsletter)


GRADE_SOURCES = ("both", "koho", "city")


@dataclass(frozen=True)
class DataSettings:
    """[data]: what the tables hold that no one row says.

    - as_of: the date the whole table is as of (「令和6年3月31日現在」), used where a row has no 時点.
    - grades: whose grade is printed where the 評価 column gives the city's own: `both` (koho's from
      [grades] and the city's beside it, default), `city` (the city's alone), `koho` (koho's alone;
      the city's column is only checked against it).
    """

    as_of: dt.date | None = None
    grades: str = "both"


def _check_as_of(value: Any) -> dt.date:
    from report.load.values.era import parse_date

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError('日付で書いてください(例: as_of = 2024-03-31 または as_of = "令和6年3月31日")')
    return parse_date(value)


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
    fit_spread: bool = True  # tighten line spacing a little so the feature fills whole spreads
    contact: Contact = field(default_factory=Contact)
    print: PrintSettings = field(default_factory=PrintSettings)
    handout: HandoutSettings = field(default_factory=HandoutSettings)
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    status: tuple[tuple[str, str], ...] = DEFAULT_STATUS_SCALE  # (word, symbol), best first
    years: tuple[int, ...] = ()  # the newsletter's fiscal years; default: the last two in the data
    build: BuildSettings = field(default_factory=BuildSettings)
    rates: RateSettings = field(default_factory=RateSettings)  # [rates]: how 達成率 is computed
    grades: GradeScheme = field(default_factory=GradeScheme)  # [grades]: bands by rate (none: no grades)
    data: DataSettings = field(default_factory=DataSettings)  # [data]: table-wide as-of date, whose grades

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


def _check_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true か false で書いてください")
    return value


def _check_url(value: Any) -> str:
    text = _check_str(value)
    if text and not _URL_RE.match(text):
        raise ValueError("http:// または https:// で始まるURLを書いてください")
    if text:
        from report.qr import check_capacity

        check_capacity(text)
    return text


def _check_choice(choices: tuple[str, ...]):  # noqa: ANN202 - a check function
    def check(value: Any) -> str:
        text = _check_str(value)
        if text not in choices:
            raise ValueError(f"{' / '.join(choices)} のいずれかを書いてください")
        return text
    return check


def _check_contact(value: Any) -> Contact:
    if not isinstance(value, dict):
        raise ValueError("[contact] の表として書いてください")
    unknown = sorted(set(value) - set(CONTACT_KEYS))
    if unknown:
        raise ValueError(f"[contact] に使えない項目があります: {', '.join(unknown)}"
                         f"(使える項目: {', '.join(CONTACT_KEYS)})")
    return Contact(**{key: _check_str(item) for key, item in value.items()})


def _check_print(value: Any) -> PrintSettings:
    if not isinstance(value, dict):
        raise ValueError("[print] の表として書いてください")
    unknown = sorted(set(value) - {"enabled", "icc_profile"})
    if unknown:
        raise ValueError(f"[print] に使えない項目があります: {', '.join(unknown)}(使える項目: enabled, icc_profile)")
    profile = _check_str(value.get("icc_profile", ""))
    if profile and (Path(profile).is_absolute() or ".." in Path(profile).parts
                    or Path(profile).suffix.lower() not in (".icc", ".icm")):
        raise ValueError("icc_profile はプロジェクトフォルダ内の .icc ファイルを相対パスで書いてください")
    return PrintSettings(enabled=_check_bool(value.get("enabled", False)), icc_profile=profile)


def _check_table(name: str, cls: type, checks: dict[str, Any] | None = None) -> Any:
    """A table of text settings; `checks` names a key's own check where it has one."""
    keys = [f.name for f in fields(cls)]

    def check(value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"[{name}] の表として書いてください")
        unknown = sorted(set(value) - set(keys))
        if unknown:
            raise ValueError(f"[{name}] に使えない項目があります: {', '.join(unknown)}(使える項目: {', '.join(keys)})")
        values = {}
        for key, item in value.items():
            try:
                values[key] = (checks or {}).get(key, _check_str)(item)
            except KeyedError:
                raise
            except ValueError as error:
                raise KeyedError(str(error), key) from None
        for key in WRITTEN_DATES.intersection(values):  # printed as written: an era date must exist
            try:
                check_written_date(values[key])
            except ValueError as error:
                raise KeyedError(str(error), key) from None
        return cls(**values)

    return check


WRITTEN_DATES = {"date", "published"}  # [handout] date, [archive] published
HANDOUT_PHOTOS = ("thumbnail", "none")


def _check_handout_photos(value: Any) -> str:
    text = _check_str(value)
    if text not in HANDOUT_PHOTOS:
        raise ValueError('photos は "thumbnail"(施策の行に小さな写真を載せる)か "none"(写真を載せない)のどちらかを書いてください')
    return text


MAX_STATUS_WORDS = 8  # the status chart tells this many apart on a photocopy, その他 besides (charts.draw.SEGMENT_STYLES)


def _check_status(value: Any) -> tuple[tuple[str, str], ...]:
    """[status]: words and symbols, best first; each word and each symbol names one category only."""
    from report.load.values.text import status_key

    if not isinstance(value, dict):
        raise ValueError('[status] の表に「"達成" = "◎"」のように進捗の言葉と記号を書いてください')
    if not value:
        return DEFAULT_STATUS_SCALE
    scale = tuple((_check_str(word), _check_str(symbol)) for word, symbol in value.items())
    if len(scale) > MAX_STATUS_WORDS:
        raise ValueError(f"[status] の言葉は{MAX_STATUS_WORDS}個までです(グラフで白黒でも見分けられる数)")
    seen: dict[str, str] = {}
    for word, symbol in scale:
        if not word:
            raise ValueError("[status] に空の言葉があります")
        for name in (word, symbol):
            key = status_key(name)
            if key and key in seen and seen[key] != word:
                raise ValueError(f"[status] の「{seen[key]}」と「{word}」が同じ「{name}」を使っています"
                                 "(進捗の欄のその文字がどちらの意味か決まりません)")
            if key:
                seen[key] = word
    return scale


def _check_years(value: Any) -> tuple[int, ...]:
    from report.load.values.era import parse_fiscal_year

    if not isinstance(value, list) or not value:
        raise ValueError('年度の配列で書いてください(例: years = ["令和4年度", "令和5年度"])')
    return tuple(sorted(parse_fiscal_year(str(item)) for item in value))


def _check_project_path(suffixes: tuple[str, ...]):  # noqa: ANN202 - a check function
    def check(value: Any) -> str:
        text = _check_str(value).replace("\\", "/")
        if not text:
            return text
        path = PurePosixPath(text)
        if path.is_absolute() or re.match(r"^[A-Za-z]:", text) or ".." in path.parts:
            raise ValueError("プロジェクトのフォルダからの相対パスで、フォルダの中を指してください"
                             f"(例: \"build/広報{suffixes[0]}\")")
        if path.suffix.lower() not in suffixes:
            raise ValueError(f"{' / '.join(suffixes)} で終わるファイル名にしてください")
        return text
    return check


BUILD_CHECKS = {
    "output": _check_project_path((".pdf",)),
    "html": _check_project_path((".html", ".htm")),
    "kind": lambda value: kind_named(_check_choice(KIND_NAMES)(value)),
}
CHECKS = {
    f.name: _check_str for f in fields(Config) if f.name not in ("build", "rates", "data")
} | {
    "first_page": _check_first_page,
    "url": _check_url,
    "era_style": _check_choice(ERA_STYLES),
    "fit_spread": _check_bool,
    "contact": _check_contact,
    "print": _check_print,
    "handout": _check_table("handout", HandoutSettings, {"photos": _check_handout_photos}),
    "archive": _check_table("archive", ArchiveSettings),
    "status": _check_status,
    "years": _check_years,
    "grades": check_grades,
}


# Tables whose keys are checked one by one, each problem on its own line.
DATA_CHECKS = {"as_of": _check_as_of, "grades": _check_choice(GRADE_SOURCES)}
KEYED_TABLES = {"build": (BUILD_CHECKS, BuildSettings), "rates": (RATE_CHECKS, RateSettings),
                "data": (DATA_CHECKS, DataSettings)}


def line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\[{re.escape(key)}\]|{re.escape(key)}\s*=)", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_config(path: Path | None, data: bytes | None = None) -> tuple[Config, list[Problem]]:
    """Read and check koho.toml (`data`: its bytes, if already read). Returns the config and its
    warnings; raises DataError on errors."""
    if path is None:
        return Config(), []
    file = path.name
    try:
        text = (path.read_bytes() if data is None else data).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError([Problem(file, "koho.toml は UTF-8 で保存してください")]) from None
    try:
        raw = tomllib.loads(text)
    except RecursionError:
        raise DataError([Problem(file, "TOMLの入れ子(配列や表の中の配列や表)が深すぎて読めません")]) from None
    except tomllib.TOMLDecodeError as error:
        syntax = toml_syntax(error)
        line = syntax.line
        typed = text.splitlines()[line - 1].strip() if line and line <= len(text.splitlines()) else None
        raise DataError([Problem(file, f"TOMLの書き方に誤りがあります({syntax.reason()})", row=line,
                                 value=typed)]) from None
    problems: list[Problem] = []
    raw.pop("import", None)  # the import's mapping: checked by report.ingest.mapping.read_mapping
    keyed = {name: raw.pop(name, None) for name in KEYED_TABLES}
    values = _check_keys(raw, CHECKS, file, text, problems)
    for name, (checks, cls) in KEYED_TABLES.items():
        table = keyed[name]
        if isinstance(table, dict):
            values[name] = cls(**_check_keys(table, checks, file, text, problems, table_name=name))
        elif table is not None:
            problems.append(Problem(file, f"[{name}] の表として書いてください", row=line_of(text, name),
                                    column=name, value=str(table)))
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return Config(**values), problems


def _check_keys(table: dict[str, Any], checks: dict[str, Any], file: str, text: str,
                problems: list[Problem], table_name: str = "") -> dict[str, Any]:
    """Check each key of one TOML table; unknown keys are warnings with a suggestion."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{table_name}.{key}" if table_name else key
        check = checks.get(key)
        if check is None:
            near = difflib.get_close_matches(key, checks, n=1)
            hint = f"「{near[0]}」の誤りではありませんか" if near else "この項目は使われません"
            problems.append(Problem(file, f"不明な設定項目です。{hint}", row=line_of(text, key),
                                    column=name, severity="warning"))
            continue
        try:
            values[key] = check(value)
        except ValueError as error:
            keys = error.keys if isinstance(error, KeyedError) else ()  # a key inside: named by its own line
            inner = line_of_inner(text, key, keys) or (line_of_inner(text, table_name, (key,)) if table_name else None)
            typed = text.splitlines()[inner - 1].strip() if inner else str(value)
            problems.append(Problem(file, str(error), row=inner or line_of(text, key),
                                    column=".".join([name, *(_toml_key(k) for k in keys)]), value=typed))
    return values


def _toml_key(key: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted (「"令和6年度"」)."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"'


def line_of_inner(text: str, table: str, keys: tuple[str, ...]) -> int | None:
    """The line of a key inside a table: `A = …` under `[grades]`, or under `[grades."令和6年度"]`
    (or a sub-table's own header line); None when it is written some other way."""
    if not keys:
        return None
    *tables, last = keys
    header = r"\.".join([re.escape(table), *(rf"""\s*["']?{re.escape(k)}["']?\s*""" for k in tables)])
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(rf"^\s*\[\s*{header}\s*\]", line)), None)
    if start is None:
        return None
    key = re.compile(rf"""^\s*["']?{re.escape(last)}["']?\s*=""")
    sub = re.compile(rf"""^\s*\[\s*{header}\s*\.\s*["']?{re.escape(last)}["']?\s*\]""")
    own = True  # still in the table's own keys (a TOML table's keys come before its sub-tables)
    for number, line in enumerate(lines[start + 1:], start + 2):
        if sub.match(line) or (own and key.match(line)):
            return number
        if re.match(r"^\s*\[", line):
            if not re.match(rf"^\s*\[\s*{header}\s*\.", line):
                return None
            own = False
    return None
