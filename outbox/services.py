"""The outbox: how every e-mail of the app leaves.

`queue()` writes the mail to the database inside the caller's transaction, so what the user did and the
mail it causes are saved together or not at all, and a mail server that is down never costs the user
their work. No web request talks to the mail server: a hung one would hold the user up to the timeout,
and the time a password reset takes would tell whether the address has an account. The worker
`manage.py send_outbox --watch` (outbox.worker) sends instead: on PostgreSQL `queue()` issues a NOTIFY inside the
transaction, delivered at commit, and the worker (LISTENing) sends at once; it also polls, and wakes when
a retry is due. What could not go out is retried with a growing pause, and marked failed after
`OUTBOX_MAX_ATTEMPTS`. Only without a mail server (`make run` prints mail to the console) is a mail sent
right after the commit (`OUTBOX_SEND_AT_COMMIT`), so a newcomer needs no worker.

Several `send_outbox` runs, on one server or several, never send a mail twice: each mail is claimed
with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite has one writer at a time anyway).

Why not a library: django-post-office guards its queue with a file lock (one server only) and
django-mailer has no per-mail tries, backoff or failed state; neither lets a page say that *its* mail
did not go out. This module and outbox.worker are that, in a couple of hundred lines.

No sender calls `queue()` itself: every mail is rendered from its templates by `outbox.mails.send`.
"""

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutgoingMail, topic_of

log = logging.getLogger("outbox")

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
