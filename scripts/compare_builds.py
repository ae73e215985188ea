#!/usr/bin/env python3
"""Build the same documents with two checkouts of koho and compare every output byte for byte.

    scripts/compare_builds.py /work/wt/arch-base            # base checkout, then this one
    scripts/compare_builds.py BASE [CURRENT] --refresh      # build the base again (else cached)

Each checkout is built with its own .venv/bin/python (the script prints `report.__file__`, so an
editable install of the wrong tree shows), SOURCE_DATE_EPOCH fixed and an empty chart cache. Every
project (the sample data/, examples/kakuu-city, examples/kpi-city) is copied afresh into one fixed
temporary folder, so both checkouts see the same absolute paths, and built as the newsletter (with
its --html, --spread and web folder), the handout and the archive (each with its --html and web
folder), the web kind and the printer's version (--print). The standalone HTML's links to koho's
own fonts name the checkout's path, written as KOHO/ on both sides (unplace). The base's outputs are kept in
/tmp/koho-compare/base-<commit> and built once. Exit status 1 when any file differs or is missing.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EPOCH = "1709251200"  # 2024-03-01 (JST)
PROJECTS = {"sample": "data", "kakuu-city": "examples/kakuu-city", "kpi-city": "examples/kpi-city"}
CACHE = Path(tempfile.gettempdir()) / "koho-compare"
WORK = CACHE / "work"  # the same project paths for both checkouts: paths may be written into outputs

# One process per project builds every variant: (name, keyword arguments of build()), paths
# relative to the project's copy.
VARIANTS = [
    ("newsletter", {"kind": "newsletter", "output": "out/newsletter.pdf", "html_output": "out/newsletter.html",
                    "web_output": "out/newsletter-web/index.html", "spread": True}),
    ("handout", {"kind": "handout", "output": "out/handout.pdf", "html_output": "out/handout.html",
                 "web_output": "out/handout-web/index.html"}),
    ("archive", {"kind": "archive", "output": "out/archive.pdf", "html_output": "out/archive.html",
                 "web_output": "out/archive-web/index.html"}),
    ("web", {"kind": "web", "output": "out/web"}),
    ("print", {"kind": "newsletter", "output": "out/newsletter-print.pdf", "print_ready": True}),
]

DRIVER = """
import json, sys
from pathlib import Path
import report
assert Path(report.__file__).parent.parent == Path.cwd(), report.__file__
from report.commands.build import build
print("report:", report.__file__, file=sys.stderr)
root = Path(sys.argv[1])
for name, options in json.loads(sys.argv[2]):
    for key in ("output", "html_output", "web_output"):
        if key in options:
            options[key] = root / options[key]
    result = build(root, **options)
    print(name, result.pages, "pages", file=sys.stderr)
"""


def git_head(checkout: Path) -> str:
    return subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()


def snapshot(checkout: Path) -> Path:
    """A copy of the checkout's files as they are now (tracked and untracked, not ignored), so
    that it can be edited while it is built; its .venv's Python imports `report` from the copy
    (the working folder comes first on sys.path; the driver prints report.__file__)."""
    copy = CACHE / "src-current"
    shutil.rmtree(copy, ignore_errors=True)
    listed = subprocess.run(["git", "-C", str(checkout), "ls-files", "-co", "--exclude-standard", "-z"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = checkout / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


def build_all(checkout: Path, into: Path, code: Path | None = None) -> None:
    """Every project's outputs by the code in `code` (default: `checkout`), run with `checkout`'s
    .venv, under `into`/<project>/."""
    python = checkout / ".venv" / "bin" / "python"
    code = code or checkout
    if not python.exists():
        sys.exit(f"{python} missing: run `make setup` in {checkout}")
    shutil.rmtree(into, ignore_errors=True)
    for project, relative in PROJECTS.items():
        work = WORK / project
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(code / relative, work, ignore=shutil.ignore_patterns("build", "out"))
        cache = Path(tempfile.mkdtemp(prefix="koho-cache-"))
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "KOHO_CACHE_DIR": str(cache), "PYTHONHASHSEED": "0"}
        done = subprocess.run([str(python), "-c", DRIVER, str(work), json.dumps(VARIANTS)], cwd=code,
                              env=env, capture_output=True, text=True)
        shutil.rmtree(cache, ignore_errors=True)
        print(f"[{code}] {project}: {done.stderr.strip()}", file=sys.stderr)
        if done.returncode != 0:
            sys.exit(f"build failed with {checkout} for {project}")
        shutil.copytree(work / "out", into / project)
        shutil.rmtree(work, ignore_errors=True)
    unplace(into, code)


def unplace(folder: Path, checkout: Path) -> None:
    """The standalone HTML (--html) links koho's own fonts by absolute path, which differs between
    the checkouts: that path is written as KOHO/ in both, and nothing else is changed."""
    for page in folder.rglob("*.html"):
        page.write_bytes(page.read_bytes().replace(f"file://{checkout}/".encode(), b"file://KOHO/"))


def files_under(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


def compare(base: Path, current: Path) -> list[str]:
    """The files that differ or exist on one side only, with why."""
    before, after = files_under(base), files_under(current)
    differing = [f"only in base: {name}" for name in sorted(before - after)]
    differing += [f"only in current: {name}" for name in sorted(after - before)]
    differing += [f"differs: {name}" for name in sorted(before & after)
                  if not filecmp.cmp(base / name, current / name, shallow=False)]
    print(f"{len(before | after)} files compared", file=sys.stderr)
    return differing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="the base checkout (a git worktree with its own .venv)")
    parser.add_argument("current", type=Path, nargs="?", default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--refresh", action="store_true", help="build the base again")
    args = parser.parse_args()
    base_out = CACHE / f"base-{git_head(args.base)}"
    if args.refresh or not base_out.exists():
        build_all(args.base.resolve(), base_out)
    current_out = CACHE / "current"
    build_all(args.current.resolve(), current_out, snapshot(args.current.resolve()))
    differing = compare(base_out, current_out)
    for line in differing:
        print(line)
    print("all identical" if not differing else f"{len(differing)} files differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
