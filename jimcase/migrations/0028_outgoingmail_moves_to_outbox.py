"""OutgoingMail moves to the outbox app: gone from jimcase's state only; its table stays (outbox 0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0027_nobody_can_decide"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutgoingMail")],
            database_operations=[],
        ),
    ]
