"""A report as its page, export and charts all show it: tables of rows, every count already suppressed.

`funnel_report` turns the database's figures (selectors) into tables; nothing here counts rows itself.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from jimcase.models import Youth
from mentors.models import NetworkMember
from triads.models import ConsentDecision, EndReason, Evaluation, GoalsReached, PlacementOutcome

from . import selectors
from .rules import HIDDEN, THRESHOLD, Cell, count_cell, exact_cell, suppress

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


def _count_rows(labels, cells):
    return [Row(label, cell.shown, cell=cell) for label, cell in zip(labels, cells, strict=True)]


def funnel_report(filters):
    """Report 1, the wie-vraag: the funnel, the searches' outcome against the YIM study, days to a JIM,
    open searches, and the monthly trend."""
    figures = selectors.funnel_figures(filters)
    month_labels = [date_format(month, "M Y") for month, _n in figures["started_per_month"]]
    started_cells, started_total = suppress([n for _m, n in figures["started_per_month"]])
    found_cells, found_total = suppress([n for _m, n in figures["found_per_month"]])

    funnel_cells = [
        count_cell(figures["referred"]),
        started_total,
        count_cell(figures["asked"]),
        found_total,
        count_cell(figures["trial"]),
        count_cell(figures["active"]),
    ]
    funnel = Table(
        "funnel",
        _("From referral to an active triad"),
        _count_rows(
            [
                _("Youths referred"),
                _("Searches started"),
                _("Candidates asked"),
                _("JIM found"),
                _("Trial started"),
                _("Active"),
            ],
            funnel_cells,
        ),
        note=_(
            "Each step counts what happened in the period, by its own date: the referral date, the start of "
            "the search, the first time a candidate was asked, the day the JIM was chosen, the start of the "
            "trial, the day the triad became active."
        ),
    )

    (found, stopped), ended = suppress([figures["cohort_found"], figures["cohort_stopped"]])
    share_shown, share_difference = "—", ""
    if not (found.suppressed or stopped.suppressed or ended.suppressed) and ended.value:
        share = 100 * found.value / ended.value
        share_shown = f"{number(share)} %"
        share_difference = _("%(value)s percentage points") % {"value": signed(share - BENCHMARK_SHARE)}
    days_known = found.value >= THRESHOLD
    mean, median = figures["mean_days"], figures["median_days"]
    outcome = Table(
        "outcome",
        _("Searches started in the period and ended: how many found a JIM"),
        [
            Row(_("Ended with a JIM"), found.shown, cell=found),
            Row(_("Stopped without a JIM"), stopped.shown, cell=stopped),
            Row(_("Ended searches"), ended.shown, cell=ended),
            Row(
                _("Share that found a JIM"),
                share_shown,
                benchmark=f"{BENCHMARK_SHARE} %",
                difference=share_difference,
            ),
            Row(
                _("Days to a JIM, mean"),
                number(mean) if days_known else "—",
                benchmark=str(BENCHMARK_MEAN_DAYS),
                difference=_("%(value)s days") % {"value": signed(mean - BENCHMARK_MEAN_DAYS)}
                if days_known
                else "",
            ),
            Row(
                _("Days to a JIM, median"),
                number(median) if days_known else "—",
                benchmark=_("not published"),
            ),
        ],
        note=_(
            "The YIM study: %(share)s %% of youths nominated a mentor, after %(days)s days on average "
            "(%(source)s). A search that started before the period counts in the funnel when its JIM was "
            "found in the period, but not here. Days are shown from 5 searches with a JIM."
        )
        % {"share": BENCHMARK_SHARE, "days": BENCHMARK_MEAN_DAYS, "source": BENCHMARK_SOURCE},
        benchmark=True,
    )

    day_cells, _day_total = suppress([figures[f"days_{i}"] for i in range(len(selectors.DAY_BUCKETS))])
    if found.suppressed:
        # The histogram's cells add up to the searches with a JIM, which the table above hides.
        day_cells = [Cell(c.value, c.shown if c.value == 0 or c.suppressed else HIDDEN) for c in day_cells]
    histogram = Table(
        "days",
        _("Days from the start of the search to a JIM"),
        _count_rows([label for label, _low, _high in selectors.DAY_BUCKETS], day_cells),
    )

    open_cells, open_total = suppress(
        [figures["open_under_60"], figures["open_60_90"], figures["open_over_90"]]
    )
    open_searches = Table(
        "open",
        _("Searches still open on %(date)s") % {"date": date_format(filters.date_to, "SHORT_DATE_FORMAT")},
        [
            *_count_rows([_("under 60 days"), _("60–90 days"), _("over 90 days")], open_cells),
            Row(_("Open searches"), open_total.shown, cell=open_total),
        ],
        extra={
            "over_90": figures["over_90"],
            "over_90_more": max(0, figures["open_over_90"] - len(figures["over_90"])),
            "over_90_since": filters.date_to - datetime.timedelta(days=90),
        },
    )

    trend = Table(
        "trend",
        _("Searches started and JIMs found per month"),
        [
            Row(label, started.shown, second=found_month.shown, cell=started, second_cell=found_month)
            for label, started, found_month in zip(month_labels, started_cells, found_cells, strict=True)
        ],
        extra={"found_cells": found_cells, "started_cells": started_cells},
    )
    return {
        "tables": [funnel, outcome, histogram, open_searches, trend],
        "by_key": {t.key: t for t in (funnel, outcome, histogram, open_searches, trend)},
        "month_labels": month_labels,
    }


def _hide_all_if(cells, hide):
    """Every count above 0 hidden: for a row whose cells add up to a total that is hidden elsewhere."""
    return [Cell(c.value, c.shown if c.value == 0 or c.suppressed or not hide else HIDDEN) for c in cells]


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
            *_count_rows([_("Continue"), _("Adjust"), _("End")], decision_cells),
            Row(_("Evaluations with a decision"), decision_total.shown, cell=decision_total),
        ],
    )

    reason_cells, ended = suppress([figures[f"reason_{r}"] for r in EndReason.values])
    informal_cells, informal_total = suppress(
        [figures["informally"], figures["ended"] - figures["informally"]]
    )
    if informal_total.suppressed and not ended.suppressed:
        ended = informal_total
        reason_cells = _hide_all_if(reason_cells, True)
    informal_cells = _hide_all_if(informal_cells, ended.suppressed)
    reasons = Table(
        "reasons",
        _("Triads ended in the period, by reason"),
        [
            *_count_rows([label for _value, label in EndReason.choices], reason_cells),
            Row(_("Ended in the period"), ended.shown, cell=ended),
        ],
    )
    informally = Table(
        "informally",
        _("Does the relationship go on informally?"),
        _count_rows(
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
            *_count_rows(
                [_("under 3 months"), _("3 to 12 months"), _("12 months or longer")], duration_cells
            ),
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


def _hide_total(total):
    return Cell(total.value, total.shown if total.suppressed or not total.value else HIDDEN)


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
            line[0], line[1] = _hide_all_if(line[0], True), _hide_total(line[1])

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
        closed = count_cell(0) if not figures["closed"] else _hide_total(count_cell(figures["closed"]))
        matrix = [[_hide_all_if(cells, True), _hide_total(total)] for cells, total in matrix]
        goal_cells, start_cells, end_cells = (
            _hide_all_if(c, True) for c in (goal_cells, start_cells, end_cells)
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
            *_count_rows([_("yes"), _("partly"), _("no"), _("not recorded")], goal_cells),
            Row(_("Triads ended in the period"), goals_total.shown, cell=goals_total),
        ],
    )
    tables = [placement, living, goals]
    return {"tables": tables, "by_key": {t.key: t for t in tables}}


def followup_report(filters):
    """Report 4, follow-up health on the period's last day: overdue check-ins per lead professional, open
    fallback requests by age, triads without a recent evaluation, and how fast fallback requests were handled."""
    figures = selectors.followup_figures(filters)
    end = date_format(filters.date_to, "SHORT_DATE_FORMAT")

    by_lead = figures["overdue_by_lead"]
    overdue_cells, overdue_total = suppress([n for _lead, n in by_lead])
    overdue = Table(
        "overdue",
        _("Overdue check-ins of running triads on %(date)s, per lead professional") % {"date": end},
        [
            *_count_rows([lead or _("no lead professional") for lead, _n in by_lead], overdue_cells),
            Row(_("Overdue check-ins"), overdue_total.shown, cell=overdue_total),
        ],
        note=_("Planned before that day and not done by then. The lead professional on that day."),
    )

    age_cells, open_total = suppress([figures["open_under_2"], figures["open_2_7"], figures["open_over_7"]])
    urgent = count_cell(figures["open_urgent"])
    if open_total.suppressed and not urgent.suppressed and urgent.value == open_total.value:
        # Every open request is urgent: the urgent count would show the hidden total.
        urgent = _hide_total(urgent)
    requests = Table(
        "requests",
        _("Fallback requests still open on %(date)s, by days waiting") % {"date": end},
        [
            *_count_rows([_("under 2 days"), _("2–7 days"), _("over 7 days")], age_cells),
            Row(_("Open fallback requests"), open_total.shown, cell=open_total),
            Row(_("of which urgent"), urgent.shown, cell=urgent),
        ],
    )

    handled = count_cell(figures["handled"])
    hours = figures["median_response_hours"]
    response = Table(
        "response",
        _("Fallback requests handled in the period"),
        [
            Row(_("Handled fallback requests"), handled.shown, cell=handled),
            Row(
                _("Response time in hours, median"),
                number(hours) if hours is not None and handled.value >= THRESHOLD else "—",
            ),
        ],
        note=_("From the request to its handling. The median is shown from 5 handled requests."),
    )

    evaluation_cells, running = suppress(
        [figures["without_evaluation"], figures["running"] - figures["without_evaluation"]]
    )
    evaluations = Table(
        "evaluations",
        _("Running triads on %(date)s: an evaluation in the last %(days)s days?")
        % {"date": end, "days": selectors.EVALUATION_DAYS},
        [
            *_count_rows([_("No evaluation"), _("Evaluated")], evaluation_cells),
            Row(_("Running triads"), running.shown, cell=running),
        ],
    )
    tables = [overdue, requests, response, evaluations]
    return {"tables": tables, "by_key": {t.key: t for t in tables}}


def consent_report(filters):
    """Report 5, parental consent: the state of the triads on the period's last day, the decisions taken in
    the period, and the coordinators' overrides."""
    figures = selectors.consent_figures(filters)
    end = date_format(filters.date_to, "SHORT_DATE_FORMAT")
    state_cells, triads = suppress([figures[f"state_{s}"] for s in selectors.CONSENT_STATES])
    state = Table(
        "state",
        _("Parental consent of the triads not ended on %(date)s") % {"date": end},
        [
            *_count_rows(
                [
                    _("No consent needed: the youth is 18 or older"),
                    _("Overridden by a coordinator"),
                    _("Withdrawn by a parent"),
                    _("Refused by a parent"),
                    _("Waiting for a parent's decision"),
                    _("No parent or guardian with parental authority recorded"),
                    _("Given by every parent with parental authority"),
                    _("Nobody can decide: the reason is recorded"),
                ],
                state_cells,
            ),
            Row(_("Triads"), triads.shown, cell=triads),
        ],
        note=_(
            "Each triad counts once, in the first line that holds for it on that day. Every parent with "
            "parental authority counts with their latest decision recorded by the end of that day; a parent "
            "without one is waiting. A minor without a parent with parental authority is in order only when "
            "the file records why nobody can decide."
        ),
    )

    decided = ConsentDecision.Decision
    decided_cells = [
        count_cell(figures[f"decided_{d}"]) for d in (decided.GIVEN, decided.REFUSED, decided.WITHDRAWN)
    ]
    decisions = Table(
        "decisions",
        _("Triads with a consent decision in the period"),
        _count_rows([_("Consent given"), _("Consent refused"), _("Consent withdrawn")], decided_cells),
        note=_(
            "By the date of the parent's decision. A triad with decisions of two kinds counts in both lines."
        ),
    )

    by_coordinator = figures["overrides_by_coordinator"]
    # A coordinator's own activity, not a count of youths: exact.
    override_cells, overrides_total = suppress([n for _name, n in by_coordinator], exact=True)
    overrides = Table(
        "overrides",
        _("Consent overrides in the period, per coordinator"),
        [
            *_count_rows([name for name, _n in by_coordinator], override_cells),
            Row(_("Overrides"), overrides_total.shown, cell=overrides_total),
        ],
        note=_(
            "A coordinator let a triad start without every parent's consent, with a written justification."
        ),
    )
    tables = [state, decisions, overrides]
    return {"tables": tables, "by_key": {t.key: t for t in tables}}


