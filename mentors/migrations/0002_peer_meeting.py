"""The JIM peer network's meetings belong with the JIM profiles: the model moves here from triads.

This creates the table and gives coordinators its admin permissions; `triads.0005` copies the
existing meetings (and who comes) over and drops the old table.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

PERMISSIONS = ["view_peermeeting", "add_peermeeting", "change_peermeeting", "delete_peermeeting"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="coordinator")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="mentors", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="coordinator").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="mentors", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("jimcase", "0006_remove_youth_next_check_in_on"),
        ("mentors", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PeerMeeting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="date and time")),
                ("place", models.CharField(max_length=200, verbose_name="place")),
                ("topic", models.CharField(max_length=200, verbose_name="topic")),
                (
                    "attendees",
                    models.ManyToManyField(
                        blank=True,
                        related_name="peer_meetings",
                        to="mentors.jimprofile",
                        verbose_name="coming",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="peer_meetings",
                        to="jimcase.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "peer meeting",
                "verbose_name_plural": "peer meetings",
                "ordering": ["starts_at", "pk"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
