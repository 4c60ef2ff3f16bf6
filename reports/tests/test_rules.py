"""The suppression rule: 1–4 shows "< 5", zero stays 0, and a total never gives a small cell away."""

import pytest

from reports.rules import HIDDEN, SMALL, count_cell, suppress


def shown(values, **kwargs):
    cells, total = suppress(values, **kwargs)
    return [cell.shown for cell in cells], total.shown


def test_small_counts_show_less_than_five_and_zero_stays_zero():
    assert shown([0, 5, 7, 12]) == ([0, 5, 7, 12], 24)
    assert count_cell(3).shown == SMALL
    assert count_cell(0).shown == 0
    assert count_cell(5).shown == 5


def test_one_small_cell_beside_a_total_hides_the_next_smallest_too():
    assert shown([3, 20, 9]) == ([SMALL, 20, HIDDEN], 32)


def test_without_a_total_only_the_small_cells_are_hidden():
    assert shown([3, 20, 9], with_total=False) == ([SMALL, 20, 9], 32)


def test_two_small_cells_that_could_only_be_all_ones_or_all_fours_hide_more():
    # 1 + 1 = 2 or 4 + 4 = 8 leaves each small cell one possible value.
    assert shown([1, 1, 10, 6]) == ([SMALL, SMALL, 10, HIDDEN], 18)
    assert shown([4, 4, 10, 6]) == ([SMALL, SMALL, 10, HIDDEN], 24)
    assert shown([1, 2, 10]) == ([SMALL, SMALL, 10], 13)


def test_a_hidden_cell_of_five_beside_a_single_one_is_not_enough():
    # "< 5" + "x" = 6 with x ≥ 5 would say the small cell is 1: the 9 goes too.
    assert shown([1, 5, 9]) == ([SMALL, HIDDEN, HIDDEN], 15)


def test_the_total_is_hidden_when_nothing_else_can_protect_the_small_cell():
    assert shown([1, 5]) == ([SMALL, HIDDEN], HIDDEN)
    assert shown([3, 0]) == ([SMALL, 0], SMALL)


@pytest.mark.parametrize("values", [[0, 0], [5, 5], [2, 3, 0, 8], [1, 1, 1, 1, 13], [4, 6, 7]])
def test_no_small_cell_can_be_worked_out_from_the_total(values):
    """Brute force: every combination of values consistent with what is shown gives each small cell ≥ 2 values."""
    cells, total = suppress(values)
    if total.suppressed:
        return
    import itertools

    ranges = [
        range(1, 5) if c.shown == SMALL else range(5, total.value + 1) if c.shown == HIDDEN else [c.shown]
        for c in cells
    ]
    possible = [combo for combo in itertools.product(*ranges) if sum(combo) == total.value]
    for index, cell in enumerate(cells):
        if cell.shown == SMALL:
            assert len({combo[index] for combo in possible}) >= 2, (values, index)
