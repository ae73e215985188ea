"""The PDF's streams compressed on a second core (report/render/pdf/deflate.py) give the very bytes
pydyf writes itself: the test that fails the moment pydyf changes how it writes a stream."""

from __future__ import annotations

import copy
import io
import zlib
from pathlib import Path

import pikepdf
import pydyf
import pytest

from report.render.pdf import deflate
from report.render.pdf.pdf import layout, write_pdf

HTML = """<html lang="ja"><body><h1>施策の進捗</h1>{}</body></html>"""


def _sample_pdf() -> pydyf.PDF:
    """A pydyf document with streams of every kind precompress meets: large and small,
    compressed and not, with and without their own dictionary entries."""
    pdf = pydyf.PDF()
    big = pydyf.Stream([b"BT", b"/F1 12 Tf", *(f"{i} {i * 0.5} Td (x) Tj".encode() for i in range(3000)), b"ET"],
                       compress=True)
    small = pydyf.Stream([b"q", b"1 0 0 1 0 0 cm", b"Q"], compress=True)
    own = pydyf.Stream([b"%" + bytes(range(32, 127)) * 200], extra={"Type": "/XObject", "Subtype": "/Form"},
                       compress=True)
    plain = pydyf.Stream([b"0 0 m 10 10 l S"], compress=False)
    for stream in (big, small, own, plain):
        pdf.add_object(stream)
    return pdf


def _written(pdf: pydyf.PDF) -> bytes:
    output = io.BytesIO()
    pdf.write(output, b"1.7", False, True)
    return output.getvalue()


def test_precompressed_streams_are_written_byte_for_byte_as_pydyf_writes_them() -> None:
    ours = _sample_pdf()
    theirs = copy.deepcopy(ours)
    assert deflate.precompress(ours) == 3  # the uncompressed stream is left alone
    assert _written(ours) == _written(theirs)


def test_precompressed_streams_decompress_to_their_content() -> None:
    pdf = _sample_pdf()
    content = b"\n".join(pydyf._to_bytes(item) for item in pdf.objects[-4].stream)
    deflate.precompress(pdf)
    assert zlib.decompress(pdf.objects[-4].stream[0]) == content


@pytest.mark.parametrize("paragraphs", [1, 400])
def test_a_documents_pdf_is_the_same_with_and_without_precompression(
        paragraphs: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    html = HTML.format("".join(f"<p>令和5年度の実績は{i}件でした。</p>" for i in range(paragraphs)))
    document, _ = layout(html, tmp_path)
    written = []
    for precompress in (deflate.precompress, lambda pdf: 0):
        monkeypatch.setattr(deflate, "precompress", precompress)
        output = io.BytesIO()
        write_pdf(document, output)
        written.append(output.getvalue())
    assert written[0] == written[1]
    with pikepdf.open(io.BytesIO(written[0])) as pdf:  # and it opens, with its text there
        assert len(pdf.pages) >= 1
