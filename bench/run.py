"""koho's benchmark (issue 8): one table, every figure next to its anchor measured in the same run.

    .venv/bin/python bench/run.py               # medians of 5 runs, a batch of 100 projects
    .venv/bin/python bench/run.py --quick       # 2 runs, a batch of 20

Anchors: headless Chromium printing koho's own --html output of the same document (a new process
and a fresh profile each time), and bench/diy.py, the plain pandas + matplotlib + Jinja2 +
WeasyPrint script a municipal engineer would write. The save-to-preview row runs `koho serve` on a
copy of the sample and times, from outside, a one-cell save until the served page shows it. Runs
of the anchors and of koho are interleaved round by round, so background load hits them alike.
This script installs nothing and writes only under a temporary folder (removed at the end unless
--keep).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data"
LARGE = ROOT / "examples" / "kakuu-city"
DIY = ROOT / "bench" / "diy.py"
BIN = Path(sys.executable).parent  # the venv's bin/: koho sits next to its python
TIMEOUT = 300  # seconds, any single build or print
KB = 1024
MB = 1024 * 1024
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer"]
EDITED_COLUMN = "実績値"  # the one cell changed before each warm rebuild: the last metric's value
PREVIEW_POLL = 0.02  # seconds between two looks at the served page


class BenchError(Exception):
    pass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- running and measuring processes

def _gnu_time() -> str | None:
    """/usr/bin/time if it is GNU time (-v reports the peak RSS), else None."""
    path = shutil.which("time", path="/usr/bin:/bin") or ""
    if not path:
        return None
    try:
        probe = subprocess.run([path, "-v", "true"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if "Maximum resident set size" in probe.stderr else None


GNU_TIME = _gnu_time()


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stream:
                stat = stream.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _memory_kb(pid: int) -> int:
    """PSS (shared pages split between the processes sharing them), else RSS, in kB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as stream:
            return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        return 0


def tree_memory_kb(root: int) -> int:
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _memory_kb(pid)
        todo.extend(tree.get(pid, ()))
    return total


@dataclass
class Run:
    seconds: float
    max_rss_kb: int | None  # the largest single process (GNU time / getrusage)
    tree_kb: int | None = None  # peak of the whole process tree, sampled (only when asked)


def run(cmd: list[str], env: dict[str, str] | None = None, timeout: float = TIMEOUT,
        sample_memory: bool = False, what: str = "", ok: tuple[int, ...] = (0,)) -> Run:
    """Run cmd to completion in its own process group; wall time, peak RSS, optionally tree memory."""
    with tempfile.TemporaryDirectory(prefix="koho-bench-run-") as scratch:
        rss_file, err_file = Path(scratch) / "rss", Path(scratch) / "stderr"
        full = [GNU_TIME, "-v", "-o", str(rss_file), *cmd] if GNU_TIME else list(cmd)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak, stop = [0], threading.Event()
        with open(err_file, "wb") as err:
            started = time.perf_counter()
            process = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=err, env=env,
                                       start_new_session=True)
            sampler = None
            if sample_memory and Path("/proc/self/stat").exists():
                def sample() -> None:
                    while not stop.wait(0.02):
                        peak[0] = max(peak[0], tree_memory_kb(process.pid))
                sampler = threading.Thread(target=sample, daemon=True)
                sampler.start()
            try:
                code = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(process.pid)
                process.wait()
                raise BenchError(f"{what or cmd[0]}: timed out after {timeout:.0f} s") from None
            finally:
                seconds = time.perf_counter() - started
                stop.set()
                if sampler:
                    sampler.join()
                _kill_group(process.pid)  # leftovers of our own group (Chromium's helpers)
        if code not in ok:
            tail = err_file.read_text(errors="replace").strip().splitlines()[-8:]
            raise BenchError(f"{what or cmd[0]}: exit {code}\n    " + "\n    ".join(tail))
        rss = None
        if GNU_TIME:
            found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", rss_file.read_text())
            rss = int(found.group(1)) if found else None
        else:  # the largest child so far: exact only when this one is the largest yet
            after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            after //= 1024 if sys.platform == "darwin" else 1
            rss = after if after > before else None
        return Run(seconds, rss, peak[0] or None if sample_memory else None)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# ---------------------------------------------------------------- what is measured

