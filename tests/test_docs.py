"""The documentation cannot go stale about the code's layout: docs/architecture.md's module map is
the tree's, and every module named in README.md and docs/*.md (report/…py, report.x.y) exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import report

ROOT = Path(report.__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MAP_ROW = re.compile(r"^\| `(report(?:\.\w+)*)` \| [^|]* \|\s*([^|]*?)\s*\|$", re.M)


def packages() -> dict[str, set[str]]:
    """Each package of report/ by dotted name → the names of its modules (__init__ aside)."""
    return {".".join(init.parent.relative_to(ROOT).parts):
            {p.stem for p in init.parent.glob("*.py") if p.name != "__init__.py"}
            for init in (ROOT / "report").rglob("__init__.py")}


def test_the_module_map_is_the_tree() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    mapped = {package: {name.strip() for name in names.split(",") if name.strip()}
              for package, names in MAP_ROW.findall(text)}
    assert mapped, "docs/architecture.md has no module map"
    assert mapped == packages()


def _resolves(dotted: str) -> bool:
    """A module or package, or a name defined in one (report.commands.build.build)."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        for attribute in parts[end:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def test_every_module_the_docs_name_exists() -> None:
    missing = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for path in sorted(set(re.findall(r"(?<![\w/])report/[\w/]+\.py", text))):
            if not (ROOT / path).is_file():
                missing.append(f"{doc.name}: {path}")
        for dotted in sorted(set(re.findall(r"(?<![\w.])report(?:\.\w+)+", text))):
            if dotted.endswith(".py") or not _resolves(dotted.removesuffix(".md")):
                if not (ROOT / (dotted.replace(".", "/"))).exists():
                    missing.append(f"{doc.name}: {dotted}")
    assert missing == []


def test_the_check_would_see_a_stale_path() -> None:
    assert not _resolves("report.render.justify")
    assert _resolves("report.render.typeset.extensions.justify")
    assert _resolves("report.commands.build.build")
