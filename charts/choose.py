"""Choose the chart a newsletter designer would draw for a metric's shape."""

from __future__ import annotations

CHART_ALIASES = {
    "bar": "bar", "棒": "bar", "棒グラフ": "bar",
    "progress": "progress", "進捗": "progress", "累計": "progress",
    "share": "share", "割合": "share", "率": "share",
    "compare": "compare", "比較": "compare",
    "none": "none", "なし": "none", "数字のみ": "none",
}


def parse_chart(text: str) -> str:
    """The `chart` column: bar / progress / share / none (or 棒, 累計, 割合, なし)."""
    value = text.strip().lower()
    if value not in CHART_ALIASES:
        raise ValueError("グラフの種類は bar(棒)、progress(累計)、share(割合)、none(なし)のいずれかです")
    return CHART_ALIASES[value]


def is_cumulative(values: list[float], target: float | None) -> bool:
    """Yearly amounts that together make up the target exactly (72 + 104 = 176 自治会).

    Amounts that only approach the target are ambiguous (annual figures against an annual target
    look the same), so they get bars unless the `chart` column says `progress`.
    """
    return (target is not None and target > 0 and len(values) >= 2 and all(v >= 0 for v in values)
            and abs(sum(values) - target) < 1e-9)


def choose_series_kind(values: list[float], unit: str, target: float | None) -> str:
    """The chart for one metric over its fiscal years."""
    if is_cumulative(values, target):
        return "progress"
    if len(values) >= 2 or (target is not None and values):
        return "bar"
    if any(v < 0 for v in values):
        return "none"  # a share or a row of counts has no place for a negative value
    if unit == "%":
        return "share"
    return "none"  # a single count: the number alone says it best
