"""How a newsletter's pages are made up, read from the PDF (pdfplumber): where each column's last line
ends against the foot of the type area, pages opening with a figure box, and the body's baselines.

All positions in pt from the top of the page. Columns are told apart by the column rule (the thin
grey rectangle, tests/ending.py RULE_GREY); a page without one is read as one column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from tests.ending import FOOT, MM, RULE_GREY, TOP, ending

BODY_SIZE = 10.0  # the newsletter's body size (pt); its pitch is 15 pt
PAPER_TINT = (0xF3 / 255, 0xF3 / 255, 0xF4 / 255)  # --paper-tint: the figure boxes' background


@dataclass(frozen=True)
class PageColumns:
    """One page of a newsletter: where each column's drawn content ends, and its body baselines."""

    number: int  # 1-based index in the PDF
    foot: float  # the foot of the type area
    top: float  # the top of the columns (below the feature head on the first page)
    bottoms: tuple[float, ...]  # per column: the lowest drawn thing (its top when empty)
    baselines: tuple[tuple[float, ...], ...]  # per column: the body lines' baselines, top down
    opening_figures: tuple[bool, ...]  # per column: its first thing is a figure box

    @property
    def opens_with_figure(self) -> bool:
        """The page's first column opens with a figure box."""
        return self.opening_figures[0]

    def short(self) -> tuple[float, ...]:
        """How far each column ends above the foot (pt)."""
        return tuple(self.foot - bottom for bottom in self.bottoms)


def _rule(page) -> float | None:  # noqa: ANN001 - pdfplumber page
    rules = [r for r in page.rects if r["width"] < 1 and r["height"] > 40
             and r.get("non_stroking_color") and abs(r["non_stroking_color"][0] - RULE_GREY) < 0.01]
    return rules[0]["x0"] if rules else None


def _is_rule(thing: dict, rule: float | None) -> bool:
    return rule is not None and thing.get("width", 9) < 1 and abs(thing["x0"] - rule) < 0.5


def _figure_boxes(page) -> list[dict]:  # noqa: ANN001
    """The figure boxes: rectangles filled with the paper tint, wider than 20 mm."""
    return [r for r in page.rects if r["width"] > 20 * MM and r["height"] > 3 * MM
            and len(r.get("non_stroking_color") or ()) == 3
            and all(abs(a - b) < 0.01 for a, b in zip(r["non_stroking_color"], PAPER_TINT))]


def _baselines(chars: list[dict]) -> tuple[float, ...]:
    """The baselines of body-size characters (rounded to 0.1 pt), top down."""
    found = sorted({round(c["bottom"] - (c["size"] * 0.12), 1) for c in chars
                    if abs(c["size"] - BODY_SIZE) < 0.05 and c["text"].strip()})
    lines: list[float] = []
    for y in found:
        if not lines or y - lines[-1] > 2:
            lines.append(y)
    return tuple(lines)


def read_pages(pdf_path: Path) -> list[PageColumns]:
    """Every page's columns."""
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages, start=1):
            rule = _rule(page)
            foot = page.height - FOOT
            things = [o for o in (*page.chars, *page.rects, *page.lines, *page.images)
                      if o["top"] > TOP - 1 and o["bottom"] < foot + 1 and o.get("text", "x").strip()
                      and not _is_rule(o, rule)]
            rules = [r for r in page.rects if _is_rule(r, rule)]
            top = min((r["top"] for r in rules), default=TOP)
            count = 2 if rule is not None else 1

            def column(o: dict) -> int:
                return 0 if count == 1 or (o["x0"] + o["x1"]) / 2 < rule else 1

            inside = [o for o in things if o["top"] >= top - 1]
            bottoms = [top] * count
            for thing in inside:
                bottoms[column(thing)] = max(bottoms[column(thing)], thing["bottom"])
            chars = [c for c in page.chars if c["top"] >= top - 1]
            baselines = tuple(_baselines([c for c in chars if column(c) == i]) for i in range(count))
            boxes = _figure_boxes(page)
            opening = []
            for i in range(count):
                first_top = min((o["top"] for o in inside if column(o) == i), default=None)
                opening.append(first_top is not None and any(abs(box["top"] - first_top) < 1.5
                                                             for box in boxes if column(box) == i))
            pages.append(PageColumns(index, foot, top, tuple(bottoms), baselines, tuple(opening)))
    return pages


