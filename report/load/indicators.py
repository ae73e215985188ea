"""Indicators as cities define them: a target with its qualifier (30%以上, 850g以下), a direction,
a baseline with its year, a target year, and whether yearly amounts add up (累計).

Cells are read here (`read_target`, `read_direction`, `read_cumulative`); a series of one
measure's metric over the years becomes one `Indicator`; `check_indicators` finds what
contradicts itself and names the cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from report.load.values.era import fiscal_year_label, year_label
from report.load.model import Metric
from report.load.values.numbers import format_number, parse_number
from report.problems import Problem
from report.load.tables.schema import METRICS

UP, DOWN = "up", "down"

# A qualifier written after a target: its direction, and whether equality misses (超, 未満).
QUALIFIERS: dict[str, tuple[str, bool]] = {
    "以上": (UP, False), "超": (UP, True), "超え": (UP, True),
    "以下": (DOWN, False), "未満": (DOWN, True),
}
_QUALIFIER_RE = re.compile(r"^(?P<body>.*?)(?P<qualifier>以上|以下|未満|超え|超)$")
_AMOUNT_RE = re.compile(r"^(?P<number>[+\-−△▲]?[\d,]+(?:\.\d+)?%?)(?P<unit>.*)$")
EMPTY = {"", "-", "―", "—", "－", "ー", "‐"}

DIRECTIONS: dict[str, str] = {
    **{word: UP for word in ("増加", "増", "上げる", "上昇", "増やす", "向上", "↑", "up", "高いほど良い", "多いほど良い")},
    **{word: DOWN for word in ("減少", "減", "下げる", "低下", "減らす", "抑制", "↓", "down", "低いほど良い", "少ないほど良い")},
}
DIRECTION_WORDS = {UP: "増加", DOWN: "減少"}  # how koho writes a direction (and reads it back)
CUMULATIVE_WORDS = {True: "累計", False: "単年度"}
RUNNING = "running"  # read_cumulative's third reading: each cell already holds the running total
RUNNING_WORD = "累計値"
UNDECIDED = "undecided"  # read_cumulative's fourth reading: not decided yet (a question still open)
UNDECIDED_WORD = "未確定"
_UNDECIDED = {"未確定", "未定", "不明", "undecided"}
_CUMULATIVE = {"累計", "○", "〇", "◯", "1", "true", "yes", "はい"}
_RUNNING = {"累計値", "累積値", "running", "累計(累計値)", "累計(各年度の値が累計)"}
_SINGLE_YEAR = {"単年度", "単年", "年度ごと", "×", "0", "false", "no", "いいえ"}


@dataclass(frozen=True)
class Target:
    """A target cell: 「850g/人以下」 → 850, unit 「g/人」, qualifier 「以下」."""

    value: Decimal
    percent: bool
    qualifier: str = ""
    unit: str = ""


def read_target(text: str) -> Target | None:
    """A target as cities write it: 176, 30%以上, 850g/人以下, 5件未満; 「―」 for none."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if value in EMPTY:
        return None
    match = _QUALIFIER_RE.match(value)
    body, qualifier = (match["body"], match["qualifier"]) if match else (value, "")
    amount = _AMOUNT_RE.match(body)
    if not amount:
        raise ValueError("目標値として読めません(例: 176、30%以上、850g以下、5件未満)")
    number, percent = parse_number(amount["number"])
    return Target(number, percent, qualifier, amount["unit"])


def read_direction(text: str) -> str | None:
    """増加 / 上げる / ↑ → 'up'; 減少 / 下げる / ↓ → 'down'; empty or 「―」 → None."""
    value = unicodedata.normalize("NFKC", text).strip().lower()
    if value in EMPTY:
        return None
    if value not in DIRECTIONS:
        raise ValueError("方向は 増加(上げる、↑)か 減少(下げる、↓)で入力してください")
    return DIRECTIONS[value]


def read_cumulative(text: str) -> bool | str | None:
    """累計 / ○ → True (yearly amounts add up toward the target); 単年度 / × → False; 累計値 →
    RUNNING (each cell already holds the running total, as cities' 「(累計)」 columns usually do);
    未確定 → UNDECIDED (not decided yet: each value printed as its own figure, no total, no rate);
    empty → None."""
    value = unicodedata.normalize("NFKC", text).strip().lower()
    if value in {"", "-", "―", "—"}:
        return None
    if value in _RUNNING:
        return RUNNING
    if value in _UNDECIDED:
        return UNDECIDED
    if value in _CUMULATIVE:
        return True
    if value in _SINGLE_YEAR:
        return False
    raise ValueError("累計は「累計」(年度ごとの数を足して目標と比べる)、「累計値」(各年度の値がすでにそこまでの累計)"
                     "、「単年度」か「未確定」(どれかまだ決まっていない: 達成率を出さず、値だけを載せます)で入力してください")


def metric_fields(row: dict) -> dict:
    """The indicator fields of one typed metrics row, for `Metric`."""
    target: Target | None = row.get("target")
    final: Target | None = row.get("final_target")
    baseline = row.get("baseline")
    cumulative = row.get("cumulative")
    return {
        "target": target.value if target else None,
        "target_qualifier": target.qualifier if target else "",
        "final_target": final.value if final else None,
        "final_target_qualifier": final.qualifier if final else "",
        "final_target_year": row.get("final_target_year"),
        "baseline": baseline[0] if baseline else None,
        "baseline_year": row.get("baseline_year"),
        "target_year": row.get("target_year"),
        "direction": row.get("direction") or "",
        "cumulative": None if cumulative in (RUNNING, UNDECIDED) else cumulative,
        "running": True if cumulative == RUNNING else None,
        "undecided": True if cumulative == UNDECIDED else None,
        "grade": row.get("grade") or "",
    }


def _same_unit(first: str, second: str) -> bool:
    """Units compared as printed: width and spaces aside (「％」 is 「%」)."""
    return "".join(unicodedata.normalize("NFKC", first).split()) == "".join(unicodedata.normalize("NFKC", second).split())


def unit_conflicts(row: dict, unit: str) -> list[tuple[str, str, str]]:
    """Units written in a typed metrics row's value, baseline or target cell (「89.4%」「104件」, or
    shown so by an Excel format) that differ from the row's unit (the 単位 column, else 「%」 from the
    value): (column, message, value) for each. A unit dropped there would print a number with a
    word it was not typed with (89.4% as 89.4件)."""
    conflicts = []
    cells = [("value", "実績値", row.get("value")), ("baseline", "基準値", row.get("baseline"))]
    for column, label, typed in cells:
        if typed and typed[1] and not _same_unit(typed[1], unit):
            conflicts.append((column, _unit_message(label, typed[1], unit), f"{format_number(typed[0])}{typed[1]}"))
    for column, label in (("target", "目標値"), ("final_target", "最終目標値")):
        target: Target | None = row.get(column)
        if target is None:
            continue
        written = "%" if target.percent and not target.unit else target.unit
        if written and not _same_unit(written, unit):
            conflicts.append((column, _unit_message(label, written, unit),
                              f"{format_number(target.value)}{'%' if target.percent else ''}{target.unit}{target.qualifier}"))
    return conflicts


def _unit_message(label: str, written: str, unit: str) -> str:
    if not unit:
        return (f"{label}に単位「{written}」がありますが、単位の列が空です"
                f"(単位は単位の列に「{written}」と書き、{label}には数値だけを書いてください)")
    if written == "%":
        return (f"{label}に「%」がありますが、この行の単位は「{unit}」です。割合なら単位を「%」に、"
                f"{unit}の数なら「%」をとってください(Excelではセルの表示形式がパーセントでないかも確かめてください)")
    return (f"{label}の単位「{written}」が、この行の単位「{unit}」と違います(単位の列と同じ単位で書くか、数値だけを"
            "書いてください。Excelではセルの表示形式の単位も確かめてください)")