def koho_env(cache: Path) -> dict[str, str]:
    """koho's environment: its own chart cache, and Python free to keep the bytecode it compiles
    (as on a user's machine, where pip compiles it at install): a sandbox's
    PYTHONDONTWRITEBYTECODE=1 would make every timed process compile koho's modules again."""
    environment = {**os.environ, "KOHO_CACHE_DIR": str(cache)}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    return None


def chromium_print(chromium: str, html: Path, pdf: Path, scratch: Path, sample_memory: bool = False) -> Run:
    profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=scratch))
    try:
        result = run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
                      html.as_uri()], sample_memory=sample_memory, what="chromium")
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise BenchError("chromium wrote no PDF")
    return result


def koho(*args: str) -> list[str]:
    return [str(BIN / "koho"), *args]


def fresh(scratch: Path, prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix, dir=scratch))


def edit_one_cell(metrics: Path, step: int) -> str:
    """Change the last metric's value by a small step (a new value each time: one chart to redraw).
    Returns the new value as written."""
    with open(metrics, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    column = rows[0].index(EDITED_COLUMN)
    original = Decimal(rows[-1][column].rstrip("%"))
    rows[-1][column] = str(max(original - Decimal(step) / 10, Decimal(0)))
    with open(metrics, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)
    return rows[-1][column]


def last_value(metrics: Path) -> str:
    with open(metrics, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    return rows[-1][rows[0].index(EDITED_COLUMN)].rstrip("%")


def _cpu_ticks(pid: int) -> int:
    """CPU time a process has used so far, in clock ticks (0 where /proc is missing)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            fields = stream.read().rsplit(b")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, ValueError, IndexError):
        return 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read()
    except OSError:
        return None


def page_shows(url: str, value: str) -> bool:
    """Whether the served page shows `value` as a printed figure (e.g. "89.3%"); any page for ""."""
    page = fetch(url)
    if page is None:
        return False
    return not value or re.search(rf"(?<![\d.]){re.escape(value)}\s*%", page.decode("utf-8", "replace")) is not None


def load_images(url: str) -> None:
    """Load the page at `url` and every image it shows, as a browser does."""
    page = (fetch(url) or b"").decode("utf-8", "replace")
    for source in re.findall(r'<img[^>]+src="(/[^"]+)"', page):
        fetch(url.rstrip("/") + source.replace("&amp;", "&"))


def wait_until_shown(url: str, value: str, timeout: float, poll: float = PREVIEW_POLL) -> float:
    """Seconds until the page at `url` shows `value`, polling every `poll` seconds."""
    started = time.perf_counter()
    while not page_shows(url, value):
        if time.perf_counter() - started > timeout:
            raise BenchError(f"the preview did not show {value} within {timeout:.0f} s")
        time.sleep(poll)
    return time.perf_counter() - started


class Preview:
    """`koho serve` on a copy of the sample, as a user runs it; stopped (SIGTERM) at the end."""

    def __init__(self, project: Path, env: dict[str, str]) -> None:
        self.project = project
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/"
        self.process = subprocess.Popen(koho("serve", str(project), "--port", str(port), "-q"),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                                        start_new_session=True)
        try:
            deadline = time.perf_counter() + TIMEOUT
            while not page_shows(self.url, "") and time.perf_counter() < deadline:
                time.sleep(PREVIEW_POLL)
            # The page with the document's text: the web view where the preview shows the printed
            # pages as images, else the page itself.
            self.text_url = self.url + "_koho/web/" if page_shows(self.url + "_koho/web/", "") else self.url
            wait_until_shown(self.text_url, last_value(project / "metrics.csv"), TIMEOUT)
            load_images(self.url)
            self.wait_idle()
        except BenchError:
            self.stop()
            raise

    def save_to_preview(self, step: int) -> Run:
        """Save one changed cell, poll the served page until it shows the new value, then load the
        page's images (the printed pages, drawn from the new PDF) as the reloading browser does."""
        started = time.perf_counter()
        value = edit_one_cell(self.project / "metrics.csv", step)
        wait_until_shown(self.text_url, value, TIMEOUT)
        load_images(self.url)
        seconds = time.perf_counter() - started
        self.wait_idle()  # what the server does after showing the page must not slow the next figure
        return Run(seconds, None)

    def wait_idle(self, quiet: float = 0.3, timeout: float = TIMEOUT) -> None:
        """Wait until the server has used no CPU for `quiet` seconds."""
        started, last, still = time.perf_counter(), _cpu_ticks(self.process.pid), 0.0
        while still < quiet and time.perf_counter() - started < timeout:
            time.sleep(0.1)
            now = _cpu_ticks(self.process.pid)
            still = still + 0.1 if now == last else 0.0
            last = now

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _kill_group(self.process.pid)
            self.process.wait()


def child_rebuild(project: Path, runs: int) -> None:
    """In this process: build once, then `runs` times change one cell and time the rebuild (as serve)."""
    from report.commands.build import build

    out = project.parent / "rebuild.pdf"
    started = time.perf_counter()
    build(project, output=out, kind="newsletter")
    first = time.perf_counter() - started
    seconds, digests = [], []
    for step in range(1, runs + 1):
        edit_one_cell(project / "metrics.csv", step)
        started = time.perf_counter()
        build(project, output=out, kind="newsletter")
        seconds.append(time.perf_counter() - started)
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())  # SOURCE_DATE_EPOCH is set
    print(json.dumps({"first": first, "seconds": seconds, "changed": len(set(digests)) == len(digests)}))


def make_projects(folder: Path, count: int) -> list[Path]:
    """`count` copies of the sample whose metric values differ (so their charts differ too)."""
    with open(SAMPLE / "metrics.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    value, unit = rows[0].index("実績値"), rows[0].index("単位")
    projects = []
    for index in range(count):
        project = folder / f"p{index:03d}"
        shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("build"))
        varied = [rows[0]]
        for row in rows[1:]:
            row = list(row)
            try:
                number = Decimal(row[value])
                row[value] = str(max(number - index % 20, Decimal(0)) if row[unit] == "%" else number + index)
            except InvalidOperation:
                pass
            varied.append(row)
        with open(project / "metrics.csv", "w", encoding="utf-8", newline="") as stream:
            csv.writer(stream, lineterminator="\n").writerows(varied)
        projects.append(project)
    return projects


# ---------------------------------------------------------------- the table

@dataclass
class Figure:
    """One measured figure: samples, its unit, and how it compares."""

    name: str
    unit: str  # "s", "MB", "KB", "doc/s"
    samples: list[float] = field(default_factory=list)
    error: str = ""
    note: str = ""

    @property
    def value(self) -> float | None:
        return statistics.median(self.samples) if self.samples and not self.error else None


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    digits = {"s": 2, "MB": 0, "KB": 0, "doc/s": 2}[unit]
    return f"{value:.{digits}f} {unit}"


def spread(figure: Figure) -> str:
    if figure.error:
        return figure.error
    if len(figure.samples) > 1 and figure.unit == "s":
        text = f"{len(figure.samples)} runs {min(figure.samples):.2f}–{max(figure.samples):.2f} s"
    else:
        text = ""
    return "; ".join(t for t in (text, figure.note) if t)


def table_rows(rows: list[dict]) -> str:
    headers = ["figure", "median", "anchor", "ratio", "target", "result", "detail"]
    cells = [headers] + [[row.get(h.lower() if h != "median" else "value", "") for h in headers] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers) - 1)]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[-1])
        if index == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 6)
    return "\n".join(line.rstrip() for line in lines)


