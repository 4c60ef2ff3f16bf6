"""The small-numbers rule: youth counts rounded to 5 with "< 5" kept and 0 as 0, staff counts exact, and a total
never gives a small cell away."""

import itertools

import pytest

from reports.rules import HIDDEN, SMALL, count_cell, exact_cell, possible, rounded, suppress


def shown(values, **kwargs):
    cells, total = suppress(values, **kwargs)
    return [cell.shown for cell in cells], total.shown


def test_youth_counts_are_rounded_to_five_small_ones_show_less_than_five_and_zero_stays_zero():
    assert [rounded(n) for n in range(16)] == [0, *[SMALL] * 4, 5, 5, 5, 5, 10, 10, 10, 10, 10, 15, 15]
    assert count_cell(3).shown == SMALL and count_cell(0).shown == 0
    assert count_cell(7).shown == 5 and count_cell(9).shown == 10 and count_cell(102).shown == 100
    assert shown([0, 5, 7, 12]) == ([0, 5, 5, 10], 25)


def test_what_a_reader_can_infer_from_a_shown_count_holds_the_true_count():
    for value in range(200):
        low, high = possible(rounded(value))
        assert low <= value <= high
    assert possible(5) == (5, 8) and possible(10) == (9, 13) and possible(SMALL) == (1, 4)
    assert possible(HIDDEN) == (5, None) and possible(7, exact=True) == (7, 7)


def test_no_rounded_count_minus_a_small_one_pins_another_small_one():
    """Plain nearest rounding shows 4 + 4 = 8 as 10, and 10 − "< 5" would leave the other part exactly 4."""
    for hidden, other in itertools.product(range(1, 5), range(60)):
        whole_low, whole_high = possible(rounded(hidden + other))
        other_low, other_high = possible(rounded(other))
        low, high = max(1, whole_low - other_high), min(4, whole_high - other_low)
        assert high - low >= 1, (hidden, other)


def test_staff_counts_are_exact():
    assert exact_cell(3).shown == 3 and not exact_cell(3).suppressed
    cells, total = suppress([1, 7, 0], exact=True)
    assert [cell.shown for cell in cells] == [1, 7, 0] and total.shown == 8 and total.exact


def test_without_a_total_every_cell_is_rounded_on_its_own():
    assert shown([3, 20, 9], with_total=False) == ([SMALL, 20, 10], 30)


def test_two_small_cells_beside_a_total_that_pins_them_hide_the_total():
    # 4 + 4 = 8 shows 5 (5–8): two cells of 1–4 adding to 5–8 leave each at least two values.
    assert shown([4, 4]) == ([SMALL, SMALL], 5)
    # 1 + 1 beside a total of "< 5" and a third cell of 0: 2–4 for two cells of 1–4, still free.
    assert shown([1, 1, 0]) == ([SMALL, SMALL, 0], SMALL)


def test_a_small_cell_pinned_by_its_total_hides_the_next_smallest_cell():
    # 1 + 9 + 9 + 9 = 28 shows 25 (24–28); three 10s (9–13 each) are at least 27: the small cell would be 1.
    assert shown([1, 9, 9, 9]) == ([SMALL, HIDDEN, 10, 10], 25)


def test_the_total_is_hidden_when_nothing_else_can_protect_the_small_cells():
    # 1 + 1 + 1 + 5 = 8 shows 5 (5–8): with the 5 at least 5, every small cell would be 1.
    assert shown([1, 1, 1, 5]) == ([SMALL, SMALL, SMALL, HIDDEN], HIDDEN)


@pytest.mark.parametrize(
    "values",
    [
        [0, 0],
        [5, 5],
        [2, 3, 0, 8],
        [1, 1, 1, 1, 13],
        [4, 6, 7],
        [4, 4],
        [4, 4, 1],
        [1, 9, 9, 9],
        [1, 1, 1, 5],
    ],
)
def test_no_small_cell_can_be_worked_out_from_the_total(values):
    """Brute force: every combination of values consistent with what is shown gives each small cell ≥ 2 values."""
    cells, total = suppress(values)
    total_low, total_high = possible(total.shown)
    total_high = total_high if total_high is not None else sum(values) + 20
    ranges = []
    for cell in cells:
        low, high = possible(cell.shown)
        ranges.append(range(low, (high if high is not None else total_high) + 1))
    possible_rows = [row for row in itertools.product(*ranges) if total_low <= sum(row) <= total_high]
    assert tuple(values) in possible_rows
    for index, cell in enumerate(cells):
        if cell.shown == SMALL:
            assert len({row[index] for row in possible_rows}) >= 2, (values, index)
