"""The outbox: how every e-mail of the app leaves.

`queue()` writes the mail to the database inside the caller's transaction, so what the user did and the
mail it causes are saved together or not at all, and a mail server that is down never costs the user
their work. No web request talks to the mail server: a hung one would hold the user up to the timeout,
and the time a password reset takes would tell whether the address has an account. The worker
`manage.py send_outbox --watch` sends instead: on PostgreSQL `queue()` issues a NOTIFY inside the
transaction, delivered at commit, and the worker (LISTENing) sends at once; it also polls, and wakes when
a retry is due. What could not go out is retried with a growing pause, and marked failed after
`OUTBOX_MAX_ATTEMPTS`. Only without a mail server (`make run` prints mail to the console) is a mail sent
right after the commit (`OUTBOX_SEND_AT_COMMIT`), so a newcomer needs no worker.

Several `send_outbox` runs, on one server or several, never send a mail twice: each mail is claimed
with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite has one writer at a time anyway).

Why not a library: django-post-office guards its queue with a file lock (one server only) and
django-mailer has no per-mail tries, backoff or failed state; neither lets a page say that *its* mail
did not go out. This module is that, in a couple of hundred lines.
"""

import datetime
import logging
import select
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import DatabaseError, connection, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutgoingMail
from .rules import topic_of

log = logging.getLogger("jimcase.outbox")

#: The PostgreSQL channel on which `queue()` tells the worker that mail is waiting.
CHANNEL = "jim_outbox"


def queue(*, to, subject, body, kind, about=None):
    """Queue one mail per address in `to` (a string or a list; empty addresses are skipped).

    `kind` says what the mail is (e.g. "signing_link"); `about` is the object whose page should say
    when the mail could not be sent. Returns the queued mails.
    """
    addresses = [to] if isinstance(to, str) else list(to)
    mails = [
        OutgoingMail.objects.create(
            kind=kind,
            topic=topic_of(about) if about is not None else "",
            to=address,
            subject=str(subject)[:250],
            body=str(body),
        )
        for address in addresses
        if address
    ]
    if mails:
        _notify()
        if _send_at_commit():
            ids = [mail.pk for mail in mails]
            transaction.on_commit(lambda: deliver_due(ids=ids), robust=True)
    return mails


