"""`Triad.jim` is a JimProfile, not a user: name it `jim_profile` (a rename; no data changes)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0006_remove_youth_next_check_in_on"),
        ("mentors", "0003_jim_profile"),
        ("triads", "0005_peer_meeting_moved_to_mentors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="triad",
            name="one_live_triad_per_youth_and_jim",
        ),
        migrations.RenameField(
            model_name="triad",
            old_name="jim",
            new_name="jim_profile",
        ),
        migrations.AddConstraint(
            model_name="triad",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "ended"), _negated=True),
                fields=("youth", "jim_profile"),
                name="one_live_triad_per_youth_and_jim",
            ),
        ),
    ]
