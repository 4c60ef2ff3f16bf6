"""Reports 2 and 3: the triads, and the outcomes of the ones that ended."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jimcase.models import Youth
from triads.models import EndReason, Evaluation, GoalsReached, PlacementOutcome

from .. import selectors
from ..rules import THRESHOLD, count_cell, suppress
from .tables import (
    Row,
    Table,
    count_rows,
    hide_all_if,
    hide_total,
    number,
)


def triads_report(filters):
    """Report 2, the triads: running on the last day, trial decisions, endings by reason, how long they lasted."""
    figures = selectors.triad_figures(filters)
    end = date_format(filters.date_to, "SHORT_DATE_FORMAT")
    status = Table(
        "status",
        _("Triads on %(date)s and ended in the period") % {"date": end},
        [
            Row(_("In the trial period"), (c := count_cell(figures["in_trial"])).shown, cell=c),
            Row(_("Active"), (c := count_cell(figures["active"])).shown, cell=c),
        ],
    )

    decisions = Evaluation.Decision
    decision_cells, decision_total = suppress([figures[f"decision_{d}"] for d in decisions.values])
    decision_table = Table(
        "decisions",
        _("Decisions at evaluations held in the period"),
        [
            *count_rows([_("Continue"), _("Adjust"), _("End")], decision_cells),
            Row(_("Evaluations with a decision"), decision_total.shown, cell=decision_total),
        ],
    )

    reason_cells, ended = suppress([figures[f"reason_{r}"] for r in EndReason.values])
    informal_cells, informal_total = suppress(
        [figures["informally"], figures["ended"] - figures["informally"]]
    )
    if informal_total.suppressed and not ended.suppressed:
        ended = informal_total
        reason_cells = hide_all_if(reason_cells, True)
    informal_cells = hide_all_if(informal_cells, ended.suppressed)
    reasons = Table(
        "reasons",
        _("Triads ended in the period, by reason"),
        [
            *count_rows([label for _value, label in EndReason.choices], reason_cells),
            Row(_("Ended in the period"), ended.shown, cell=ended),
        ],
    )
    informally = Table(
        "informally",
        _("Does the relationship go on informally?"),
        count_rows(
            [
                _("Goes on informally"),
                _("Does not go on"),
            ],
            informal_cells,
        ),
    )

    timed = figures["timed"]
    duration_cells, timed_cell = suppress(
        [figures["short"], timed - figures["short"] - figures["year"], figures["year"]]
    )
    share_year = "—"
    if not (duration_cells[2].suppressed or timed_cell.suppressed) and timed >= THRESHOLD:
        share_year = f"{number(100 * figures['year'] / timed)} %"
    median = figures["median_days"]
    duration = Table(
        "duration",
        _("How long the triads that ended in the period lasted (from the start of the trial)"),
        [
            *count_rows([_("under 3 months"), _("3 to 12 months"), _("12 months or longer")], duration_cells),
            Row(_("Ended triads with a trial"), timed_cell.shown, cell=timed_cell),
            Row(_("Share of 12 months or longer"), share_year),
            Row(
                _("Duration in days, median"),
                number(median) if median is not None and timed >= THRESHOLD else "—",
            ),
        ],
        note=_(
            "3 months: 90 days; 12 months: 365 days. A triad that ended before its trial started has no duration."
        ),
    )
    tables = [status, decision_table, reasons, informally, duration]
    return {"tables": tables, "by_key": {t.key: t for t in tables}}


def outcomes_report(filters):
    """Report 3, the outcomes of the triads that ended in the period: placement considered at referral against
    the placement outcome at closure, the living situation at the start and at the end, goals reached."""
    figures = selectors.outcome_figures(filters)
    outcomes = [*PlacementOutcome.values, "none"]
    outcome_labels = [_("avoided"), _("happened"), _("not applicable"), _("not recorded")]
    considered_labels = [_("considered"), _("not considered"), _("not known")]

    matrix = []
    for considered in Youth.PlacementConsidered.values:
        cells, total = suppress([figures[f"considered_{considered}_{o}"] for o in outcomes])
        matrix.append([cells, total])
    total_cells, closed = suppress([total.value for _cells, total in matrix])
    for line, total_cell in zip(matrix, total_cells, strict=True):
        if total_cell.suppressed and not line[1].suppressed:
            # The row's total is hidden so that the closures' number does not give it away; its cells add up
            # to it, so they go too.
            line[0], line[1] = hide_all_if(line[0], True), hide_total(line[1])

    goal_cells, goals_total = suppress([figures[f"goals_{g}"] for g in [*GoalsReached.values, "none"]])
    situations = Youth.LivingSituation.values
    start_cells, start_total = suppress([figures[f"start_{s}"] for s in situations] + [0])
    end_cells, end_total = suppress([figures[f"end_{s}"] for s in [*situations, "none"]])

    # Every table's counts add up to the same number of closures: when one table has to hide it (or a row
    # total of the first table is hidden, which the number would give away), every table hides it, and with
    # it every count above 0, so that no table can be used to undo another's suppression.
    hide = closed.suppressed or any(t.suppressed for _c, t in matrix)
    hide = hide or goals_total.suppressed or start_total.suppressed or end_total.suppressed
    if hide:
        closed = count_cell(0) if not figures["closed"] else hide_total(count_cell(figures["closed"]))
        matrix = [[hide_all_if(cells, True), hide_total(total)] for cells, total in matrix]
        goal_cells, start_cells, end_cells = (
            hide_all_if(c, True) for c in (goal_cells, start_cells, end_cells)
        )
        goals_total = start_total = end_total = closed

    placement = Table(
        "placement",
        _("Out-of-home placement: considered at referral, and the outcome at closure"),
        [
            Row(f"{row_label} / {column}", cell.shown, cell=cell)
            for row_label, (cells, _total) in zip(considered_labels, matrix, strict=True)
            for column, cell in zip(outcome_labels, cells, strict=True)
        ]
        + [
            Row(f"{row_label} / {_('total')}", total.shown, cell=total)
            for row_label, (_cells, total) in zip(considered_labels, matrix, strict=True)
        ]
        + [Row(_("Triads ended in the period"), closed.shown, cell=closed)],
        note=_(
            "Placement considered: asked at the youth's referral. The outcome: recorded at the closure of the "
            "triad; “not recorded” on closures from before it was asked."
        ),
        extra={
            "columns": outcome_labels,
            "matrix": [
                (row_label, cells, total)
                for row_label, (cells, total) in zip(considered_labels, matrix, strict=True)
            ],
            "closed": closed,
        },
    )
    situation_labels = [*(label for _value, label in Youth.LivingSituation.choices), _("not recorded")]
    living = Table(
        "living",
        _("Living situation at the start and at the end"),
        [
            Row(label, start.shown, second=end.shown, cell=start, second_cell=end)
            for label, start, end in zip(situation_labels, start_cells, end_cells, strict=True)
        ]
        + [
            Row(
                _("Triads ended in the period"),
                start_total.shown,
                second=end_total.shown,
                cell=start_total,
                second_cell=end_total,
            )
        ],
        note=_(
            "At the start: the living situation recorded at referral (the youth's first living-situation "
            "change, or the youth's current one when there is no history). At the end: recorded at closure."
        ),
        extra={"pair": (_("at the start"), _("at the end"))},
    )
    goals = Table(
        "goals",
        _("Goals reached at closure"),
        [
            *count_rows([_("yes"), _("partly"), _("no"), _("not recorded")], goal_cells),
            Row(_("Triads ended in the period"), goals_total.shown, cell=goals_total),
        ],
    )
    tables = [placement, living, goals]
    return {"tables": tables, "by_key": {t.key: t for t in tables}}
