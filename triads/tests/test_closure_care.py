"""When a triad ends, the JIM is not just cut off (issue 14): a farewell by e-mail and on the JIM's page, the
lead's conversation with the youth some weeks later (on the caseload like other check-ins), no planned
moments after the last day, and a header that no longer speaks of the trial."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jimcase.tests.html import visible_text, without_tokens
from jimcase.tests.mail import sent
from triads import services
from triads.models import CheckIn, Closure, EndReason
from triads.rules import AFTER_CLOSURE_DAYS
from triads.selectors import overdue_since
from triads.tests.conftest import OUTCOME

TODAY = timezone.localdate


def close(triad, lead, informally=True, ended_on=None):
    return services.triad_close(
        triad=triad,
        by=lead,
        reason=EndReason.GOAL_REACHED,
        after_plan="Verder met de gewone begeleiding.",
        continues_informally=informally,
        ended_on=ended_on,
        **OUTCOME,
    )


def test_planned_moments_after_the_last_day_go_and_the_conversation_after_is_planned(started_triad, lead):
    assert CheckIn.objects.filter(triad=started_triad, due_on__gt=TODAY()).exists()
    planned = set(
        CheckIn.objects.filter(triad=started_triad, due_on__gt=TODAY()).values_list("pk", flat=True)
    )
    close(started_triad, lead)
    left = list(CheckIn.objects.open().filter(triad=started_triad))
    assert [(c.kind, c.due_on) for c in left] == [
        (CheckIn.Kind.AFTER_CLOSURE, TODAY() + datetime.timedelta(days=AFTER_CLOSURE_DAYS))
    ]
    # Kept as removed from the plan, with who removed them.
    removed = CheckIn.objects.filter(pk__in=planned)
    assert {c.removed_by for c in removed} == {lead} and all(c.removed_at for c in removed)


def test_moments_done_or_due_by_the_last_day_stay(started_triad, lead):
    first = CheckIn.objects.filter(triad=started_triad).order_by("due_on").first()
    CheckIn.objects.filter(pk=first.pk).update(due_on=TODAY() - datetime.timedelta(days=3))
    done = CheckIn.objects.create(
        triad=started_triad,
        due_on=TODAY() - datetime.timedelta(days=2),
        done_on=TODAY() - datetime.timedelta(days=2),
    )
    close(started_triad, lead)
    kept = CheckIn.objects.filter(triad=started_triad, removed_at__isnull=True).exclude(kind="after_closure")
    assert set(kept) == {first, done}


@pytest.mark.parametrize(
    "informally,line",
    [
        (True, "Zoals afgesproken mogen jij en Lotte gewoon contact houden."),
        (False, "stopt je contact als JIM hier"),
    ],
)
def test_the_jim_gets_a_thank_you_with_what_was_agreed_and_whom_to_call(
    started_triad, lead, jim, mailoutbox, informally, line
):
    sent().clear()
    close(started_triad, lead, informally=informally)
    (mail,) = [m for m in sent() if m.to == [jim.email]]
    assert "Lotte" in mail.subject and "Bedankt voor alles" in mail.body
    assert line in mail.body
    fallback = started_triad.fallback
    assert f"Bel {fallback}" in mail.body
    assert "Vermeulen" not in mail.body  # the youth's first name only


def test_a_jim_without_an_account_is_written_to_at_the_profiles_address(started_triad, lead, mailoutbox):
    profile = started_triad.jim_profile
    type(profile).objects.filter(pk=profile.pk).update(user=None)
    started_triad.refresh_from_db()
    sent().clear()
    close(started_triad, lead)
    assert [m.to for m in sent()] == [[profile.email]]


def test_the_jims_page_says_goodbye_instead_of_nothing_here_yet(login, started_triad, lead, jim):
    close(started_triad, lead)
    client = login(jim)
    response = client.get(reverse("triads:mine"))
    body = without_tokens(response)
    assert response.status_code == 200
    assert "Bedankt dat je de JIM van Lotte was" in body
    assert "Zoals afgesproken mogen jij en Lotte gewoon contact houden." in body
    assert "Hier staat nog niets" not in body
    # The triad itself stays closed to the JIM.
    assert client.get(reverse("triads:jim_triad", args=[started_triad.pk])).status_code == 404
    # Some weeks on, the farewell is gone.
    Closure.objects.filter(triad=started_triad).update(ended_on=TODAY() - datetime.timedelta(days=61))
    assert "Bedankt dat je" not in visible_text(client.get(reverse("triads:mine")))


def test_another_jim_never_sees_the_farewell(login, started_triad, lead, other_jim):
    close(started_triad, lead)
    assert "Lotte" not in without_tokens(login(other_jim).get(reverse("triads:mine")))


def test_the_conversation_after_the_closure_is_on_the_caseload_when_due(login, started_triad, lead):
    close(started_triad, lead)
    youth = started_triad.youth
    assert overdue_since([youth.pk], TODAY()) == {}
    after = CheckIn.objects.get(triad=started_triad, kind=CheckIn.Kind.AFTER_CLOSURE)
    CheckIn.objects.filter(pk=after.pk).update(due_on=TODAY() - datetime.timedelta(days=1))
    assert overdue_since([youth.pk], TODAY()) == {youth.pk: TODAY() - datetime.timedelta(days=1)}
    client = login(lead)
    assert "check-in-overdue" in client.get(reverse("jimcase:caseload")).content.decode()
    page = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "na de afsluiting: hoe gaat het zonder JIM?" in page
    done = client.post(reverse("triads:check_in_done", args=[started_triad.pk, after.pk]))
    assert done.status_code == 302
    after.refresh_from_db()
    assert after.done_on == TODAY()
    assert overdue_since([youth.pk], TODAY()) == {}


def test_other_moments_of_an_ended_triad_cannot_be_marked_done(login, started_triad, lead):
    first = CheckIn.objects.filter(triad=started_triad).order_by("due_on").first()
    CheckIn.objects.filter(pk=first.pk).update(due_on=TODAY() - datetime.timedelta(days=3))
    close(started_triad, lead)
    login(lead).post(reverse("triads:check_in_done", args=[started_triad.pk, first.pk]))
    first.refresh_from_db()
    assert first.done_on is None


def test_the_closed_triads_header_no_longer_speaks_of_the_trial(login, started_triad, lead):
    page = reverse("triads:detail", args=[started_triad.pk])
    client = login(lead)
    assert "proefperiode tot" in client.get(page).content.decode()
    close(started_triad, lead)
    body = without_tokens(client.get(page))
    assert "proefperiode tot" not in body
    assert f"afgesloten op {TODAY():%d-%m-%Y}" in body


def test_a_check_in_of_a_running_triad_can_be_marked_done(login, started_triad, lead):
    first = CheckIn.objects.open().filter(triad=started_triad).order_by("due_on").first()
    response = login(lead).post(reverse("triads:check_in_done", args=[started_triad.pk, first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.done_on == TODAY()


def test_another_professional_cannot_mark_a_moment_done(login, started_triad, stranger):
    first = CheckIn.objects.open().filter(triad=started_triad).order_by("due_on").first()
    response = login(stranger).post(reverse("triads:check_in_done", args=[started_triad.pk, first.pk]))
    assert response.status_code == 404
    first.refresh_from_db()
    assert first.done_on is None
