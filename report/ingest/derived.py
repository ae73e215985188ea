"""Derived columns are a cross-check, not data (issue 22 item 3).

A city's 達成率/進捗率 and 評価 columns are not read as figures. They teach the city's own method:
which reading of value and target reproduces its rate (value ÷ target, koho's ratio — target ÷ value
where lower is better —, or progress from the baseline), its rounding (四捨五入/切り捨て) and digits,
and its grade bands (a ※ legend 「A：達成(100%以上) B：概ね達成(80%以上)…」), recorded for koho.toml's
[rates] and [grades]. Where the column fits no method, that is a question. Then only a cell that
breaks the city's own method is a warning naming that cell: a free audit of the city's spreadsheet,
not a warning on every row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from report.ingest.evidence import DITTO, DOWN, Figure, Indicator, cell_name, legend_of
from report.ingest.mapping import Question
from report.ingest.sheets.model import CellRef
from report.problems import Problem

HUNDRED = Decimal(100)
# method → what the city's staff read (the first two are koho's [rates] methods)
METHOD_WORDS = {"ratio": "実績値÷目標値(少ないほど良い指標は目標値÷実績値)", "plain": "実績値÷目標値(少ないほど良い指標も)",
                "progress": "基準値から目標値への進み具合((実績値−基準値)÷(目標値−基準値))"}
ROUNDING_WORDS = {"round": "四捨五入", "floor": "切り捨て"}
_LOWEST = re.compile(r"(?:もっとも|最も)低い")


def exact_rate(method: str, value: Decimal, target: Decimal, baseline: Decimal | None, down: bool) -> Decimal | None:
    """The unrounded rate in percent by one reading, or None where it is undefined."""
    if method == "progress":
        if baseline is None or target == baseline:
            return None
        return (value - baseline) / (target - baseline) * HUNDRED
    numerator, denominator = (target, value) if method == "ratio" and down else (value, target)
    if denominator <= 0 or numerator < 0:
        return None
    return numerator / denominator * HUNDRED


def shown_digits(number: Decimal) -> int:
    return max(0, -number.as_tuple().exponent) if isinstance(number.as_tuple().exponent, int) else 0


def rounded(percent: Decimal, rounding: str, digits: int) -> Decimal:
    return percent.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_FLOOR if rounding == "floor" else ROUND_HALF_UP)


def reproduces(shown: Decimal, exact: Decimal | None, rounding: str) -> bool:
    """Whether a rate cell shows `exact` by `rounding`, at the digits the cell shows."""
    return exact is not None and rounded(exact, rounding, shown_digits(shown)) == shown


@dataclass
class RateCell:
    """One 達成率 cell with the value and target of its year."""

    item: Indicator
    shown: Figure
    value: Figure
    target: Figure
    down: bool


@dataclass
class RateLesson:
    """What the city's rate column says about its method, and the cells that break it."""

    method: str | None = None
    rounding: str | None = None
    digits: int | None = None
    evidence: str = ""
    question: Question | None = None
    breaks: list[Problem] = field(default_factory=list)
    checked: int = 0

    @property
    def learned(self) -> bool:
        return self.method is not None

    def settings(self) -> dict[str, object]:
        """[rates] for koho.toml (koho has ratio and progress; the city's plain ratio is ratio)."""
        if self.method is None:
            return {}
        return {"method": "progress" if self.method == "progress" else "ratio", "rounding": self.rounding or "round",
                "digits": self.digits if self.digits is not None else 1}

    def rate(self, value: Decimal, target: Decimal, baseline: Decimal | None, down: bool) -> Decimal | None:
        if self.method is None:
            return None
        return exact_rate(self.method, value, target, baseline, down)


