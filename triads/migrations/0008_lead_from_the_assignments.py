"""The triad no longer copies its lead professional: `Triad.lead` reads the current lead assignment."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("triads", "0007_note_share"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="triad",
            name="lead",
        ),
    ]
