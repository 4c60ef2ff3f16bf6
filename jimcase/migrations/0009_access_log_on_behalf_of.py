"""An access-log row can say on whose behalf the user acted (a coordinator handing over a lead)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0008_note_share_moves_to_triads"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="on_behalf_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="on behalf of",
            ),
        ),
    ]
