"""Preflight: what would print wrong. Characters no bundled font has (tofu), text outside its box
or clipped, featured measures missing from the laid-out document, and refused URLs.

Every finding is a warning Problem located as precisely as the model allows (file, sheet, row and
column of the cell the text came from); `--strict` turns them into errors.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from report.load.project.config import Config, line_of
from report.render.checks.coverage import bundled_coverage, bundled_variants
from report.kinds import DocumentKind, kind_named
from report.render.html.markup import RUBY_RE
from report.load.model import Area, Measure, Metric, Project
from report.load.values.numbers import format_number
from report.problems import Problem, shorten
from report.load.tables.schema import AREAS, MEASURES, METRICS, Table

# Printed fields of the model, by table: the model's attribute names are the columns' English names.
TEXT_COLUMNS: tuple[tuple[Table, tuple[str, ...]], ...] = (
    (AREAS, ("title", "subtitle")),
    (MEASURES, ("id", "vision", "actions", "status", "department")),
    (METRICS, ("label", "value", "unit", "target", "note")),
)
TOLERANCE_PX = 1.0  # layout rounding; 1 CSS px = 0.75 pt
_SHORTER = "長い英数字や記号の連続は、途中に空白を入れるなどして枠に収まるようにしてください"
LAYOUT_FINDINGS = {  # kind → what is wrong, what to do
    "overflow": ("文字が枠からはみ出しています", _SHORTER),
    "page": ("文字がページの版面の外に出ています", _SHORTER),
    "clipped": ("文字が枠で切れて、一部が印刷されません", "文を短くするか、スタイルの高さの指定を見直してください"),
}
PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class TextField:
    """One piece of the model's text, where it was typed, and what it belongs to."""

    text: str
    place: Problem  # file, sheet, row and column; message and value are filled in per finding
    owner: Area | Measure | Metric | Config


