"""Follow-up services: the check-in schedule, overdue moments, trial decisions and closure."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms

from jimcase.models import Note, Youth
from jimcase.tests.clock import TODAY
from mentors.models import Search
from mentors.services import search_start
from triads import rules, sections, selectors, services
from triads.models import Agreement, CheckIn, Closure, EndReason, Evaluation, Triad
from triads.rules import AFTER_CLOSURE_DAYS
from triads.tests.conftest import OUTCOME

Kind = CheckIn.Kind
Decision = Evaluation.Decision


def days(n):
    return datetime.timedelta(days=n)


def today():
    return timezone.localdate()


def trial_evaluation(triad):
    return triad.check_ins.get(kind=Kind.TRIAL_EVALUATION)


#: A decision on the trial's first day needs its reason (issue 14); these tests decide on that day.
EARLY = "Alles loopt goed; we wachten niet tot het einde."


def evaluate(triad, by, **kwargs):
    kwargs.setdefault("held_on", today())
    kwargs.setdefault("score", 4)
    return services.evaluation_record(triad=triad, by=by, **kwargs)


# --- The schedule -------------------------------------------------------------------------------


def test_a_90_day_trial_has_two_check_ins_in_the_first_month_then_monthly_and_the_evaluation_last():
    start = datetime.date(2026, 1, 5)
    plan = rules.schedule_for(start=start, trial_ends_on=start + days(90))
    assert plan == [
        (Kind.CHECK_IN, start + days(14)),
        (Kind.CHECK_IN, start + days(28)),
        (Kind.CHECK_IN, start + days(58)),
        (Kind.TRIAL_EVALUATION, start + days(90)),
    ]
    first_month = [d for _kind, d in plan if d <= start + days(30)]
    assert len(first_month) == 2
    gaps = [(b - a).days for (_k1, a), (_k2, b) in zip(plan[1:], plan[2:], strict=False)]
    assert all(28 <= gap <= 32 for gap in gaps[:-1])


def test_a_60_day_trial_has_no_check_in_crowding_the_evaluation():
    start = datetime.date(2026, 3, 1)
    plan = rules.schedule_for(start=start, trial_ends_on=start + days(60))
    assert plan == [
        (Kind.CHECK_IN, start + days(14)),
        (Kind.CHECK_IN, start + days(28)),
        (Kind.TRIAL_EVALUATION, start + days(60)),
    ]
    assert plan[-1][0] == Kind.TRIAL_EVALUATION


def test_a_long_trial_is_monthly_after_the_first_month():
    start = datetime.date(2026, 1, 1)
    plan = rules.schedule_for(start=start, trial_ends_on=start + days(180))
    dates = [d for _kind, d in plan[:-1]]
    assert dates[:2] == [start + days(14), start + days(28)]
    assert all((b - a).days == 30 for a, b in zip(dates[1:], dates[2:], strict=False))
    assert (plan[-1][1] - dates[-1]).days >= rules.MIN_DAYS_BEFORE_EVALUATION


def test_the_trial_start_plans_the_schedule_and_the_next_check_in(started_triad):
    triad = started_triad
    planned = list(triad.check_ins.values_list("kind", "due_on"))
    assert planned == rules.schedule_for(start=triad.trial_started_on, trial_ends_on=triad.trial_ends_on)
    assert first_open(triad.youth) == triad.trial_started_on + days(14)


def first_open(youth):
    """The earliest planned moment of the youth's running triads that has not taken place (or None)."""
    return selectors.overdue_since([youth.pk], today() + days(3650)).get(youth.pk)


# --- Overdue ------------------------------------------------------------------------------------


def test_overdue_is_an_open_moment_before_the_given_today(started_triad, lead):
    triad = started_triad
    first = triad.check_ins.order_by("due_on").first()
    assert not CheckIn.objects.overdue(first.due_on).exists()
    assert list(CheckIn.objects.overdue(first.due_on + days(1))) == [first]
    services.check_in_done(check_in=first, on=today(), by=lead)
    assert not CheckIn.objects.overdue(first.due_on + days(1)).exists()
    assert first_open(triad.youth) == triad.trial_started_on + days(28)