def _notify():
    """Wake the worker: PostgreSQL delivers a NOTIFY at commit, and not at all after a rollback."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")


def _send_at_commit():
    """Whether the request that queues a mail also sends it: never through an SMTP server (see above)."""
    if not settings.OUTBOX_SEND_AT_COMMIT:
        return False
    return not issubclass(import_string(settings.EMAIL_BACKEND), SMTPBackend)


def retry_delay(attempts):
    """The pause after the `attempts`-th failed try: 1, 2, 4, … minutes, at most six hours."""
    return min(datetime.timedelta(minutes=2 ** (attempts - 1)), datetime.timedelta(hours=6))


def deliver_due(*, ids=None, limit=None):
    """Send the mails whose turn it is (only `ids` if given); return a Counter of sent/retry/failed."""
    done = Counter()
    while limit is None or sum(done.values()) < limit:
        with transaction.atomic():
            due = OutgoingMail.objects.due().order_by("next_attempt_at", "id")
            if ids is not None:
                due = due.filter(pk__in=ids)
            # The row stays locked while it is sent: a parallel run skips it and takes the next one.
            mail = due.select_for_update(skip_locked=True).first()
            if mail is None:
                break
            done[_attempt(mail)] += 1
    return done


def _attempt(mail):
    now = timezone.now()
    mail.attempts += 1
    try:
        # A connection per mail: one that broke on the previous mail cannot fail the next.
        EmailMessage(subject=mail.subject, body=mail.body, to=[mail.to], connection=get_connection()).send()
    except Exception as error:  # noqa: BLE001 — whatever the mail server does, the mail waits for a retry
        mail.last_error = f"{type(error).__name__}: {error}"[:300]
        if mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            mail.status = OutgoingMail.Status.FAILED
            log.error(
                "outbox: gave up on mail %s (%s) after %s tries: %s", mail.pk, mail.kind, mail.attempts, error
            )
        else:
            mail.next_attempt_at = now + retry_delay(mail.attempts)
            log.warning("outbox: mail %s (%s) not sent, try %s: %s", mail.pk, mail.kind, mail.attempts, error)
        mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return "failed" if mail.status == OutgoingMail.Status.FAILED else "retry"
    # The body's links carry tokens: once delivered, it is not kept.
    mail.status, mail.sent_at, mail.body, mail.last_error = OutgoingMail.Status.SENT, now, "", ""
    mail.save(update_fields=["attempts", "status", "sent_at", "body", "last_error"])
    return "sent"


@transaction.atomic
def retry_now(mails):
    """Put failed or waiting mails back at the front of the queue (the admin's "try again")."""
    count = (
        OutgoingMail.objects.filter(pk__in=[mail.pk for mail in mails])
        .exclude(status=OutgoingMail.Status.SENT)
        .update(status=OutgoingMail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now())
    )
    if count:
        _notify()
    return count


# --- The worker -----------------------------------------------------------------------------------

#: The longest the worker blocks at once: how soon it notices that it is asked to stop.
_SLICE_SECONDS = 1.0


def watch(*, poll_seconds, max_seconds=None, stop=None, ready=None):
    """Send mail as it is queued until `stop` is set (or `max_seconds` have passed); return what was done.

    On PostgreSQL the worker LISTENs and is woken by the NOTIFY of `queue()` at commit; everywhere it
    also looks every `poll_seconds`, and when the next retry is due. `ready` is set once it listens.
    The Counter holds sent/retry/failed, and how often it was woken by a NOTIFY ("notified") or by its
    timer (the poll interval or a due retry: "polled").
    """
    stop = stop or threading.Event()
    end = None if max_seconds is None else time.monotonic() + max_seconds
    done = Counter()
    listening = False
    while not stop.is_set() and (end is None or time.monotonic() < end):
        try:
            if not listening:
                listening = _listen()
                if ready is not None:
                    ready.set()
            done.update(deliver_due())
            woken = _wait(min(poll_seconds, _seconds_to_next_retry()), listening, stop, end)
        except DatabaseError as error:
            # The database went away (a restart): start again with a new connection, after a pause.
            log.warning("outbox worker: database error, starting again: %s", error)
            connection.close()
            listening = False
            stop.wait(min(poll_seconds, 5))
            continue
        if woken:
            done[woken] += 1
    if listening:
        connection.close()  # a closed connection listens no more
    return done


def _listen():
    """LISTEN on the outbox channel (PostgreSQL); return whether notifications will come."""
    # Inside a transaction (a test's) a LISTEN would wait for a commit that never comes: poll instead.
    if connection.vendor != "postgresql" or not connection.get_autocommit():
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"LISTEN {CHANNEL}")
    return True


def _seconds_to_next_retry():
    """Seconds until the earliest waiting mail is due (a day if none waits).

    At least a second: a mail that is due but was not sent is being sent by another worker right now
    (its row is locked), and asking again at once would only spin.
    """
    next_at = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).aggregate(
        at=Min("next_attempt_at")
    )["at"]
    if next_at is None:
        return 24 * 3600
    return max((next_at - timezone.now()).total_seconds(), 1.0)


def _wait(seconds, listening, stop, end):
    """Block up to `seconds` (less if `stop` is set or `end` comes); return "notified", "polled" or None."""
    until = time.monotonic() + seconds
    if end is not None:
        until = min(until, end)
    raw = connection.connection if listening else None
    while not stop.is_set():
        if raw is not None and raw.notifies:
            raw.notifies.clear()
            return "notified"
        left = until - time.monotonic()
        if left <= 0:
            return "polled" if end is None or time.monotonic() < end else None
        if raw is None:
            stop.wait(min(left, _SLICE_SECONDS))
            continue
        # The connection's socket becomes readable when a notification arrives.
        if select.select([raw], [], [], min(left, _SLICE_SECONDS))[0]:
            with connection.wrap_database_errors:
                raw.poll()
    return None