def squash(text: str) -> str:
    """Text as compared with the laid-out document: ruby reduced to its base (the reading is set
    apart, above it), no whitespace, no control, format or private-use characters (a layout drops
    the last: they are warned of by missing_glyphs)."""
    text = RUBY_RE.sub(lambda m: m.group(1), text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Co"))


def _printed(value: object) -> str:
    if isinstance(value, tuple):
        return "\n".join(value)
    if isinstance(value, Decimal):
        return format_number(value)
    return "" if value is None else str(value)


def _row_fields(owner: Area | Measure | Metric, table: Table, names: tuple[str, ...]) -> Iterator[TextField]:
    source = owner.source
    for name in names:
        text = _printed(getattr(owner, name))
        column = table.column(name)
        place = Problem(source.file if source else table.name, "", sheet=source.sheet if source else None,
                        row=source.row if source else None, column=column.name, column_label=column.label)
        yield TextField(text, place, owner)


NOT_PRINTED_TABLES = ("build", "print")  # koho.toml's file names and switches: never on the page


def _toml_strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text of a koho.toml value as (key path, text): strings, and the keys of its tables
    below the top level ([status]'s words, [grades]' band names)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else key
            if path:
                yield inner, key
            yield from _toml_strings(item, inner)
    elif isinstance(value, list):
        for item in value:
            yield from _toml_strings(item, path)


def _toml_line(toml: str, path: str, text: str) -> int | None:
    """The line of koho.toml where `text` of the key `path` is typed: the first line from its
    table's header (or its top-level key) on that holds the text, else that header line."""
    lines = toml.splitlines()
    top = path.split(".")[0]
    start = line_of(toml, top) or next(
        (n for n, line in enumerate(lines, 1) if line.lstrip().startswith((f"[{top}.", f"[[{top}"))), None)
    if start is None:
        return None
    return next((n for n in range(start, len(lines) + 1) if text and text in lines[n - 1]), start)


def _config_fields(project: Project) -> Iterator[TextField]:
    """Every text typed in koho.toml, with its key path and line. Which of them the document
    prints is known from the laid-out page (printed_glyphs); [build] and [print] only name files."""
    import tomllib

    config, path = project.config, project.files.config
    if path is None:
        return
    toml = project.input_bytes(path).decode("utf-8-sig")
    try:
        table = tomllib.loads(toml)
    except tomllib.TOMLDecodeError:
        return  # load_config has refused it already
    for key, text in _toml_strings({k: v for k, v in table.items() if k not in NOT_PRINTED_TABLES}):
        first_line = text.splitlines()[0] if text.strip() else ""
        yield TextField(text, Problem(path.name, "", row=_toml_line(toml, key, first_line), column=key), config)


def option_fields(options: dict[str, str | None]) -> Iterator[TextField]:
    """The texts given on the command line (--meeting, --date), named by their option."""
    for option, text in options.items():
        if text:
            yield TextField(text, Problem(OPTIONS_NAME, "", column=option), Config())


def text_fields(project: Project) -> Iterator[TextField]:
    """Every text of the project that may be printed, with where it was typed."""
    yield from _config_fields(project)
    tables = dict(TEXT_COLUMNS)
    for area in project.areas:
        yield from _row_fields(area, AREAS, tables[AREAS])
        for measure in area.measures:
            yield from _row_fields(measure, MEASURES, tables[MEASURES])
            for metric in measure.metrics:
                yield from _row_fields(metric, METRICS, tables[METRICS])


# --- characters the bundled fonts cannot print as typed -------------------------------------------

OPTIONS_NAME = "コマンドの指定"
TEMPLATES_COLUMN = "テンプレート・スタイル"
GLYPH_MESSAGES = {  # kind of finding → what happens and what to do
    "tofu": "同梱のフォントにない文字です。印刷すると□(豆腐)になるため、別の文字に置き換えてください",
    "variant": "異体字セレクタの付いた字形が同梱のフォントにありません。印刷すると標準の字形になるため、"
               "字形を確認してください",
    "private": "私用領域の文字(外字)です。パソコンやフォントによって別の字や□になるため、別の文字に置き換えてください",
}


def is_selector(char: str) -> bool:
    """A variation selector (U+FE00–FE0F, or an ideographic one U+E0100–E01EF after a kanji)."""
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _needs_glyph(char: str) -> bool:
    """Spaces, controls, format characters and variation selectors are not drawn with a glyph."""
    if char.isspace() or is_selector(char):
        return False
    return unicodedata.category(char) not in ("Cc", "Cf")


def glyph_findings(text: str) -> list[tuple[str, str]]:
    """What of `text` the bundled fonts cannot print as typed, as (kind, characters) in order,
    each once: a character no font has ("tofu"), a variation sequence (葛 + U+E0100) no font's
    cmap has ("variant"; one a font has is printed in its variant form), a private-use character
    ("private": what it shows depends on the machine)."""
    covered = bundled_coverage()
    found: dict[tuple[str, str], None] = {}
    for index, char in enumerate(text):
        if is_selector(char):
            base = text[index - 1] if index else ""
            if base and _needs_glyph(base) and (ord(base), ord(char)) not in bundled_variants():
                found["variant", base + char] = None
        elif unicodedata.category(char) == "Co":
            found["private", char] = None
        elif _needs_glyph(char) and ord(char) not in covered:
            found["tofu", char] = None
    return list(found)


def _shown(characters: str) -> str:
    """「🎉(U+1F389)」, 「葛(U+845B U+E0102)」."""
    return f"{characters}({' '.join(f'U+{ord(c):04X}' for c in characters)})"


def _glyph_problems(place: Problem, findings: list[tuple[str, str]]) -> list[Problem]:
    """One warning per kind of finding at `place`, naming its characters."""
    problems = []
    for kind, message in GLYPH_MESSAGES.items():
        shown = [_shown(chars) for found, chars in findings if found == kind]
        if shown:
            problems.append(replace(place, severity="warning", value="、".join(shown), message=message))
    return problems


def missing_glyphs(project: Project) -> list[Problem]:
    """Warnings for text of the data and koho.toml that the bundled fonts cannot print as typed:
    tofu (□), a variant no font has, a private-use character; each names its cell or key."""
    return [problem for field in text_fields(project)
            for problem in _glyph_problems(field.place, glyph_findings(field.text))]


def printed_text(html: str, css: str, charts: Iterable[str]) -> str:
    """Everything a document prints: its HTML's text, its charts' SVG text, and the generated
    content of its stylesheets: the generated `css` and the ones the document itself carries in
    its <style> (this kind's, koho's and the project's own; not every stylesheet in the folders)."""
    from report.render.web.webfonts import page_text

    sheets = [css, *_STYLE_RE.findall(html)]
    return "\n".join([page_text(html, "\n".join(sheets)), *(page_text(svg) for svg in charts)])


_STYLE_RE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def printed_glyphs(project: Project, printed: str, document_name: str,
                   options: dict[str, str | None] | None = None) -> list[Problem]:
    """Warnings for what the document prints (`printed`: its text, its charts' and its stylesheets'
    generated content, report.render.web.webfonts.page_text) that the bundled fonts cannot print as
    typed and that missing_glyphs has not reported with its cell: text of the command's `options`
    (--meeting, --date) names its option; the rest came from templates or stylesheets."""
    reported = {finding for field in text_fields(project) for finding in glyph_findings(field.text)}
    left = [finding for finding in glyph_findings(printed) if finding not in reported]
    problems = []
    for field in option_fields(options or {}):
        here = [finding for finding in left if finding[1] in field.text]
        problems += _glyph_problems(field.place, here)
        left = [finding for finding in left if finding not in here]
    return problems + _glyph_problems(Problem(document_name, "", column=TEMPLATES_COLUMN), left)


# --- the laid-out document -----------------------------------------------------------------------

@dataclass(frozen=True)
class PlacedText:
    """One run of laid-out text with the boxes around it (innermost last) and its page number."""

    box: object  # weasyprint TextBox
    ancestors: tuple
    page: int

    @property
    def is_reading(self) -> bool:
        """A ruby reading (furigana), set over its base: not part of the running text."""
        return any("rt" in (box.element.get("class") or "").split() for box in self.ancestors
                   if getattr(box, "element", None) is not None)


def placed_texts(document) -> Iterator[PlacedText]:  # noqa: ANN001 - weasyprint.Document
    """Every text run of the document's main flow in reading order (running heads and folios,
    which live in the page margins, are left out)."""
    from weasyprint.formatting_structure import boxes

    def walk(box, ancestors: tuple, page: int) -> Iterator[PlacedText]:  # noqa: ANN001
        if isinstance(box, boxes.TextBox):
            yield PlacedText(box, ancestors, page)
        elif isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.MarginBox):
            for child in box.children:
                yield from walk(child, (*ancestors, box), page)

    for number, page in enumerate(document.pages, start=1):
        yield from walk(page._page_box, (), number)  # noqa: SLF001 - the laid-out box tree


