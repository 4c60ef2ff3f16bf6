from django.core.management.base import BaseCommand

from jimcase import outbox


class Command(BaseCommand):
    help = (
        "Send the e-mails waiting in the outbox whose turn it is. Run it from cron every minute; "
        "several runs at once, on one server or several, never send a mail twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=None, help="Send at most this many e-mails in this run."
        )

    def handle(self, *args, limit=None, **options):
        done = outbox.deliver_due(limit=limit)
        self.stdout.write(
            f"{done['sent']} sent, {done['retry']} to retry later, {done['failed']} given up "
            "(see 'Outgoing e-mails' in the admin)."
        )
