"""The runnable commands a Markdown page shows, and whether a run's output is what the page shows.

A page marks a console block as runnable with an HTML comment on the line before it:

    <!-- runnable-setup: SHELL COMMAND -->   (optional, any number: run first, output not shown)
    <!-- runnable -->
    ```console
    $ koho build mycity          ← a command (after "$ "); it must exit 0,
    …                               or the status its comment names: "# 終了コード 1"
    PDF: <path>/mycity/build/newsletter.pdf (1ページ, <サイズ>, <時間>, SHA-256 <SHA-256>)
    ```

The lines under a command are its output (stdout and stderr together). A line "…" stands for any
number of lines; inside a line "…" stands for any text, and the placeholders below for what
changes from run to run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

RUNNABLE = "<!-- runnable -->"
SETUP = re.compile(r"<!-- runnable-setup: (.+) -->$")
EXIT_COMMENT = re.compile(r"\s+#\s*終了コード\s*(\d+)\s*$")
ANY_LINES = "…"
PLACEHOLDERS = {  # what varies between runs → what it may be
    "<path>": r".+",
    "<時間>": r"[0-9.]+秒",
    "<サイズ>": r"[0-9.]+ (?:B|KB|MB)",
    "<SHA-256>": r"[0-9a-f]{64}",
    "<ページ数>": r"[0-9]+ページ",
}


@dataclass
class Command:
    """One `$ ` line of a runnable block, the output shown under it and the exit status it expects."""

    line: str
    expected: list[str] = field(default_factory=list)
    status: int = 0
    setup: tuple[str, ...] = ()  # hidden commands run before it (only the block's first command has them)
    where: str = ""  # page and line, for messages


def runnable_commands(page: Path) -> list[Command]:
    """Every command of the page's runnable blocks, in page order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    commands: list[Command] = []
    setup: list[str] = []
    index = 0
    while index < len(lines):
        text = lines[index].strip()
        if match := SETUP.match(text):
            setup.append(match[1])
        elif text == RUNNABLE:
            if index + 1 >= len(lines) or lines[index + 1].strip() != "```console":
                raise ValueError(f"{page.name}:{index + 1}: {RUNNABLE} must precede a ```console block")
            index += 2
            block_start = len(commands)
            while index < len(lines) and lines[index].strip() != "```":
                line = lines[index]
                if line.startswith("$ "):
                    command = line[2:]
                    status = 0
                    if found := EXIT_COMMENT.search(command):
                        status, command = int(found[1]), command[:found.start()]
                    commands.append(Command(command, status=status, where=f"{page.name}:{index + 1}"))
                elif len(commands) > block_start:
                    commands[-1].expected.append(line.rstrip())
                index += 1
            if len(commands) > block_start:
                commands[block_start].setup = tuple(setup)
            setup = []
        index += 1
    return commands


def _pattern(line: str) -> re.Pattern[str]:
    """One shown line as a regular expression: placeholders and inner "…" match what varies."""
    parts = re.split("(" + "|".join(map(re.escape, [*PLACEHOLDERS, "…"])) + ")", line)
    regex = "".join(PLACEHOLDERS.get(part, ".*" if part == "…" else re.escape(part)) for part in parts)
    return re.compile(regex)


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether the output lines are the shown lines, with "…" lines standing for any lines."""
    while actual and not actual[-1].strip():
        actual = actual[:-1]
    while expected and not expected[-1].strip():
        expected = expected[:-1]
    patterns = [None if line.strip() == ANY_LINES else _pattern(line) for line in expected]

    def match_from(i: int, j: int) -> bool:
        if i == len(patterns):
            return j == len(actual)
        if patterns[i] is None:
            return any(match_from(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and patterns[i].fullmatch(actual[j].rstrip()) is not None and match_from(i + 1, j + 1)

    return match_from(0, 0)
