"""Give the coordinator role what it needs in the admin: triad status and dates, consent overrides."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATOR_PERMISSIONS = ["view_triad", "view_consentoverride", "add_consentoverride"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="coordinator")
    for codename in COORDINATOR_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label="triads", codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="coordinator").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="triads", codename__in=COORDINATOR_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("triads", "0001_initial"), ("jimcase", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
