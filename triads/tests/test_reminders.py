"""`manage.py send_reminders`: each kind of reminder, to the right person, once, naming the youth sparingly."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from jimcase import services as case_services
from jimcase.models import CaseAssignment, ParentGuardian, ReminderSent
from jimcase.services import assignment_add
from jimcase.tests.mail import sent as sent_mail
from mentors import reminders as mentor_reminders
from mentors.services import search_start, search_stop
from triads import reminders as triad_reminders
from triads import services
from triads.models import CheckIn, EndReason, FallbackRequest, Party, SigningLink
from triads.tests.conftest import OUTCOME, assign_backup, sign_all

LAST_NAME = "Vermeulen"


def days(n):
    return datetime.timedelta(days=n)


def run(today):
    """Run every reminder for `today` in Dutch, like the command; return the mails sent by this run."""
    before = len(sent_mail())
    with translation.override("nl-be"):
        mentor_reminders.send_due(today) + triad_reminders.send_due(today)
    return sent_mail()[before:]


def command(today):
    out = StringIO()
    before = len(sent_mail())
    call_command("send_reminders", "--today", today.isoformat(), stdout=out)
    return sent_mail()[before:], out.getvalue()


def assert_discreet(message, youth, path):
    """First name and case number, never the last name; a link to the page."""
    text = message.subject + "\n" + message.body
    assert youth.first_name in text and youth.case_number in text
    assert youth.last_name not in text
    assert settings.SITE_URL + path in message.body


def first_moment(triad):
    return triad.check_ins.order_by("due_on").first()


@pytest.fixture(autouse=True)
def _empty_outbox(mailoutbox):
    mailoutbox.clear()


# --- Overdue check-ins --------------------------------------------------------------------------


def test_an_overdue_check_in_is_sent_to_the_lead_once(started_triad, lead):
    moment = first_moment(started_triad)
    assert run(moment.due_on) == []  # due today: not overdue yet
    sent = run(moment.due_on + days(1))
    assert len(sent) == 1
    message = sent[0]
    assert message.to == [lead.email]
    assert "achterstallig" in message.subject
    assert moment.due_on.strftime("%d-%m-%Y") in message.body
    assert_discreet(message, started_triad.youth, reverse("triads:detail", args=[started_triad.pk]))
    assert run(moment.due_on + days(1)) == []
    assert run(moment.due_on + days(2)) == []


def test_each_overdue_moment_gets_its_own_reminder(started_triad):
    moments = list(started_triad.check_ins.order_by("due_on")[:2])
    sent = run(moments[1].due_on + days(1))
    assert len(sent) == 2
    for moment in moments:
        assert sum(moment.due_on.strftime("%d-%m-%Y") in message.body for message in sent) == 1


def test_a_moved_moment_missed_again_is_reminded_again(started_triad, lead):
    moment = first_moment(started_triad)
    first_due = moment.due_on
    assert len(run(first_due + days(1))) == 1
    services.check_in_move(check_in=moment, due_on=first_due + days(3), by=lead)
    assert run(first_due + days(2)) == []
    assert run(first_due + days(3)) == []
    assert len(run(first_due + days(4))) == 1


def test_a_done_moment_or_an_ended_triad_sends_nothing(started_triad, lead):
    moment = first_moment(started_triad)
    services.check_in_done(check_in=moment, on=timezone.localdate(), by=lead)
    assert run(moment.due_on + days(1)) == []
    services.triad_close(**OUTCOME, triad=started_triad, by=lead, reason=EndReason.OTHER, after_plan="Plan.")
    # Of the ended triad, only the lead's conversation after the closure is still followed up (issue 22).
    (message,) = run(started_triad.trial_ends_on + days(5))
    assert "na de afsluiting" in message.body


# --- The trial's end ----------------------------------------------------------------------------


def trial_end_mails(sent):
    return [m for m in sent if "proefperiode" in m.subject]


def test_the_lead_hears_a_week_before_the_trial_ends(started_triad, lead):
    end = started_triad.trial_ends_on
    # Earlier moments are done, so only the trial's end speaks.
    started_triad.check_ins.exclude(kind=CheckIn.Kind.TRIAL_EVALUATION).update(done_on=timezone.localdate())
    assert run(end - days(8)) == []
    sent = run(end - days(7))
    assert len(sent) == 1 and trial_end_mails(sent) == sent
    assert sent[0].to == [lead.email]
    assert end.strftime("%d-%m-%Y") in sent[0].subject
    assert_discreet(sent[0], started_triad.youth, reverse("triads:detail", args=[started_triad.pk]))
    assert trial_end_mails(run(end - days(3))) == []
    assert trial_end_mails(run(end)) == []


def test_no_trial_end_reminder_for_an_active_triad(started_triad, lead):
    services.evaluation_record(
        triad=started_triad,
        by=lead,
        held_on=timezone.localdate(),
        score=4,
        decision="continue",
        early_reason="Het loopt goed.",
    )
    assert trial_end_mails(run(started_triad.trial_ends_on - days(2))) == []


# --- The wie-vraag past 60 and 90 days ----------------------------------------------------------


def test_a_long_search_reminds_the_lead_at_60_and_again_past_90_days(make_youth, lead, colleague):
    (youth,) = make_youth(first_name="Mira", last_name="Zoekers", case_number="BRUG-0060")
    today = timezone.localdate()
    assignment_add(
        youth=youth, professional=colleague, role=CaseAssignment.Role.BACKUP, starts_on=today, by=lead
    )
    # The lead's assignment starts today, so the runs look ahead from today.
    start = today - days(59)
    search = search_start(youth=youth, by=lead, started_on=start)
    assert run(start + days(59)) == []
    at_60 = run(start + days(60))
    assert len(at_60) == 1 and at_60[0].to == [lead.email]
    assert "60" in at_60[0].subject
    assert_discreet(at_60[0], youth, reverse("mentors:search", args=[youth.pk]))
    assert run(start + days(75)) == []
    assert run(start + days(90)) == []  # 90 days is the limit itself; past it comes the second reminder
    past_90 = run(start + days(91))
    assert len(past_90) == 1 and past_90[0].to == [lead.email]
    assert "91" in past_90[0].subject
    assert_discreet(past_90[0], youth, reverse("mentors:search", args=[youth.pk]))
    assert run(start + days(100)) == []
    assert ReminderSent.objects.filter(key__startswith="search-").count() == 2
    search_stop(search=search, reason=search.StopReason.values[0], next_step="Verder zonder JIM.", by=lead)
    assert run(start + days(120)) == []


def test_a_search_found_late_first_run_sends_both_marks_once(make_youth, lead):
    (youth,) = make_youth(first_name="Mira", last_name="Zoekers", case_number="BRUG-0061")
    start = timezone.localdate() - days(95)
    search_start(youth=youth, by=lead, started_on=start)
    sent = run(start + days(95))
    assert len(sent) == 2 and all(m.to == [lead.email] for m in sent)
    assert run(start + days(95)) == []


# --- Open fallback requests ---------------------------------------------------------------------


def ask(triad, ago_hours, urgent=False):
    request = services.fallback_request_send(
        triad=triad, by=triad.jim_profile.user, message="Even bellen?", urgent=urgent
    )
    FallbackRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=ago_hours)
    )
    sent_mail().clear()  # the request's own e-mail to the fallback professional
    return request


def test_a_request_open_for_two_days_reminds_the_fallback_professional(started_triad, lead, colleague):
    assign_backup(started_triad.youth, colleague, lead)
    services.triad_fallback_set(triad=started_triad, fallback=colleague, by=lead)
    started_triad.check_ins.update(done_on=timezone.localdate())
    today = timezone.localdate()
    fresh = ask(started_triad, ago_hours=24)
    old = ask(started_triad, ago_hours=49)
    sent = run(today)
    assert len(sent) == 1
    assert sent[0].to == [colleague.email]
    assert_discreet(sent[0], started_triad.youth, reverse("triads:detail", args=[started_triad.pk]))
    assert run(today) == []
    services.fallback_request_handle(request=fresh, by=colleague, answer="We bellen donderdag samen.")
    assert run(today + days(3)) == []  # `fresh` was handled; `old` was reminded already
    assert ReminderSent.objects.filter(key=f"fallback-open:{old.pk}").exists()


def test_today_moves_the_clock_for_the_fallback_requests_too(started_triad):
    started_triad.check_ins.update(done_on=timezone.localdate())
    ask(started_triad, ago_hours=1)
    today = timezone.localdate()
    assert run(today) == []
    assert len(run(today + days(3))) == 1


# --- Signing links about to expire --------------------------------------------------------------


@pytest.fixture
def parent_with_family_email(triad):
    # A parent's address often carries the family name: it must not leak into the reminder.
    parent = ParentGuardian.objects.create(
        youth=triad.youth, name="Ria Vermeulen", relation="guardian", email="ria.vermeulen@example.org"
    )
    services.agreement_update(agreement=triad.current_agreement, by=triad.lead, include_parents=True)
    return parent


def test_an_unused_link_about_to_expire_reminds_the_professional_who_sent_it(
    triad, lead, colleague, parent_with_family_email
):
    assign_backup(triad.youth, colleague, lead)
    link, _url = services.signing_link_send(
        agreement=triad.current_agreement,
        party=Party.PARENT,
        parent=parent_with_family_email,
        email=parent_with_family_email.email,
        by=colleague,
        days=7,
    )
    sent_mail().clear()
    today = timezone.localdate()
    assert run(today) == []
    sent = run(today + days(6))
    assert len(sent) == 1 and sent[0].to == [colleague.email]
    assert "ria.vermeulen" not in sent[0].body.lower()
    assert "ouder" in sent[0].body
    assert_discreet(sent[0], triad.youth, reverse("triads:detail", args=[triad.pk]))
    assert run(today + days(6)) == []
    assert SigningLink.objects.get(pk=link.pk).used_at is None


def test_a_used_superseded_or_expired_link_sends_nothing(triad, lead):
    agreement = triad.current_agreement
    used, _url = services.signing_link_send(
        agreement=agreement, party=Party.JIM, email="wilma@example.org", by=lead, days=1
    )
    SigningLink.objects.filter(pk=used.pk).update(used_at=timezone.now())
    expired, _url = services.signing_link_send(
        agreement=agreement, party=Party.YOUTH, email="lotte@example.org", by=lead, days=1
    )
    SigningLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - days(1))
    sent_mail().clear()
    assert run(timezone.localdate()) == []


def test_no_link_reminder_once_the_version_is_signed_or_replaced(triad, lead):
    services.signing_link_send(
        agreement=triad.current_agreement, party=Party.JIM, email="wilma@example.org", by=lead, days=1
    )
    sign_all(triad.current_agreement, lead)  # the JIM signed in person after all
    sent_mail().clear()
    link_mails = [m for m in run(timezone.localdate()) if "ondertekeningslink" in m.subject]
    assert link_mails == []


# --- The command --------------------------------------------------------------------------------


def test_the_command_is_idempotent_and_takes_today(started_triad, lead):
    moment = first_moment(started_triad)
    day = moment.due_on + days(1)
    sent, out = command(day)
    assert len(sent) == 1 and "1 reminder queued" in out
    assert "achterstallig" in sent[0].subject  # Dutch, whatever the active language
    sent, out = command(day)
    assert sent == [] and out.strip() == "0 reminders queued."


def test_the_command_says_its_reminders_were_queued_not_that_they_were_sent(started_triad, lead):
    """It printed "1 reminder(s) sent." while the mail still waited in the outbox: the worker sends it."""
    day = first_moment(started_triad).due_on + days(1)
    out = StringIO()
    call_command("send_reminders", "--today", day.isoformat(), stdout=out)
    assert out.getvalue().strip() == (
        "1 reminder queued: 0 sent already, 1 waiting in the outbox (the worker `send_outbox --watch` sends it)."
    )
    assert "sent." not in out.getvalue()


def test_the_command_sends_every_kind_once(started_triad, lead, colleague, make_youth):
    assign_backup(started_triad.youth, colleague, lead)
    services.triad_fallback_set(triad=started_triad, fallback=colleague, by=lead)
    (youth,) = make_youth(first_name="Mira", last_name="Zoekers", case_number="BRUG-0063")
    end = started_triad.trial_ends_on
    search_start(youth=youth, by=lead, started_on=timezone.localdate() - days(60))
    ask(started_triad, ago_hours=1)
    sent, _out = command(end - days(5))
    recipients = [m.to[0] for m in sent]
    assert recipients.count(colleague.email) == 1  # the open request, now older than two days
    assert recipients.count(lead.email) == len(sent) - 1
    assert any("proefperiode" in m.subject for m in sent)
    # The search is open for 145 days by then: the 60-day and the 90-day reminder, separately.
    assert sum("wie-vraag" in m.subject for m in sent) == 2
    assert sum("achterstallig" in m.subject for m in sent) == 3  # the check-ins before the evaluation
    assert len(sent) == 7
    for message in sent:
        assert (
            LAST_NAME not in message.subject + message.body
            and "Zoekers" not in message.subject + message.body
        )
    assert command(end - days(5))[0] == []


def test_a_professional_who_left_the_file_gets_no_reminder_about_the_youth(
    triad, lead, colleague, parent_with_family_email
):
    assignment = assign_backup(triad.youth, colleague, lead)
    services.signing_link_send(
        agreement=triad.current_agreement,
        party=Party.PARENT,
        parent=parent_with_family_email,
        email=parent_with_family_email.email,
        by=colleague,
        days=7,
    )
    case_services.assignment_end(assignment=assignment, by=lead)
    sent_mail().clear()
    assert [m.to for m in run(timezone.localdate() + days(6))] == []


def test_after_a_handover_the_new_lead_gets_the_reminders_and_the_old_one_nothing(
    started_triad, lead, colleague
):
    assign_backup(started_triad.youth, colleague, lead)
    case_services.lead_hand_over(youth=started_triad.youth, to=colleague, by=lead)
    case_services.assignment_end(
        assignment=started_triad.youth.assignments.get(professional=lead, ends_on__isnull=True), by=lead
    )
    sent_mail().clear()
    moment = first_moment(started_triad)
    sent = run(moment.due_on + days(1))
    assert sent and all(message.to == [colleague.email] for message in sent)
