"""The documentation cannot go stale: every runnable command of the README and of the Japanese guide
(docs/ja/) is run, in a temporary folder holding a copy of the sample, and its output compared with
what the page shows (tests/doc_blocks.py says how a page marks them). The guide's chapters share one
folder, in order, as a reader following it would; every message 困ったとき quotes is one koho prints."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE
from tests.doc_blocks import Command, matches, runnable_commands

GUIDE = ROOT / "docs" / "ja"
PAGES = {  # one folder per group of pages, run in this order
    "README": [ROOT / "README.md"],
    "guide": sorted(GUIDE.glob("*.md")),
}


def _environment(folder: Path) -> dict[str, str]:
    """koho and python from this venv first on PATH; KOHO_REPO for setup lines that need a fixture."""
    environment = dict(os.environ)
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    environment["KOHO_REPO"] = str(ROOT)
    environment["HOME"] = str(folder)  # nothing a command writes lands in the user's home
    environment.pop("KOHO_DEBUG", None)
    return environment


def _run(command: str, folder: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=folder, env=environment, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)


def _check(command: Command, folder: Path, environment: dict[str, str]) -> None:
    for setup in command.setup:
        done = _run(setup, folder, environment)
        assert done.returncode == 0, f"{command.where}: setup `{setup}` failed:\n{done.stdout}"
    done = _run(command.line, folder, environment)
    shown = "\n".join(command.expected)
    assert done.returncode == command.status, (
        f"{command.where}: `{command.line}` exited {done.returncode}, the page says {command.status}:\n{done.stdout}")
    assert matches(command.expected, done.stdout.splitlines()), (
        f"{command.where}: `{command.line}` printed\n{done.stdout}\nbut the page shows\n{shown}")


@pytest.mark.parametrize("group", sorted(PAGES))
def test_runnable_commands_print_what_the_pages_show(group: str, tmp_path: Path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "data", ignore=shutil.ignore_patterns("build"))
    environment = _environment(tmp_path)
    commands = [command for page in PAGES[group] for command in runnable_commands(page)]
    assert commands, f"no runnable command in {group}"
    for command in commands:
        _check(command, tmp_path, environment)


def test_the_guide_runs_the_five_minute_path() -> None:
    """The guide shows (and so runs) the path a new user takes: init, the three documents, the web folder,
    a broken cell's message and its fix."""
    lines = [command.line for page in PAGES["guide"] for command in runnable_commands(page)]
    for needed in ("koho init mycity", "koho build mycity", "--kind handout", "--kind archive",
                   "koho build mycity --kind web", "koho validate mycity"):
        assert any(needed in line for line in lines), needed
    assert any(command.status == 1 for page in PAGES["guide"] for command in runnable_commands(page))


def test_matching_rules() -> None:
    """The comparison is strict where the page is: a changed word, a missing line or an extra line fails."""
    shown = ["…", "PDF: <path>/a.pdf (1ページ, <サイズ>, <時間>, SHA-256 <SHA-256>)"]
    line = "PDF: /tmp/x/a.pdf (1ページ, 41 KB, 2.5秒, SHA-256 " + "0" * 64 + ")"
    assert matches(shown, ["お知らせ: 空きがあります", line])
    assert matches(shown, [line, ""])
    assert not matches(shown, [line.replace("1ページ", "2ページ")])
    assert not matches(shown, [line, "extra"])
    assert not matches(["作成: a", "作成: b"], ["作成: a"])


def _source_text() -> str:
    """koho's Python source, with string literals split over lines ("…"\n  f"…") joined into one."""
    text = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "report").rglob("*.py"))
    return re.sub(r'"\s*\n\s*[rf]*"', "", text)


def _quoted_messages(page: Path) -> list[str]:
    """The messages a 困ったとき table quotes: the `…` spans of each row's first cell."""
    quoted = []
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            quoted += re.findall(r"`([^`]+)`", line.split(" | ")[0])
    return quoted


def test_every_quoted_message_is_one_koho_prints() -> None:
    """Each fixed piece of a quoted message (between "…", quoted values, numbers and setting names) is
    in koho's source: a reworded message fails here until the guide is updated."""
    source = _source_text()
    quoted = _quoted_messages(GUIDE / "09-trouble.md")
    assert len(quoted) > 40
    variable = r"…|「[^」]*」|\([^)]*…[^)]*\)|(?:令和|平成)?[0-9０-９]+(?:年度|ページ|mm)?|[A-Z]\d+|[a-z_]+\.?[a-z]*"
    missing = []
    for message in quoted:
        for piece in re.split(variable, re.sub(r"^(注意|質問|お知らせ): ", "", message)):
            piece = piece.strip(" :,、。()")
            if len(piece) >= 3 and piece not in source:
                missing.append(f"{piece!r} (in {message!r})")
    assert not missing, "quoted in docs/ja/09-trouble.md but not in report/:\n" + "\n".join(missing)




def _anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces to hyphens."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), flags=re.M):
        anchors.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return anchors


def test_every_link_between_the_pages_leads_somewhere() -> None:
    """Links of the README and docs/ to files of the repository exist, and their #anchors are headings there
    (sections moved between pages keep their links)."""
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto:
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, "\n".join(broken)
