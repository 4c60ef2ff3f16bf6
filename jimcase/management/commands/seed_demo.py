import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from jimcase.demo import ACCOUNTS, DEMO_PASSWORD, DEMO_USERNAMES
from jimcase.models import User
from jimcase.scale import SCALE_USERNAME_PREFIX, scale_data_present


class Command(BaseCommand):
    help = "Create the demo organisations, accounts and cases. Idempotent. Demo only: never on real data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even if the database holds non-demo users."
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any user exists.")
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also add N youths with professionals, networks, searches and triads (bulk; for the benchmark).",
        )
        parser.add_argument("--seed", type=int, default=12, help="Random seed of the scale data.")

    def handle(self, *args, force=False, if_empty=False, scale=0, seed=12, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo makes accounts with known passwords and second-factor codes: "
                "it never runs with DJANGO_ENV=production."
            )
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has users; demo data not touched.")
            return
        if scale < 0:
            raise CommandError("--scale takes a number of youths (0 or more).")
        if scale and scale_data_present():
            raise CommandError("This database already holds scale data: start from an empty database.")
        others = User.objects.exclude(username__in=DEMO_USERNAMES).exclude(
            username__startswith=SCALE_USERNAME_PREFIX
        )
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
            if scale:
                started = time.monotonic()
                context.update(scale=scale, rng=random.Random(seed))  # noqa: S311 - demo data, repeatable on purpose
                for path in settings.SCALE_SEEDERS:
                    context.update(import_string(path)(context) or {})
        if scale:
            jims = context.get("scale_jims") or []
            self.stdout.write(
                self.style.SUCCESS(
                    f"Scale data: {scale} youths, {len(context['scale_professionals'])} professionals "
                    f"(scale.hv00001 …), {len(jims)} JIM accounts ({jims[0] if jims else 'none'} …), "
                    f"in {time.monotonic() - started:.0f} s."
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password {DEMO_PASSWORD}):"))
        for username, (display_name, role, *_rest) in ACCOUNTS.items():
            self.stdout.write(f"  {username:<11} {role.label:<14} {display_name}")
        # What a seeder wants said after the accounts (accounts.demo: the coordinators' second factor).
        for note in context.get("notes", []):
            self.stdout.write(note)
