"""Store the reasons the application wrote into the stage history as codes (`StageChange.Why`).

They were stored as text in the language of whoever caused the change, so a Dutch reason showed in the
English interface and the other way round. A known text (English or Dutch) becomes its code; any other
text stays as it was written. Backwards, a code becomes its Dutch text again.
"""

from django.db import migrations

#: code → the texts the application wrote for it (English msgid, Dutch translation).
KNOWN = {
    "registered": ("Registered", "Ingeschreven"),
    "corrected": (
        "Corrected: the stage contradicted the open search or triad",
        "Rechtgezet: de fase klopte niet met de lopende zoektocht of triade",
    ),
    "search_started": ("Wie-vraag started", "Wie-vraag gestart"),
    "search_stopped": ("Wie-vraag stopped", "Wie-vraag gestopt"),
    "jim_chosen": ("JIM chosen", "JIM gekozen"),
    "triad_trial": ("Triad: trial period", "Triade: proefperiode"),
    "triad_ended": ("Triad: ended", "Triade: beëindigd"),
}


def to_codes(apps, schema_editor):
    StageChange = apps.get_model("jimcase", "StageChange")
    for code, texts in KNOWN.items():
        # A queryset update: the model's save() refuses to change a history row, and rightly so elsewhere.
        StageChange.objects.filter(why__in=texts).update(why=code)


def to_texts(apps, schema_editor):
    StageChange = apps.get_model("jimcase", "StageChange")
    for code, (_english, dutch) in KNOWN.items():
        StageChange.objects.filter(why=code).update(why=dutch)


class Migration(migrations.Migration):
    dependencies = [("jimcase", "0021_field_labels")]

    operations = [migrations.RunPython(to_codes, to_texts)]