def empty_above_box(pdf_path: Path) -> float:
    """The room left empty above the closing box on the last page (pt): from the lowest thing drawn
    above it in its column to its top."""
    end = ending(pdf_path)
    x0, top, x1, _ = end.closing
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[-1]
        above = [o["bottom"] for o in (*page.chars, *page.rects, *page.images)
                 if o["x0"] >= x0 - 1 and o["x1"] <= x1 + 1 and TOP - 1 < o["top"] and o["bottom"] < top - 0.5
                 and o.get("text", "x").strip() and o.get("width", 9) >= 1]
    return top - max(above, default=TOP)


def off_grid(baselines: tuple[float, ...], pitch: float = BODY_SIZE * 1.5, tolerance: float = 0.6) -> list[float]:
    """The gaps between consecutive baselines that are no whole number of half lines (pt)."""
    half = pitch / 2
    return [round(b - a, 1) for a, b in zip(baselines, baselines[1:])
            if abs((b - a) / half - round((b - a) / half)) * half > tolerance]


def body_pitch(pages: list[PageColumns]) -> float:
    """The body's line pitch (pt): the commonest gap between consecutive baselines of a column."""
    gaps = [round(b - a, 1) for page in pages for column in page.baselines for a, b in zip(column, column[1:])]
    return max(set(gaps), key=gaps.count)


def off_the_grid(page: PageColumns, pitch: float, tolerance: float = 0.5) -> list[float]:
    """The baselines of both columns of a page that are not on the page's grid (lines `pitch` apart,
    placed where most baselines fall), as their distance from it (pt)."""
    baselines = [b for column in page.baselines for b in column]

    def distance(b: float, origin: float) -> float:
        rest = (b - origin) % pitch
        return min(rest, pitch - rest)

    if not baselines:
        return []
    origin = max(baselines, key=lambda o: sum(distance(b, o) <= tolerance for b in baselines))
    return [round(distance(b, origin), 1) for b in baselines if distance(b, origin) > tolerance]


def report(pdf_path: Path) -> str:
    """A plain-text table of every page's column ends (mm above the foot) and baselines' gaps."""
    rows = []
    pages = read_pages(pdf_path)
    pitch = body_pitch(pages)
    for page in pages:
        short = " ".join(f"{s / MM:6.1f}" for s in page.short())
        off = off_the_grid(page, pitch)
        rows.append(f"p{page.number}: short(mm) {short}  opens_fig={page.opening_figures}  "
                    f"lines={[len(b) for b in page.baselines]}  pitch {pitch} off the grid: {len(off)} {off}")
    return "\n".join(rows)


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:]:
        print(name)
        print(report(Path(name)))


def runs_of(rows: Iterable[list[dict]], cut: Callable[[dict, dict], bool]) -> list[list[dict]]:
    """Each row of chars (one baseline) in reading order, cut into runs between two neighbours
    where `cut(before, char)` says so (a wide gap between columns, a table's rule)."""
    runs = []
    for row in rows:
        row = sorted(row, key=lambda c: c["x0"])
        run = [row[0]]
        for before, char in zip(row, row[1:]):
            if cut(before, char):
                runs.append(run)
                run = []
            run.append(char)
        runs.append(run)
    return runs


def text_lines(page, top: float = 0.0, foot: float = 0.0, spaces: bool = False) -> list[tuple[float, float, str]]:  # noqa: ANN001
    """A pdfplumber page's lines of text lying more than `top` below its top edge and more than
    `foot` above its bottom edge (pt): (top, the largest size on the line, its text in reading
    order), top to bottom; blank characters left out unless `spaces`."""
    rows: dict[int, list[dict]] = {}
    for char in page.chars:
        if top < char["top"] < page.height - foot and (spaces or char["text"].strip()):
            rows.setdefault(round(char["top"]), []).append(char)
    return [(y, max(c["size"] for c in chars), "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])))
            for y, chars in sorted(rows.items())]
