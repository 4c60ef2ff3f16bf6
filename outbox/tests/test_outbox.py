"""The outbox: mail is saved with what caused it, sent by the worker (never inside a request), retried,
and never sent twice."""

import datetime
import threading
import time
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from jimcase.tests.html import without_tokens
from jimcase.tests.mail import sent, smtp_connections
from jimcase.tests.second_factor import pass_second_factor
from outbox import services as outbox
from outbox import worker
from outbox.models import OutgoingMail


def queue_one(to="a@example.org", **kwargs):
    return outbox.queue(kind="test", to=to, subject="Onderwerp", body="Tekst met een link", **kwargs)[0]


@pytest.mark.django_db
def test_a_queued_mail_waits_in_the_outbox_until_it_is_delivered():
    queued = queue_one()
    assert (queued.status, queued.attempts, mail.outbox) == (OutgoingMail.Status.QUEUED, 0, [])
    assert [(m.to, m.subject, m.body) for m in sent()] == [
        (["a@example.org"], "Onderwerp", "Tekst met een link")
    ]
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT and queued.sent_at is not None
    assert queued.body == ""  # its links carry tokens: not kept once delivered
    assert sent() == mail.outbox and len(mail.outbox) == 1  # delivered once, not again


@pytest.mark.django_db
def test_a_password_reset_request_opens_no_smtp_connection(
    client, lead, mail_server_down, monkeypatch, django_capture_on_commit_callbacks
):
    """With a mail server (as in production) the request only queues: a hung server cannot hold it, nor
    tell by the time it takes whether the address has an account. The worker sends it."""
    opened = smtp_connections(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": lead.email})
    assert response.status_code == 302
    assert opened == []
    waiting = OutgoingMail.objects.get(kind="password_reset")
    assert (waiting.to, waiting.status, waiting.attempts) == (lead.email, OutgoingMail.Status.QUEUED, 0)
    assert outbox.deliver_due() == {"retry": 1}  # the worker's turn: it does talk to the server
    assert opened == [("127.0.0.1", 1)]


@pytest.mark.django_db
def test_without_a_mail_server_the_console_mail_of_make_run_still_goes_at_once(
    django_capture_on_commit_callbacks,
):
    """`make run` prints mail to the console (no SMTP): a newcomer sees it at once, without a worker."""
    with django_capture_on_commit_callbacks(execute=True):
        queue_one()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_rolled_back_action_leaves_no_mail():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_one()
        raise RuntimeError("the user's action failed")
    assert not OutgoingMail.objects.exists() and sent() == []


@pytest.mark.django_db
def test_empty_addresses_are_skipped_and_each_address_gets_its_own_mail():
    mails = outbox.queue(kind="test", to=["a@example.org", "", "b@example.org"], subject="S", body="B")
    assert [m.to for m in mails] == ["a@example.org", "b@example.org"]
    assert outbox.queue(kind="test", to="", subject="S", body="B") == []


@pytest.mark.django_db
def test_a_mail_server_that_is_down_means_retries_with_a_growing_pause_then_failed(
    mail_server_down, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    queued = queue_one()
    assert outbox.deliver_due() == {"retry": 1}
    queued.refresh_from_db()
    assert queued.attempts == 1 and "ConnectionRefusedError" in queued.last_error
    assert queued.next_attempt_at - timezone.now() > datetime.timedelta(seconds=50)
    assert outbox.deliver_due() == {}  # not yet its turn
    for expected in ({"retry": 1}, {"failed": 1}):
        OutgoingMail.objects.update(next_attempt_at=timezone.now())
        assert outbox.deliver_due() == expected
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (OutgoingMail.Status.FAILED, 3)
    assert queued.body  # kept, so the administrator can try again


def test_the_pause_doubles_up_to_six_hours():
    assert [outbox.retry_delay(n) for n in (1, 2, 3)] == [datetime.timedelta(minutes=m) for m in (1, 2, 4)]
    assert outbox.retry_delay(20) == datetime.timedelta(hours=6)


@pytest.mark.django_db
def test_one_failing_mail_does_not_stop_the_others(settings, monkeypatch):
    queue_one("kapot@example.org")
    queue_one("b@example.org")
    real_send = mail.EmailMessage.send

    def send(message, fail_silently=False):
        if message.to == ["kapot@example.org"]:
            raise OSError("mailbox unavailable")
        return real_send(message, fail_silently)

    monkeypatch.setattr(mail.EmailMessage, "send", send)
    assert outbox.deliver_due() == {"retry": 1, "sent": 1}
    assert [m.to for m in mail.outbox] == [["b@example.org"]]


@pytest.mark.django_db
def test_retry_now_puts_a_failed_mail_back_and_leaves_sent_ones_alone():
    failed = queue_one("x@example.org")
    OutgoingMail.objects.filter(pk=failed.pk).update(status=OutgoingMail.Status.FAILED, attempts=8)
    done = queue_one("y@example.org")
    OutgoingMail.objects.filter(pk=done.pk).update(status=OutgoingMail.Status.SENT)
    assert outbox.retry_now(OutgoingMail.objects.all()) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutgoingMail.Status.QUEUED, 0)
    assert [m.to for m in sent()] == [["x@example.org"]]


@pytest.mark.django_db
def test_send_outbox_sends_what_is_due_and_says_how_it_went(capsys):
    queue_one()
    call_command("send_outbox")
    assert "1 sent, 0 to retry later, 0 given up" in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_worker_sends_what_is_queued_and_stops_after_max_seconds():
    """`send_outbox --watch` keeps sending until stopped; `--max-seconds` bounds it (tests, a trial run)."""
    queue_one()
    out = StringIO()
    call_command("send_outbox", "--watch", "--poll-seconds", "30", "--max-seconds", "0.5", stdout=out)
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert "1 sent, 0 to retry later, 0 given up" in out.getvalue()


@pytest.mark.django_db
def test_the_worker_wakes_up_when_a_retry_is_due_not_only_at_its_poll():
    """A mail waiting for a retry goes out when its turn comes, even with a long poll interval."""
    waiting = queue_one()
    OutgoingMail.objects.filter(pk=waiting.pk).update(
        attempts=1, next_attempt_at=timezone.now() + datetime.timedelta(seconds=0.3)
    )
    done = worker.watch(poll_seconds=60, max_seconds=1.5)
    assert done["sent"] == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_outbox_admin_is_for_superusers_only_and_never_shows_the_text(
    client, login, coordinator, django_user_model
):
    queue_one()
    admin_url = reverse(f"admin:{OutgoingMail._meta.app_label}_outgoingmail_changelist")
    # Past her second factor (else the answer is the redirect to it), a coordinator is refused the list.
    assert login(coordinator).get(admin_url).status_code == 403
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(superuser)
    pass_second_factor(client, superuser)
    response = client.get(admin_url)
    assert response.status_code == 200 and "a@example.org" in response.content.decode()
    change = without_tokens(client.get(f"{admin_url}{OutgoingMail.objects.get().pk}/change/"))
    assert "Onderwerp" in change and "Tekst met een link" not in change


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SKIP LOCKED is PostgreSQL's; SQLite has one writer"
)
def test_parallel_runs_never_send_a_mail_twice(settings):
    """A mail another run has claimed (its row locked) is skipped, not waited for and not sent again."""
    settings.OUTBOX_SEND_AT_COMMIT = False  # outside a test transaction the commit would send them at once
    claimed, other = queue_one("claimed@example.org"), queue_one("other@example.org")
    locked, release, results = threading.Event(), threading.Event(), {}

    def first_run():
        with transaction.atomic():
            OutgoingMail.objects.select_for_update().get(pk=claimed.pk)
            locked.set()
            release.wait(10)
        connection.close()

    def second_run():
        results["second"] = outbox.deliver_due()
        connection.close()

    holder = threading.Thread(target=first_run)
    holder.start()
    assert locked.wait(10)
    runner = threading.Thread(target=second_run)
    runner.start()
    runner.join(10)
    release.set()
    holder.join(10)
    assert results["second"] == {"sent": 1}
    assert [m.to for m in mail.outbox] == [["other@example.org"]]
    assert OutgoingMail.objects.get(pk=claimed.pk).status == OutgoingMail.Status.QUEUED
    assert OutgoingMail.objects.get(pk=other.pk).status == OutgoingMail.Status.SENT


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="LISTEN/NOTIFY is PostgreSQL's; on SQLite the worker polls (tested above)",
)
def test_the_worker_sends_a_mail_within_a_second_of_the_commit_woken_by_notify(settings):
    """The worker LISTENs; queue() NOTIFYs inside the transaction, so the mail leaves right after the commit.

    The poll interval is a minute: a mail sent within seconds can only have been woken by the NOTIFY.
    """
    settings.OUTBOX_SEND_AT_COMMIT = False  # as with a mail server: only the worker sends
    ready, stop, results = threading.Event(), threading.Event(), {}

    def run_worker():
        try:
            results["done"] = worker.watch(poll_seconds=60, max_seconds=30, stop=stop, ready=ready)
        finally:
            connection.close()

    thread = threading.Thread(target=run_worker)
    thread.start()
    try:
        assert ready.wait(10), "the worker listens"
        with transaction.atomic():
            queue_one("snel@example.org")
            time.sleep(0.3)
            assert mail.outbox == []  # not before the commit
        deadline = time.monotonic() + 5
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [m.to for m in mail.outbox] == [["snel@example.org"]]
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive(), "the worker stops when asked"
    assert results["done"]["sent"] == 1
    assert results["done"]["notified"] >= 1 and results["done"]["polled"] == 0
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT
