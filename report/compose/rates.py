"""Rates that say what they mean (koho.toml [rates]), and whether a value met its target.

Whether a target was met is decided exactly, from the value, the target and the indicator's
direction and qualifier — never from a rounded rate. The rate is printed only where it cannot
contradict that: a miss never prints as 100% or more (a rounding up to 100.0 is held at 99.9;
where even the exact rate is 100% or more — 「10件超」 met with exactly 10 — no rate is printed,
only 「未達成」).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from report.load.project.rate_settings import HUNDRED, RateSettings
from report.load.values.numbers import format_number


@dataclass(frozen=True)
class Rate:
    """One year's standing against its target."""

    achieved: bool
    percent: Decimal | None  # as printed, rounded; None where no honest rate exists
    exact: Decimal | None = None  # unrounded, for grading; None where undefined

    @property
    def text(self) -> str:
        return f"{format_number(self.percent)}%" if self.percent is not None else ""

    @property
    def word(self) -> str:
        return "達成" if self.achieved else "未達成"


def met(value: Decimal, target: Decimal, direction: str, qualifier: str = "") -> bool:
    """Whether `value` meets `target`: 以上/超 for higher-is-better, 以下/未満 for lower-is-better."""
    if qualifier == "超":
        return value > target
    if qualifier == "未満":
        return value < target
    return value <= target if direction == "down" else value >= target


def exact_rate(value: Decimal, target: Decimal, direction: str, baseline: Decimal | None,
               method: str) -> Decimal | None:
    """The unrounded rate in percent, or None where it is undefined (a zero denominator)."""
    if method == "progress":
        if baseline is None or target == baseline:
            return None
        return (value - baseline) / (target - baseline) * HUNDRED
    numerator, denominator = (target, value) if direction == "down" else (value, target)
    if denominator == 0 or numerator < 0 or denominator < 0:
        return None
    if direction == "down" and target == 0:
        return None  # 目標 0 of a lower-is-better figure: target ÷ value is 0% however far it fell (12 → 5)
    return numerator / denominator * HUNDRED


def rounded(percent: Decimal, settings: RateSettings) -> Decimal:
    step = Decimal(1).scaleb(-settings.digits)
    mode = ROUND_FLOOR if settings.rounding == "floor" else ROUND_HALF_UP
    return percent.quantize(step, rounding=mode)


def rate(value: Decimal, target: Decimal, direction: str, qualifier: str, baseline: Decimal | None,
         settings: RateSettings) -> Rate:
    """The rate as printed, consistent with whether the target was met."""
    achieved = met(value, target, direction, qualifier)
    exact = exact_rate(value, target, direction, baseline, settings.method)
    if exact is None:
        return Rate(achieved, None)
    shown = rounded(exact, settings)
    if not achieved and shown >= HUNDRED:
        if exact >= HUNDRED:  # 超 / 未満 met with equality, or a target on the wrong side: no rate
            return Rate(False, None, exact)
        shown = HUNDRED - Decimal(1).scaleb(-settings.digits)  # 99.96 rounds to 100.0: hold at 99.9
    return Rate(achieved, shown, exact)
