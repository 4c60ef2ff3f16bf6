"""The outbox worker (`manage.py send_outbox --watch`): sends each mail as it is queued, and each retry when due."""

import logging
import select
import threading
import time
from collections import Counter

from django.db import DatabaseError, connection
from django.db.models import Min
from django.utils import timezone

from .models import OutgoingMail
from .services import CHANNEL, deliver_due

log = logging.getLogger("outbox")

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
