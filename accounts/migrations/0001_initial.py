"""The accounts app takes over AccountChange and PasswordResetRequest from jimcase (jimcase 0029): the same
tables, now its own.

The state gets the models with `db_table` set to the tables jimcase made (jimcase 0007 and 0014); the
database is left as it is, rows, foreign keys and indexes included. The content types are renamed from
jimcase to accounts, so the permissions on them (and whoever was given them) and the admin's history
move along.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ("accountchange", "passwordresetrequest")


def _move_content_types(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue  # a new database: the content type is made after the migrations, under its new app
        new = ContentType.objects.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        # Both exist (permissions were made in between): give the holders of each old permission the new one.
        for permission in Permission.objects.filter(content_type=old):
            replacement = Permission.objects.filter(content_type=new, codename=permission.codename).first()
            if replacement is not None:
                for group in permission.group_set.all():
                    group.permissions.add(replacement)
                for user in permission.user_set.all():
                    user.user_permissions.add(replacement)
        old.delete()


def forwards(apps, schema_editor):
    _move_content_types(apps, "jimcase", "accounts")


def backwards(apps, schema_editor):
    _move_content_types(apps, "accounts", "jimcase")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("jimcase", "0029_account_records_move_to_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PasswordResetRequest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("email_digest", models.CharField(db_index=True, max_length=64)),
                        ("ip_address", models.GenericIPAddressField(db_index=True, null=True)),
                        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ],
                    options={
                        "db_table": "jimcase_passwordresetrequest",
                    },
                ),
                migrations.CreateModel(
                    name="AccountChange",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "what",
                            models.CharField(
                                choices=[
                                    ("roles", "roles"),
                                    ("teams", "teams"),
                                    ("active", "active"),
                                    ("organisation", "organisation"),
                                    ("login_lock", "login lock"),
                                    ("second_factor", "second factor"),
                                    ("email", "e-mail address"),
                                    ("password_link", "link to choose a password"),
                                ],
                                max_length=20,
                                verbose_name="what",
                            ),
                        ),
                        ("before", models.CharField(blank=True, max_length=500, verbose_name="before")),
                        ("after", models.CharField(blank=True, max_length=500, verbose_name="after")),
                        ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
                        (
                            "by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="by",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="account_changes",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="account",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "account change",
                        "verbose_name_plural": "account changes",
                        "db_table": "jimcase_accountchange",
                        "ordering": ["-at", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
