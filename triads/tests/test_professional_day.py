"""The professional's day (issue 14): urgent "Denk even mee" questions on the caseload, destructive
actions that ask first, and who removed or moved a planned moment and when."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jimcase.models import Youth
from jimcase.tests.html import without_tokens
from triads import sections, selectors, services
from triads.followup_forms import EvaluationForm
from triads.models import CheckIn, CheckInMove, FallbackRequest
from triads.tests.conftest import assign_backup

Kind = CheckIn.Kind


def days(n):
    return datetime.timedelta(days=n)


def today():
    return timezone.localdate()


def ask(triad, message="Kan je even bellen?", urgent=True):
    return services.fallback_request_send(
        triad=triad, by=triad.jim_profile.user, message=message, urgent=urgent
    )


def caseload(client, **params):
    return without_tokens(client.get(reverse("jimcase:caseload"), params))


def removable(triad):
    return triad.check_ins.open().filter(kind=Kind.CHECK_IN).order_by("due_on").first()


# --- 1. An urgent question shows on the caseload --------------------------------------------------


def test_an_urgent_question_flags_the_youth_and_is_counted_at_the_top_of_the_caseload(
    login, started_triad, lead
):
    client = login(lead)
    assert "fallback-urgent" not in caseload(client)
    ask(started_triad, urgent=False)
    assert "fallback-urgent" not in caseload(
        client
    )  # a question that can wait: the file and the triad say it
    ask(started_triad, "Lotte is weggelopen.")
    ask(started_triad, "Ze neemt niet op.")
    body = caseload(client)
    youth_url = reverse("jimcase:youth_detail", args=[started_triad.youth_id])
    row = re.search(rf'<tr>\s*<td><a href="{youth_url}">.*?</tr>', body, re.S).group(0)
    assert 'class="badge text-bg-danger fallback-urgent"' in row and "dringend: denk even mee" in row
    top = re.search(r'<div class="alert alert-danger fallback-urgent-count".*?</div>', body, re.S).group(0)
    assert "2 dringende vragen van JIM&#x27;s wachten op jou om mee te denken:" in top
    assert f'href="{reverse("triads:detail", args=[started_triad.pk])}#h-requests"' in top
    assert "Lotte (BRUG-0001)" in top and "Vermeulen" not in top
    # The youth's file carries the flag's long text too.
    file = client.get(reverse("jimcase:youth_detail", args=[started_triad.youth_id])).content.decode()
    assert "De JIM vraagt dringend om mee te denken: 2 vragen" in file


def test_the_count_covers_the_whole_caseload_whatever_the_filter(login, started_triad, lead, make_youth):
    make_youth(1)
    ask(started_triad)
    body = caseload(login(lead), stage=Youth.Stage.SEARCHING)
    assert "Lotte" not in body.split("fallback-urgent-count", 1)[0]
    assert "Eén dringende vraag van een JIM wacht op jou om mee te denken:" in body
    assert "text-bg-danger fallback-urgent" not in body  # the youth's row is filtered away


def test_a_handled_question_leaves_the_caseload(login, started_triad, lead):
    request = ask(started_triad)
    client = login(lead)
    assert "fallback-urgent" in caseload(client)
    client.post(reverse("triads:fallback_handle", args=[started_triad.pk, request.pk]), {"answer": "Gebeld."})
    assert "fallback-urgent" not in caseload(client)


def test_only_professionals_who_see_the_youth_see_the_urgent_question(login, started_triad, lead, colleague):
    ask(started_triad, "Lotte is weggelopen.")
    assert "fallback-urgent" not in caseload(login(colleague))
    assign_backup(started_triad.youth, colleague, lead)
    assert "fallback-urgent-count" in caseload(login(colleague))


def test_the_caseload_runs_the_same_queries_with_more_urgent_questions(
    login, started_triad, lead, make_youth, django_assert_num_queries
):
    ask(started_triad)
    client = login(lead)
    client.get(reverse("jimcase:caseload"))  # warm up: session, content types
    with django_assert_num_queries(9, info="one youth, one urgent question"):
        client.get(reverse("jimcase:caseload"))
    make_youth(5)
    for _i in range(4):
        ask(started_triad)
    with django_assert_num_queries(9, info="six youths, five urgent questions"):
        body = caseload(client)
    assert "5 dringende vragen" in body
    # One link per triad, however many questions it has.
    assert body.count(f"{reverse('triads:detail', args=[started_triad.pk])}#h-requests") == 1


# --- 3. Removing and moving are recorded ---------------------------------------------------------


def test_removing_keeps_the_moment_with_who_and_when_and_only_once(started_triad, lead, colleague):
    moment = removable(started_triad)
    before = timezone.now()
    services.check_in_cancel(check_in=moment, by=lead)
    moment.refresh_from_db()
    assert moment.removed_by == lead and before <= moment.removed_at <= timezone.now()
    with pytest.raises(ValidationError, match="al geschrapt"):
        services.check_in_cancel(check_in=CheckIn.objects.get(pk=moment.pk), by=colleague)
    # A stale copy of the moment (a second tab) cannot remove, move or complete it either.
    stale = CheckIn.objects.get(pk=moment.pk)
    stale.removed_at = None
    with pytest.raises(ValidationError):
        services.check_in_move(check_in=stale, due_on=today() + days(9), by=colleague)
    moment.refresh_from_db()
    assert moment.removed_by == lead and not moment.moves.exists()


def test_each_move_is_recorded_with_the_day_it_had(started_triad, lead, colleague):
    moment = removable(started_triad)
    first_day = moment.due_on
    services.check_in_move(check_in=moment, due_on=first_day + days(2), by=lead)
    services.check_in_move(check_in=moment, due_on=first_day + days(2), by=lead)  # same day: no move
    services.check_in_move(check_in=moment, due_on=first_day + days(5), by=colleague)
    moves = list(CheckInMove.objects.filter(check_in=moment).values_list("was_due_on", "due_on", "by"))
    assert moves == [
        (first_day, first_day + days(2), lead.pk),
        (first_day + days(2), first_day + days(5), colleague.pk),
    ]


def test_a_removed_moment_cannot_be_evaluated_or_marked_done(started_triad, lead):
    moment = removable(started_triad)
    services.check_in_cancel(check_in=moment, by=lead)
    with pytest.raises(ValidationError):
        services.check_in_done(check_in=moment, on=today(), by=lead)
    with pytest.raises(ValidationError):
        services.evaluation_record(triad=started_triad, by=lead, held_on=today(), score=4, check_in=moment)
    assert moment.pk not in [
        pk for pk, _label in EvaluationForm(triad=started_triad).fields["check_in"].choices
    ]


def test_the_page_of_a_removed_moment_is_404(login, started_triad, lead):
    moment = removable(started_triad)
    services.check_in_cancel(check_in=moment, by=lead)
    client = login(lead)
    for name in ("triads:check_in_move", "triads:check_in_cancel"):
        assert client.get(reverse(name, args=[started_triad.pk, moment.pk])).status_code == 404


def test_a_removed_moment_is_never_overdue_reminded_or_next(login, started_triad, lead, jim, mailoutbox):
    moments = list(started_triad.check_ins.open().filter(kind=Kind.CHECK_IN).order_by("due_on"))
    for moment in moments:
        services.check_in_cancel(check_in=moment, by=lead)
    late = moments[0].due_on + days(1)
    youth_id = started_triad.youth_id
    assert selectors.overdue_since([youth_id], late) == {}
    assert sections.youth_flags([youth_id], late) == {}
    assert not CheckIn.objects.overdue(late).exists()
    mailoutbox.clear()
    call_command("send_reminders", "--today", late.isoformat(), stdout=io.StringIO())
    assert not [m for m in mailoutbox if "achterstallig" in m.subject]
    # The JIM's page names the next moment that still stands: the trial evaluation.
    body = login(jim).get(reverse("triads:jim_triad", args=[started_triad.pk])).content.decode()
    section = body.split('id="h-next"', 1)[1].split("</section>", 1)[0]
    assert started_triad.trial_ends_on.strftime("%d-%m-%Y") in section
    assert moments[0].due_on.strftime("%d-%m-%Y") not in section


def test_a_moment_cannot_be_both_done_and_removed_in_the_database(started_triad, lead):
    moment = removable(started_triad)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.filter(pk=moment.pk).update(done_on=today(), removed_at=timezone.now())


def test_the_file_section_leaves_out_a_removed_overdue_moment(started_triad, lead):
    moment = removable(started_triad)
    services.check_in_move(check_in=moment, due_on=today(), by=lead)
    CheckIn.objects.filter(pk=moment.pk).update(due_on=today() - days(3))
    assert sections.triad_section(None, started_triad.youth)["context"]["overdue"] == [moment]
    services.check_in_cancel(check_in=moment, by=lead)
    assert sections.triad_section(None, started_triad.youth)["context"]["overdue"] == []


def test_the_handled_request_records_who_and_when(started_triad, lead):
    request = ask(started_triad)
    services.fallback_request_handle(request=request, by=lead, answer="We bellen donderdag samen.")
    request.refresh_from_db()
    assert request.status == FallbackRequest.Status.HANDLED
    assert request.handled_by == lead and request.handled_at is not None
