"""The caseload's "check-in overdue" flag is now computed from the triads' plans (triads.sections.youth_flags),
so the core no longer stores a date that another app had to keep up to date."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("jimcase", "0005_followup")]

    operations = [migrations.RemoveField(model_name="youth", name="next_check_in_on")]