@dataclass(frozen=True)
class Indicator:
    """What a series of one metric over the years means, from all of its rows."""

    direction: str = UP
    stated: bool = False  # direction typed, or read from a qualifier (else assumed 'up')
    baseline: Decimal | None = None
    baseline_year: int | None = None
    target: Decimal | None = None  # the final target: the latest given
    target_year: int | None = None
    qualifier: str = ""  # of the final target
    cumulative: bool | None = None  # True: yearly amounts add up; False: each year stands alone
    running: bool = False  # each value already holds the running total (累計値)
    undecided: bool = False  # 累計 not decided yet (未確定): each value its own figure, no total, no rate
    final_target: Decimal | None = None  # 最終目標値, typed beside differing yearly targets
    final_qualifier: str = ""
    final_target_year: int | None = None
    calendar: bool = False  # calendar years (暦年)

    @property
    def described(self) -> bool:
        """Whether the table says more than value and target (then every year's rate is printed)."""
        return any((self.stated, self.baseline is not None, self.target_year is not None,
                    self.cumulative is not None, self.running, self.undecided, self.final_target is not None))

    def target_words(self, target: Decimal, qualifier: str, unit: str) -> str:
        """「850g/人以下」: the target with the qualifier it was written with, or 以下 for a
        lower-is-better target written bare; 「176自治会」 for a plain one."""
        shown = qualifier or ("以下" if self.direction == DOWN else "")
        return f"{format_number(target)}{unit}{shown}"


def _first(series: Iterable[Metric], name: str):  # noqa: ANN202 - any field's type
    return next((getattr(m, name) for m in series if getattr(m, name) not in (None, "")), None)


def qualifier_direction(metric: Metric) -> str:
    return QUALIFIERS[metric.target_qualifier][0] if metric.target_qualifier else ""


def indicator_of(series: tuple[Metric, ...]) -> Indicator:
    """The series' indicator (the rows have been checked by `check_indicators`). A final target
    (最終目標値) is kept beside the yearly ones; where no row has a yearly target, it is the target
    every year is rated by."""
    direction = _first(series, "direction") or next(
        (qualifier_direction(m) for m in series if m.target_qualifier), "") or next(
        (QUALIFIERS[m.final_target_qualifier][0] for m in series if m.final_target_qualifier), "")
    final = next((m for m in reversed(series) if m.target is not None), None)
    indicator = _plain_indicator(series, direction, final)
    last = next((m for m in reversed(series) if m.final_target is not None), None)
    if last is None:
        return indicator
    indicator = replace(indicator, final_target=last.final_target, final_qualifier=last.final_target_qualifier,
                        final_target_year=last.final_target_year)
    if final is None:
        indicator = replace(indicator, target=last.final_target, qualifier=last.final_target_qualifier,
                            target_year=last.final_target_year)
    return indicator


def _plain_indicator(series: tuple[Metric, ...], direction: str, final: Metric | None) -> Indicator:
    return Indicator(
        direction=direction or UP,
        stated=bool(direction),
        baseline=_first(series, "baseline"),
        baseline_year=_first(series, "baseline_year"),
        target=final.target if final else None,
        target_year=final.target_year if final else _first(series, "target_year"),
        qualifier=final.target_qualifier if final else "",
        cumulative=_first(series, "cumulative"),
        running=bool(_first(series, "running")),
        undecided=bool(_first(series, "undecided")),
        calendar=series[-1].calendar,
    )


def series_of(metrics: Iterable[Metric]) -> list[tuple[Metric, ...]]:
    """The metrics grouped into indicators (measure and label), each in year order."""
    grouped: dict[tuple[str, str], list[Metric]] = {}
    for metric in metrics:
        grouped.setdefault((metric.measure, metric.label), []).append(metric)
    return [tuple(sorted(items, key=lambda m: m.fiscal_year)) for items in grouped.values()]


def _problem(metric: Metric, column: str, message: str, value: str | None = None) -> Problem:
    source = metric.source
    col = METRICS.column(column)
    return Problem(source.file if source else "metrics", message, sheet=source.sheet if source else None,
                   row=source.row if source else None, column=col.name, column_label=col.label, value=value)


def _shown(metric: Metric, name: str) -> str:
    """One indicator field of a row as staff typed it: 950, 平成27年度, 減少, 累計."""
    value = getattr(metric, name)
    if name in ("baseline_year", "final_target_year"):
        return fiscal_year_label(value)
    if name == "running":
        return RUNNING_WORD
    if name == "undecided":
        return UNDECIDED_WORD
    if name == "final_target":
        return f"{format_number(value)}{metric.final_target_qualifier}"
    if isinstance(value, bool):
        return CUMULATIVE_WORDS[value]
    if isinstance(value, Decimal):
        return format_number(value)
    return DIRECTION_WORDS.get(str(value), str(value))


