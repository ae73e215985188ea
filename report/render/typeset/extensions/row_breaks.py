"""Table rows kept whole unless that leaves the page too empty (a WeasyPrint extension).

The handout prints one row per measure. Kept whole (`break-inside: avoid`), a tall row that does
not fit goes to the next page and leaves up to its own height empty at the foot (40% of the page
for the long measures of a 40-measure project); allowed to break everywhere, nearly every row is
cut, however little of it the page had room for. A designer keeps a row whole when the room it
leaves is small and splits it when the room is large. So a row styled `break-inside: avoid-page`
is kept whole when it leaves at most ROOM_SHARE of the page's type area empty, and is split
otherwise, where its cells allow (their own `break-inside: avoid`, orphans and widows).

The rest of a split row starts the next page under the repeated header with its 施策番号 printed
again (the cell of class CONTINUED_CELL is laid out whole once more), so a reader knows which
measure continues; WeasyPrint would leave that cell empty.

WeasyPrint 70's table layout (`table_layout`, which imports `avoid_page_break` and
`block_container_layout` from weasyprint.layout.block when called) decides a row's break with
only the value of its `break-inside`, so the row's top is noted when its cells are laid out (the
last cell laid out is the row's own: a table inside a cell is laid out while that cell is). Like
the other extensions, `install()` patches only the code this was written against (guard.py).
"""

from __future__ import annotations

from report.render.typeset.extensions.guard import source_sha256, unchanged

ROOM_SHARE = 0.25  # a row leaving more than this share of the type area empty is split instead
SPLIT_WHEN_ROOMY = "avoid-page"  # the break-inside value of rows kept whole only when the room left is small
CONTINUED_CELL = "col-id"  # the class of the cell printed again at the head of a row's rest

# SHA-256 of the source of every upstream function this module replaces or relies on the shape of.
EXTENDED_SOURCE_SHA256 = {
    "weasyprint.layout.table.table_layout":
        "6594fa40743fbc0bd49b2ba12682897bfa86b75b7f6f1e395d8ba947b0641376",
    "weasyprint.layout.block.avoid_page_break":
        "2810fc88d7b6fbb7fe2e499c6aeccbd7cfd9d52ac2ec18ba48ea74e22d789d48",
    "weasyprint.layout.block.block_container_layout":
        "65842ca53a8391ebad539e7ff642eec2f429e981df4396590c37c7b0a0e524dc",
}

_upstream: dict[str, object] = {}
_ROW_TOP = "koho_row_top"  # the LayoutContext attribute noting the top of the row whose cells were laid out last


def _targets() -> dict[str, tuple[object, str]]:
    from weasyprint.layout import block, table

    return {"weasyprint.layout.table.table_layout": (table, "table_layout"),
            "weasyprint.layout.block.avoid_page_break": (block, "avoid_page_break"),
            "weasyprint.layout.block.block_container_layout": (block, "block_container_layout")}


def source_hashes() -> dict[str, str]:
    """SHA-256 of the installed WeasyPrint's source of every function this module extends."""
    return {name: source_sha256(_upstream.get(attribute) or getattr(owner, attribute))
            for name, (owner, attribute) in _targets().items()}


def _classes(box) -> list[str]:  # noqa: ANN001 - weasyprint box
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def avoid_page_break(page_break, context) -> bool:  # noqa: ANN001 - WeasyPrint's str and LayoutContext
    """WeasyPrint's answer, except for a row kept whole only when the room it leaves is small: the
    first question after its cells are laid out (table_layout asks the row's `break-inside` then).
    Any other `avoid-page` (a block's, in a project's stylesheet) keeps its CSS meaning."""
    row_top = _forget_row(context)
    if page_break == SPLIT_WHEN_ROOMY and not context.in_column and row_top is not None:
        area_height = context.style_for.initial_page_sizes["area"][1]
        return context.page_bottom - row_top <= ROOM_SHARE * area_height
    return _upstream["avoid_page_break"](page_break, context)


def _forget_row(context) -> float | None:  # noqa: ANN001 - LayoutContext
    """The top of the row whose cells were laid out last, forgotten: it answers one question only."""
    row_top = getattr(context, _ROW_TOP, None)
    if row_top is not None:
        delattr(context, _ROW_TOP)
    return row_top


def block_container_layout(context, box, bottom_space, skip_stack, *args, **kwargs):  # noqa: ANN001, ANN201
    """WeasyPrint's layout of a block container; a table cell notes its row's top, and the
    continued cell of a split row is laid out whole again."""
    from weasyprint.formatting_structure import boxes

    if not isinstance(box, boxes.TableCellBox):
        _forget_row(context)  # a block laid out after the row: the row's question was not asked
        return _upstream["block_container_layout"](context, box, bottom_space, skip_stack, *args, **kwargs)
    if skip_stack == {len(box.children): None} and box.children and CONTINUED_CELL in _classes(box):
        skip_stack = None  # the row's rest: its 施策番号 again
    laid = _upstream["block_container_layout"](context, box, bottom_space, skip_stack, *args, **kwargs)
    setattr(context, _ROW_TOP, box.position_y)
    return laid


def install() -> bool:
    """Extend WeasyPrint's row breaks (once per process); False when its code is not the tested code."""
    from weasyprint.layout import block

    if _upstream:
        return True
    if not unchanged(EXTENDED_SOURCE_SHA256, source_hashes(), "table rows are kept whole"):
        return False
    for name, function in (("avoid_page_break", avoid_page_break), ("block_container_layout", block_container_layout)):
        _upstream[name] = getattr(block, name)
        setattr(block, name, function)
    return True
