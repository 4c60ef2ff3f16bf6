import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from mentors import reminders as mentor_reminders
from triads import reminders as triad_reminders


class Command(BaseCommand):
    help = "Send the day's reminder e-mails. Idempotent: run it daily from cron; nothing is sent twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD)."
        )

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        with translation.override("nl-be"):
            sent = mentor_reminders.send_due(today) + triad_reminders.send_due(today)
        self.stdout.write(f"{sent} reminder(s) sent.")
