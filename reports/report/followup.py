"""Reports 4 and 5: follow-up health, and consent."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from triads.models import ConsentDecision

from .. import selectors
from ..rules import THRESHOLD, count_cell, suppress
from .tables import (
    Row,
    Table,
    count_rows,
    hide_total,
    number,
)


def followup_report(filters):
    """Report 4, follow-up health on the period's last day: overdue check-ins per lead professional, open
    fallback requests by age, triads without a recent evaluation, and how fast fallback requests were handled."""
    figures = selectors.followup_figures(filters)
    end = date_format(filters.date_to, "SHORT_DATE_FORMAT")

    by_lead = figures["overdue_by_lead"]
    overdue_cells, overdue_total = suppress([n for _lead, n in by_lead])
    overdue = Table(
        "overdue",
        _(
            "Overdue check-ins on %(date)s (running triads, and the conversation after a closure), per lead professional"
        )
        % {"date": end},
        [
            *count_rows([lead or _("no lead professional") for lead, _n in by_lead], overdue_cells),
            Row(_("Overdue check-ins"), overdue_total.shown, cell=overdue_total),
        ],
        note=_("Planned before that day and not done by then. The lead professional on that day."),
    )

    age_cells, open_total = suppress([figures["open_under_2"], figures["open_2_7"], figures["open_over_7"]])
    urgent = count_cell(figures["open_urgent"])
    if open_total.suppressed and not urgent.suppressed and urgent.value == open_total.value:
        # Every open request is urgent: the urgent count would show the hidden total.
        urgent = hide_total(urgent)
    requests = Table(
        "requests",
        _("Fallback requests still open on %(date)s, by days waiting") % {"date": end},
        [
            *count_rows([_("under 2 days"), _("2–7 days"), _("over 7 days")], age_cells),
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
            *count_rows([_("No evaluation"), _("Evaluated")], evaluation_cells),
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
            *count_rows(
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
        count_rows([_("Consent given"), _("Consent refused"), _("Consent withdrawn")], decided_cells),
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
            *count_rows([name for name, _n in by_coordinator], override_cells),
            Row(_("Overrides"), overrides_total.shown, cell=overrides_total),
        ],
        note=_(
            "A coordinator let a triad start without every parent's consent, with a written justification."
        ),
    )
    tables = [state, decisions, overrides]
    return {"tables": tables, "by_key": {t.key: t for t in tables}}