def _target_text(metric: Metric) -> str:
    """A row's target as it reads: 「850g/人以下」."""
    return f"{format_number(metric.target)}{metric.unit}{metric.target_qualifier}"


def _disagreements(series: tuple[Metric, ...]) -> list[Problem]:
    """Baseline, its year, direction and 累計 belong to the indicator: rows that state them must agree."""
    problems = []
    for name in ("baseline", "baseline_year", "direction", "cumulative", "running", "final_target", "final_target_year"):
        stated = [m for m in series if getattr(m, name) not in (None, "")]
        for metric in stated[1:]:
            if getattr(metric, name) != getattr(stated[0], name):
                first, label = stated[0].source.row if stated[0].source else "?", METRICS.column(name).label
                problems.append(_problem(metric, name, f"同じ指標の{first}行目と{label}が違います"
                                         f"({label}は指標に一つです。{first}行目: {_shown(stated[0], name)})",
                                         _shown(metric, name)))
    summed, running = _first(series, "cumulative"), next((m for m in series if m.running), None)
    if running is not None and summed is not None:
        other = next(m for m in series if m.cumulative is not None)
        problems.append(_problem(running, "cumulative", f"同じ指標の{other.source.row if other.source else '?'}行目の累計の列は"
                                 f"「{_shown(other, 'cumulative')}」です(累計の列は指標に一つです)", RUNNING_WORD))
    undecided = next((m for m in series if m.undecided), None)
    decided = next((m for m in series if m.cumulative is not None or m.running), None)
    if undecided is not None and decided is not None:
        word = RUNNING_WORD if decided.running else _shown(decided, "cumulative")
        problems.append(_problem(undecided, "cumulative", f"同じ指標の{decided.source.row if decided.source else '?'}行目の"
                                 f"累計の列は「{word}」です(累計の列は指標に一つです)", UNDECIDED_WORD))
    kinds = [m for m in series if m.calendar != series[0].calendar]
    if kinds:
        first = series[0]
        words = {True: "暦年", False: "年度"}
        problems.append(_problem(kinds[0], "fiscal_year",
                                 f"同じ指標の{first.source.row if first.source else '?'}行目は{words[first.calendar]}、この行は"
                                 f"{words[kinds[0].calendar]}です(暦年と年度の値は一つの指標に並べられません。指標名を分けてください)",
                                 year_label(kinds[0].fiscal_year, calendar=kinds[0].calendar)))
    return problems


def _direction_problems(series: tuple[Metric, ...]) -> list[Problem]:
    """A direction that contradicts a target's qualifier, or qualifiers pointing both ways."""
    problems = []
    stated = _first(series, "direction")
    final = next((m for m in series if m.final_target_qualifier), None)
    if stated and final is not None and QUALIFIERS[final.final_target_qualifier][0] != stated:
        row = next(m for m in series if m.direction)
        return [_problem(final, "final_target", f"最終目標値の「{final.final_target_qualifier}」が、"
                         f"{row.source.row if row.source else '?'}行目の方向「{_shown(row, 'direction')}」と合いません"
                         "(「以上」「超」は増加、「以下」「未満」は減少の目標です)", _shown(final, "final_target"))]
    qualified = [m for m in series if m.target_qualifier]
    for metric in qualified:
        way = qualifier_direction(metric)
        if stated and way != stated:
            row = next(m for m in series if m.direction)
            problems.append(_problem(row, "direction",
                                     f"方向「{_shown(row, 'direction')}」が、{metric.source.row if metric.source else '?'}行目の目標値"
                                     f"「{_target_text(metric)}」と合いません"
                                     f"(「以上」「超」は増加、「以下」「未満」は減少の目標です)", _shown(row, "direction")))
            break
        if way != qualifier_direction(qualified[0]):
            problems.append(_problem(metric, "target", f"目標値の「{metric.target_qualifier}」が"
                                     f"{qualified[0].source.row if qualified[0].source else '?'}行目の"
                                     f"「{qualified[0].target_qualifier}」と逆向きです",
                                     _target_text(metric)))
            break
    return problems


