"""Small numbers cannot be undone by subtraction: on the demo history (coord.dana of De Brug), every youth count
the reports publish is published for single months, for two adjacent months, for the organisation and for each
of its teams, and every "< 5" is attacked with every subtraction that gives it: the two months minus the
other month, the organisation minus the other teams (and the sums the other way round). All of them together
must leave the hidden count at least two possible values."""

import math

import pytest
from django.core.management import call_command
from django.utils import timezone

from jimcase.models import Team, User
from reports.forms import ReportFilterForm, month_end, month_start
from reports.rules import SMALL, possible
from reports.views import REPORTS

#: The months tried: this one and the twelve before it (the demo history is the last 13 months).
MONTHS = 13


@pytest.fixture
def dana(db):
    call_command("seed_demo", verbosity=0)
    return User.objects.get(username="coord.dana")


def published(user, date_from, date_to, team=None):
    """Every youth count of every report for these filters: {(report, table, row, column): Cell}."""
    data = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    if team:
        data["team"] = team.pk
    form = ReportFilterForm(data, user=user)
    assert form.is_valid(), form.errors
    filters = form.filters()
    assert (filters.date_from, filters.date_to) == (date_from, min(date_to, timezone.localdate()))
    cells = {}
    for spec in REPORTS:
        for table in spec.build(filters)["tables"]:
            for row in table.rows:
                for column, cell in enumerate((row.cell, row.second_cell)):
                    if cell is not None and not cell.exact:
                        cells[spec.slug, table.key, row.label, column] = cell
    return cells


def bounds(cell):
    low, high = possible(cell.shown, exact=cell.exact)
    return low, math.inf if high is None else high


def attack(whole, parts):
    """For each "< 5" among `whole` and `parts` (publications that add up, whole = sum of parts, wherever the
    true counts say so for a figure): the range each subtraction leaves it, as {(publication, key): [ranges]}."""
    ranges = {}
    for key, whole_cell in whole.items():
        if not all(key in part for part in parts):
            continue
        part_cells = [part[key] for part in parts]
        if whole_cell.value != sum(cell.value for cell in part_cells):
            continue  # not an additive figure (a day's state, a cohort): no subtraction gives a part
        low_whole, high_whole = bounds(whole_cell)
        part_bounds = [bounds(cell) for cell in part_cells]
        if whole_cell.shown == SMALL:
            low = sum(low for low, _high in part_bounds)
            high = sum(high for _low, high in part_bounds)
            ranges.setdefault((id(whole), key), []).append((low, high))
        for index, cell in enumerate(part_cells):
            if cell.shown != SMALL:
                continue
            others = [b for i, b in enumerate(part_bounds) if i != index]
            low = low_whole - sum(high for _low, high in others)
            high = high_whole - sum(low for low, _high in others)
            ranges.setdefault((id(parts[index]), key), []).append((low, high))
    return ranges


def test_no_hidden_youth_count_follows_from_adjacent_months_or_from_the_teams(dana):
    today = timezone.localdate()
    months = [month_start(today, back) for back in reversed(range(MONTHS))]
    teams = list(Team.objects.filter(organisation=dana.organisation).order_by("name"))
    assert len(teams) >= 2
    scopes = [None, *teams]

    single = {(scope, m): published(dana, m, month_end(m), scope) for scope in scopes for m in months}
    pairs = {
        (scope, m): published(dana, m, month_end(n), scope)
        for scope in scopes
        for m, n in zip(months, months[1:], strict=False)
    }
    everything = {id(cells): cells for cells in [*single.values(), *pairs.values()]}

    ranges = {}

    def add(found):
        for where, found_ranges in found.items():
            ranges.setdefault(where, []).extend(found_ranges)

    for scope in scopes:
        for m, n in zip(months, months[1:], strict=False):
            # Two months minus one of them.
            add(attack(pairs[scope, m], [single[scope, m], single[scope, n]]))
    for by_month in (single, pairs):
        for m in {m for _scope, m in by_month}:
            # The organisation minus the other teams.
            add(attack(by_month[None, m], [by_month[team, m] for team in teams]))

    assert len(ranges) >= 50, "too few hidden counts attacked: the demo data changed?"
    assert sum(len(found) for found in ranges.values()) >= 100
    recovered = []
    for (publication, key), found in ranges.items():
        cell = everything[publication][key]
        low, high = 1, 4  # "< 5"; every subtraction that gives this count narrows it further
        for range_low, range_high in found:
            assert range_low <= cell.value <= range_high, (key, cell, found)  # sound: the truth is in it
            low, high = max(low, range_low), min(high, range_high)
        if high - low < 1:
            recovered.append((key, cell.value, found))
    assert recovered == []
