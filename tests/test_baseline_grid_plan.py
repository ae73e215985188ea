"""The grid's plan for one column (report/render/typeset/baseline_grid.py `plan`): a block moved down
may push what follows past the column's slack when a later block rises back by as much; what the
column ends with must stay above the foot. Measured on the sample's first page, whose right column
opens with a measure continued from the left one (03-2, with its photo): 7 lines were 5.1 pt off."""

from __future__ import annotations

from report.render.typeset.baseline_grid import ON_GRID, Block, plan

PITCH = 19.333  # CSS px: the sample's copy-fitted body line (14.5 pt)
PHASE = 298.25  # the other column's first body line
OFF = 6.85  # the continued measure's first line lies this far above the grid (5.1 pt)


def _column(later_room: float, slack: float) -> tuple[list[Block], float]:
    """A column opening with a continued measure (no room above it), then an area whose heading has
    `later_room` above it, under a figure box whose padding may give 3.78 px (an area's least gap is
    1.5 mm: 5.67 px)."""
    first = Block(object(), PHASE - 3 * PITCH - OFF, 0.0, least_gap=0.0)
    area = Block(object(), PHASE + 14 * PITCH + 1.75, later_room, shrinkable=3.78, least_gap=5.67)
    return [first, area], slack


def test_a_block_moves_down_past_the_slack_when_a_later_one_rises_back() -> None:
    blocks, slack = _column(later_room=11.34, slack=4.29)
    moves, off = plan(blocks, PHASE, slack, PITCH)
    assert off == 0
    assert abs(moves[0] - OFF) < 0.01  # down onto the grid, more than the slack
    assert moves[1] < 0  # the area's heading rises into the room above it
    assert sum(moves) <= slack + 0.01  # the column still ends above the foot
    for block, move, before in zip(blocks, moves, [0.0, moves[0]]):
        gap = (block.line_y + before + move - PHASE) % PITCH
        assert min(gap, PITCH - gap) < ON_GRID


def test_without_room_to_give_back_the_column_keeps_its_foot() -> None:
    blocks, slack = _column(later_room=0.0, slack=4.29)
    moves, off = plan(blocks, PHASE, slack, PITCH)
    assert off >= 1
    assert sum(moves) <= slack + 0.01


def test_a_column_already_past_the_foot_moves_nothing_down_for_good() -> None:
    blocks, _ = _column(later_room=11.34, slack=-3.0)
    moves, _ = plan(blocks, PHASE, -3.0, PITCH)
    assert sum(moves) <= 0.01