def _year_problems(series: tuple[Metric, ...]) -> list[Problem]:
    """A baseline measured after the first result, a target year before it, a year without its value."""
    problems = []
    first = series[0].fiscal_year
    for metric in series:
        if metric.baseline_year is not None and metric.baseline_year > first:
            problems.append(_problem(metric, "baseline_year",
                                     f"基準年度が最初の実績の年度({fiscal_year_label(first)})より後です"
                                     "(基準値はふつう計画の前の年度の値です)", fiscal_year_label(metric.baseline_year)))
        if metric.baseline_year is not None and metric.baseline is None and _first(series, "baseline") is None:
            problems.append(_problem(metric, "baseline", "基準年度がありますが、基準値が空欄です"))
        if metric.target_year is not None and metric.target_year < first:
            problems.append(_problem(metric, "target_year",
                                     f"目標年度が実績の最初の年度({fiscal_year_label(first)})より前です",
                                     fiscal_year_label(metric.target_year)))
        final_year, latest = metric.final_target_year, _latest_target_year(series)
        if final_year is not None and latest is not None and final_year < latest:
            problems.append(_problem(metric, "final_target_year",
                                     f"最終目標年度が年度ごとの目標の目標年度({fiscal_year_label(latest)})より前です"
                                     "(最終目標は計画の最後の目標です)", fiscal_year_label(final_year)))
    return problems


def _latest_target_year(series: tuple[Metric, ...]) -> int | None:
    years = [m.target_year for m in series if m.target_year is not None]
    return max(years) if years else None


def _baseline_problems(series: tuple[Metric, ...], method: str) -> list[Problem]:
    """A target on the baseline's side that leaves the direction unsaid, and what `progress` needs."""
    indicator = indicator_of(series)
    targeted = [m for m in series if m.target is not None]
    if not targeted:
        return []
    problems = []
    baseline = indicator.baseline
    if baseline is None:
        if method == "progress":
            problems.append(_problem(targeted[0], "baseline",
                                     "率の計算方法が progress(基準値から目標値までの進み具合、koho.toml の [rates])"
                                     "ですが、この指標に基準値がありません"))
        return problems
    for metric in targeted:
        shown = _target_text(metric)
        if metric.target < baseline and not indicator.stated:
            problems.append(_problem(metric, "target",
                                     f"目標値が基準値({format_number(baseline)})より小さいのに、方向が書かれていません。"
                                     "少ないほど良い指標なら方向に「減少」と書くか目標値に「以下」をつけ、"
                                     "多いほど良い指標なら方向に「増加」と書いてください", shown))
            break
        if method == "progress" and metric.target == baseline:
            problems.append(_problem(metric, "target", "目標値が基準値と同じで、基準値からの進み具合(progress)を計算できません",
                                     shown))
            break
        wrong_side = metric.target < baseline if indicator.direction == UP else metric.target > baseline
        if method == "progress" and indicator.stated and wrong_side:
            problems.append(_problem(metric, "target",
                                     f"方向が{'増加' if indicator.direction == UP else '減少'}なのに、目標値が基準値({format_number(baseline)})の"
                                     "逆の側にあります。基準値からの進み具合(progress)では率が意味をなしません"
                                     "(koho.toml の [rates] method を ratio にするか、方向を確かめてください)", shown))
            break
    return problems


def _unsaid_direction(series: tuple[Metric, ...]) -> list[Problem]:
    """A warning where values fall year by year toward a target from above and nothing says which
    way is better: read as higher-is-better, a lower-is-better miss would print as achieved."""
    indicator = indicator_of(series)
    if indicator.stated or indicator.baseline is not None or len(series) < 2 or indicator.target is None:
        return []
    values = [m.value for m in series]
    falling = all(later < earlier for earlier, later in zip(values, values[1:]))
    if not falling or any(m.value <= (m.target if m.target is not None else indicator.target) for m in series):
        return []
    last = next(m for m in reversed(series) if m.target is not None)
    problem = _problem(last, "target", "実績が年々減って目標値に近づいています。少ないほど良い指標(ごみの量など)なら、"
                       "方向に「減少」と書くか目標値に「以下」をつけてください(いまは多いほど良い指標として、"
                       "目標を上回った年を達成としています)", _target_text(last))
    return [replace(problem, severity="warning")]