def test_the_youth_is_flagged_overdue_once_the_next_check_in_has_passed(started_triad):
    youth, first = started_triad.youth, started_triad.trial_started_on + days(14)
    assert sections.youth_flags([youth.pk], first) == {}
    flags = sections.youth_flags([youth.pk], first + days(1))[youth.pk]
    assert [flag.short for flag in flags] == ["opvolging te laat"]
    assert first.strftime("%d-%m-%Y") in flags[0].long


def test_only_a_running_triad_flags_its_youth(started_triad, lead):
    youth, later = started_triad.youth, started_triad.trial_started_on + days(15)
    assert youth.pk in sections.youth_flags([youth.pk], later)
    services.triad_close(
        **OUTCOME, triad=started_triad, by=lead, reason=EndReason.MOVED_AWAY, after_plan="Overdracht."
    )
    assert sections.youth_flags([youth.pk], later) == {}


def test_planning_moving_and_cancelling_move_the_next_check_in(started_triad, lead):
    triad, youth = started_triad, started_triad.youth
    early = services.check_in_plan(triad=triad, due_on=today() + days(3), by=lead)
    assert first_open(youth) == today() + days(3)
    services.check_in_move(check_in=early, due_on=today() + days(5), by=lead)
    assert first_open(youth) == today() + days(5)
    services.check_in_cancel(check_in=early, by=lead)
    assert first_open(youth) == triad.trial_started_on + days(14)


def test_the_trial_evaluation_cannot_be_cancelled_and_a_done_moment_not_moved(started_triad, lead):
    with pytest.raises(ValidationError):
        services.check_in_cancel(check_in=trial_evaluation(started_triad), by=lead)
    first = started_triad.check_ins.order_by("due_on").first()
    services.check_in_done(check_in=first, on=today(), by=lead)
    with pytest.raises(ValidationError):
        services.check_in_move(check_in=first, due_on=today() + days(3), by=lead)


def test_an_ended_triad_takes_no_plan_changes(started_triad, lead):
    moment = started_triad.check_ins.order_by("due_on").first()
    services.triad_close(
        **OUTCOME, triad=started_triad, by=lead, reason=EndReason.OTHER, after_plan="Verder met Anna."
    )
    moment.refresh_from_db()
    moment.triad.refresh_from_db()
    for call in (
        lambda: services.check_in_plan(triad=moment.triad, due_on=today(), by=lead),
        lambda: services.check_in_move(check_in=moment, due_on=today() + days(2), by=lead),
        lambda: services.check_in_cancel(check_in=moment, by=lead),
    ):
        with pytest.raises(ValidationError):
            call()
    assert CheckIn.objects.filter(pk=moment.pk, due_on=moment.due_on).exists()


# --- Evaluations and the trial decision ---------------------------------------------------------


def test_continue_makes_the_triad_active_with_a_monthly_plan(started_triad, lead):
    triad = started_triad
    evaluate(triad, lead, decision=Decision.CONTINUE, check_in=trial_evaluation(triad), early_reason=EARLY)
    triad.refresh_from_db()
    assert triad.status == Triad.Status.ACTIVE and triad.activated_on == today()
    assert triad.history.last().to_status == Triad.Status.ACTIVE
    open_moments = list(triad.check_ins.open().order_by("due_on"))
    assert [c.due_on for c in open_moments] == [today() + days(30 * m) for m in range(1, 13)]
    assert [c.kind for c in open_moments[:3]] == [Kind.CHECK_IN, Kind.CHECK_IN, Kind.EVALUATION]
    # What was left of the trial plan is gone: no trial moment can turn overdue later.
    assert not triad.check_ins.open().filter(kind=Kind.TRIAL_EVALUATION).exists()
    assert trial_evaluation(triad).done_on == today()
    assert first_open(triad.youth) == today() + days(30)


def test_continue_before_the_trial_end_drops_the_rest_of_the_trial_plan(started_triad, lead):
    triad = started_triad
    evaluate(triad, lead, decision=Decision.CONTINUE, early_reason=EARLY)  # not tied to a planned moment
    assert not triad.check_ins.open().filter(kind=Kind.TRIAL_EVALUATION).exists()
    assert triad.check_ins.get(kind=Kind.TRIAL_EVALUATION).removed_by == lead  # kept, removed by the lead
    assert not CheckIn.objects.overdue(triad.trial_ends_on + days(1)).filter(kind=Kind.TRIAL_EVALUATION)


