"""Draw a ChartSpec with matplotlib: SVG with text kept as text, or PNG for slides and the web."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

from .lean import lean_svg
from .key import PT, SWATCH_EM
from .spec import STACKED_LEFT, STACKED_RIGHT, ChartSpec
from .style import GREY, INK, MM, PAPER, RULE, setup

# Greys and hatches that keep segments apart on a black-and-white photocopy.
HATCHES = ("", "////", "....", "xxxx", "\\\\\\\\")


# Where the bar chart's axes sit in its figure (fractions of the figure's height).
BAR_BOTTOM, BAR_TOP = 0.16, 0.98
LABEL_GAP_PT = 2.0  # between a label and a bar, the target line or another label
LABEL_PT, LABEL_MIN_PT = 8.0, 7.0  # a value label's size, and the smallest it is set at to fit


def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    """The printed width of a label, from the font's own metrics (no renderer needed)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    width, _, _ = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    return width


def _bar(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    """Bars per year from a zero line with their values on them; a negative value (△ in Japanese
    accounts) hangs below the zero line with its label underneath. The target is a dashed line, named
    in a key at the top left."""
    if spec.baseline is not None or spec.key_above:
        return _indicator_bar(ax, spec)
    ax.bar(range(len(spec.values)), spec.values, width=0.6, color=spec.color, edgecolor=INK, linewidth=0.5)
    _years_and_values(ax, spec, spec.labels, spec.values, spec.value_labels, keep=())


def _indicator_bar(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    """Bars per year after a hatched baseline bar, if any (its tick says 基準 and its year); the target as a
    dashed line, named in a key above the bars, so neither depends on colour."""
    based = spec.baseline is not None
    values = (spec.baseline, *spec.values) if based else spec.values
    labels = (spec.baseline_label, *spec.labels) if based else spec.labels
    value_labels = (spec.baseline_value_label, *spec.value_labels) if based else spec.value_labels
    if based:
        ax.bar([0], [spec.baseline], width=0.6, color=PAPER, hatch="////", edgecolor=INK, linewidth=0.5)
    ax.bar(list(range(int(based), len(values))), spec.values, width=0.6, color=spec.color, edgecolor=INK,
           linewidth=0.5)
    _years_and_values(ax, spec, labels, values, value_labels, keep=(0,) if based else ())


def _shown_labels(labels: tuple[str, ...], slot_pt: float, keep: tuple[int, ...]) -> tuple[float, set[int]]:
    """(size, indices) of the value labels printed: every one at 8pt, or at 7pt, where each stays a
    quarter em clear of its neighbours' (a bar's slot is `slot_pt` wide); else only the latest and
    those in `keep` (the baseline): the figure's years list and the table carry every value."""
    for size in (LABEL_PT, LABEL_MIN_PT):
        if all(text_width_pt(label, size, bold=True) + size / 4 <= slot_pt for label in labels):
            return size, set(range(len(labels)))
    return LABEL_MIN_PT, {len(labels) - 1, *keep}


def _years_and_values(ax, spec: ChartSpec, years: tuple[str, ...], values: tuple[float, ...],  # noqa: ANN001
                      value_labels: tuple[str, ...], keep: tuple[int, ...]) -> None:
    """The years under the bars, the values on them and the target line with its key: a value label
    sits on its bar, a quarter em clear of the target line (above it where it would cross it) and
    of every other label; the key sits above every label."""
    positions = range(len(values))
    slot = ax.figure.get_figwidth() * 72 * 0.96 / max(len(values), 3)
    size, shown = _shown_labels(value_labels, slot, keep)
    crowded = len(values) > 4
    narrow_labels = [text_width_pt(label, size, bold=True) + size / 2 <= slot * 0.6 for label in value_labels]  # fits in its bar
    ticks = _year_labels(ax, years, 7 if crowded else 8)
    ax.set_xticks(list(positions), ticks)
    bottom = BAR_BOTTOM * (1.8 if any("\n" in year for year in ticks) else 1)  # room for years on two lines
    ax.figure.subplots_adjust(left=0.02, right=0.98, top=BAR_TOP, bottom=bottom)
    height_pt = ax.figure.get_figheight() * 72 * (BAR_TOP - bottom)
    label_pt, key_pt = size * 1.25, 7.5 * 1.25  # text heights with their line spacing
    clear_pt = max(LABEL_GAP_PT, size / 4) + 0.5  # a quarter em at least, whatever the scale settles to
    top = max([*values, spec.target or 0, 0]) or 1
    low = min([*values, spec.target or 0, 0])
    y_max, y_min = top * 1.3, low * 1.3
    for _ in range(4):  # label positions depend on the scale, the scale on the labels: settle it
        unit = (y_max - y_min) / height_pt  # data units per point
        gap = clear_pt * unit
        placed = [_label_place(x, value, spec.target, gap, label_pt * unit, narrow)
                  for x, value, narrow in zip(positions, values, narrow_labels)]
        printed = [place for index, place in enumerate(placed) if index in shown]
        highest = max([y + label_pt * unit for _, y, below in printed if not below] + [(spec.target or 0) + gap])
        lowest = min([y - label_pt * unit for _, y, below in printed if below] + [0.0])
        y_max = max(top * 1.15, highest + gap + (key_pt * unit + gap if spec.target is not None else 0))
        y_min = lowest - gap if low < 0 else 0
    unit = (y_max - y_min) / height_pt  # the scale settled
    for index, ((x, y, below), label) in enumerate(zip(placed, value_labels)):
        if index not in shown:
            continue
        wide = text_width_pt(label, size, bold=True) > slot  # alone: kept inside the chart, over its bar
        align = "center" if not wide else ("left" if index == 0 else "right")
        x += {"center": 0.0, "left": -0.3, "right": 0.3}[align]  # a bar is 0.6 wide
        inside = below and values[index] >= 0  # in the bar's top: on its fill, or on paper over the hatching
        hatched = index in keep
        # set on its baseline, from the font's box (ascent 0.88 em, descent 0.12 em), whatever its letters
        baseline = y - 0.88 * size * unit if below else y + 0.12 * size * unit
        ax.text(x, baseline, label, ha=align, va="baseline", fontsize=size, fontweight="bold",
                color=ink_on(spec.color) if inside and not hatched else INK,
                bbox={"facecolor": PAPER, "edgecolor": "none", "pad": 0.6} if inside and hatched else None)
    if spec.target is not None:
        dashes = (0, (4, 2))
        ax.axhline(spec.target, color=INK, linewidth=0.8, linestyle=dashes)
        key_y = 1 - (key_pt / 2) / height_pt
        ax.plot([0.0, 0.07], [key_y, key_y], transform=ax.transAxes, color=INK, linewidth=0.8, linestyle=dashes,
                clip_on=False)
        ax.text(0.09, key_y, spec.target_label, ha="left", va="center", fontsize=7.5, transform=ax.transAxes)
    if low < 0:
        ax.axhline(0, color=INK, linewidth=0.6)  # the zero line the bars hang from
    ax.set_xlim(-0.5, max(len(values), 3) - 0.5)  # one or two bars stay bar-shaped
    ax.set_ylim(y_min, y_max)
    ax.set_yticks([])  # bars carry their values as direct labels
    ax.tick_params(axis="x", length=0, labelsize=7 if crowded else 8)


def _label_place(x: float, value: float, target: float | None, gap: float, height: float,
                 narrow: bool) -> tuple[float, float, bool]:
    """(x, y, hanging) of a value label: on its bar (over its end), else in the bar's top (a `narrow`
    label, one the bar holds), else over the target line, whichever first stays `gap` clear of the
    target line; a negative value's hangs below the bar. `hanging`: the label's top is at y."""
    if value < 0:
        return x, value - gap, True

    def clear(bottom: float) -> bool:
        return target is None or not (bottom - gap < target < bottom + height + gap)

    if clear(value + gap):
        return x, value + gap, False
    if narrow and value - 2 * gap - height >= 0 and clear(value - gap - height):
        return x, value - gap, True
    return x, max(target or 0, value) + gap, False


def _two_lines(label: str, size: float, slot: float) -> str:
    """A year on two lines: at its space where both halves fit (「基準 / 平成27年度」), else between the
    era and the number (「令和 / 4年度」, 「基準 平成 / 27年度」)."""
    head, space, tail = label.partition(" ")
    if space and max(text_width_pt(head, size), text_width_pt(tail, size)) <= slot:
        return f"{head}\n{tail}"
    return re.sub(r"^(\D+?) ?(?=\d)|^(\d+)(?=\D)", lambda m: (m.group(1) or m.group(2)) + "\n", label, count=1)


def _year_labels(ax, labels: tuple[str, ...], size: float) -> list[str]:  # noqa: ANN001 - matplotlib Axes
    """The years under the bars: on two lines (令和 / 4年度) when they would touch, and only every
    second or third one when even that does not fit."""
    slot = ax.figure.get_figwidth() * 72 * 0.96 / max(len(labels), 3) - LABEL_GAP_PT
    if max(text_width_pt(label, size) for label in labels) <= slot:
        return list(labels)
    wrapped = [_two_lines(label, size, slot) for label in labels]
    widest = max(text_width_pt(line, size) for label in wrapped for line in label.split("\n"))
    step = math.ceil((widest + LABEL_GAP_PT) / (slot + LABEL_GAP_PT))
    last = len(labels) - 1  # the latest year is always named
    return [label if (last - index) % step == 0 else "" for index, label in enumerate(wrapped)]


def _progress_label(label: str, value_label: str, left: float, value: float, total: float, unit: float,
                    row_ends: list[float]) -> tuple[str, float, float, int] | None:
    """Where a segment's label goes: (text, centre, half width, row 0 over the bar or 1 under it),
    in data units. 「令和5年度 140人」 centred on its segment, moved right past the label before it
    in the row with more room; when that moves its centre off the segment, the value alone
    (「140人」: the figure lists the years), and when that cannot stay on it either, none."""
    for text in (f"{label} {value_label}", value_label):
        half = text_width_pt(text, 7) / 2 * unit
        centre = min(max(left + value / 2, half), total - half)  # inside the chart's width
        gap = LABEL_GAP_PT * unit
        shifts = [max(0.0, end + gap - (centre - half)) for end in row_ends]
        row = 0 if shifts[0] <= shifts[1] else 1
        centre += shifts[row]
        if left <= centre <= left + value:
            return text, centre, half, row
    return None


def _progress(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    """One bar split by year; each year's label over its segment, or under the bar when the one
    before leaves no room, or moved right, shortened or left out (`_progress_label`): labels never
    overlap and stay over or under their segments. The frame holds every segment
    (a total past the target is drawn whole, the target marked on it); a negative amount, which
    the data check refuses, draws nothing rather than run back over the others."""
    values = [max(value, 0.0) for value in spec.values]
    total = max(spec.target or 0.0, sum(values)) or 1
    ax.barh([0], [total], color=PAPER, edgecolor=INK, linewidth=0.5, height=0.55)
    if spec.target and sum(values) > spec.target:
        ax.plot([spec.target, spec.target], [-0.4, 0.4], color=INK, linewidth=1.0, linestyle=(0, (2, 1)), zorder=3)
    width_pt = ax.figure.get_figwidth() * 72 * 0.96  # the axes' width (see figure)
    unit = total / width_pt  # data units per point
    row_ends = [0.0, 0.0]  # where the last label of the row above and of the row below ends
    left = 0.0
    for index, (label, value, value_label) in enumerate(zip(spec.labels, values, spec.value_labels)):
        ax.barh([0], [value], left=left, color=spec.color if index % 2 == 0 else PAPER,
                hatch=HATCHES[index % len(HATCHES)], edgecolor=INK, linewidth=0.5, height=0.55)
        placed = _progress_label(label, value_label, left, value, total, unit, row_ends) if value > 0 else None
        if placed is not None:
            text, centre, half, row = placed
            ax.text(centre, 0.42 if row == 0 else -0.42, text, ha="center", va="bottom" if row == 0 else "top",
                    fontsize=7)
            row_ends[row] = centre + half
        left += value
    ax.set_xlim(0, total)
    ax.set_ylim(-0.4 if row_ends[1] == 0 else -1.0, 1.0)
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
    _rows(ax, spec, spec.scale or max(spec.values) or 1.0)


def luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour (WCAG 2)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_on(fill: str) -> str:
    """Black or white text, whichever contrasts more with the fill (JIS X 8341-3 asks 4.5:1)."""
    return INK if contrast(INK, fill) >= contrast(PAPER, fill) else PAPER


# A stacked chart's segments, one look per series, every one distinct on a black-and-white photocopy:
# three greys, then hatchings on paper (a count on hatching sits on a patch of paper).
SEGMENT_STYLES: tuple[tuple[str, str], ...] = (
    (INK, ""), (GREY, ""), (RULE, ""), (PAPER, "xxxx"), (PAPER, "\\\\\\\\"), (PAPER, "////"),
    (PAPER, "||||"), (PAPER, "----"), (PAPER, "++++"),  # lines only: a dotted hatch costs 300 KB a page
)


def _stacked(ax, spec: ChartSpec) -> None:  # noqa: ANN001 - matplotlib Axes
    """One 100% bar per label; every segment has its count written in it and a grey or hatch of its own."""
    rows = list(range(len(spec.labels)))[::-1]
    for y, label, counts in zip(rows, spec.labels, spec.rows):
        total = sum(counts) or 1
        left = 0.0
        for index, count in enumerate(counts):
            share = count / total * 100
            if count:
                shade, hatch = SEGMENT_STYLES[index % len(SEGMENT_STYLES)]
                ax.barh([y], [share], left=left, color=shade, hatch=hatch, edgecolor=INK, linewidth=0.5, height=0.55)
                ax.text(left + share / 2, y, f"{count:g}", ha="center", va="center", fontsize=spec.font_pt,
                        fontweight="bold", color=ink_on(shade),
                        # on hatching, the count sits on a patch of paper so it stays readable
                        bbox={"facecolor": PAPER, "edgecolor": "none", "pad": 1.0} if hatch else None)
            left += share
        ax.text(-1.5, y, label, ha="right", va="center", fontsize=spec.font_pt)
    key = spec.key_rows()
    em = spec.font_pt * PT / (spec.width_mm * (STACKED_RIGHT - STACKED_LEFT)) * 100  # one em in the bars' units
    for line, entries in enumerate(key):  # the key, above the bars, in the same looks; wrapped, never overlapping
        y = len(rows) - 0.2 + len(key) - 1 - line
        for index, left in entries:
            x = left * em / (spec.font_pt * PT)
            shade, hatch = SEGMENT_STYLES[index % len(SEGMENT_STYLES)]
            ax.barh([y], [0.8 * em], left=x, color=shade, hatch=hatch, edgecolor=INK, linewidth=0.5, height=0.35)
            ax.text(x + SWATCH_EM * em, y, spec.series[index], ha="left", va="center", fontsize=spec.font_pt)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(rows) + len(key) - 1 + 0.3)
    ax.set_xticks([])
    ax.set_yticks([])


DRAWERS = {"bar": _bar, "progress": _progress, "share": _share, "compare": _compare, "stacked": _stacked}


def figure(spec: ChartSpec, font_dir: Path):  # noqa: ANN201 - matplotlib Figure
    """The chart drawn on a matplotlib figure (no pyplot: nothing to close)."""
    setup(font_dir)
    from matplotlib.figure import Figure  # not pyplot: no figure manager, and a quarter second less to import

    fig = Figure(figsize=(spec.width_mm * MM, spec.height_mm * MM))
    ax = fig.subplots()
    if spec.kind != "bar":
        ax.axis("off")
    DRAWERS[spec.kind](ax, spec)
    if spec.kind != "bar":  # bars set their own margins, by their year labels
        left = STACKED_LEFT if spec.kind == "stacked" else 0.02  # room for the area names
        fig.subplots_adjust(left=left, right=STACKED_RIGHT, top=BAR_TOP, bottom=0.02)
    return fig


def render(spec: ChartSpec, font_dir: Path, fmt: str = "svg", dpi: int = 300) -> bytes:
    """Draw the chart. SVG: text kept as text, stable ids, no date; PNG: at `dpi`."""
    fig = figure(spec, font_dir)
    buffer = io.BytesIO()
    metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buffer, format=fmt, metadata=metadata, transparent=fmt == "svg", dpi=dpi)
    return lean_svg(buffer.getvalue()) if fmt == "svg" else buffer.getvalue()


def warm_up(font_dir: Path) -> None:
    """Import matplotlib and draw one throwaway chart, so that a warm process (koho serve) draws
    its first changed chart at once instead of paying for matplotlib's import then."""
    render(ChartSpec(kind="bar", labels=("令和5年度",), values=(1.0,), value_labels=("1件",), color=INK), font_dir)
