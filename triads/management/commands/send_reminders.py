import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from mentors import reminders as mentor_reminders
from outbox.models import OutgoingMail
from triads import reminders as triad_reminders


def _count(number, word):
    return f"{number} {word}{'' if number == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Queue the day's reminder e-mails in the outbox (the worker `send_outbox --watch` sends them). "
        "Idempotent: run it daily from cron; nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD)."
        )

    def handle(self, *args, today=None, **options):
        started = timezone.now()
        today = today or timezone.localdate()
        with translation.override("nl-be"):
            queued = mentor_reminders.send_due(today) + triad_reminders.send_due(today)
        if not queued:
            self.stdout.write(f"{_count(0, 'reminder')} queued.")
            return
        # Queued is not sent: say what has left the server by now and what still waits for the worker.
        mails = OutgoingMail.objects.filter(kind="reminder", created_at__gte=started)
        sent = mails.filter(status=OutgoingMail.Status.SENT).count()
        waiting = mails.filter(status=OutgoingMail.Status.QUEUED).count()
        self.stdout.write(
            f"{_count(queued, 'reminder')} queued: {sent} sent already, {waiting} waiting in the outbox "
            f"(the worker `send_outbox --watch` sends {'it' if waiting == 1 else 'them'})."
        )