def _cumulative_problems(series: tuple[Metric, ...]) -> list[Problem]:
    """What a series of yearly amounts that add up (累計, or a progress chart) cannot hold: a negative
    year (its bar would run back over the others and past the total), or a progress chart for an
    indicator whose years stand alone (単年度: their sum is no total)."""
    chosen = next((m for m in reversed(series) if m.chart), None)
    indicator = indicator_of(series)
    stated = indicator.cumulative
    if indicator.running:
        return _running_problems(series, chosen)
    if indicator.undecided:
        return _undecided_problems(chosen)
    if stated is False and chosen is not None and chosen.chart == "progress":
        return [_problem(chosen, "chart", "グラフが累計(progress: 年度ごとの数を足した棒)ですが、累計の列は「単年度」です"
                         "(単年度の値は足せません。グラフを bar にするか、累計の列を「累計」にしてください)", "progress")]
    if not (stated or (stated is None and chosen is not None and chosen.chart == "progress")):
        return []
    return [_problem(m, "value", "累計(年度ごとの数を足して目標と比べる指標)の実績値がマイナスです。累計のグラフは年度ごとの数を"
                     "積み上げるため、マイナスの年があると合計を正しく描けません(年度ごとに増減する値なら、"
                     "累計の列を「単年度」にしてください)",
                     format_number(m.value)) for m in series if m.value < 0]


def _running_problems(series: tuple[Metric, ...], chosen: Metric | None) -> list[Problem]:
    """A running total (累計値) is printed as given: a progress chart would add its totals up again."""
    if chosen is not None and chosen.chart == "progress":
        return [_problem(chosen, "chart", "グラフが累計(progress: 年度ごとの数を足した棒)ですが、累計の列は「累計値」"
                         "(各年度の値がすでにそこまでの累計)です。足すと二重に数えます(グラフを bar にしてください)", "progress")]
    return []


def _undecided_problems(chosen: Metric | None) -> list[Problem]:
    """An undecided 累計 (未確定) prints each value as its own figure: a progress chart would add them up."""
    if chosen is not None and chosen.chart == "progress":
        return [_problem(chosen, "chart", "グラフが累計(progress: 年度ごとの数を足した棒)ですが、累計の列は「未確定」です"
                         "(足してよいかまだ決まっていません。グラフを bar にするか、累計の列を「累計」にしてください)", "progress")]
    return []


def undecided_questions(metrics: Iterable[Metric]) -> list[Problem]:
    """Each indicator whose 累計 is not decided yet (未確定): a question (severity `question`) naming
    its first such cell, until the city answers it. (An import asks its own open questions, each once:
    report.ingest.ask; this is for typed tables.)"""
    problems = []
    for series in series_of(metrics):
        first = next((m for m in series if m.undecided), None)
        if first is not None:
            problem = _problem(first, "cumulative", "累計の列が「未確定」です: 年度ごとの数を足して目標と比べる指標(累計)か、"
                               "各年度の値がすでにそこまでの累計(累計値)か、その年度の値だけで比べる指標(単年度)か、"
                               "決まるまで各年度の値と目標だけを載せ、累計・達成率・評価は載せません"
                               "(決まったら「累計」「累計値」「単年度」のどれかを書いてください)", UNDECIDED_WORD)
            problems.append(replace(problem, severity="question"))
    return problems


def _running_decreases(series: tuple[Metric, ...]) -> list[Problem]:
    """A running total (累計値) that falls from one year to the next: a warning naming the cell."""
    if not indicator_of(series).running:
        return []
    problems = []
    for earlier, later in zip(series, series[1:]):
        if later.value < earlier.value:
            problem = _problem(later, "value", f"累計値(各年度の値がそこまでの累計)が前の年度"
                               f"({year_label(earlier.fiscal_year, calendar=earlier.calendar)}: {format_number(earlier.value)})"
                               "より減っています。累計なら減らないはずです(年度ごとの数なら累計の列を「累計」か「単年度」に、"
                               "廃止などで減ったのなら備考にそう書いてください)", format_number(later.value))
            problems.append(replace(problem, severity="warning"))
    return problems


def check_indicators(metrics: Iterable[Metric], method: str) -> list[Problem]:
    """Every contradiction in the indicators' baselines, years, directions and targets, by cell."""
    problems: list[Problem] = []
    for series in series_of(metrics):
        found = _disagreements(series) + _direction_problems(series) + _year_problems(series)
        found += _cumulative_problems(series) if not found else []
        problems += found or (_baseline_problems(series, method) + _unsaid_direction(series) + _running_decreases(series))
    return problems
