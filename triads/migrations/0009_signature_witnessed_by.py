"""A signature in person records the professional who saw the person sign."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("triads", "0008_lead_from_the_assignments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="signature",
            name="witnessed_by",
            field=models.ForeignKey(
                blank=True,
                help_text="For a signature in person: the professional who saw the person sign.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="seen signing by",
            ),
        ),
    ]