def _padding_box(box) -> tuple[float, float, float, float]:  # noqa: ANN001 - weasyprint Box
    x, y = box.padding_box_x(), box.padding_box_y()
    return x, y, x + box.padding_width(), y + box.padding_height()


def _hanging(text) -> tuple[float, float]:  # noqa: ANN001 - weasyprint TextBox
    """How far (CSS px) a text box may reach out at its start and its end: the blank half an em of a
    bracket set half-width at a line's start, or of a closing mark at its end (JLREQ 3.1.4), which
    report/render/typeset/extensions/line_adjust.py lets hang past the column's edge while the glyph ends flush."""
    from report.render.typeset.extensions.line_adjust import LINE_END_CLOSING, LINE_START_OPENING

    half = text.style["font_size"] / 2
    shown = text.text.strip()
    if not shown:
        return 0.0, 0.0
    return (half if shown[0] in LINE_START_OPENING else 0.0), (half if shown[-1] in LINE_END_CLOSING else 0.0)


def _outside(text, area: tuple[float, float, float, float], vertical: bool) -> float:  # noqa: ANN001
    """How far (CSS px) a text box reaches out of an area, horizontally (and vertically), beyond the
    blank of a bracket or 、。 at its edges."""
    left, top, right, bottom = area
    start, end = _hanging(text)
    reach = [left - text.position_x - start, text.position_x + text.width - right - end]
    if vertical:
        reach += [top - text.position_y, text.position_y + text.height - bottom]
    return max(reach)


def _measure_id(placed: PlacedText) -> str | None:
    for box in reversed(placed.ancestors):
        if box.element_tag == "article" and (box.element.get("id") or "").startswith("measure-"):
            return box.element.get("id").removeprefix("measure-")
    return None


def _place(text: str, measure_id: str | None, project_fields: list[TextField], document_name: str) -> Problem:
    """Where a run of laid-out text was typed: the field that contains it (or, for a run that joins
    a value and its unit, the longest field it contains) — in its own measure first, then among the
    data's cells, then koho.toml. Text of a measure no field matches is placed on the measure's row."""
    wanted = squash(text)

    def owned(field: TextField) -> bool:
        owner = field.owner
        return (isinstance(owner, Measure) and owner.id == measure_id) or (
            isinstance(owner, Metric) and owner.measure == measure_id)

    def match(field: TextField) -> tuple[int, int] | None:
        typed = squash(field.text)
        if not typed or not wanted:
            return None
        if wanted in typed:
            return (2, -len(typed))
        contained = len(typed) if len(typed) >= 2 and typed in wanted else 0
        # a run holding part of a long field (a number set in pieces around its point, then its unit)
        shared = SequenceMatcher(None, wanted, typed, autojunk=False).find_longest_match().size
        overlap = max(contained, shared if shared * 2 >= len(wanted) else 0)
        return (1, overlap) if overlap else None

    tiers = ([f for f in project_fields if owned(f)], [f for f in project_fields if not isinstance(f.owner, Config)],
             [f for f in project_fields if isinstance(f.owner, Config)])
    for tier in tiers:
        scored = [(score, index) for index, f in enumerate(tier) if (score := match(f)) is not None]
        if scored:
            return tier[max(scored)[1]].place
    measure_row = next((f for f in tiers[0] if isinstance(f.owner, Measure)), None)
    return measure_row.place if measure_row else Problem(document_name, "")


