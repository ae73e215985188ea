"""What a chart shows, as plain data: hashable, cacheable, and free of matplotlib."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path

from .key import key_rows

KINDS = ("bar", "progress", "share", "compare", "stacked", "none")
BAR_HEIGHT_MM = 26.0  # bars over years, unless the make-up chooses another height (`height`)
STACKED_LEFT, STACKED_RIGHT = 0.3, 0.98  # the stacked chart's bars, as fractions of its width (names on the left)


@cache
def drawing_code_version() -> str:
    """A hash of the code that draws charts: editing it invalidates every cached chart."""
    folder = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("draw.py", "lean.py", "style.py", "spec.py", "key.py"):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ChartSpec:
    """One chart.

    - bar: `values` per fiscal year (`labels`), `target` as a line;
    - progress: yearly amounts (`labels` are years) adding up toward `target`;
    - share: one row per percentage (`labels` are metric names), on a 0–100% scale;
    - compare: one row per count of the same unit (`labels` are metric names);
    - stacked: one 100% bar per label (areas), split into `series` (statuses) by `rows` counts.
    """

    kind: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    value_labels: tuple[str, ...]  # the values as printed, with their unit: 「72自治会」「89.4%」
    color: str
    target: float | None = None
    target_label: str = ""  # 「目標 176自治会」
    width_mm: float = 76.0  # report.render.html.sizes.Grid.chart_width_mm at koho's variables.css (a test keeps them equal)
    rows: tuple[tuple[float, ...], ...] = ()  # stacked: one tuple of counts per label
    series: tuple[str, ...] = ()  # stacked: the name of each count (「◎ 達成」)
    font_pt: float = 9.0  # stacked: text size (the handout prints nothing under 12pt)
    key_above: bool = False  # bar: the target named in a key above the bars (indicators)
    baseline: float | None = None  # bar: the baseline (基準値), drawn as a hatched first bar
    baseline_label: str = ""  # its tick: 「基準 H30」
    baseline_value_label: str = ""  # its value: 「950g/人」
    scale: float | None = None  # compare: the full bar's value (a part of a split chart keeps the whole one's)
    height: float | None = None  # bar: a height other than its own, chosen by the newsletter's make-up (mm)

    @property
    def height_mm(self) -> float:
        """Bars over years get a fixed height; row charts grow by row."""
        if self.kind == "bar":
            return self.height or BAR_HEIGHT_MM
        if self.kind == "progress":
            return 12.0
        if self.kind == "stacked":  # a row per label, and a row per row of the key beyond the first
            return (12.0 + 7.0 * (len(self.labels) + len(self.key_rows()) - 1)) * self.font_pt / 9.0
        return 2.0 + 8.5 * len(self.values)

    def key_rows(self) -> tuple[tuple[tuple[int, float], ...], ...]:
        """stacked: the key's rows of (series index, left edge in mm), as wide as the bars."""
        return key_rows(self.series, self.font_pt, self.width_mm * (STACKED_RIGHT - STACKED_LEFT))

    @property
    def grows_by_row(self) -> bool:
        """A chart of one row per label (share, compare, stacked): its height grows with its rows."""
        return self.kind in ("share", "compare", "stacked")

    def rows_within(self, height_mm: float) -> int:
        """The most rows this kind of chart can have and stay within `height_mm` (at least one)."""
        if self.kind == "stacked":  # each part keeps the whole key
            return max(1, math.floor((height_mm * 9.0 / self.font_pt - 12.0) / 7.0) - (len(self.key_rows()) - 1))
        return max(1, math.floor((height_mm - 2.0) / 8.5))

    def parts(self, height_mm: float) -> tuple[ChartSpec, ...]:
        """The chart as charts no taller than `height_mm`: a chart that grows by row is cut into
        parts of near-equal row counts, in order (each with its own key; a compare chart's parts
        keep the whole chart's scale, so bars stay comparable); any other chart, or one that fits,
        is itself."""
        count = len(self.labels)
        if not self.grows_by_row or self.height_mm <= height_mm or count < 2:
            return (self,)
        pieces = math.ceil(count / self.rows_within(height_mm))
        bounds = [round(index * count / pieces) for index in range(pieces + 1)]
        scale = self.scale if self.scale is not None else (max(self.values, default=0.0) or 1.0)

        def part(start: int, end: int) -> ChartSpec:
            return replace(self, labels=self.labels[start:end], values=self.values[start:end],
                           value_labels=self.value_labels[start:end], rows=self.rows[start:end],
                           scale=scale if self.kind == "compare" else self.scale)

        return tuple(part(start, end) for start, end in zip(bounds, bounds[1:]))

    def frame_svg(self) -> str:
        """An empty SVG of this chart's size, its width, height and viewBox written as matplotlib
        writes them (figure size × 72 pt, %f without trailing zeros): what a page can be laid out
        with while the chart is drawn (report/render/typeset/late_charts.py checks the sizes match)."""
        width, height = (f"{mm / 25.4 * 72:f}".rstrip("0").rstrip(".") for mm in (self.width_mm, self.height_mm))
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
                f'viewBox="0 0 {width} {height}"><desc>{self.key()}</desc></svg>')

    def key(self) -> str:
        """A content hash: the same spec always draws the same chart."""
        fields = {name: value for name, value in asdict(self).items() if name != "height" or value is not None}
        payload = json.dumps([drawing_code_version(), fields], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
