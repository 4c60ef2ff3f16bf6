"""Each production of a youth's file for someone who asked to read it (inzage) is recorded."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0010_access_log_action"),
    ]

    operations = [
        migrations.CreateModel(
            name="DossierAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "requester_type",
                    models.CharField(
                        choices=[
                            ("youth", "the youth"),
                            ("vertrouwenspersoon", "a vertrouwenspersoon (person of trust)"),
                            ("parent", "a parent of a youth who is not capable"),
                        ],
                        max_length=20,
                        verbose_name="who asks",
                    ),
                ),
                (
                    "requester_name",
                    models.CharField(max_length=200, verbose_name="name of the person who asks"),
                ),
                (
                    "format",
                    models.CharField(
                        choices=[("page", "printable page"), ("json", "JSON download")],
                        max_length=10,
                        verbose_name="format",
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="produced by",
                    ),
                ),
                (
                    "youth",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="dossier_accesses",
                        to="jimcase.youth",
                    ),
                ),
            ],
            options={
                "verbose_name": "dossier access",
                "verbose_name_plural": "dossier accesses",
                "ordering": ["-at", "-pk"],
            },
        ),
    ]
