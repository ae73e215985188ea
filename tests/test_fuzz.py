"""Property-based tests: whatever bytes or cell values a project holds, koho ends with a clean
KohoError (a message, exit 1) or a valid PDF, and never writes its inputs.

Examples are few, small and derandomized, so that the suite stays fast and CI stable.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from report.commands.build import build
from report.problems import KohoError
from report.load.tables.schema import TABLES
from report.load.validate import load_project

from .conftest import SAMPLE
from .test_inputs import read_rows, write_rows, write_workbook
from .test_output import snapshot

STABLE = {"deadline": None, "derandomize": True, "database": None, "phases": [Phase.explicit, Phase.generate],
          "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
LOADS = settings(max_examples=60, **STABLE)
BUILDS = settings(max_examples=14, **STABLE)  # a whole build takes a second or two


@contextlib.contextmanager
def sample_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("build"))
        yield project


def load_or_clean_error(project: Path) -> None:
    try:
        load_project(project)
        event("loaded")
    except KohoError as error:
        event("a clean error")
        assert str(error.format_message()).startswith("入力データに")


def mutated(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    """The bytes with a few of them replaced: damage that keeps most of the structure."""
    changed = bytearray(data)
    for position, value in edits:
        changed[position % len(changed)] = value
    return bytes(changed)


byte_values = st.integers(0x20, 0x7E) | st.integers(0, 255)  # printable ASCII half the time
edits = st.lists(st.tuples(st.integers(0, 2**20), byte_values), min_size=1, max_size=8)


@LOADS
@given(table=st.sampled_from([t.name for t in TABLES]),
       data=st.binary(max_size=600) | st.builds(lambda raw, e: mutated(raw, e), st.sampled_from(
           [(SAMPLE / f"{t.name}.csv").read_bytes() for t in TABLES]), edits))
def test_any_bytes_as_a_csv_file(table: str, data: bytes) -> None:
    with sample_copy() as project:
        (project / f"{table}.csv").write_bytes(data)
        load_or_clean_error(project)


def sample_workbook() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "book.xlsx"
        write_workbook(book, {t.label: read_rows(SAMPLE / f"{t.name}.csv") for t in TABLES})
        return book.read_bytes()


def zip_of(members: dict[str, bytes]) -> bytes:
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        handle.seek(0)
        return handle.read()


WORKBOOK = sample_workbook()
MEMBERS = ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "_rels/.rels"]


@LOADS
@given(data=st.binary(max_size=600)
       | st.builds(lambda e: mutated(WORKBOOK, e), edits)
       | st.builds(zip_of, st.dictionaries(st.sampled_from(MEMBERS), st.binary(max_size=200), max_size=4)))
def test_any_bytes_as_a_workbook(data: bytes) -> None:
    with sample_copy() as project:
        for table in TABLES:
            (project / f"{table.name}.csv").unlink()
        (project / "book.xlsx").write_bytes(data)
        load_or_clean_error(project)


# Where a value may land: every column the sample's files have, in their first rows; text columns more often.
SAMPLE_HEADERS = {t.name: read_rows(SAMPLE / f"{t.name}.csv")[0] for t in TABLES}
SLOTS = [(f"{t.name}.csv", row, column) for t in TABLES for row in (1, 2)
         for column in range(len(SAMPLE_HEADERS[t.name]))]
TEXT_SLOTS = [(f"{t.name}.csv", row, index) for t in TABLES for row in (1, 2)
              for index, column in enumerate(t.columns)
              if column.kind in ("text", "lines") and index < len(SAMPLE_HEADERS[t.name])]
SPECIAL = ["\x00", "\r", "a\rb", "\r\n", "🙂👍🏽", "𠮷野家", "<script>alert(1)</script>", "{{ config }}",
           "{% raw %}", "#FF0000", "令和5年度", "R99", "1e400", "-0", "\ufeff", "\u200b", "ｶﾅ", "~", "=1+1",
           "\u202e", "\ud7ff", "\U0010fffd"]
cell_values = st.one_of(
    st.text(max_size=30),  # any code point but surrogates, which a UTF-8 file cannot hold
    st.sampled_from(SPECIAL),
    st.text(st.sampled_from(list("<>{}%&\"',;\r\n\t\x00 0123456789.-あ漢🙂#")), max_size=30),
    st.builds(lambda text, n: text * n, st.sampled_from(["a", "あ", "1", "🙂", "あ a "]), st.integers(50, 800)),
)
printable_values = cell_values.map(lambda value: "字" + value.replace("\x00", ""))  # never blank: mostly a PDF


@BUILDS
@given(cells=st.lists(st.tuples(st.sampled_from(TEXT_SLOTS), printable_values), min_size=1, max_size=3)
       .flatmap(lambda text: st.lists(st.tuples(st.sampled_from(SLOTS), cell_values), max_size=1)
                .map(lambda other: text + other)))
@example(cells=[(("measures.csv", 1, 2), "一\r二 <b>🙂</b> {{ x }} " + "長" * 600), (("areas.csv", 1, 2), "\x1b\x7f\u200b"),
                (("metrics.csv", 1, 7), "a" * 300)])
def test_any_cell_values_give_a_clean_error_or_a_valid_pdf(cells: list[tuple[tuple[str, int, int], str]]) -> None:
    with sample_copy() as project:
        tables = {f"{t.name}.csv": read_rows(project / f"{t.name}.csv") for t in TABLES}
        for (file, row, column), value in cells:
            tables[file][row][column] = value
        for file, rows in tables.items():
            write_rows(project / file, rows, "utf-8")
        inputs = snapshot(project)
        output = project.parent / "out.pdf"
        try:
            result = build(project, output=output)
        except KohoError:
            event("a clean error")
            assert not output.exists()
        else:
            event("a PDF")
            reader = PdfReader(output)
            assert len(reader.pages) == result.pages >= 1
            assert "".join(page.extract_text() for page in reader.pages)
        assert snapshot(project) == inputs
