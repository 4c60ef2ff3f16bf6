"""With the mail server down, what the user did is saved, and the page says which mail has not gone out.

Each action here answered 500 and rolled back the user's input while `send_mail` ran inside the
transaction; now its mail waits in the outbox (the outbox app), the request never talks to the mail
server, and the worker (`send_outbox --watch`) tries it and tries again.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jimcase.models import User
from jimcase.tests.html import without_tokens
from jimcase.tests.mail import smtp_connections
from outbox import services as outbox
from outbox.models import OutgoingMail
from triads import services
from triads.models import FallbackRequest, SigningLink
from triads.tests.conftest import assign_backup, make_found_search
from triads.tests.followup_pages import closure_data
from triads.tests.triad_pages import consent_data, consent_url, link_url, token

pytestmark = pytest.mark.usefixtures("mail_server_down")


def page(client, triad):
    return client.get(reverse("triads:detail", args=[triad.pk])).content.decode()


def send_link_to_wilma(client, triad):
    data = {
        "recipient": "jim",
        "email": "wilma@example.org",
        "submission_token": token(client.get(link_url(triad))),
    }
    return client.post(link_url(triad), data)


def the_waiting_mail(kind):
    """The mail the request queued (and did not try), after the worker's first try failed."""
    mail = OutgoingMail.objects.get(kind=kind)
    assert (mail.status, mail.attempts) == (OutgoingMail.Status.QUEUED, 0)  # the request only queued it
    outbox.deliver_due()  # the worker's turn
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (OutgoingMail.Status.QUEUED, 1)  # tried, failed, waits
    return mail


def test_sending_a_signing_link_opens_no_smtp_connection_in_the_request(
    login, triad, lead, monkeypatch, django_capture_on_commit_callbacks
):
    """A hung mail server cannot hold the professional: the request queues, the worker sends."""
    opened = smtp_connections(monkeypatch)
    client = login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_link_to_wilma(client, triad).status_code == 302
    assert opened == []
    assert OutgoingMail.objects.get(kind="signing_link").to == "wilma@example.org"
    outbox.deliver_due()
    assert opened == [("127.0.0.1", 1)]


def test_the_jims_urgent_question_is_saved_and_the_jim_is_told_to_call(
    login, started_triad, jim, lead, django_capture_on_commit_callbacks
):
    client = login(jim)
    url = reverse("triads:jim_ask", args=[started_triad.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"message": "Lotte is weggelopen.", "urgent": "on", "submission_token": token(client.get(url))},
        )
    assert response.status_code == 302
    assert FallbackRequest.objects.get().message == "Lotte is weggelopen."
    assert the_waiting_mail("fallback_request").to == lead.email
    body = without_tokens(client.get(reverse("triads:jim_triad", args=[started_triad.pk])))
    assert "nog niet vertrokken" in body and lead.email not in body


def test_a_withdrawal_is_saved_and_the_lead_sees_the_mail_did_not_go(
    login, started_triad, lead, parents, django_capture_on_commit_callbacks
):
    client = login(lead)
    data = consent_data(
        parents[0], decision="withdrawn", submission_token=token(client.get(consent_url(started_triad)))
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(consent_url(started_triad), data).status_code == 302
    started_triad.refresh_from_db()
    assert started_triad.consent_withdrawn_flag
    mail = the_waiting_mail("consent_withdrawn")
    assert f"“{mail.subject}” naar {lead.email} kon nog niet verstuurd worden" in page(client, started_triad)


def test_a_signing_link_is_made_and_the_lead_sees_it_could_not_be_sent_yet(
    login, triad, lead, django_capture_on_commit_callbacks
):
    client = login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_link_to_wilma(client, triad).status_code == 302
    assert SigningLink.objects.get().email == "wilma@example.org"
    the_waiting_mail("signing_link")
    assert "naar wilma@example.org kon nog niet verstuurd worden" in page(client, triad)


def test_a_mail_given_up_on_says_so(login, triad, lead, settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    client = login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        send_link_to_wilma(client, triad)
    outbox.deliver_due()  # the worker's one try
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.FAILED
    assert "kon niet verstuurd worden (1 pogingen)" in page(client, triad)


def test_a_jim_invitation_makes_the_account(login, triad, lead, django_capture_on_commit_callbacks):
    profile = triad.jim_profile
    profile.user = None
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(lead).post(
            reverse("triads:jim_invite", args=[triad.pk]), {"email": "wilma.nieuw@example.org"}
        )
    assert response.status_code == 302
    assert User.objects.filter(email="wilma.nieuw@example.org").exists()
    assert the_waiting_mail("jim_welcome").to == "wilma.nieuw@example.org"
    assert "naar wilma.nieuw@example.org kon nog niet verstuurd worden" in page(login(lead), triad)


def test_a_new_password_link_for_the_jim_answers(login, triad, lead, jim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(lead).post(reverse("triads:jim_password_link", args=[triad.pk]))
    assert response.status_code == 302
    assert the_waiting_mail("jim_password_link").to == jim.email


def test_send_reminders_goes_on_past_a_mail_it_cannot_send(started_triad, lead, colleague):
    """Two reminders due, mail server down: both are queued for a retry, and the run finishes."""
    assign_backup(started_triad.youth, colleague, lead)
    for triad_check_in in started_triad.check_ins.all()[:2]:
        triad_check_in.due_on = timezone.localdate() - timezone.timedelta(days=3)
        triad_check_in.save()
    call_command("send_reminders")
    reminders = OutgoingMail.objects.filter(kind="reminder")
    assert reminders.count() >= 2
    call_command("send_outbox")
    assert set(reminders.values_list("attempts", flat=True)) == {1}


def test_a_closure_is_saved_and_the_jims_farewell_waits_in_the_outbox(
    login, started_triad, lead, jim, django_capture_on_commit_callbacks
):
    client = login(lead)
    url = reverse("triads:close", args=[started_triad.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, closure_data(submission_token=token(client.get(url))))
    assert response.status_code == 302
    started_triad.refresh_from_db()
    assert started_triad.status == "ended"
    assert the_waiting_mail("jim_farewell").to == jim.email


def test_a_second_triad_joins_the_jims_account_and_its_mail_waits_in_the_outbox(
    started_triad, lead, jim, make_youth, django_capture_on_commit_callbacks
):
    (cousin,) = make_youth(first_name="Noor")
    search = make_found_search(cousin, lead, name="Wilma Janssens", email="")
    search.jim_profile = started_triad.jim_profile
    search.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.triad_create(search=search, by=lead)
    assert jim.has_perm("triads.view_triad", second)
    assert the_waiting_mail("jim_new_triad").to == jim.email
