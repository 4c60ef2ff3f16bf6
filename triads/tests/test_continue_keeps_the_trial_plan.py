"""Deciding "continue" removes what is left of the trial plan, and keeps it (issue 22).

The old code deleted the trial plan's open moments, so a moment the caseload showed overdue on a day before
the decision vanished from the follow-up report for that day. Now they are removed from the plan as any
removed moment: kept, with who removed them and when.
"""

import datetime

import time_machine
from django.urls import reverse

from jimcase.tests.clock import BRUSSELS, TODAY
from reports.selectors import Filters, followup_figures
from reports.tests.helpers import name
from triads import services
from triads.models import CheckIn, Evaluation

DECIDED_ON = TODAY + datetime.timedelta(days=20)
EARLY = "Alles loopt goed; we wachten niet tot het einde."


def on(day, hour=10):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), tzinfo=BRUSSELS), tick=False
    )


def test_continue_keeps_the_trial_plans_moments_as_removed_and_the_past_overdue_stays(
    started_triad, lead, login
):
    triad = started_triad
    first = triad.check_ins.order_by("due_on").first()
    assert first.kind == CheckIn.Kind.CHECK_IN and TODAY < first.due_on < DECIDED_ON
    left_over = set(triad.check_ins.open().values_list("pk", flat=True))
    overdue_day = first.due_on + datetime.timedelta(days=1)
    assert list(CheckIn.objects.overdue_on(overdue_day)) == [first]

    with on(DECIDED_ON):
        services.evaluation_record(
            triad=triad,
            by=lead,
            held_on=DECIDED_ON,
            score=4,
            decision=Evaluation.Decision.CONTINUE,
            early_reason=EARLY,
        )
    # Nothing of the trial plan is gone: each open moment is removed by the lead at the decision.
    kept = triad.check_ins.filter(pk__in=left_over)
    assert set(kept.values_list("pk", flat=True)) == left_over
    assert {(c.removed_by, c.removed_at.date()) for c in kept} == {(lead, DECIDED_ON)}
    assert not triad.check_ins.open().filter(pk__in=left_over).exists()
    # The day before the decision still shows the moment that was overdue then; the report agrees.
    assert list(CheckIn.objects.overdue_on(overdue_day)) == [first]
    assert first not in CheckIn.objects.overdue_on(DECIDED_ON)
    filters = Filters(date_from=TODAY, date_to=overdue_day, organisation_id=triad.youth.organisation_id)
    assert followup_figures(filters)["overdue_by_lead"] == [(name(lead), 1)]
    # The triad page lists them as removed, with who and when, as any moment removed from the plan.
    with on(DECIDED_ON, hour=11):
        html = login(lead).get(reverse("triads:detail", args=[triad.pk])).content.decode()
    assert html.count("check-in-removed") == len(left_over)
