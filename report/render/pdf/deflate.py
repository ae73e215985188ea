"""The PDF's streams compressed on a second core while this one goes on.

pydyf compresses each stream (zlib, level 9) when it writes the file, one after another on one
core: a third of the large archive's writing time. zlib lets other threads run while it
compresses, so here, before pydyf writes, the streams' contents are joined (Python, this thread)
and compressed in a worker thread, each while the next is joined; pydyf then writes the
compressed bytes as they are. The file is byte for byte what pydyf writes itself:
tests/test_deflate.py compares the two, and fails the moment pydyf changes how it writes a stream.

Extends pydyf's `Stream` (its `stream`, `extra` and `compress` attributes and its `data`),
tested with pydyf 0.11–0.13 (the versions WeasyPrint 70 allows).
"""

from __future__ import annotations

import zlib
from concurrent.futures import ThreadPoolExecutor

import pydyf

LEVEL = 9  # pydyf's own level: the same bytes
SMALL = 4096  # shorter streams are compressed here at once: a thread would cost more


def _deflate(raw: bytes) -> bytes:
    compressor = zlib.compressobj(level=LEVEL)
    return compressor.compress(raw) + compressor.flush()


def _own_data(stream: pydyf.Stream) -> bool:
    """Whether the stream is written by pydyf.Stream.data itself (not a subclass's own)."""
    return type(stream).data is pydyf.Stream.data


def precompress(pdf: pydyf.PDF) -> int:
    """Compress every stream that pydyf would compress, in a worker thread; afterwards pydyf
    writes them unchanged. Returns how many streams were compressed."""
    streams = [found for found in pdf.objects
               if isinstance(found, pydyf.Stream) and found.compress and _own_data(found)]
    if not streams:
        return 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="koho-deflate") as worker:
        pending = []
        for stream in streams:
            raw = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)  # noqa: SLF001 - pydyf's own join
            pending.append((stream, worker.submit(_deflate, raw) if len(raw) > SMALL else _deflate(raw)))
        for stream, compressed in pending:
            data = compressed if isinstance(compressed, bytes) else compressed.result()
            stream.stream = [data]
            stream.compress = False
            stream.extra = {**stream.extra, "Filter": "/FlateDecode"}  # where pydyf would add it
    return len(streams)
