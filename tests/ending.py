"""How a newsletter's last page ends, read from the PDF (pdfplumber): where each column's content
ends, and where the closing box (the 「※…」 box with the QR code) sits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
TOP, FOOT = 18 * MM, 16 * MM  # the newsletter's page margins above and below the type area
RULE_GREY = 0.784  # the column rule's colour (--rule)


@dataclass(frozen=True)
class Ending:
    """The last page of a newsletter, in pt from the top of the page."""

    foot: float  # the foot of the type area
    rule: float  # the x of the column rule
    bottoms: tuple[float, float]  # where the left and the right column's content ends (above a spanning box)
    closing: tuple[float, float, float, float]  # the closing box: x0, top, x1, bottom

    @property
    def spans(self) -> bool:
        """The closing box runs across both columns."""
        return self.closing[0] < self.rule < self.closing[2]

    @property
    def closing_column(self) -> int:
        return 0 if self.closing[2] < self.rule else 1


def _objects(page) -> list[dict]:  # noqa: ANN001 - pdfplumber page
    """What is drawn in the type area: characters, rectangles, lines and images."""
    inside = page.height - FOOT + 1
    return [o for o in (*page.chars, *page.rects, *page.lines, *page.images)
            if o["top"] > TOP - 1 and o["bottom"] < inside and (o.get("text", "x").strip())]


def ending(pdf_path: Path, mark: str = "※") -> Ending:
    """The last page's ending: the closing box is the largest rectangle around its first `mark`."""
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[-1]
        rules = [r for r in page.rects if r["width"] < 1 and r["height"] > 40
                 and abs(r["non_stroking_color"][0] - RULE_GREY) < 0.01]
        assert rules, "no column rule on the last page"
        rule = rules[0]["x0"]
        note = next(c for c in page.chars if c["text"] == mark)
        around = [r for r in page.rects if r["x0"] <= note["x0"] and r["x1"] >= note["x1"]
                  and r["top"] <= note["top"] and r["bottom"] >= note["bottom"]]
        box = max(around, key=lambda r: r["width"] * r["height"])
        closing = (box["x0"], box["top"], box["x1"], box["bottom"])
        bottoms = [TOP, TOP]
        for thing in _objects(page):
            if thing in rules:
                continue
            inside_box = (thing["x0"] >= closing[0] - 1 and thing["x1"] <= closing[2] + 1
                          and thing["top"] >= closing[1] - 1 and thing["bottom"] <= closing[3] + 1)
            if inside_box and closing[0] < rule < closing[2]:
                continue  # a spanning box is not part of either column
            column = 0 if (thing["x0"] + thing["x1"]) / 2 < rule else 1
            bottoms[column] = max(bottoms[column], thing["bottom"])
        return Ending(page.height - FOOT, rule, (bottoms[0], bottoms[1]), closing)


def ends_well(end: Ending, pitch: float) -> str | None:
    """How the page ends well ('level', 'foot' or 'spanned'), or None when it does not: the columns
    end within a line of each other, or the closing box ends at the foot of the last column with the
    other column no more than a few lines short, or the box runs across the foot of level columns."""
    left, right = end.bottoms
    if abs(left - right) <= pitch:
        return "spanned" if end.spans else "level"
    if not end.spans and end.closing_column == 1 and abs(end.closing[3] - end.foot) <= 2 and end.foot - left <= 4 * pitch:
        return "foot"
    return None
