"""Where and how large each kind prints a measure's photo, chosen from its pixels so that it is
never printed under PRINT_PPI when it can shrink, and the preflight's warning when even its
smallest size is under that.

The newsletter sets a photo under the measure's vision line, beside its actions, a whole number
of ems of the body wide (NEWSLETTER_EMS: 8, about a third of the column; a portrait photo 6), so
that the lines beside it, one em away, still fill whole ems (字詰め); a photo with too few pixels for
that is printed smaller, down to 5 ems. The page gives that width in ems (`css_width`), not in the
rounded mm the processed picture is made for: 6 ems of 10pt are 21.1667mm, and a box of 21.17mm
left the lines beside it a hair short of 17 ems, so each held a character fewer, stretched. These
sizes keep the sample's feature, its three photos added, on its one spread. The handout prints a
thumbnail in the measure's row (or none: koho.toml [handout] photos = "none"), the archive a larger
picture at the measure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from report.kinds import DocumentKind, kind_named
from report.load.model import Photo, Project
from report.load.tables.schema import MEASURES
from report.photos.source import MM_PER_INCH, effective_ppi
from report.photos.urls import photo_url
from report.problems import Problem

PRINT_PPI = 200  # a photo printed at less than this looks soft on paper
PORTRAIT = 1.0  # width / height at or under which a photo is upright (縦長)
# A box beside text is this much under its whole ems, so that a line of exactly N ems still fits the
# N ems beside it: WeasyPrint measured such a line a rounding error over N ems beside an exact box
# (「PRを…ひおきや」, 17 ems beside a 6-em photo), and each 和欧間 space (composition.css: a space of
# 0.01pt) adds a few thousandths of a point; the line lost its last character and was stretched.
# 0.1pt (0.035mm) is invisible: the lines beside are justified to it and end flush one em before the photo.
SLACK_PT = 0.1


@dataclass(frozen=True)
class Sizes:
    """A kind's photo widths in its unit (ems of the body or mm): what it prefers (landscape,
    portrait) and the least it accepts; a photo shrinks by whole units."""

    landscape: float
    portrait: float
    least: float


NEWSLETTER_EMS = Sizes(landscape=8, portrait=6, least=5)  # in ems of the body (newsletter.css: 1em beside)
HANDOUT_MM = Sizes(landscape=30.0, portrait=22.0, least=18.0)
ARCHIVE_MM = Sizes(landscape=80.0, portrait=55.0, least=40.0)


@dataclass(frozen=True)
class Unit:
    """The unit a kind sizes its photos in: its length in mm and its CSS name."""

    mm: float
    css: str


@dataclass(frozen=True)
class Placement:
    """One photo as one kind prints it."""

    photo: Photo
    width_mm: float  # to 0.01mm: what the processed picture is made for and its resolution is told at
    layout: str  # beside (newsletter) / thumbnail (handout) / block (archive)
    css_width: str  # the box's width on the page in the kind's unit (8 ems less SLACK_PT, 30mm)

    @property
    def ppi(self) -> float:
        return effective_ppi(self.photo.pixels[0], self.width_mm)

    @property
    def height_mm(self) -> float:
        width, height = self.photo.pixels
        return self.width_mm * height / width

    @property
    def src(self) -> str:
        """The URL the fetcher serves the photo processed for this width from."""
        return photo_url(self.photo.path, self.width_mm, self.photo.crop)

    @property
    def alt(self) -> str:
        """The alt text; without one (a warning said so) the caption, else 「写真」: a Figure is
        never left without Alt. A decorative photo has none: it is an Artifact."""
        photo = self.photo
        return "" if photo.decorative else (photo.alt or photo.caption or "写真")

    @property
    def portrait(self) -> bool:
        width, height = self.photo.pixels
        return width / height <= PORTRAIT


def kind_sizes(kind: DocumentKind, em_mm: float) -> tuple[Sizes, Unit, str] | None:
    """The widths a kind prints photos at, in their unit, and how the kind sets them; None when it
    prints none. `em_mm`: the newsletter's body size."""
    if kind.name == "newsletter":
        return NEWSLETTER_EMS, Unit(em_mm, "em"), "beside"
    if kind.name == "handout":
        return HANDOUT_MM, Unit(1.0, "mm"), "thumbnail"
    if kind.name == "archive":
        return ARCHIVE_MM, Unit(1.0, "mm"), "block"
    return None


def placed_width(photo: Photo, sizes: Sizes, unit: Unit) -> float:
    """The preferred width (in the unit) for the photo's shape, shrunk by whole units to what its
    pixels print at PRINT_PPI, but never under the kind's least width."""
    width, height = photo.pixels
    preferred = sizes.portrait if width / height <= PORTRAIT else sizes.landscape
    sharp = width / PRINT_PPI * MM_PER_INCH / unit.mm
    return preferred if sharp >= preferred else max(sizes.least, math.floor(sharp + 1e-9))


def placement(photo: Photo, sizes: Sizes, unit: Unit, layout: str) -> Placement:
    """The photo at its placed width: in mm to 0.01 for its picture, in the kind's unit for the page."""
    width = placed_width(photo, sizes, unit)
    box = f"calc({width:g}em - {SLACK_PT}pt)" if unit.css == "em" else f"{width:g}{unit.css}"
    return Placement(photo, round(width * unit.mm, 2), layout, box)


def placements(project: Project, kind: DocumentKind | str, em_mm: float) -> dict[str, Placement]:
    """Each shown measure's photo as the kind prints it, by measure id (`em_mm`: the
    newsletter's body size, its photos' unit)."""
    kind = kind_named(kind)
    chosen = kind_sizes(kind, em_mm)
    if chosen is None or (kind.name == "handout" and project.config.handout.photos == "none"):
        return {}
    sizes, unit, layout = chosen
    return {m.id: placement(m.photo, sizes, unit, layout)
            for m in project.measures if m.photo is not None and kind.shows(m)}


def resolution_problems(placed: dict[str, Placement], document_name: str) -> list[Problem]:
    """A warning at the photo's cell for each photo printed under PRINT_PPI."""
    column = MEASURES.column("photo")
    problems = []
    for placement in placed.values():
        if placement.ppi >= PRINT_PPI - 0.5:
            continue
        photo, source = placement.photo, placement.photo.source
        wanted = round(placement.width_mm / MM_PER_INCH * PRINT_PPI)
        problems.append(Problem(
            source.file if source else document_name,
            f"写真の解像度が足りません({document_name} では幅{placement.width_mm:g}mmに約{placement.ppi:.0f}ppiで印刷され、"
            f"ぼやけて見えます)。印刷には{PRINT_PPI}ppi以上、この大きさなら横{wanted}画素以上の写真を使ってください"
            f"(いまは横{photo.pixels[0]}画素)",
            sheet=source.sheet if source else None, row=source.row if source else None,
            column=column.name, column_label=column.label, value=photo.file, severity="warning"))
    return problems
