"""`Search.jim` is a JimProfile, not a user: name it `jim_profile` (a rename; no data changes)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0002_peer_meeting"),
    ]

    operations = [
        migrations.RenameField(
            model_name="search",
            old_name="jim",
            new_name="jim_profile",
        ),
    ]