def rate_cells(indicators: list[Indicator], directions: dict[str, str], running: set[str]) -> list[RateCell]:
    """The rate cells that can be checked: a number, and a value and target of its year. An
    indicator whose 累計 reading is open (`running` holds the names of those read as each cell's own
    figure; the rest are skipped) takes no part."""
    cells = []
    for item in indicators:
        if item.rate is None or not item.values:
            continue
        value = item.value_in(item.rate_year) if item.rate_year is not None else item.values[-1]
        if value is None or (item.name not in running and "累計" in item.label):
            continue
        target = item.target_for(value.year) if value.year is not None else item.final_target()
        if target is None:
            continue
        cells.append(RateCell(item, item.rate, value, target, directions.get(item.name) == DOWN))
    return cells


def learn_rates(cells: list[RateCell], file: str, table: str) -> RateLesson:
    """The city's method from its rate cells: the one reading that reproduces most of them (more
    than half, and more than any other); else a question. Then the cells it does not reproduce."""
    lesson = RateLesson(checked=len(cells))
    if not cells:
        return lesson
    fits: dict[str, list[RateCell]] = {}
    for method in METHOD_WORDS:
        fits[method] = [c for c in cells if any(
            reproduces(c.shown.number, _exact(method, c), r) for r in ROUNDING_WORDS)]
    ranked = sorted(fits, key=lambda m: len(fits[m]), reverse=True)
    best = ranked[0]
    # ratio and plain agree wherever no indicator is lower-is-better: prefer koho's own reading then
    tied = [m for m in ranked if len(fits[m]) == len(fits[best])]
    if len(tied) > 1 and set(tied) <= {"ratio", "plain"}:
        best, tied = "ratio", ["ratio"]
    if len(tied) > 1 or 2 * len(fits[best]) <= len(cells):
        first = cells[0].shown
        lesson.question = Question(
            f"達成率:{table}", tuple(cell_name(c.shown.ref) for c in cells[:3]),
            f"達成率の列({cell_name(first.ref)}「{first.text}」など)の計算方法がわかりません。"
            "どの読み方でも大半のセルを再現できません。koho で計算する方法を選んでください",
            ("ratio", "progress"))
        return lesson
    fitting = fits[best]
    roundings = [r for r in ROUNDING_WORDS if all(reproduces(c.shown.number, _exact(best, c), r) for c in fitting)]
    rounding = roundings[0] if roundings else "round"
    digits = max(shown_digits(c.shown.number) for c in fitting)
    lesson.method, lesson.rounding, lesson.digits = best, rounding, digits
    both = "(どのセルでも四捨五入と切り捨てが同じ結果)" if len(roundings) > 1 else ROUNDING_WORDS[rounding]
    cited = "、".join(f"{cell_name(c.shown.ref)}「{c.shown.text}」" for c in fitting[:3])
    lesson.evidence = (f"達成率の列 {cited}など{len(fitting)}/{len(cells)}セルが {METHOD_WORDS[best]}、{both}、"
                       f"小数第{digits}位で再現できます" if digits else
                       f"達成率の列 {cited}など{len(fitting)}/{len(cells)}セルが {METHOD_WORDS[best]}、{both}、整数で再現できます")
    for cell in cells:
        exact = _exact(best, cell)
        if not reproduces(cell.shown.number, exact, rounding):
            expected = "計算できません" if exact is None else \
                f"{rounded(exact, rounding, shown_digits(cell.shown.number))}%"
            lesson.breaks.append(Problem(
                file, f"達成率「{cell.shown.text}」が、この表のほかの達成率と同じ計算方法({METHOD_WORDS[best]}、"
                f"{ROUNDING_WORDS[rounding]})では {expected} になります(実績値 {cell.value.text}、目標値 {cell.target.text})。"
                "元の表の計算を確かめてください(koho は達成率を実績値と目標値から計算します)",
                sheet=cell.shown.ref.sheet, row=cell.shown.ref.row, cell=cell.shown.ref.a1, value=cell.shown.text,
                severity="warning"))
    return lesson


