"""The build's stages as packages: no import cycle, no module importing from a later stage, no
package of more than MAX_MODULES modules (issue 25). Imports inside functions count; imports under
`if TYPE_CHECKING:` do not (they are never run)."""

from __future__ import annotations

import ast
from pathlib import Path

import report

ROOT = Path(report.__file__).resolve().parent.parent
MAX_MODULES = 14

# The stages in the order a build runs them, each with the modules (dotted prefixes) that do it.
# A module is in the stage of its longest matching prefix; it may import from its own stage and the
# ones above it, never from one below.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base: problems, paths, kinds, the all-or-nothing writer", ("report",)),
    ("load: one cell's value", ("report.load.values",)),
    ("load: files into raw tables", ("report.load.tables",)),
    ("load: the project's files and koho.toml", ("report.load.project",)),
    ("load: the model", ("report.load",)),
    ("photos: a photo's file checked, placed and processed", ("report.photos",)),
    ("import: the city's sheets", ("report.ingest.sheets",)),
    ("import: the mapping applied", ("report.ingest",)),
    ("compose: figures, rates, grades, summaries", ("report.compose",)),
    ("load and check: the project assembled (its import run, its grades checked)", ("report.load.validate",)),
    ("HTML", ("report.render.html",)),
    ("typeset: WeasyPrint's extensions", ("report.render.typeset.extensions",)),
    ("typeset: layout decisions", ("report.render", "report.render.typeset")),
    ("web version", ("report.render.web",)),
    ("preflight", ("report.render.checks",)),
    ("PDF: serialise", ("report.render.pdf",)),
    ("commands", ("report.commands",)),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in (ROOT / "report").rglob("*.py")}


def _imported(node: ast.AST, module: str, package: bool) -> list[str]:
    """The report modules an import statement names (`from a import b`: a.b where that is a module)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if package else 0)]
            base = ".".join([*anchor, *([base] if base else [])])
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
    found = []
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.append(name)
    return found


def _statements(tree: ast.AST):  # noqa: ANN202 - an iterator of import statements
    """Every import statement of a module, at any depth, but none under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            for other in child.orelse:
                yield from _statements_of(other)
            continue
        yield from _statements_of(child)


def _statements_of(node: ast.AST):  # noqa: ANN202
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _statements(node)


def import_graph() -> dict[str, set[str]]:
    """Each report module → the report modules it imports."""
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {found for node in _statements(tree)
                       for found in _imported(node, name, path.name == "__init__.py")}
    return graph


def stage_of(module: str) -> int:
    """The index in STAGES of the module's stage (its longest matching prefix)."""
    matches = [(len(prefix), index) for index, (_, prefixes) in enumerate(STAGES) for prefix in prefixes
               if module == prefix or module.startswith(prefix + ".")]
    return max(matches)[1]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_function_level_imports_and_skips_type_checking_ones() -> None:
    graph = import_graph()
    # report/render/pdf/pdf.py imports the extensions inside layout(); report/kinds.py imports the
    # model only for type checking.
    assert "report.render.typeset.extensions.japanese_lines" in graph["report.render.pdf.pdf"]
    assert "report.load.model" not in graph["report.kinds"]


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_no_module_imports_from_a_later_stage() -> None:
    upward = [f"{module} ({STAGES[stage_of(module)][0]}) imports {other} ({STAGES[stage_of(other)][0]})"
              for module, imported in sorted(import_graph().items()) for other in sorted(imported)
              if stage_of(other) > stage_of(module)]
    assert upward == []


def test_no_package_holds_more_than_fourteen_modules() -> None:
    packages = {path.parent for path in (ROOT / "report").rglob("__init__.py")}
    crowded = {str(folder.relative_to(ROOT)): count for folder in packages
               if (count := len([p for p in folder.glob("*.py") if p.name != "__init__.py"])) > MAX_MODULES}
    assert crowded == {}


def test_every_module_is_in_a_package() -> None:
    """A folder of modules without __init__.py would escape these tests (and the wheel)."""
    loose = [str(path.relative_to(ROOT)) for path in (ROOT / "report").rglob("*.py")
             if not (path.parent / "__init__.py").exists()]
    assert loose == []
