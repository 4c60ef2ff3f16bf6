"""A JIM stays in the peer network after their triads ended only when the organisation says so (alumni)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0003_jim_profile"),
    ]

    operations = [
        migrations.AddField(
            model_name="jimprofile",
            name="peer_network_alumni",
            field=models.BooleanField(
                default=False,
                help_text="A JIM reaches the peer network while one of their triads is in its trial or active. Tick this to keep an experienced JIM in the network after their triads ended.",
                verbose_name="stays in the peer network as an alumnus",
            ),
        ),
    ]
