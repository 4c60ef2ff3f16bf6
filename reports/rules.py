"""Small numbers: the one rule every report cell goes through before a page, a chart or an export shows it.

A count of youths (or of their searches, triads, check-ins, requests, closures) is rounded: 0 stays 0, 1–4
shows "< 5", 5 and more a multiple of 5 — the nearest one, except that a count ending in 3 or 8 rounds down,
so 5 stands for 5–8, 10 for 9–13, 15 for 14–18. Rounding, not only hiding, is what stops differencing: two
periods, or a team and its organisation, subtract to a range, never to one hidden count. (Plain nearest
rounding shows 8 as 10, and 10 − "< 5" would leave a hidden month exactly 4: two hidden 4s make 8.) Each
figure is rounded on its own, so parts need not add up to their rounded total. When a total is shown beside
its parts and the ranges would still pin a "< 5" part to one value, more parts are hidden ("x", 5 or more)
until none is pinned; if nothing is left to hide, the total is hidden.

Counts of staff and their activity (professionals and their training, a coordinator's overrides, the JIM
network's meetings) are not about youths: they are exact (`exact=True`, `exact_cell`).
"""

from typing import NamedTuple

THRESHOLD = 5
#: Youth counts of 5 and more are shown rounded to a multiple of this.
BASE = 5
SMALL = "< 5"
#: A count of 5 or more hidden only so that a total does not give away a small one.
HIDDEN = "x"


class Cell(NamedTuple):
    """One count as a report shows it: `value` the true count, `shown` the rounded number, "< 5" or "x"."""

    value: int
    shown: object
    exact: bool = False

    @property
    def suppressed(self):
        return self.shown in (SMALL, HIDDEN)

    @property
    def number(self):
        """The number shown (what a chart may draw), or None when the count is hidden."""
        return None if self.suppressed else self.shown


def is_small(value):
    return 0 < value < THRESHOLD


def rounded(value):
    """How a youth count is shown: 0, "< 5", or a multiple of 5 (7 → 5, 8 → 5, 9 → 10, 13 → 10, 14 → 15)."""
    if is_small(value):
        return SMALL
    return (value + 1) // BASE * BASE


def possible(shown, *, exact=False):
    """The true values a reader can infer from what is shown, as (lowest, highest); None: no upper bound."""
    if shown == SMALL:
        return 1, THRESHOLD - 1
    if shown == HIDDEN:
        return THRESHOLD, None
    if exact or shown == 0:
        return shown, shown
    # 5 covers 5–8, 10 covers 9–13.
    return shown - 1 if shown > BASE else shown, shown + BASE - 2


def _pinned(shown, total_shown):
    """True when the parts' ranges and the total's leave a "< 5" part only one possible value."""
    ranges = [possible(s) for s in shown]
    total_low, total_high = possible(total_shown)
    for index, shown_part in enumerate(shown):
        if shown_part != SMALL:
            continue
        others = [r for i, r in enumerate(ranges) if i != index]
        others_low = sum(low for low, _high in others)
        others_high = None if any(high is None for _low, high in others) else sum(h for _l, h in others)
        low = max(1, total_low - others_high) if others_high is not None else 1
        high = min(THRESHOLD - 1, total_high - others_low) if total_high is not None else THRESHOLD - 1
        if high - low < 1:
            return True
    return False


def suppress(values, *, with_total=True, exact=False):
    """Return (cells, total cell) for a row of counts; `with_total=False` when no total is shown beside it,
    `exact=True` for counts of staff or their activity."""
    values = [int(v or 0) for v in values]
    if exact:
        return [exact_cell(v) for v in values], exact_cell(sum(values))
    shown = [rounded(v) for v in values]
    total = sum(values)
    total_shown = rounded(total)
    if with_total:
        while _pinned(shown, total_shown):
            rest = [i for i, s in enumerate(shown) if s not in (SMALL, HIDDEN) and values[i] > 0]
            if not rest:
                # Nothing left to hide: the total itself would give the small cells away.
                total_shown = SMALL if is_small(total) else HIDDEN
                break
            pick = min(rest, key=lambda i: (values[i], i))
            shown[pick] = HIDDEN
    return [Cell(v, s) for v, s in zip(values, shown, strict=True)], Cell(total, total_shown)


def count_cell(value):
    """One count of youths on its own (no total beside it): rounded."""
    value = int(value or 0)
    return Cell(value, rounded(value))


def exact_cell(value):
    """One count of staff or their activity: shown as it is."""
    value = int(value or 0)
    return Cell(value, value, exact=True)
