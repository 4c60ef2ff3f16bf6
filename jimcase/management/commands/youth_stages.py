from django.core.management.base import BaseCommand

from jimcase import services


class Command(BaseCommand):
    help = (
        "Check every youth's stage against the facts (open search, running triad, …). With --fix, "
        "correct those that contradict them; each correction is kept in the youth's stage history. "
        "Run once after upgrading: earlier versions set the stage by hand and could get it wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Correct the stages that contradict the facts."
        )

    def handle(self, *args, fix=False, **options):
        wrong = services.youth_stages_reconcile(fix=fix)
        if not wrong:
            self.stdout.write("Every youth's stage agrees with the facts.")
            return
        for youth_id, stored, derived in wrong:
            self.stdout.write(f"youth {youth_id}: {stored} → {derived}")
        verb = "corrected" if fix else "contradict the facts (run again with --fix to correct them)"
        self.stdout.write(f"{len(wrong)} stages {verb}.")
