"""Japanese trim marks (トンボ) for the printer's version, drawn outside the bleed.

Each corner has double marks (角トンボ): the inner pair on the trim lines (仕上がり), the outer
pair on the bleed lines (塗り足し) 3 mm further out; each side has a centre mark (センタートンボ,
a cross) for registering the sheet. Every line starts at the bleed edge and runs outwards, so
nothing of a mark is printed inside the bleed. Drawn in registration colour (all four plates)
when the PDF is CMYK, in black otherwise; marked as an Artifact so tagged PDFs stay valid.
"""

from __future__ import annotations

MM = 72 / 25.4
BLEED = 3 * MM  # 塗り足し
LENGTH = 8 * MM  # how far a corner mark runs out from the bleed edge
CROSS = 5 * MM  # half the length of a centre mark's bar
LINE = 0.1 * MM  # 0.1 mm hairlines, as Japanese printers draw them


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f"{x1:.3f} {y1:.3f} m {x2:.3f} {y2:.3f} l"


def mark_lines(trim: tuple[float, float, float, float]) -> list[str]:
    """The path segments of the marks around a trim box (left, bottom, right, top) in points."""
    left, bottom, right, top = trim
    lines = []
    for x, sx in ((left, -1), (right, 1)):
        for y, sy in ((bottom, -1), (top, 1)):
            bx, by = x + sx * BLEED, y + sy * BLEED  # the bleed corner
            for across in (x, bx):  # vertical lines on the trim and the bleed line
                lines.append(_line(across, by, across, by + sy * LENGTH))
            for along in (y, by):  # horizontal lines on the trim and the bleed line
                lines.append(_line(bx, along, bx + sx * LENGTH, along))
    middle_x, middle_y = (left + right) / 2, (bottom + top) / 2
    for y, sy in ((bottom, -1), (top, 1)):  # centre marks above and below
        start = y + sy * BLEED
        lines.append(_line(middle_x, start, middle_x, start + sy * LENGTH))
        lines.append(_line(middle_x - CROSS, start + sy * LENGTH / 2, middle_x + CROSS, start + sy * LENGTH / 2))
    for x, sx in ((left, -1), (right, 1)):  # and left and right
        start = x + sx * BLEED
        lines.append(_line(start, middle_y, start + sx * LENGTH, middle_y))
        lines.append(_line(start + sx * LENGTH / 2, middle_y - CROSS, start + sx * LENGTH / 2, middle_y + CROSS))
    return lines


def add_marks(pdf, cmyk: bool) -> None:  # noqa: ANN001 - pydyf.PDF
    """Draw the marks on every page that has a TrimBox inside a larger MediaBox."""
    import pydyf

    colour = "1 1 1 1 K" if cmyk else "0 G"  # registration colour on every plate
    for page_ref in pdf.page_references:
        page = pdf.objects[int(page_ref.split()[0])]
        if "TrimBox" not in page:
            continue
        left, top, right, bottom = page["TrimBox"]  # WeasyPrint's order: y grows downwards here
        trim = (min(left, right), min(top, bottom), max(left, right), max(top, bottom))
        media = page["MediaBox"]
        if min(media[0], media[2]) > trim[0] - BLEED - LENGTH / 2:
            continue  # no room outside the bleed: no marks
        body = ["Q", "/Artifact BMC", "q", colour, f"{LINE:.3f} w", "0 J", *mark_lines(trim), "S", "Q", "EMC"]
        save, marks = pydyf.Stream([b"q"]), pydyf.Stream([line.encode("ascii") for line in body])
        pdf.add_object(save)
        pdf.add_object(marks)
        contents = page["Contents"]  # the page's own drawing keeps its coordinates to itself
        page["Contents"] = pydyf.Array([save.reference, *(contents if isinstance(contents, list) else [contents]),
                                        marks.reference])
