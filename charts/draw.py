"""Draw one metric series as an SVG chart."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .style import MM, setup


@dataclass(frozen=True)
class ChartSpec:
    """What to draw: plain data only, so that a spec can be hashed and cached."""

    kind: str  # "bar": values per fiscal year; "share": one percentage
    labels: tuple[str, ...]  # x labels (fiscal years in the document's style)
    values: tuple[float, ...]
    value_labels: tuple[str, ...]  # the values as printed (公用文 style, with unit)
    target: float | None
    target_label: str
    color: str
    width_mm: float = 70.0
    height_mm: float = 26.0


def chart_for_series(labels: list[str], values: list[float], value_labels: list[str],
                     unit: str, target: float | None, target_label: str, color: str) -> ChartSpec | None:
    """Choose a chart for one series: bars over years, a share bar for a lone percentage, else none."""
    if len(values) >= 2 or (target is not None and values):
        return ChartSpec("bar", tuple(labels), tuple(values), tuple(value_labels), target, target_label, color)
    if unit == "%" and len(values) == 1:
        return ChartSpec("share", tuple(labels), tuple(values), tuple(value_labels), 100.0, "", color,
                         height_mm=10.0)
    return None


def _bar(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    positions = range(len(spec.values))
    ax.bar(positions, spec.values, width=0.6, color=spec.color, edgecolor="#000000", linewidth=0.5)
    ax.set_xticks(list(positions), spec.labels)
    top = max([*spec.values, spec.target or 0]) or 1
    crowded = len(spec.values) > 4  # label only the latest bar; the rest would collide
    for x, value, label in zip(positions, spec.values, spec.value_labels):
        if not crowded or x == len(spec.values) - 1:
            ax.text(x, value + top * 0.03, label, ha="center" if not crowded else "right", va="bottom",
                    fontsize=8, fontweight="bold")
    if spec.target is not None:
        ax.axhline(spec.target, color="#000000", linewidth=0.8, linestyle=(0, (4, 2)))
        ax.text(len(spec.values) - 0.4, spec.target + top * 0.03, spec.target_label, ha="right", va="bottom",
                fontsize=7.5)
    ax.set_ylim(0, top * 1.3)
    ax.set_yticks([])  # bars carry their values as direct labels
    ax.grid(False)
    ax.tick_params(axis="x", length=0, labelsize=7 if crowded else 8)


def _share(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    value = spec.values[0]
    ax.barh([0], [100], color="#FFFFFF", edgecolor="#000000", linewidth=0.5, height=0.6)
    ax.barh([0], [min(value, 100)], color=spec.color, edgecolor="#000000", linewidth=0.5, height=0.6,
            hatch="////" if value < 100 else None)
    ax.set_xlim(0, 100)
    ax.set_yticks([])
    ax.set_xticks([0, 50, 100], ["0", "50", "100%"])
    ax.tick_params(axis="x", labelsize=7, length=0)
    ax.grid(False)


DRAWERS = {"bar": _bar, "share": _share}


def render_svg(spec: ChartSpec, font_dir: Path) -> str:
    """Draw the chart and return the SVG text: text kept as text, stable ids, no date."""
    setup(font_dir)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(spec.width_mm * MM, spec.height_mm * MM))
    try:
        DRAWERS[spec.kind](ax, spec)
        fig.tight_layout(pad=0.3)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    finally:
        plt.close(fig)
    return buffer.getvalue()
