"""One rule for "running on a day" and "overdue on a day" (issue 22): the caseload's flag, the triad page,
the reminders and the follow-up report say the same of the same moment on the same day."""

import datetime

import pytest
from django.utils import timezone

from jimcase.models import ReminderSent
from triads import reminders as triad_reminders
from triads import services
from triads.models import CheckIn, EndReason, Triad
from triads.selectors import followup_for, overdue_since
from triads.tests.conftest import OUTCOME, make_found_search, sign_all

TODAY = timezone.localdate


def days(n):
    return datetime.timedelta(days=n)


def close(triad, lead, ended_on=None):
    return services.triad_close(
        **OUTCOME, triad=triad, by=lead, reason=EndReason.OTHER, after_plan="Plan.", ended_on=ended_on
    )


def overdue_reminded(check_in):
    return ReminderSent.objects.filter(key__startswith=f"check-in-overdue:{check_in.pk}:").exists()


def test_the_conversation_after_a_closure_is_reminded_as_the_caseload_flags_it(started_triad, lead):
    """The caseload flagged the overdue conversation after a closure; no reminder mentioned it (fails on c5dfc8a)."""
    close(started_triad, lead)
    after = CheckIn.objects.get(triad=started_triad, kind=CheckIn.Kind.AFTER_CLOSURE)
    CheckIn.objects.filter(pk=after.pk).update(due_on=TODAY() - days(1))
    youth = started_triad.youth
    assert overdue_since([youth.pk], TODAY()) == {youth.pk: TODAY() - days(1)}
    triad_reminders.send_due(TODAY())
    assert overdue_reminded(after)


def test_a_moment_of_an_ended_triad_is_neither_flagged_nor_reminded(started_triad, lead):
    first = started_triad.check_ins.order_by("due_on").first()
    CheckIn.objects.filter(pk=first.pk).update(due_on=TODAY() - days(3))
    close(started_triad, lead)
    assert overdue_since([started_triad.youth_id], TODAY()) == {}
    triad_reminders.send_due(TODAY())
    assert not overdue_reminded(first)


@pytest.fixture
def histories(started_triad, lead, make_youth):
    """Triads through the services in every status, with moments done, removed, moved and after a closure."""
    # Running, in its trial: the first moment made overdue, the second done late, the third removed.
    moments = list(started_triad.check_ins.order_by("due_on"))
    CheckIn.objects.filter(pk=moments[0].pk).update(due_on=TODAY() - days(10))
    CheckIn.objects.filter(pk=moments[1].pk).update(due_on=TODAY() - days(8), done_on=TODAY() - days(2))
    CheckIn.objects.filter(pk=moments[2].pk).update(due_on=TODAY() - days(6), removed_at=timezone.now())
    triads = [started_triad]
    for first_name, how in [("Ada", "draft"), ("Bo", "ended"), ("Cas", "ended_long_ago")]:
        # Of age: no parental consent stands between the signatures and the trial.
        (youth,) = make_youth(first_name=first_name, date_of_birth=TODAY() - days(19 * 366))
        triad = services.triad_create(search=make_found_search(youth, lead), by=lead)
        triads.append(triad)
        if how == "draft":
            continue
        sign_all(triad.current_agreement, lead)
        triad.refresh_from_db()
        assert triad.status == Triad.Status.TRIAL
        moment = triad.check_ins.order_by("due_on").first()
        CheckIn.objects.filter(pk=moment.pk).update(due_on=TODAY() - days(5))
        close(triad, lead)
        after = CheckIn.objects.get(triad=triad, kind=CheckIn.Kind.AFTER_CLOSURE)
        if how == "ended_long_ago":
            # Its conversation after the closure is overdue (as if the closure were weeks ago).
            CheckIn.objects.filter(pk=after.pk).update(due_on=TODAY() - days(2))
    return [Triad.objects.get(pk=triad.pk) for triad in triads]


def test_running_now_and_running_on_today_agree_for_triads_moved_by_the_services(histories):
    assert set(Triad.objects.running()) == set(Triad.objects.running_on(TODAY()))
    assert set(Triad.objects.live()) == set(Triad.objects.live_on(TODAY()))
    assert {t.pk for t in Triad.objects.all() if t.runs_on(TODAY())} == {
        t.pk for t in Triad.objects.running()
    }


def test_the_page_the_caseload_and_the_query_say_the_same_overdue_moments(histories):
    for day in [TODAY() + days(n) for n in range(-12, 40, 3)]:
        by_query = set(CheckIn.objects.overdue_on(day))
        one_by_one = {c for c in CheckIn.objects.select_related("triad") if c.is_overdue_on(day)}
        assert by_query == one_by_one, day
    today = set(CheckIn.objects.overdue())
    assert today == {c for t in histories for c in followup_for(t)["overdue"]}
    # Running: the moment made overdue; ended long ago: its conversation after the closure. Nothing else.
    assert {(c.triad.youth.first_name, c.kind) for c in today} == {
        (histories[0].youth.first_name, CheckIn.Kind.CHECK_IN),
        ("Cas", CheckIn.Kind.AFTER_CLOSURE),
    }
    flagged = overdue_since([t.youth_id for t in histories], TODAY())
    assert flagged == {histories[0].youth_id: TODAY() - days(10), histories[3].youth_id: TODAY() - days(2)}
    triad_reminders.send_due(TODAY())
    assert {c for c in CheckIn.objects.all() if overdue_reminded(c)} == today


def test_a_moment_done_or_removed_after_a_day_was_overdue_on_it(started_triad):
    Triad.objects.filter(pk=started_triad.pk).update(trial_started_on=TODAY() - days(30))
    moment = started_triad.check_ins.order_by("due_on").first()
    CheckIn.objects.filter(pk=moment.pk).update(due_on=TODAY() - days(10), done_on=TODAY() - days(4))
    assert moment in CheckIn.objects.overdue_on(TODAY() - days(5))
    assert moment not in CheckIn.objects.overdue_on(TODAY() - days(4))
    removed_at = timezone.make_aware(datetime.datetime.combine(TODAY() - days(3), datetime.time(23, 30)))
    CheckIn.objects.filter(pk=moment.pk).update(done_on=None, removed_at=removed_at)
    assert moment in CheckIn.objects.overdue_on(TODAY() - days(4))
    assert moment not in CheckIn.objects.overdue_on(TODAY() - days(3))
