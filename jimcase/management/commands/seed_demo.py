from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from jimcase.demo import (
    ACCOUNTS,
    DEMO_AUTHENTICATOR_KEY,
    DEMO_PASSWORD,
    DEMO_RECOVERY_CODES,
    DEMO_USERNAMES,
)
from jimcase.models import User


class Command(BaseCommand):
    help = "Create the demo organisations, accounts and cases. Idempotent. Demo only: never on real data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even if the database holds non-demo users."
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any user exists.")

    def handle(self, *args, force=False, if_empty=False, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo makes accounts with known passwords and second-factor codes: "
                "it never runs with DJANGO_ENV=production."
            )
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has users; demo data not touched.")
            return
        others = User.objects.exclude(username__in=DEMO_USERNAMES)
        if others.exists() and not force:
            raise CommandError(
                f"This database holds {others.count()} non-demo user(s). seed_demo refuses to mix demo data "
                "with real data; pass --force if you are sure."
            )
        with transaction.atomic():
            context = {}
            # Each app adds its own demo data, in layer order (settings.DEMO_SEEDERS).
            for path in settings.DEMO_SEEDERS:
                context.update(import_string(path)(context) or {})
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password {DEMO_PASSWORD}):"))
        for username, (display_name, role, *_rest) in ACCOUNTS.items():
            self.stdout.write(f"  {username:<11} {role.label:<14} {display_name}")
        self.stdout.write(
            f"The coordinators also need their second factor: type the key {DEMO_AUTHENTICATOR_KEY} into an "
            f"authenticator app, or use a recovery code ({', '.join(DEMO_RECOVERY_CODES)}; each works once "
            "until seed_demo runs again)."
        )
