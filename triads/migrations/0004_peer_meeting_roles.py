"""Coordinators plan their organisation's JIM peer meetings in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
        *Permission.objects.filter(content_type__app_label="triads", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="coordinator").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="triads", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("triads", "0003_followup")]

    operations = [migrations.RunPython(grant, revoke)]