def _exact(method: str, cell: RateCell) -> Decimal | None:
    baseline = cell.item.baseline.number if cell.item.baseline is not None else None
    return exact_rate(method, cell.value.number, cell.target.number, baseline, cell.down)


def cumulative_from_rate(item: Indicator, lesson: RateLesson, down: bool) -> tuple[str, str] | None:
    """Running totals or yearly amounts from the city's own rate cell, where exactly one reading
    reproduces it: ('累計値' or '年度ごとの数', evidence)."""
    from report.ingest.evidence import ADDS_UP, RUNNING

    if not lesson.learned or item.rate is None or not item.values:
        return None
    value = item.value_in(item.rate_year) if item.rate_year is not None else item.values[-1]
    if value is None:
        return None
    target = item.target_for(value.year) if value.year is not None else item.final_target()
    if target is None:
        return None
    total = sum((v.number for v in item.values if v.year is not None and value.year is not None and v.year <= value.year),
                Decimal(0))
    baseline = item.baseline.number if item.baseline is not None else None
    readings = {RUNNING: lesson.rate(value.number, target.number, baseline, down),
                ADDS_UP: lesson.rate(total, target.number, baseline, down)}
    matching = [k for k, exact in readings.items() if reproduces(item.rate.number, exact, lesson.rounding or "round")]
    if len(matching) != 1:
        return None
    return matching[0], (f"市の達成率 {cell_name(item.rate.ref)}「{item.rate.text}」は"
                         f"{'その年度の値' if matching[0] == RUNNING else '各年度の値の合計'}で再現でき、もう一方では再現できません")


def direction_from_rate(item: Indicator, lesson: RateLesson) -> tuple[str, str] | None:
    """Which way is better from the city's own rate cell, where exactly one of value ÷ target
    (higher is better) and target ÷ value (lower is better) reproduces it; nothing where the city
    is known to divide value by target even for lower-is-better indicators, or reads progress."""
    from report.ingest.evidence import UP

    if item.rate is None or lesson.method in ("plain", "progress") or not item.values:
        return None
    value = item.value_in(item.rate_year) if item.rate_year is not None else item.values[-1]
    if value is None:
        return None
    target = item.target_for(value.year) if value.year is not None else item.final_target()
    if target is None or value.number == target.number:
        return None
    readings = {UP: exact_rate("ratio", value.number, target.number, None, False),
                DOWN: exact_rate("ratio", value.number, target.number, None, True)}
    matching = [way for way, exact in readings.items()
                if any(reproduces(item.rate.number, exact, r) for r in ROUNDING_WORDS)]
    if len(matching) != 1:
        return None
    shown = "実績÷目標(目標÷実績ではない)" if matching[0] == UP else "目標÷実績(実績÷目標ではない)"
    return matching[0], f"市の達成率 {cell_name(item.rate.ref)}「{item.rate.text}」= {shown}"


# ---------------------------------------------------------------------------------------------
# Grades


@dataclass(frozen=True)
class Band:
    letter: str
    word: str
    minimum: Decimal | None  # None: everything below the others


@dataclass
class GradeLesson:
    """The city's grade bands from its legend, and the grade cells that break them."""

    bands: tuple[Band, ...] = ()
    legend: tuple[str, CellRef] | None = None
    lowest: bool = False  # a graded group of several indicators takes its lowest (stated by a note)
    breaks: list[Problem] = field(default_factory=list)
    checked: int = 0

    def settings(self, symbols: dict[str, str] | None = None) -> dict[str, dict[str, object]]:
        """[grades] for koho.toml: each letter's min, word and (once answered) symbol."""
        symbols = symbols or {}
        table: dict[str, dict[str, object]] = {}
        for band in self.bands:
            item: dict[str, object] = {}
            if band.minimum is not None:
                item["min"] = int(band.minimum) if band.minimum == band.minimum.to_integral() else float(band.minimum)
            item["word"] = band.word
            if symbols.get(band.letter):
                item["symbol"] = symbols[band.letter]
            table[band.letter] = item
        return table

    def band_for(self, percent: Decimal) -> Band | None:
        for band in self.bands:
            if band.minimum is None or percent >= band.minimum:
                return band
        return None


