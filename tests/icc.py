"""A minimal CMYK output ICC profile (v2, lut8 CMYK→Lab and Lab→CMYK), made in code for the PDF/X-4 tests.

Real printers' profiles (Japan Color 2011 Coated) may not be redistributed; this one is only
structurally valid: LittleCMS reads it and converts both ways (CMYK→Lab, Lab→CMYK), WeasyPrint
embeds it as the output intent.
"""

from __future__ import annotations

import struct


def _tag_desc(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    return (b"desc" + b"\0" * 4 + struct.pack(">I", len(ascii_text)) + ascii_text
            + b"\0" * 8 + b"\0" * 3 + b"\0" * 67)


def _tag_text(text: str) -> bytes:
    return b"text" + b"\0" * 4 + text.encode("ascii") + b"\0"


def _tag_xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + b"\0" * 4 + b"".join(struct.pack(">i", round(v * 65536)) for v in (x, y, z))


def _tag_lut8_cmyk_to_lab() -> bytes:
    identity = [65536, 0, 0, 0, 65536, 0, 0, 0, 65536]
    header = b"mft1" + b"\0" * 4 + bytes([4, 3, 2, 0]) + b"".join(struct.pack(">i", v) for v in identity)
    ramp = bytes(range(256))
    clut = bytearray()
    for c in (0, 1):
        for m in (0, 1):
            for y in (0, 1):
                for k in (0, 1):
                    ink = min(1.0, (c + m + y) / 3 + k)
                    lightness = round(255 * (1 - ink * 0.9))
                    clut += bytes([lightness, 128 + 20 * (m - c), 128 + 20 * (y - m)])
    return header + ramp * 4 + bytes(clut) + ramp * 3


def _tag_lut8_lab_to_cmyk() -> bytes:
    """Lab→CMYK, the direction RGB colours are printed through: K only, from the lightness."""
    identity = [65536, 0, 0, 0, 65536, 0, 0, 0, 65536]
    header = b"mft1" + b"\0" * 4 + bytes([3, 4, 2, 0]) + b"".join(struct.pack(">i", v) for v in identity)
    ramp = bytes(range(256))
    clut = bytearray()
    for lightness in (0, 1):
        for _a in (0, 1):
            for _b in (0, 1):
                clut += bytes([0, 0, 0, 255 * (1 - lightness)])
    return header + ramp * 3 + bytes(clut) + ramp * 4


def cmyk_profile(description: str = "koho test CMYK", rgb_to_cmyk: bool = True) -> bytes:
    """The bytes of a small CMYK printer profile; without `rgb_to_cmyk` it has no Lab→CMYK table
    (LittleCMS reads it but cannot print an RGB colour through it)."""
    tags = [(b"desc", _tag_desc(description)), (b"cprt", _tag_text("No copyright, test data")),
            (b"wtpt", _tag_xyz(0.9642, 1.0, 0.8249)), (b"A2B0", _tag_lut8_cmyk_to_lab())]
    if rgb_to_cmyk:
        tags.append((b"B2A0", _tag_lut8_lab_to_cmyk()))
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table = struct.pack(">I", len(tags))
    data = b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = 128 + table_size + len(data)
    header = (struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"prtr" + b"CMYK" + b"Lab "
              + b"\0" * 12 + b"acsp" + b"APPL" + b"\0" * 4 + b"\0" * 4 + b"\0" * 4 + b"\0" * 8 + b"\0" * 4
              + struct.pack(">iii", 63190, 65536, 54061) + b"\0" * 4 + b"\0" * 16 + b"\0" * 28)
    assert len(header) == 128
    return header + table + data