def compare(figure: Figure, anchor: Figure | None, anchor_label: str, target: str,
            limit: float | None = None, higher_is_better: bool = False) -> dict:
    """A row: figure, its anchor, value ÷ anchor, and PASS/MISS against `limit` on that ratio."""
    value = figure.value
    base = anchor.value if anchor else None
    ratio = value / base if value is not None and base else None
    result = ""
    if limit is not None:
        if ratio is None:
            result = "n/a"
        else:
            result = "PASS" if (ratio >= limit if higher_is_better else ratio <= limit) else "MISS"
    return {"figure": figure.name, "value": fmt(value, figure.unit),
            "anchor": f"{anchor_label} {fmt(base, anchor.unit)}" if anchor else "—",
            "ratio": f"{ratio:.2f}×" if ratio is not None else ("n/a" if anchor else "—"),
            "target": target, "result": result, "detail": spread(figure)}


def absolute(row: dict, value: float | None, limit: float) -> dict:
    """PASS/MISS of a row against an absolute limit (memory, size)."""
    row["result"] = "n/a" if value is None else ("PASS" if value < limit else "MISS")
    return row


def machine() -> list[str]:
    model = "unknown CPU"
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or model
    try:
        memory = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
        memory_text = f", {memory / KB / KB:.1f} GB RAM"
    except (OSError, StopIteration):
        memory_text = ""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    chromium = find_chromium()
    chromium_version = "not installed"
    if chromium:
        try:
            chromium_version = subprocess.run([chromium, "--version"], capture_output=True, text=True,
                                              timeout=30).stdout.strip().splitlines()[-1]
        except (OSError, subprocess.SubprocessError, IndexError):
            chromium_version = "?"
    return [
        f"machine   {usable} usable cores (os.cpu_count {os.cpu_count()}), {model}{memory_text}, "
        f"{platform.system()} {platform.release()}",
        f"software  Python {platform.python_version()}, WeasyPrint {version('weasyprint')}, "
        f"matplotlib {version('matplotlib')}, pandas {version('pandas')}, {chromium_version}",
        f"koho      {version('koho')} at {commit} ({ROOT})",
    ]


