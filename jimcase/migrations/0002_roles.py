"""Create the role groups with their model-level permissions.

Model-level permissions only say what kind of thing a role may do; which youth it may do it on is
decided by object permissions alone (see jimcase/selectors.py).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "hulpverlener": [
        "jimcase.add_youth",
        "jimcase.view_youth",
        "jimcase.change_youth",
    ],
    "jim": [],
    "coordinator": [
        "jimcase.view_organisation",
        "jimcase.change_organisation",
        "jimcase.view_team",
        "jimcase.add_team",
        "jimcase.change_team",
        "jimcase.view_user",
        "jimcase.add_user",
        "jimcase.change_user",
        "jimcase.view_youth",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