def overflows(project: Project, document, document_name: str) -> list[Problem]:  # noqa: ANN001
    """Warnings for text that reaches out of its box (into the next column or the margin) or is
    clipped by a box that hides its overflow, or lies outside the page's text area."""
    from weasyprint.formatting_structure import boxes

    project_fields = list(text_fields(project))
    worst: dict[tuple[int, int], tuple[float, str, PlacedText]] = {}  # the worst run per page and box
    runs: dict[tuple[int, int], list[str]] = {}  # every run out of that box: a number set in pieces, its unit
    for placed in placed_texts(document):
        text = placed.box
        page_box = placed.ancestors[0]
        container = next(b for b in reversed(placed.ancestors)
                         if isinstance(b, boxes.BlockContainerBox | boxes.PageBox))
        findings = [(_outside(text, _padding_box(container), vertical=False), "overflow")]
        findings += [(_outside(text, _padding_box(b), vertical=True), "clipped") for b in placed.ancestors[1:]
                     if b.style["overflow"] != "visible"]
        page_area = (page_box.content_box_x(), page_box.content_box_y(),
                     page_box.content_box_x() + page_box.width, page_box.content_box_y() + page_box.height)
        findings.append((_outside(text, page_area, vertical=True), "page"))
        reach, kind = max(findings)
        key = (placed.page, id(container))
        if reach > TOLERANCE_PX:
            runs.setdefault(key, []).append(text.text)
            if reach > worst.get(key, (0.0,))[0]:
                worst[key] = (reach, kind, placed)
    problems = []
    for key, (reach, kind, placed) in worst.items():
        what, advice = LAYOUT_FINDINGS[kind]
        place = _place("".join(runs[key]), _measure_id(placed), project_fields, document_name)
        problems.append(replace(place, severity="warning", value=shorten(placed.box.text, 40),
                                message=f"{placed.page}ページ: {what}({reach / PX_PER_MM:.1f}mm)。{advice}"))
    return problems


def missing_measures(project: Project, document, document_name: str,  # noqa: ANN001
                     kind: DocumentKind | str = "newsletter") -> list[Problem]:
    """Warnings for measures the kind prints whose vision text (ruby read as its base) is not in
    the laid-out document: in its reading order, or in one block (a table cell split over pages
    has the other cells of its row between its parts)."""
    from weasyprint.formatting_structure.boxes import BlockContainerBox

    runs, blocks = [], {}
    for placed in placed_texts(document):
        if not placed.is_reading:
            runs.append(placed.box.text)
            block = next((b for b in reversed(placed.ancestors) if isinstance(b, BlockContainerBox)
                          and getattr(b, "element", None) is not None), None)
            blocks.setdefault(id(block.element) if block is not None else None, []).append(placed.box.text)
    printed = [squash("".join(runs)), *(squash("".join(texts)) for texts in blocks.values())]
    problems = []
    for measure in project.measures:
        if kind.shows(measure) and not any(squash(measure.vision) in text for text in printed):
            field = next(f for f in _row_fields(measure, MEASURES, ("vision",)))
            problems.append(replace(field.place, severity="warning", value=measure.id,
                                    message=f"掲載する施策が{document_name}に載っていません"
                                            "(テンプレートやスタイルの上書きを確認してください)"))
    return problems


def refused_urls(refused: list[str], document_name: str) -> list[Problem]:
    """Warnings for what the document asked to read but koho refused (see report.render.typeset.fetcher)."""
    return [Problem(document_name, "読み込みを拒否しました(プロジェクトのフォルダとkohoの同梱ファイル以外は"
                    "読みません)。スタイルやテンプレートの url() を確認してください", value=url, severity="warning")
            for url in dict.fromkeys(refused)]


def preflight(project: Project, document, refused: list[str], document_name: str,  # noqa: ANN001
              kind: DocumentKind | str = "newsletter") -> list[Problem]:
    """Every preflight warning of a laid-out document of that kind."""
    from report.photos.placing import resolution_problems
    from report.render.html.html import photo_placements

    return [*overflows(project, document, document_name), *missing_measures(project, document, document_name, kind),
            *refused_urls(refused, document_name),
            *resolution_problems(photo_placements(project, kind_named(kind)), document_name)]
