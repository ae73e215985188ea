"""Draw a ChartSpec with matplotlib: SVG with text kept as text, or PNG for slides and the web."""

from __future__ import annotations

import io
from pathlib import Path

from .spec import ChartSpec
from .style import GREY, INK, MM, PAPER, RULE, setup

# Greys and hatches that keep segments apart on a black-and-white photocopy.
HATCHES = ("", "////", "....", "xxxx", "\\\\\\\\")


def _bar(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    """Bars from a zero line; a negative value (△ in Japanese accounts) hangs below it with its label
    underneath, and the axis leaves room for that label above the year labels."""
    if spec.baseline is not None or spec.key_above:
        return _indicator_bar(ax, spec)
    positions = range(len(spec.values))
    ax.bar(positions, spec.values, width=0.6, color=spec.color, edgecolor=INK, linewidth=0.5)
    ax.set_xticks(list(positions), spec.labels)
    top = max([*spec.values, spec.target or 0, 0])
    bottom = min([*spec.values, spec.target or 0, 0])
    span = (top - bottom) or 1
    crowded = len(spec.values) > 4  # label only the latest bar; the rest would collide
    for x, value, label in zip(positions, spec.values, spec.value_labels):
        if not crowded or x == len(spec.values) - 1:
            below = value < 0
            ax.text(x, value + span * (-0.03 if below else 0.03), label, ha="center" if not crowded else "right",
                    va="top" if below else "bottom", fontsize=8, fontweight="bold")
    if spec.target is not None:
        ax.axhline(spec.target, color=INK, linewidth=0.8, linestyle=(0, (4, 2)))
        ax.text(0.0, spec.target + span * 0.03, spec.target_label, ha="left", va="bottom", fontsize=7.5,
                transform=ax.get_yaxis_transform())  # at the left edge, clear of the latest bar
    if bottom < 0:
        ax.axhline(0, color=INK, linewidth=0.6)  # the zero line the bars hang from
    ax.set_xlim(-0.5, max(len(spec.values), 3) - 0.5)  # one or two bars stay bar-shaped
    ax.set_ylim(bottom - span * 0.45 if bottom < 0 else 0, top + span * 0.3)
    ax.set_yticks([])  # bars carry their values as direct labels
    ax.tick_params(axis="x", length=0, labelsize=7 if crowded else 8)


def _indicator_bar(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    """Bars per year after a hatched baseline bar, if any (its tick says 基準 and its year); the target as a
    dashed line, named in a key above the bars, so neither depends on colour."""
    based = spec.baseline is not None
    values = (spec.baseline, *spec.values) if based else spec.values
    labels = (spec.baseline_label, *spec.labels) if based else spec.labels
    value_labels = (spec.baseline_value_label, *spec.value_labels) if based else spec.value_labels
    positions = list(range(len(values)))
    if based:
        ax.bar([0], [spec.baseline], width=0.6, color=PAPER, hatch="////", edgecolor=INK, linewidth=0.5)
    ax.bar(positions[int(based):], spec.values, width=0.6, color=spec.color, edgecolor=INK, linewidth=0.5)
    ax.set_xticks(positions, labels)
    top = max([*values, spec.target or 0]) or 1
    crowded = len(values) > 5  # label the baseline and the latest bar only
    for x, value, label in zip(positions, values, value_labels):
        if not crowded or x == len(values) - 1 or (based and x == 0):
            ax.text(x, value + top * 0.03, label, ha="center", va="bottom", fontsize=7.5, fontweight="bold",
                    bbox={"facecolor": PAPER, "edgecolor": "none", "pad": 0.6})  # the target line passes behind
    if spec.target is not None:
        ax.axhline(spec.target, color=INK, linewidth=0.8, linestyle=(0, (4, 2)))
        ax.plot([0.0, 0.07], [0.94, 0.94], color=INK, linewidth=0.8, linestyle=(0, (4, 2)), transform=ax.transAxes)
        ax.text(0.09, 0.94, spec.target_label, ha="left", va="center", fontsize=7.5, transform=ax.transAxes)
    ax.set_xlim(-0.5, max(len(values), 3) - 0.5)
    ax.set_ylim(0, top * 1.55)  # the key sits above the tallest label
    ax.set_yticks([])
    ax.tick_params(axis="x", length=0, labelsize=7 if crowded else 7.5)


def _progress(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    total = spec.target or sum(spec.values) or 1
    ax.barh([0], [total], color=PAPER, edgecolor=INK, linewidth=0.5, height=0.55)
    left = 0.0
    for index, (label, value, value_label) in enumerate(zip(spec.labels, spec.values, spec.value_labels)):
        ax.barh([0], [value], left=left, color=spec.color if index % 2 == 0 else PAPER,
                hatch=HATCHES[index % len(HATCHES)], edgecolor=INK, linewidth=0.5, height=0.55)
        if value > 0:
            ax.text(left + value / 2, 0.42, f"{label} {value_label}", ha="center", va="bottom", fontsize=7)
        left += value
    ax.set_xlim(0, total)
    ax.set_ylim(-0.4, 1.0)
    ax.set_xticks([])
    ax.set_yticks([])


def _rows(ax, spec: ChartSpec, scale: float) -> None:  # noqa: ANN001 - matplotlib Axes
    rows = list(range(len(spec.values)))[::-1]  # first metric on top
    for y, value, label, value_label in zip(rows, spec.values, spec.labels, spec.value_labels):
        ax.barh([y], [scale], color=PAPER, edgecolor=INK, linewidth=0.5, height=0.34)
        ax.barh([y], [min(value, scale)], color=spec.color, edgecolor=INK, linewidth=0.5, height=0.34,
                hatch="" if value >= scale else "////")
        ax.text(0, y + 0.28, label, ha="left", va="bottom", fontsize=7.5, fontweight="bold")
        ax.text(scale, y + 0.3, value_label, ha="right", va="bottom", fontsize=11, fontweight="bold")
    ax.set_xlim(0, scale)
    ax.set_ylim(-0.45, len(rows) - 0.05)
    ax.set_xticks([])
    ax.set_yticks([])


def _share(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    _rows(ax, spec, 100.0)


def _compare(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    _rows(ax, spec, max(spec.values) or 1.0)


SHADES = (INK, GREY, RULE, PAPER, PAPER)  # greys for a photocopy


def _stacked(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    """One 100% bar per label; every segment has its count written in it and a grey or hatch."""
    rows = list(range(len(spec.labels)))[::-1]
    for y, label, counts in zip(rows, spec.labels, spec.rows):
        total = sum(counts) or 1
        left = 0.0
        for index, count in enumerate(counts):
            share = count / total * 100
            if count:
                shade = SHADES[index % len(SHADES)]
                ax.barh([y], [share], left=left, color=shade, hatch=HATCHES[index % len(HATCHES)] if index >= 3 else "",
                        edgecolor=INK, linewidth=0.5, height=0.55)
                ax.text(left + share / 2, y, f"{count:g}", ha="center", va="center", fontsize=spec.font_pt,
                        fontweight="bold",
                        color=PAPER if index < 2 else INK,
                        bbox=None)
            left += share
        ax.text(-1.5, y, label, ha="right", va="center", fontsize=spec.font_pt)
    for index, name in enumerate(spec.series):  # the key, above the bars, in the same greys
        x = index * 100 / max(len(spec.series), 1)
        ax.barh([len(rows) - 0.2], [4], left=x, color=SHADES[index % len(SHADES)],
                hatch=HATCHES[index % len(HATCHES)] if index >= 3 else "", edgecolor=INK, linewidth=0.5, height=0.35)
        ax.text(x + 5, len(rows) - 0.2, name, ha="left", va="center", fontsize=spec.font_pt)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(rows) + 0.3)
    ax.set_xticks([])
    ax.set_yticks([])


DRAWERS = {"bar": _bar, "progress": _progress, "share": _share, "compare": _compare, "stacked": _stacked}


def render(spec: ChartSpec, font_dir: Path, fmt: str = "svg", dpi: int = 300) -> bytes:
    """Draw the chart. SVG: text kept as text, stable ids, no date; PNG: at `dpi`."""
    setup(font_dir)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(spec.width_mm * MM, spec.height_mm * MM))
    try:
        if spec.kind != "bar":
            ax.axis("off")
        DRAWERS[spec.kind](ax, spec)
        left = 0.3 if spec.kind == "stacked" else 0.02  # room for the area names
        fig.subplots_adjust(left=left, right=0.98, top=0.98, bottom=0.16 if spec.kind == "bar" else 0.02)
        buffer = io.BytesIO()
        metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, metadata=metadata, transparent=fmt == "svg", dpi=dpi)
    finally:
        plt.close(fig)
    return buffer.getvalue()