def capacity_report(filters):
    """Report 6, capacity and fidelity: the caseloads per team and professional, the JIMs (active, from the
    youth's own network, serving more than one youth), the professionals' JIM training and the peer network's
    meetings."""
    figures = selectors.capacity_figures(filters)
    end = date_format(filters.date_to, "SHORT_DATE_FORMAT")

    # Per team: each professional's caseload and the team's total; the teams' totals add up to the whole.
    teams = {}
    for team, lead, n in figures["caseloads"]:
        teams.setdefault(team, []).append((lead, n))
    per_team = [(team, *suppress([n for _lead, n in leads])) for team, leads in teams.items()]
    team_totals, everyone = suppress([total.value for _team, _cells, total in per_team])
    rows = []
    for (team, leads), (_team, cells, total), shown_total in zip(
        teams.items(), per_team, team_totals, strict=True
    ):
        if shown_total.suppressed and not total.suppressed:
            # The team's total is hidden so that the whole does not give a small team away; the
            # professionals' caseloads add up to it, so they go too.
            cells, total = _hide_all_if(cells, True), _hide_total(total)
        team_label = team or _("no team")
        rows += [
            Row(f"{team_label}: {lead}", cell.shown, cell=cell)
            for (lead, _n), cell in zip(leads, cells, strict=True)
        ]
        rows.append(
            Row(
                _("%(team)s: total (%(n)s professionals)") % {"team": team_label, "n": len(leads)},
                total.shown,
                cell=total,
            )
        )
    if any(total.suppressed and total.value >= THRESHOLD for _team, _cells, total in per_team):
        # A team's total was hidden to protect its small caseloads: the whole would give it back.
        everyone = _hide_total(everyone)
    rows.append(Row(_("Youths with a lead professional"), everyone.shown, cell=everyone))
    caseloads = Table(
        "caseloads",
        _("Caseloads on %(date)s: youths per lead professional, by the youth's team") % {"date": end},
        rows,
        note=_("A professional who leads youths of two teams shows in both."),
    )

    triads = figures["triads"]
    own_cells, network_total = suppress([figures["own_network"], triads - figures["own_network"]])
    jims = Table(
        "jims",
        _("The JIMs of the triads that ran in the period"),
        [
            Row(
                _("JIMs active on %(date)s") % {"date": end},
                (c := count_cell(figures["jims_active"])).shown,
                cell=c,
            ),
            Row(
                _("of whom in the JIM network"),
                (c := count_cell(figures["jims_peer_network"])).shown,
                cell=c,
            ),
            *_count_rows(
                [_("Triads with a JIM from the youth's own network"), _("Triads with a JIM from elsewhere")],
                own_cells,
            ),
            Row(_("Triads that ran in the period"), network_total.shown, cell=network_total),
            Row(
                _("JIMs of more than one youth"),
                (c := count_cell(figures["jims_several_youths"])).shown,
                cell=c,
            ),
        ],
        note=_(
            "A triad ran in the period when its trial started by the period's last day and it had not ended "
            "before the first. From the youth's own network: the JIM is a person on the youth's network map."
        ),
    )

    relation_cells, own_total = suppress([figures[f"relation_{r}"] for r in selectors.RELATIONS])
    if own_cells[0].suppressed or own_total.suppressed:
        # The relations add up to the count above, which hides it: hide every count of 5 or more too (a
        # "< 5" stays "< 5": "x" says 5 or more, and must not say it of a smaller count).
        relation_cells = _hide_all_if(relation_cells, True)
    own_total = own_cells[0]
    relations = Table(
        "relations",
        _("JIMs from the youth's own network, by their relation to the youth"),
        [
            *_count_rows([label for _value, label in NetworkMember.Relation.choices], relation_cells),
            Row(_("Triads with a JIM from the youth's own network"), own_total.shown, cell=own_total),
        ],
    )

    training = _training_table(figures, end)

    meetings = figures["meetings"]
    attendances = figures["attendances"]
    peer = Table(
        "peer",
        _("The JIM network's meetings in the period"),
        [
            Row(_("Meetings"), meetings),
            Row(_("Attendances"), attendances),
            Row(_("Attendances per meeting, mean"), number(attendances / meetings) if meetings else "—"),
            # The JIM network is the organisation's activity, not a count of youths: exact.
            Row(
                _("JIMs who came at least once"),
                (c := exact_cell(figures["attending_jims"])).shown,
                cell=c,
            ),
        ],
        note=_(
            "The JIM network belongs to the organisation: the team and professional filters do not apply "
            "to it."
        ),
    )
    tables = [caseloads, jims, relations, training, peer]
    return {"tables": tables, "by_key": {t.key: t for t in tables}}


def _training_table(figures, end):
    """Fidelity: how many of the professionals have a JIM training, by kind, and their share."""
    # Professionals are staff, not youths: their counts are exact, and so is the share.
    cells, professionals = suppress(
        [figures["trained_method"], figures["trained_own_only"], figures["untrained"]], exact=True
    )
    share = "—"
    if professionals.value:
        share = f"{number(100 * (cells[0].value + cells[1].value) / professionals.value)} %"
    return Table(
        "training",
        _("Training of the professionals on %(date)s") % {"date": end},
        [
            *_count_rows(
                [
                    _("Trained by the method's trainers (JIM training, 2.5 days)"),
                    _("Trained by the organisation's own training only"),
                    _("Not trained yet"),
                ],
                cells,
            ),
            Row(_("Professionals"), professionals.shown, cell=professionals),
            Row(_("Share trained"), share),
        ],
        note=_(
            "Professionals: the active accounts with the professional role that existed on the period's last "
            "day (of the chosen team or professional). Trained: a training completed by that day, as the "
            "coordinator recorded it on the person's page in the admin; someone with both kinds counts under "
            "the method's training."
        ),
    )
