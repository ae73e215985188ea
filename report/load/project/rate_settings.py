"""koho.toml's [rates]: how a rate is computed and printed (report/compose/rates.py computes it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

METHODS = ("ratio", "progress")
ROUNDINGS = ("round", "floor")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RateSettings:
    """[rates]: how a rate is computed and printed.

    - method `ratio`: value ÷ target, as most cities print it (target ÷ value for a lower-is-better
      indicator, so that a miss is below 100%); `progress`: how far the value has come from the
      baseline toward the target ((value − baseline) ÷ (target − baseline)).
    - rounding `round` (四捨五入) or `floor` (切り捨て), to `digits` decimals.
    """

    method: str = "ratio"
    rounding: str = "round"
    digits: int = 1


def _choice(name: str, choices: tuple[str, ...], meaning: str):  # noqa: ANN202 - a check function
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"[rates] {name} は {meaning} のいずれかです")
        return value
    return check


def _check_digits(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 3:
        raise ValueError("[rates] digits は小数点以下の桁数で、0〜3の整数です")
    return value


# koho.toml's [rates], checked key by key (like [build]): unknown keys are warnings with a suggestion.
RATE_CHECKS = {
    "method": _choice("method", METHODS, "ratio(実績値÷目標値)、progress(基準値から目標値への進み具合)"),
    "rounding": _choice("rounding", ROUNDINGS, "round(四捨五入)、floor(切り捨て)"),
    "digits": _check_digits,
}
