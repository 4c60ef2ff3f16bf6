import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from outbox import services, worker


class Command(BaseCommand):
    help = (
        "Send the e-mails waiting in the outbox whose turn it is. With --watch, keep running and send each "
        "e-mail as soon as it is queued (the worker: run it as a service). Several runs at once, on one "
        "server or several, never send a mail twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=None, help="Send at most this many e-mails in this run."
        )
        parser.add_argument(
            "--watch",
            action="store_true",
            help="Keep running: send each e-mail as it is queued (woken by PostgreSQL's NOTIFY; polls on "
            "SQLite) and each retry when it is due. Stops cleanly on SIGTERM or Ctrl-C.",
        )
        parser.add_argument(
            "--poll-seconds",
            type=float,
            default=None,
            help="With --watch: look at the outbox at least this often (default OUTBOX_POLL_SECONDS).",
        )
        parser.add_argument(
            "--max-seconds", type=float, default=None, help="With --watch: stop after this many seconds."
        )

    def handle(self, *args, limit=None, watch=False, poll_seconds=None, max_seconds=None, **options):
        if watch:
            done = self._watch(poll_seconds or settings.OUTBOX_POLL_SECONDS, max_seconds)
        else:
            done = services.deliver_due(limit=limit)
        self.stdout.write(
            f"{done['sent']} sent, {done['retry']} to retry later, {done['failed']} given up "
            "(see 'Outgoing e-mails' in the admin)."
        )

    def _watch(self, poll_seconds, max_seconds):
        stop = threading.Event()
        # A service manager stops the worker with SIGTERM: finish the mail being sent, then stop.
        handled = (signal.SIGTERM, signal.SIGINT)
        previous = {signum: signal.signal(signum, lambda *_args: stop.set()) for signum in handled}
        try:
            return worker.watch(poll_seconds=poll_seconds, max_seconds=max_seconds, stop=stop)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
