"""What a chart shows, as plain data: hashable, cacheable, and free of matplotlib."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

# Bump when the drawing code changes what a spec looks like, so cached charts are redrawn.
STYLE_VERSION = "1"

KINDS = ("bar", "progress", "share", "compare", "none")


@dataclass(frozen=True)
class ChartSpec:
    """One chart.

    - bar: `values` per fiscal year (`labels`), `target` as a line;
    - progress: yearly amounts (`labels` are years) adding up toward `target`;
    - share: one row per percentage (`labels` are metric names), on a 0–100% scale;
    - compare: one row per count of the same unit (`labels` are metric names).
    """

    kind: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    value_labels: tuple[str, ...]  # the values as printed, with their unit: 「72自治会」「89.4%」
    color: str
    target: float | None = None
    target_label: str = ""  # 「目標 176自治会」
    width_mm: float = 70.0

    @property
    def height_mm(self) -> float:
        """Bars over years get a fixed height; row charts grow by row."""
        if self.kind == "bar":
            return 26.0
        if self.kind == "progress":
            return 15.0
        return 5.0 + 7.0 * len(self.values)

    def key(self) -> str:
        """A content hash: the same spec always draws the same chart."""
        payload = json.dumps([STYLE_VERSION, asdict(self)], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
