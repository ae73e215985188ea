"""Grades computed from rates by a city's own bands (koho.toml [grades]).

    [grades]
    A = { min = 100, word = "達成", symbol = "◎" }
    B = { min = 90, word = "概ね達成", symbol = "○" }
    C = { min = 80, word = "やや遅れ", symbol = "△" }
    D = { word = "未達成", symbol = "×" }          # no min: everything below

    [grades."令和6年度"]                            # from this fiscal year on, other bands
    A = { min = 80, word = "順調", symbol = "◎" }
    ...

A value that missed its target never gets a band that starts at 100% or more, whatever its
rounded rate; a value that met it with no rate to show (a lower-is-better 0) gets the first band
that 100% reaches. Every `min` is a finite rate from 0 to 1000, in descending order; a band
called 達成 starts at 100, and bands above 100 (大幅達成) need one that starts at 100: a met target
always lands in a band of 100% or more.
"""

from __future__ import annotations

from report.compose.rates import HUNDRED, Rate
from report.load.project.grade_bands import Band


def grade(rate: Rate, bands: tuple[Band, ...]) -> Band | None:
    """The band a year's rate falls in; a miss never lands in a band starting at 100% or more."""
    if rate.percent is not None:
        standing = rate.percent
    elif rate.exact is not None:
        standing = rate.exact  # 「70%超」 met with exactly 70%: graded by 100%, below the bands of 100%
    else:
        standing = HUNDRED if rate.achieved else None
    for band in bands:
        if band.minimum is None:
            return band
        if not rate.achieved and band.minimum >= HUNDRED:
            continue
        if standing is not None and standing >= band.minimum:
            return band
    return None