_BAND = re.compile(r"([A-Za-z])\s*[：:]\s*([^\s(（：:]+)\s*[(（]\s*(\d+(?:\.\d+)?)\s*%\s*(以上|未満)\s*[)）]")


def bands_of(legend: str) -> tuple[Band, ...]:
    """「A：達成(100%以上) B：概ね達成(80%以上) … D：遅れ(50%未満)」 → bands, highest first."""
    text = unicodedata.normalize("NFKC", legend)
    bands = []
    for match in _BAND.finditer(text):
        minimum = Decimal(match[3]) if match[4] == "以上" else None
        bands.append(Band(match[1].upper(), match[2], minimum))
    given = [b.minimum for b in bands if b.minimum is not None]
    if len(bands) < 2 or given != sorted(given, reverse=True) or any(b.minimum is None for b in bands[:-1]):
        return ()
    return tuple(bands)


def learn_grades(indicators: list[Indicator], notes: list[tuple[str, CellRef]], lesson: RateLesson,
                 directions: dict[str, str], file: str) -> GradeLesson:
    """The bands of the legend; each grade cell checked against the rate of its group (the rows it
    covers: blank and 〃 rows below it); a cell the bands do not give is a warning naming it."""
    _, legend = legend_of(notes)
    grades = GradeLesson(legend=legend)
    if legend is None:
        return grades
    grades.bands = bands_of(legend[0])
    grades.lowest = any(_LOWEST.search(text) for text, _ in notes)
    if not grades.bands:
        return grades
    for head, group in _groups(indicators):
        letter = unicodedata.normalize("NFKC", head.grade[0]).strip().upper() if head.grade else ""
        if not (len(letter) == 1 and letter.isalpha()) or (len(group) > 1 and not grades.lowest):
            continue
        rates = [_standing(item, lesson, directions.get(item.name) == DOWN) for item in group]
        if any(r is None for r in rates):
            continue
        standing = min(r for r in rates if r is not None)
        band = grades.band_for(standing)
        grades.checked += 1
        if band is not None and band.letter != letter:
            ref = head.grade[1]
            grades.breaks.append(Problem(
                file, f"評価「{letter}」が、凡例({cell_name(legend[1])})の段階では「{band.letter}」になります"
                f"(達成率 {rounded(standing, lesson.rounding or 'round', 1)}%"
                f"{'、複数の指標のうちもっとも低いもの' if len(group) > 1 else ''})。元の表の評価を確かめてください",
                sheet=ref.sheet, row=ref.row, cell=ref.a1, value=head.grade[0], severity="warning"))
    return grades


def _groups(indicators: list[Indicator]) -> list[tuple[Indicator, list[Indicator]]]:
    """Each graded row with the rows its grade covers (following rows with no grade or 〃)."""
    groups: list[tuple[Indicator, list[Indicator]]] = []
    for item in indicators:
        ditto = item.grade is None or item.grade[0].strip() in DITTO
        if groups and ditto and groups[-1][0].sheet == item.sheet:
            groups[-1][1].append(item)
        elif item.grade is not None and not ditto:
            groups.append((item, [item]))
    return groups


def _standing(item: Indicator, lesson: RateLesson, down: bool) -> Decimal | None:
    """The rate of the latest year with a value and a target (the city's method, or value ÷ target)."""
    for value in reversed(item.values):
        target = item.target_for(value.year) if value.year is not None else None
        if target is not None:
            baseline = item.baseline.number if item.baseline is not None else None
            method = lesson.method or "ratio"
            return exact_rate(method, value.number, target.number, baseline, down)
    return None