def test_adjust_makes_a_new_agreement_version_and_the_trial_goes_on(started_triad, lead):
    triad = started_triad
    old_end = triad.trial_ends_on
    evaluate(triad, lead, decision=Decision.ADJUST, check_in=trial_evaluation(triad), early_reason=EARLY)
    triad.refresh_from_db()
    assert triad.status == Triad.Status.TRIAL
    versions = dict(triad.agreements.values_list("version", "status"))
    assert versions == {1: Agreement.Status.SUPERSEDED, 2: Agreement.Status.DRAFT}
    # The trial goes on, so it has a new end with its own evaluation.
    assert triad.trial_ends_on == max(old_end, today() + days(30))
    assert triad.check_ins.open().filter(kind=Kind.TRIAL_EVALUATION, due_on=triad.trial_ends_on).exists()


def test_end_keeps_the_trial_until_the_closure_is_recorded(started_triad, lead, jim):
    triad = started_triad
    evaluate(triad, lead, decision=Decision.END, check_in=trial_evaluation(triad), early_reason=EARLY)
    triad.refresh_from_db()
    assert triad.status == Triad.Status.TRIAL
    services.triad_close(
        **OUTCOME, triad=triad, by=lead, reason=EndReason.YOUTH_CHOICE, after_plan="Gesprekken met Anna."
    )
    triad.refresh_from_db()
    assert triad.status == Triad.Status.ENDED


def test_a_decision_is_refused_outside_the_trial(started_triad, lead):
    evaluate(started_triad, lead, decision=Decision.CONTINUE, early_reason=EARLY)
    with pytest.raises(ValidationError) as error:
        evaluate(started_triad, lead, decision=Decision.ADJUST)
    assert "decision" in error.value.message_dict
    assert started_triad.evaluations.count() == 1


def test_a_draft_triad_is_not_evaluated(triad, lead):
    with pytest.raises(ValidationError):
        evaluate(triad, lead)
    assert not Evaluation.objects.exists()


def test_an_evaluation_in_the_future_is_refused(started_triad, lead):
    with pytest.raises(ValidationError):
        evaluate(started_triad, lead, held_on=today() + days(1))
    assert not Evaluation.objects.exists()


def test_the_evaluation_text_becomes_a_note_with_the_chosen_flags(started_triad, lead):
    evaluation = evaluate(
        started_triad,
        lead,
        text="  Het loopt goed; Lotte wil de afspraken houden.  ",
        participants={"with_parents": True, "with_jim": False},
        note_flags={
            "in_confidence": True,
            "for_court": False,
            "third_party_only": False,
            "withheld_for_youth": False,
        },
    )
    note = evaluation.note
    assert note.youth == started_triad.youth and note.author == lead and note.written_on == today()
    assert note.text == "Het loopt goed; Lotte wil de afspraken houden."
    assert note.in_confidence and not hasattr(note, "jim_share")
    assert not note.for_court and not note.third_party_only and not note.withheld_for_youth
    assert evaluation.with_parents and not evaluation.with_jim and evaluation.with_youth


def test_an_evaluation_shared_with_the_jim_is_shared_with_this_triad_only(started_triad, lead):
    evaluation = evaluate(started_triad, lead, text="Gedeeld met Wilma.", share_with_jim_on=today())
    share = evaluation.note.jim_share
    assert (share.triad, share.agreed_on, share.by) == (started_triad, today(), lead)


def test_a_confidential_evaluation_is_never_shared_and_nothing_is_saved(started_triad, lead):
    notes = Note.objects.count()
    with pytest.raises(ValidationError):
        evaluate(
            started_triad,
            lead,
            text="Gedeeld?",
            note_flags={"in_confidence": True},
            share_with_jim_on=today(),
        )
    assert Note.objects.count() == notes and not Evaluation.objects.exists()


def test_a_moment_of_another_triad_is_refused(started_triad, other_triad, lead, stranger):
    foreign = CheckIn.objects.create(triad=other_triad, due_on=today())
    with pytest.raises(ValidationError):
        evaluate(started_triad, lead, check_in=foreign)


