"""Seed the default topics ("wie voor wat") every organisation starts with (mentors.models.DEFAULT_TOPICS)."""

from django.db import migrations

# A copy, not an import: a migration keeps the list it was written with.
DEFAULT_TOPICS = ["school", "home", "friends", "health", "free time", "money", "feelings", "work"]


def seed(apps, schema_editor):
    Topic = apps.get_model("mentors", "Topic")
    for name in DEFAULT_TOPICS:
        Topic.objects.get_or_create(organisation=None, name=name)


def unseed(apps, schema_editor):
    apps.get_model("mentors", "Topic").objects.filter(organisation=None, name__in=DEFAULT_TOPICS).delete()


class Migration(migrations.Migration):
    dependencies = [("mentors", "0009_topics")]

    operations = [migrations.RunPython(seed, unseed)]
