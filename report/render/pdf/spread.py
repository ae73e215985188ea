"""The spread proof (見開き校正紙): each spread side by side on one A3 landscape sheet."""

from __future__ import annotations

import io

A4_WIDTH, A4_HEIGHT = 595.276, 841.89
A3_LANDSCAPE = (2 * A4_WIDTH, A4_HEIGHT)


def spreads(first_page: int, pages: int) -> list[tuple[int | None, int | None]]:
    """Page indexes paired into spreads, left then right; None where a side is empty.

    Left-bound: even folios on the left. A feature starting on an odd folio opens on a right page.
    """
    pairs: list[tuple[int | None, int | None]] = []
    index = 0
    if first_page % 2 == 1:
        pairs.append((None, 0))
        index = 1
    while index < pages:
        right = index + 1 if index + 1 < pages else None
        pairs.append((index, right))
        index += 2
    return pairs


def spread_proof(pdf: bytes, first_page: int) -> bytes:
    """A3 landscape sheets, each carrying one spread at its printed size (trimmed to the TrimBox)."""
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    half = A3_LANDSCAPE[0] / 2
    for left, right in spreads(first_page, len(reader.pages)):
        sheet = writer.add_blank_page(*A3_LANDSCAPE)
        for slot, index in ((0, left), (1, right)):
            if index is None:
                continue
            page = reader.pages[index]
            trim = page.trimbox
            scale = min(half / float(trim.width), A3_LANDSCAPE[1] / float(trim.height))
            page.mediabox = trim  # the proof shows the trimmed page, without bleed and marks
            move = Transformation().translate(-float(trim.left), -float(trim.bottom)).scale(scale).translate(
                slot * half, 0)
            sheet.merge_transformed_page(page, move)
    writer.add_metadata({"/Title": "見開き校正紙 (spread proof)"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
