"""Every youth's living-situation history starts with where it lives when the history began (issue 13)."""

from django.db import migrations


def start_history(apps, schema_editor):
    Youth = apps.get_model("jimcase", "Youth")
    LivingSituationChange = apps.get_model("jimcase", "LivingSituationChange")
    batch = []
    rows = Youth.objects.filter(living_situation_changes__isnull=True).values_list(
        "pk", "living_situation", "referral_date", "created_at"
    )
    for pk, situation, referred, created_at in rows.iterator(chunk_size=5000):
        batch.append(
            LivingSituationChange(youth_id=pk, to_situation=situation, on=referred or created_at.date())
        )
        if len(batch) == 5000:
            LivingSituationChange.objects.bulk_create(batch)
            batch = []
    LivingSituationChange.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("jimcase", "0019_outcomes")]

    operations = [migrations.RunPython(start_history, migrations.RunPython.noop, elidable=True)]
