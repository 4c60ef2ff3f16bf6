"""What every report is built from: tables of rows, number formats, and the study it is compared with."""

from dataclasses import dataclass, field

from django.utils.formats import number_format

from ..rules import HIDDEN, Cell

#: The YIM study's published result (van Dam et al. 2017, British Journal of Social Work 47:1764–1780).
BENCHMARK_SHARE = 83
BENCHMARK_MEAN_DAYS = 33
BENCHMARK_SOURCE = "van Dam et al. 2017, British Journal of Social Work 47:1764–1780"


@dataclass
class Row:
    """One line of a table: a label, what is shown, and (for the benchmark) the study's figure and the gap."""

    label: str
    shown: object
    benchmark: str = ""
    difference: str = ""
    cell: Cell | None = None
    second: object = ""
    second_cell: Cell | None = None


@dataclass
class Table:
    key: str
    title: str
    rows: list
    note: str = ""
    benchmark: bool = False
    extra: dict = field(default_factory=dict)


def number(value, digits=1):
    return number_format(round(value, digits), digits)


def signed(value, digits=1):
    text = number(abs(value), digits)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


def count_rows(labels, cells):
    return [Row(label, cell.shown, cell=cell) for label, cell in zip(labels, cells, strict=True)]


def hide_all_if(cells, hide):
    """Every count above 0 hidden: for a row whose cells add up to a total that is hidden elsewhere."""
    return [Cell(c.value, c.shown if c.value == 0 or c.suppressed or not hide else HIDDEN) for c in cells]


def hide_total(total):
    return Cell(total.value, total.shown if total.suppressed or not total.value else HIDDEN)
