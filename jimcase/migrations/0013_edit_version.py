"""Youths and parents carry an edit version, with who saved last and when: a stale save is refused."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0012_outgoing_mail"),
    ]

    operations = [
        migrations.AddField(
            model_name="parentguardian",
            name="edit_version",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="edit version"),
        ),
        migrations.AddField(
            model_name="parentguardian",
            name="edited_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="last saved at"),
        ),
        migrations.AddField(
            model_name="parentguardian",
            name="edited_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="last saved by",
            ),
        ),
        migrations.AddField(
            model_name="youth",
            name="edit_version",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="edit version"),
        ),
        migrations.AddField(
            model_name="youth",
            name="edited_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="last saved at"),
        ),
        migrations.AddField(
            model_name="youth",
            name="edited_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="last saved by",
            ),
        ),
    ]