# --- Closure ------------------------------------------------------------------------------------


def test_closure_records_everything_and_revokes_the_jims_access_at_once(started_triad, lead, jim, login):
    triad = started_triad
    assert jim.has_perm("triads.view_triad", triad)
    closure = services.triad_close(
        **OUTCOME,
        triad=triad,
        by=lead,
        reason=EndReason.GOAL_REACHED,
        ended_on=today() - days(1),
        exit_youth="Lotte is trots.",
        exit_jim="Wilma blijft in de buurt.",
        continues_informally=True,
        after_plan="Lotte gaat verder met de begeleiding op school.",
    )
    triad.refresh_from_db()
    assert triad.status == Triad.Status.ENDED and triad.ended_on == today() - days(1)
    assert closure.continues_informally and closure.exit_jim and closure.by == lead
    last = triad.history.last()
    assert (last.from_status, last.to_status, last.by) == ("trial", "ended", lead)
    # Stored as a code, read in the reader's language.
    assert (last.why, last.why_text) == (EndReason.GOAL_REACHED, EndReason.GOAL_REACHED.label)
    assert "view_triad" not in get_perms(jim, triad)
    assert login(jim).get(reverse("triads:jim_triad", args=[triad.pk])).status_code == 404


def test_closure_keeps_the_history_on_the_youths_file(started_triad, lead):
    triad = started_triad
    evaluate(triad, lead, text="Goed gesprek.")
    services.triad_close(
        **OUTCOME, triad=triad, by=lead, reason=EndReason.MOVED_AWAY, after_plan="Overdracht naar Gent."
    )
    youth = Youth.objects.get(pk=triad.youth_id)
    # What is left to do is the lead's conversation with the youth four weeks on (issue 14).
    assert youth.stage == Youth.Stage.TRIAD_ENDED and first_open(youth) == today() + days(AFTER_CLOSURE_DAYS)
    assert youth.triads.get().agreements.count() == 1
    # The plan is kept: the 4 moments (the later ones removed from it) and the conversation after.
    assert triad.evaluations.count() == 1 and triad.check_ins.count() == 5
    assert youth.notes.filter(text="Goed gesprek.").exists()
    assert triad.history.count() == 3


def test_closure_needs_an_after_plan_and_saves_nothing_without(started_triad, lead, jim):
    for plan in ("", "   "):
        with pytest.raises(ValidationError) as error:
            services.triad_close(
                **OUTCOME, triad=started_triad, by=lead, reason=EndReason.OTHER, after_plan=plan
            )
        assert "after_plan" in error.value.message_dict
    started_triad.refresh_from_db()
    assert started_triad.status == Triad.Status.TRIAL and not Closure.objects.exists()
    assert jim.has_perm("triads.view_triad", started_triad)


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"reason": "bored"}, "reason"),
        ({"ended_on": TODAY + datetime.timedelta(days=1)}, "ended_on"),  # the tests' day (clock.TODAY)
    ],
)
def test_a_bad_reason_or_a_future_end_is_refused_and_changes_nothing(
    started_triad, lead, jim, overrides, field
):
    kwargs = {"reason": EndReason.OTHER, "after_plan": "Plan.", **overrides}
    with pytest.raises(ValidationError) as error:
        services.triad_close(**OUTCOME, triad=started_triad, by=lead, **kwargs)
    assert field in error.value.message_dict
    started_triad.refresh_from_db()
    assert started_triad.status == Triad.Status.TRIAL and not Closure.objects.exists()
    assert jim.has_perm("triads.view_triad", started_triad)


def test_after_closure_the_youth_can_start_a_new_search(started_triad, lead):
    services.triad_close(
        **OUTCOME, triad=started_triad, by=lead, reason=EndReason.JIM_STOPS, after_plan="Nieuwe wie-vraag."
    )
    search = search_start(youth=started_triad.youth, by=lead)
    assert search.status == Search.Status.OPEN
    youth = Youth.objects.get(pk=started_triad.youth_id)
    assert youth.stage == Youth.Stage.SEARCHING
    assert youth.triads.get().status == Triad.Status.ENDED  # the old triad stays on the file