# ---------------------------------------------------------------- the benchmark

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, help="runs per figure (median); default 5, --quick 2")
    parser.add_argument("--quick", action="store_true", help="2 runs and a batch of 20")
    parser.add_argument("--batch", type=int, help="projects in the batch row (default 100, --quick 20; 0 skips)")
    parser.add_argument("--separate", type=int, help="separate `koho build` processes actually timed for "
                        "the batch row, extrapolated to the batch size (default 20, --quick 10)")
    parser.add_argument("--json", type=Path, help="also write every sample to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (printed)")
    parser.add_argument("--child-rebuild", nargs=2, metavar=("PROJECT", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_rebuild:
        child_rebuild(Path(args.child_rebuild[0]), int(args.child_rebuild[1]))
        return 0
    runs = args.runs or (2 if args.quick else 5)
    batch_size = args.batch if args.batch is not None else (20 if args.quick else 100)
    separate = min(args.separate or (10 if args.quick else 20), batch_size)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if not (BIN / "koho").exists():
        log(f"no koho next to {sys.executable}: run `make setup`, then `.venv/bin/python bench/run.py`")
        return 2
    chromium = find_chromium()
    notes = []
    if not chromium:
        notes.append("Chromium not found: the Chromium anchor is skipped and its ratios are n/a. On Debian: "
                     "apt-get install -y --no-install-recommends chromium")
        log(notes[-1])
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="koho-bench-"))
    if args.keep:
        log(f"keeping {scratch}")
    try:
        return measure(args, runs, batch_size, separate, cores, chromium, notes, scratch, load_before, started)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


