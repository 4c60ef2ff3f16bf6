"""Every youth's history starts with the stage it had when the history began (issue 13)."""

from django.db import migrations

WHY = "Stage when the history began"


def start_history(apps, schema_editor):
    Youth = apps.get_model("jimcase", "Youth")
    StageChange = apps.get_model("jimcase", "StageChange")
    batch = []
    rows = Youth.objects.filter(stage_changes__isnull=True).values_list(
        "pk", "stage", "stage_since", "created_at"
    )
    for pk, stage, since, created_at in rows.iterator(chunk_size=5000):
        batch.append(StageChange(youth_id=pk, to_stage=stage, on=since or created_at.date(), why=WHY))
        if len(batch) == 5000:
            StageChange.objects.bulk_create(batch)
            batch = []
    StageChange.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("jimcase", "0017_stage_history")]

    operations = [migrations.RunPython(start_history, migrations.RunPython.noop, elidable=True)]
