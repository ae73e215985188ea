"""The lines beside a newsletter photo are set solid (JLREQ 字詰め): the photo and the em before it
leave the text a whole number of ems, so a line holds its characters at their own widths and ends
flush one em before the photo, never a character short and stretched."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.commands.build import build

from .composition import newsletter_column_edges, newsletter_edges, newsletter_floats, paragraph_lines
from .conftest import copy_project
from .test_photos_data import set_photo

# Kana and kanji with Latin letters among them: the sample's line 「PRを実施するとともに、広報ひおきや」
# lost its や beside the upright photo when the photo's box was a rounding error too wide.
TEXT = ("PRを実施するとともに広報ひおきやTJカゴシマへの掲載とPR動画の作成により販路拡大の取組を実施"
        "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもらりるれろ")
SOLID_PT = 0.05  # an advance off by more than this is stretched, not solid
FLUSH_PT = 0.1  # a line's end that far from its edge is flush (the justified drawing's rounding)
EM = 10
PHOTO_MEASURES = ("03-2", "05-1", "08-1")  # the sample's photos


def natural_advance(char: dict, following: dict) -> tuple[float, float]:
    """The least and most a character advances in a solid line: an em, half an em for a Latin letter;
    between Latin and Japanese the 和欧間 space besides, up to a quarter em (as the line has room)."""
    width = EM / 2 if char["text"].isascii() else EM
    return width, width + (EM / 4 if char["text"].isascii() != following["text"].isascii() else 0)


@pytest.fixture(scope="module")
def beside_photos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The sample with the actions of its photo measures (a landscape 03-2 and 08-1, an upright 05-1)
    replaced by TEXT, begun at a different place in each: no 約物 that could end a line short by rule."""
    project = copy_project(tmp_path_factory.mktemp("beside"))
    texts = []
    for measure in PHOTO_MEASURES:
        start = 11 * len(texts)
        texts.append((TEXT[start:] + TEXT[:start]) * 2)
        set_photo(project, measure, actions=texts[-1])  # writes any cell of the measure's row
    return build(project, output=project.parent / "newsletter.pdf").pdf, texts


def test_a_line_beside_a_photo_is_set_solid_and_ends_one_em_before_it(beside_photos) -> None:
    pdf, texts = beside_photos
    edges, floats = newsletter_column_edges(pdf), newsletter_floats(pdf)
    assert len(floats) == 3
    beside = [line for lines in paragraph_lines(pdf, texts, 10) for line in lines[:-1]
              if len(newsletter_edges(edges, line, floats)) == 1
              and newsletter_edges(edges, line, floats) != newsletter_edges(edges, line)]
    assert len(beside) >= 9  # each photo has lines beside it
    for line in beside:
        advances = [b["x0"] - a["x0"] for a, b in zip(line.chars, line.chars[1:])]
        natural = [natural_advance(a, b) for a, b in zip(line.chars, line.chars[1:])]
        assert all(least - SOLID_PT < advance < most + SOLID_PT
                   for advance, (least, most) in zip(advances, natural)), (line.text, advances)
        assert abs(line.end - newsletter_edges(edges, line, floats)[0]) < FLUSH_PT, line.text
