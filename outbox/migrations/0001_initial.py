"""The outbox app takes over OutgoingMail from jimcase (jimcase 0028): the same table, now its own.

The state gets the model with `db_table` set to the table jimcase made (jimcase 0012); the database is
left as it is, rows and index included. The content type is renamed from jimcase to outbox, so the
permissions on it (and whoever was given them) and the admin's history move along.
"""

import django.utils.timezone
from django.db import migrations, models


def _move_content_type(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old = ContentType.objects.filter(app_label=source, model="outgoingmail").first()
    if old is None:
        return  # a new database: the content type is made after the migrations, under its new app
    new = ContentType.objects.filter(app_label=target, model="outgoingmail").first()
    if new is None:
        old.app_label = target
        old.save(update_fields=["app_label"])
        return
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
    _move_content_type(apps, "jimcase", "outbox")


def backwards(apps, schema_editor):
    _move_content_type(apps, "outbox", "jimcase")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("jimcase", "0028_outgoingmail_moves_to_outbox"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutgoingMail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("kind", models.CharField(max_length=40, verbose_name="kind")),
                        (
                            "topic",
                            models.CharField(blank=True, db_index=True, max_length=60, verbose_name="about"),
                        ),
                        ("to", models.EmailField(max_length=254, verbose_name="to")),
                        ("subject", models.CharField(max_length=250, verbose_name="subject")),
                        ("body", models.TextField(blank=True, verbose_name="text")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "waiting to be sent"),
                                    ("sent", "sent"),
                                    ("failed", "could not be sent"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        (
                            "next_attempt_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="next attempt"
                            ),
                        ),
                        (
                            "last_error",
                            models.CharField(blank=True, max_length=300, verbose_name="last error"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="queued at")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                    ],
                    options={
                        "verbose_name": "outgoing e-mail",
                        "verbose_name_plural": "outgoing e-mails",
                        "db_table": "jimcase_outgoingmail",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
