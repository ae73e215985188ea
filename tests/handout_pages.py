"""How a handout's pages end, read from the PDF (pdfplumber): where each page's table ends against the
foot of the type area, the rows each page holds (by the rules drawn across the whole table), and the
first row of the next page — the row that did not fit, or the rest of a row split at the page's foot.

All positions in pt from the top of the page (styles/page-handout.css: A4 landscape, margins 16 mm
above, 14 mm below and 12 mm at the sides).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from tests.ending import MM

TOP, FOOT, SIDE = 16 * MM, 14 * MM, 12 * MM


@dataclass(frozen=True)
class HandoutPage:
    """One page of a handout: its type area, what it draws and where its table's rows begin and end."""

    number: int  # 1-based
    top: float  # the top of the type area
    foot: float  # the foot of the type area
    end: float  # the lowest thing drawn in the type area
    rules: tuple[float, ...]  # the rules drawn across the whole table, top down (the header's and each row's)
    ids: tuple[str, ...]  # the text of each body row's 施策番号 cell, top down (the last row's runs to `end`)

    @property
    def short(self) -> float:
        """How far the page's content ends above the foot of the type area (pt)."""
        return self.foot - self.end

    @property
    def height(self) -> float:
        return self.foot - self.top

    @property
    def first_row(self) -> float:
        """The height of the page's first body row (pt): from the header's rule to the next one (or to
        the page's end, when the row runs on to the next page)."""
        if len(self.rules) < 2:
            return 0.0
        return (self.rules[2] if len(self.rules) > 2 else self.end) - self.rules[1]

    def continues(self, before: HandoutPage) -> bool:
        """The page's first body row is the rest of a row split at the foot of the page before: the
        same 施策番号, or none (WeasyPrint's own split leaves the cell empty)."""
        return bool(self.ids and before.ids) and self.ids[0] in (before.ids[-1], "")


def _across(page) -> tuple[float, ...]:  # noqa: ANN001 - pdfplumber page
    """The heights at which horizontal rules cover the whole width of the type area."""
    width = page.width - 2 * SIDE
    spans: dict[float, list[tuple[float, float]]] = {}
    for edge in page.edges:
        if edge["orientation"] == "h":
            spans.setdefault(round(edge["top"], 1), []).append((edge["x0"], edge["x1"]))
    found = []
    for y, parts in sorted(spans.items()):
        covered, reach = 0.0, SIDE
        for x0, x1 in sorted(parts):
            covered += max(0.0, x1 - max(x0, reach))
            reach = max(reach, x1)
        if covered > 0.98 * width and (not found or y - found[-1] > 3):  # a 1.5 pt rule is drawn as two
            found.append(y)
    return tuple(found)


def read_handout(pdf_path: Path) -> list[HandoutPage]:
    """Every page of a handout."""
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            foot = page.height - FOOT
            drawn = [o["bottom"] for o in (*page.chars, *page.rects, *page.lines, *page.images)
                     if TOP - 1 < o["top"] and o["bottom"] < foot + 1 and o.get("text", "x").strip()]
            rules = _across(page)
            # the table's rules, from its header's top (page 1 has the header block's above it; a page
            # of summaries has none)
            header = [c["top"] for c in page.chars if c["text"] == "施" and c["x0"] < SIDE + 5 * MM]
            rules = tuple(y for y in rules if header and y >= max((r for r in rules if r < header[0]), default=0))
            end = max(drawn, default=TOP)
            bounds = [*rules[1:], *([end] if rules and end > rules[-1] + 3 else [])]
            ids = tuple("".join(c["text"] for c in page.chars if above < c["top"] < below
                                and c["x0"] < SIDE + 20 * MM and c["size"] >= 6)
                        for above, below in zip(bounds, bounds[1:]))
            pages.append(HandoutPage(page.page_number, TOP, foot, end, rules, ids))
    return pages


def page_ends(pdf_path: Path) -> list[tuple[int, float, float, float, bool]]:
    """Per page: its number, how far it ends above the foot (as a share of the type area's height),
    the height of the next page's first row (share of the type area's height) and whether that row
    continues one split at this page's foot."""
    pages = read_handout(pdf_path)
    rows = []
    for page, following in zip(pages, [*pages[1:], None]):
        rows.append((page.number, round(page.short / page.height, 3),
                     round(following.first_row / page.height, 3) if following else 0.0,
                     following.first_row if following else 0.0,
                     bool(following and following.continues(page))))
    return rows


def report(pdf_path: Path) -> str:
    """A plain-text table of every page's end: mm above the foot, the next page's first row in mm."""
    lines = []
    for number, short, next_share, next_row, continues in page_ends(pdf_path):
        lines.append(f"p{number:>2}: ends {short * 100:5.1f}% of the type area above the foot; next row "
                     f"{next_row / MM:5.1f} mm ({next_share * 100:4.1f}%){' (continued)' if continues else ''}")
    return "\n".join(lines)

