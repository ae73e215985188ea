"""The import's benchmark (issue 22): a city's evaluation export of 400 rows × 200 columns, made here,
imported as staff would (`koho import SOURCE -o PROJECT`, a new process) and stage by stage in this
process. Prints the figures; asserts nothing (timings belong here, never in a test).

    .venv/bin/python bench/import_bench.py [--runs 3] [--rows 400] [--years 98]

The export: two header rows (a merged fiscal-year row over 目標 / 実績 pairs), 分野 and 施策 merged
down their rows, then `rows` indicators with `years` pairs of columns: 4 + 2 × 98 = 200 columns.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent


def make_export(path: Path, rows: int, years: int) -> None:
    """A wide evaluation export: 分野 / 施策 / 指標名 / 単位, then a 目標/実績 pair per fiscal year."""
    from openpyxl import Workbook

    from report.load.values.era import fiscal_year_label

    book = Workbook()
    sheet = book.active
    sheet.title = "成果指標"
    heads = ["分野", "施策", "指標名", "単位"]
    for column, head in enumerate(heads, 1):
        sheet.cell(1, column, head)
        sheet.merge_cells(start_row=1, start_column=column, end_row=2, end_column=column)
    first = 2100 - years + 1 if years > 30 else 2019
    for n in range(years):
        column = 5 + 2 * n
        sheet.cell(1, column, fiscal_year_label(first + n))
        sheet.merge_cells(start_row=1, start_column=column, end_row=1, end_column=column + 1)
        sheet.cell(2, column, "目標")
        sheet.cell(2, column + 1, "実績")
    per_measure, per_area = 4, 40
    for r in range(rows):
        row = 3 + r
        if r % per_area == 0:
            sheet.cell(row, 1, f"{r // per_area + 1} 分野{r // per_area + 1}")
            sheet.merge_cells(start_row=row, start_column=1, end_row=min(row + per_area, 3 + rows) - 1, end_column=1)
        if r % per_measure == 0:
            sheet.cell(row, 2, f"{r // per_area + 1}-{(r % per_area) // per_measure + 1} 施策の名前{r}")
            sheet.merge_cells(start_row=row, start_column=2, end_row=min(row + per_measure, 3 + rows) - 1, end_column=2)
        sheet.cell(row, 3, f"指標{r + 1}")
        sheet.cell(row, 4, "件")
        for n in range(years):
            sheet.cell(row, 5 + 2 * n, 100 + n)
            sheet.cell(row, 6 + 2 * n, 90 + (r + n) % 20)
    book.save(path)


def timed(action) -> tuple[float, object]:  # noqa: ANN001
    """The CPU time an action took in this process (steadier than wall time on a busy machine)."""
    start = time.process_time()
    result = action()
    return time.process_time() - start, result


def in_process(source: Path) -> dict[str, float]:
    """Each stage's time in this process: read the grid, detect, draft the mapping, apply it."""
    from report.ingest.apply import apply
    from report.ingest.sheets.detect import detect
    from report.ingest.sheets.grid import read_grid
    from report.ingest.mapping import draft_mapping

    gc.collect()
    figures: dict[str, float] = {}
    figures["grid"], grid = timed(lambda: read_grid(source))
    figures["detect"], (layouts, skipped) = timed(lambda: detect(grid))
    figures["draft"], mapping = timed(lambda: draft_mapping(grid, layouts, skipped, source.name))
    figures["apply"], imported = timed(lambda: apply(mapping, grid))
    figures["metric rows"] = float(len(imported.tables["metrics"].frame))
    return figures


def command(source: Path, project: Path) -> tuple[float, float, float]:
    """`koho import` as a new process: wall time and CPU time (s), and the child's peak memory (MB)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = used.ru_maxrss
    cpu_before = used.ru_utime + used.ru_stime
    start = time.perf_counter()
    done = subprocess.run([str(BIN / "koho"), "import", str(source), "-o", str(project)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"koho import failed ({done.returncode}):\n{done.stderr[-2000:]}")
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, used.ru_utime + used.ru_stime - cpu_before, max(used.ru_maxrss, before) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--years", type=int, default=98)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="koho-import-bench-") as scratch:
        source = Path(scratch) / "export.xlsx"
        make_export(source, args.rows, args.years)
        print(f"export: {args.rows} rows × {4 + 2 * args.years} columns, {source.stat().st_size // 1024} KB")
        stages = [in_process(source) for _ in range(args.runs)]
        commands = [command(source, Path(scratch) / f"project{n}") for n in range(args.runs)]
    for key in stages[0]:
        values = [s[key] for s in stages]
        shown = f"{int(values[0]):,}" if key == "metric rows" else \
            f"{statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"
        print(f"  in process, {key:<12} {shown}" + ("" if key == "metric rows" else " CPU"))
    total = [sum(v for k, v in s.items() if k != "metric rows") for s in stages]
    print(f"  in process, all stages  {statistics.median(total):.2f} s CPU (median of {args.runs})")
    wall, cpu = [c[0] for c in commands], [c[1] for c in commands]
    print(f"  koho import (a new process)  {statistics.median(wall):.2f} s wall (min {min(wall):.2f}, max {max(wall):.2f}),"
          f" {statistics.median(cpu):.2f} s CPU, peak memory {max(c[2] for c in commands):.0f} MB")
    print(f"  load average when done: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