def measure(args, runs, batch_size, separate, cores, chromium, notes, scratch, load_before,  # noqa: ANN001
            started) -> int:
    f = {key: Figure(name, unit) for key, name, unit in [
        ("chrome", "Chromium cold print, sample HTML (anchor)", "s"),
        ("chrome_archive", "Chromium cold print, large archive HTML (anchor)", "s"),
        ("diy", "DIY script, sample (anchor, bench/diy.py)", "s"),
        ("cold", "koho build sample, empty chart cache", "s"),
        ("warm", "koho build sample, warm chart cache", "s"),
        ("rebuild", "warm rebuild in one process, one cell changed", "s"),
        ("preview", "save to preview, `koho serve`, one cell saved", "s"),
        ("archive_cold", "archive of large example, empty chart cache", "s"),
        ("archive_warm", "archive of large example, warm chart cache", "s"),
        ("separate", "separate `koho build` processes (anchor)", "doc/s"),
        ("batch", "`koho batch --jobs N` (one command)", "doc/s"),
        ("mem_chrome", "peak memory, Chromium print of sample", "MB"),
        ("mem_chrome_archive", "peak memory, Chromium print of archive", "MB"),
        ("mem_diy", "peak memory, DIY script", "MB"),
        ("mem_cold", "peak memory, koho build sample (cold)", "MB"),
        ("mem_archive", "peak memory, koho archive of large example (cold)", "MB"),
        ("size_chrome", "PDF size, Chromium print of sample", "KB"),
        ("size_chrome_archive", "PDF size, Chromium print of archive", "KB"),
        ("size_diy", "PDF size, DIY script", "KB"),
        ("size_sample", "PDF size, sample newsletter", "KB"),
        ("size_archive", "PDF size, large archive", "KB"),
    ]}

    def attempt(key: str, action) -> Run | None:  # noqa: ANN001
        figure = f[key]
        if figure.error:
            return None
        try:
            return action()
        except BenchError as error:
            figure.error = "error: " + str(error).splitlines()[0]
            log(f"  {figure.name}: {error}")
            return None

    def timed(key: str, action) -> None:  # noqa: ANN001
        result = attempt(key, action)
        if result is not None:
            f[key].samples.append(result.seconds)

    out = scratch / "out"
    out.mkdir()
    sample_html, archive_html = scratch / "sample.html", scratch / "archive.html"
    warm_cache = scratch / "cache-warm"

    # Warm-up, untimed: .pyc files, the OS file cache, matplotlib's font list; fills the warm cache
    # and writes the HTML Chromium prints.
    log(f"warm-up (runs={runs}, batch={batch_size}, temporary folder {scratch})")
    prep = [("cold", koho("build", str(SAMPLE), "-q", "--html", str(sample_html), "-o", str(out / "prep.pdf"))),
            ("archive_cold", koho("build", str(LARGE), "-q", "--kind", "archive", "--html", str(archive_html),
                                  "-o", str(out / "prep-archive.pdf")))]
    for key, cmd in prep:
        attempt(key, lambda cmd=cmd: run(cmd, koho_env(warm_cache), what="koho build"))
    if f["cold"].error:
        f["warm"].error = f["rebuild"].error = f["chrome"].error = "error: the sample does not build"
    if f["archive_cold"].error:
        f["archive_warm"].error = f["chrome_archive"].error = "error: the large archive does not build"
    attempt("diy", lambda: run([sys.executable, str(DIY), str(SAMPLE), str(out / "diy.pdf")], what="diy.py"))
    if chromium and sample_html.exists():
        attempt("chrome", lambda: chromium_print(chromium, sample_html, out / "chrome.pdf", scratch))
    elif not chromium:
        for key in ("chrome", "chrome_archive", "mem_chrome", "mem_chrome_archive", "size_chrome",
                    "size_chrome_archive"):
            f[key].error = "n/a: chromium missing"

    # Save to preview: one `koho serve` on a copy of the sample, running through the rounds.
    preview = None
    if not f["preview"].error and not f["cold"].error:
        project = scratch / "preview" / "project"
        shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("build"))
        preview = attempt("preview", lambda: Preview(project, {**koho_env(fresh(scratch, "cache-preview-")),
                                                                "SOURCE_DATE_EPOCH": "1700000000"}))

    # Rounds: each figure once per round, anchors and koho interleaved.
    try:
        for round_ in range(1, runs + 1):
            log(f"round {round_}/{runs}")
            if preview is not None:
                timed("preview", lambda: preview.save_to_preview(round_))
            if chromium:
                timed("chrome", lambda: chromium_print(chromium, sample_html, out / "chrome.pdf", scratch))
                timed("chrome_archive", lambda: chromium_print(chromium, archive_html, out / "chrome-archive.pdf",
                                                               scratch))
            timed("diy", lambda: run([sys.executable, str(DIY), str(SAMPLE), str(out / "diy.pdf")], what="diy.py"))
            timed("cold", lambda: run(koho("build", str(SAMPLE), "-q", "-o", str(out / "sample.pdf")),
                                      koho_env(fresh(scratch, "cache-cold-")), what="koho build (cold)"))
            timed("warm", lambda: run(koho("build", str(SAMPLE), "-q", "-o", str(out / "sample.pdf")),
                                      koho_env(warm_cache), what="koho build (warm)"))
            timed("archive_cold", lambda: run(koho("build", str(LARGE), "-q", "--kind", "archive",
                                                   "-o", str(out / "archive.pdf")),
                                              koho_env(fresh(scratch, "cache-cold-")), what="koho archive (cold)"))
            timed("archive_warm", lambda: run(koho("build", str(LARGE), "-q", "--kind", "archive",
                                                   "-o", str(out / "archive.pdf")),
                                              koho_env(warm_cache), what="koho archive (warm)"))
    finally:
        if preview is not None:
            preview.stop()

    # Warm rebuild: one process builds once, then rebuilds `runs` times after a one-cell change.
    log("warm rebuild in one process")
    if not f["rebuild"].error:
        project = scratch / "edit" / "project"
        shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("build"))
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child-rebuild", str(project), str(runs)]
        try:
            child = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT * (runs + 1),
                                   env={**koho_env(fresh(scratch, "cache-rebuild-")),
                                        "SOURCE_DATE_EPOCH": "1700000000"})
            if child.returncode != 0:
                raise BenchError("exit %d: %s" % (child.returncode, child.stderr.strip().splitlines()[-1:]))
            found = json.loads(child.stdout.strip().splitlines()[-1])
            f["rebuild"].samples = found["seconds"]
            f["rebuild"].note = f"first build in that process {found['first']:.2f} s"
            if not found["changed"]:
                f["rebuild"].note += "; WARNING: the PDF did not change with the data"
        except (BenchError, subprocess.SubprocessError, ValueError, IndexError) as error:
            f["rebuild"].error = f"error: {error}"

    # Peak memory: one more run each, the whole process tree sampled every 20 ms.
    log("peak memory")
    memory_runs = [
        ("mem_cold", lambda: run(koho("build", str(SAMPLE), "-q", "-o", str(out / "sample.pdf")),
                                 koho_env(fresh(scratch, "cache-cold-")), sample_memory=True)),
        ("mem_archive", lambda: run(koho("build", str(LARGE), "-q", "--kind", "archive", "-o",
                                         str(out / "archive.pdf")),
                                    koho_env(fresh(scratch, "cache-cold-")), sample_memory=True)),
        ("mem_diy", lambda: run([sys.executable, str(DIY), str(SAMPLE), str(out / "diy.pdf")],
                                sample_memory=True)),
    ]
    if chromium:
        memory_runs += [
            ("mem_chrome", lambda: chromium_print(chromium, sample_html, out / "chrome.pdf", scratch, True)),
            ("mem_chrome_archive", lambda: chromium_print(chromium, archive_html, out / "chrome-archive.pdf",
                                                          scratch, True)),
        ]
    for key, action in memory_runs:
        result = attempt(key, action)
        if result is not None:
            tree = result.tree_kb or result.max_rss_kb
            f[key].samples = [tree / KB] if tree else []
            if result.max_rss_kb:
                f[key].note = f"largest process {result.max_rss_kb / KB:.0f} MB"
            if not f[key].samples:
                f[key].error = "n/a: no memory figures on this system"

    for key, path in [("size_chrome", out / "chrome.pdf"), ("size_chrome_archive", out / "chrome-archive.pdf"),
                      ("size_diy", out / "diy.pdf"), ("size_sample", out / "sample.pdf"),
                      ("size_archive", out / "archive.pdf")]:
        if path.is_file():
            f[key].samples = [path.stat().st_size / KB]
        elif not f[key].error:
            f[key].error = "n/a: not built"

    # Batch: `batch_size` generated projects in one `koho batch`, against separate processes.
    batch_note = ""
    if batch_size > 0:
        log(f"batch: {batch_size} generated projects")
        projects = make_projects(scratch / "batch", batch_size)
        log(f"  {separate} separate `koho build` processes")
        sep_cache = fresh(scratch, "cache-separate-")
        sep_started = time.perf_counter()
        try:
            for project in projects[:separate]:
                run(koho("build", str(project), "-q"), koho_env(sep_cache), what=f"koho build {project.name}")
            sep_seconds = time.perf_counter() - sep_started
            f["separate"].samples = [separate / sep_seconds]
            f["separate"].note = (f"{separate} builds one after another in {sep_seconds:.1f} s"
                                  + (f", i.e. {sep_seconds / separate * batch_size:.0f} s for {batch_size}"
                                     f" (extrapolated)" if separate < batch_size else ""))
        except BenchError as error:
            f["separate"].error = "error: " + str(error).splitlines()[0]
        for project in projects:
            shutil.rmtree(project / "build", ignore_errors=True)
        has_batch = subprocess.run(koho("batch", "--help"), capture_output=True, timeout=60).returncode == 0
        if not has_batch:
            f["batch"].error = "n/a: koho batch missing"
        else:
            log(f"  koho batch --jobs {cores}")
            try:
                result = run(koho("batch", *map(str, projects), "--jobs", str(cores), "-q"),
                             koho_env(fresh(scratch, "cache-batch-")), timeout=max(900, 30 * batch_size),
                             what="koho batch", ok=(0, 1))  # 1: some project failed, the others built
                built = sum((p / "build" / "newsletter.pdf").is_file() for p in projects)
                f["batch"].samples = [built / result.seconds]
                f["batch"].note = f"{built}/{batch_size} PDFs in {result.seconds:.1f} s, --jobs {cores}"
                if built < batch_size:
                    f["batch"].error = f"error: only {built} of {batch_size} PDFs written"
            except BenchError as error:
                f["batch"].error = "error: " + str(error).splitlines()[0]
        batch_note = f"; batch rows: 1 run each, {batch_size} generated projects"
    else:
        f["batch"].error = f["separate"].error = "skipped (--batch 0)"

    # The table.
    chrome, chrome_a, diy = f["chrome"], f["chrome_archive"], f["diy"]
    rebuild_chrome = compare(f["rebuild"], chrome, "Chromium", "≤ 0.5× Chromium", 0.5)
    rebuild_diy = compare(f["rebuild"], diy, "DIY", "≤ 0.2× DIY (5× faster)", 0.2)
    rebuild_chrome["figure"] += " (vs Chromium)"
    rebuild_diy["figure"] += " (vs DIY)"
    rows = [
        compare(chrome, None, "", "anchor"),
        compare(chrome_a, None, "", "anchor"),
        compare(diy, chrome, "Chromium", "anchor"),
        compare(f["preview"], chrome, "Chromium", "≤ 0.75× Chromium", 0.75),
        compare(f["cold"], chrome, "Chromium", "≤ 2.0× Chromium", 2.0),
        compare(f["warm"], chrome, "Chromium", "≤ 1.5× Chromium", 1.5),
        rebuild_chrome,
        rebuild_diy,
        compare(f["archive_cold"], chrome_a, "Chromium", "≤ 3× Chromium", 3.0),
        compare(f["archive_warm"], chrome_a, "Chromium", "≤ 3× Chromium", 3.0),
        compare(f["separate"], None, "", "anchor"),
        compare(f["batch"], f["separate"], "separate", "≥ 3× separate", 3.0, higher_is_better=True),
        compare(f["mem_cold"], f["mem_chrome"], "Chromium", "—"),  # the issue sets no limit here
        absolute(compare(f["mem_archive"], f["mem_chrome_archive"], "Chromium", "< 400 MB"),
                 f["mem_archive"].value, 400),
        absolute(compare(f["size_sample"], f["size_chrome"], "Chromium", "< 400 KB"), f["size_sample"].value, 400),
        absolute(compare(f["size_archive"], f["size_chrome_archive"], "Chromium", "< 2 MB (2048 KB)"),
                 f["size_archive"].value, 2048),
    ]
    for key, anchor in (("cold", "diy"), ("warm", "diy"), ("mem_cold", "mem_diy"), ("size_sample", "size_diy")):
        if f[key].value and f[anchor].value:
            row = next(r for r in rows if r["figure"] == f[key].name)
            row["detail"] = "; ".join(t for t in (row["detail"], f"{f[key].value / f[anchor].value:.2f}× DIY") if t)
    elapsed = time.perf_counter() - started
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print()
    print(f"koho benchmark — medians of {runs} run{'s' if runs > 1 else ''}{batch_note}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print("\n".join(machine()))
    if load_before is not None:
        print(f"load      1-min load average {load_before:.2f} before, {load_after:.2f} after; bench took "
              f"{elapsed / 60:.1f} min")
    print()
    print(table_rows(rows))
    print()
    print("ratio = median ÷ anchor's median (batch: documents per second ÷ separate processes'). "
          "Memory: peak of the whole process tree (PSS,\nsampled every 20 ms), detail = largest single process "
          f"(max RSS). KB = 1024 bytes. Sample: {SAMPLE.relative_to(ROOT)}/, large example: "
          f"{LARGE.relative_to(ROOT)}/ (archive kind).")
    if load_before is not None and max(load_before, load_after or 0) > cores / 2:
        notes.append(f"the machine was busy (load average up to {max(load_before, load_after or 0):.1f} on "
                     f"{cores} cores): the seconds are noisy; the ratios less so, as runs were interleaved")
    for note in notes:
        print("note: " + note)
    if args.json:
        args.json.write_text(json.dumps({key: {"name": fig.name, "unit": fig.unit, "samples": fig.samples,
                                               "median": fig.value, "error": fig.error, "note": fig.note}
                                         for key, fig in f.items()}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
