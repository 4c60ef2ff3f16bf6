"""Small-number suppression: the one rule every report cell goes through before a page or an export shows it.

A count of 1–4 youths could re-identify someone in a small team, so it shows "< 5". When a total is shown
too, the hidden cells must not follow from it: more cells are hidden ("x") until no hidden count of 1–4
can be worked out from the total and the cells that stay visible. Zero stays 0.
"""

from typing import NamedTuple

THRESHOLD = 5
SMALL = "< 5"
#: A cell of 5 or more hidden only so that the total does not give away a small one.
HIDDEN = "x"


class Cell(NamedTuple):
    """One count as a report shows it: `shown` is the number, or "< 5", or "x"."""

    value: int
    shown: object

    @property
    def suppressed(self):
        return self.shown in (SMALL, HIDDEN)


def is_small(value):
    return 0 < value < THRESHOLD


def _pinned(small, hidden):
    """True when the sum of the hidden cells (known from the total) fixes a small cell to one value.

    The reader knows each "< 5" cell is 1–4 and each "x" cell is 5 or more, and their sum. A small cell is
    free to take at least two values unless the sum leaves no room: all 1s or all 4s among only small cells,
    or, beside "x" cells, a sum so low that every small cell must be 1.
    """
    if not small:
        return False
    total = sum(small) + sum(hidden)
    if not hidden:
        return len(small) == 1 or total in (len(small), 4 * len(small))
    return total - THRESHOLD * len(hidden) <= len(small)


def suppress(values, *, with_total=True):
    """Return (cells, total cell) for a row of counts; `with_total=False` when no total is shown beside it."""
    values = [int(v or 0) for v in values]
    shown = [SMALL if is_small(v) else v for v in values]
    total = count_cell(sum(values))
    if with_total:
        small, hidden = [v for v in values if is_small(v)], []
        while _pinned(small, hidden):
            rest = [i for i, s in enumerate(shown) if s not in (SMALL, HIDDEN) and values[i] > 0]
            if not rest:
                # Nothing left to hide: the total itself would give the small cells away.
                total = Cell(total.value, SMALL if is_small(total.value) else HIDDEN)
                break
            pick = min(rest, key=lambda i: (values[i], i))
            shown[pick] = HIDDEN
            hidden.append(values[pick])
    return [Cell(v, s) for v, s in zip(values, shown, strict=True)], total


def count_cell(value):
    """One count on its own (no total beside it)."""
    value = int(value or 0)
    return Cell(value, SMALL if is_small(value) else value)
