"""Store the reasons the application wrote into a triad's status history as codes.

They were stored as text in the language of whoever caused the change ("JIM gekozen", "doel bereikt"),
so a Dutch reason showed in the English interface. A known text (English or Dutch) becomes its code:
`TriadStatusChange.Why`, or the closure's `EndReason`. Any other text stays as it was written.
"""

from django.db import migrations

#: code → the texts the application wrote for it (English msgid, Dutch translation).
KNOWN = {
    "jim_chosen": ("JIM chosen", "JIM gekozen"),
    "signed": ("Agreement signed and consent in order.", "Afspraken ondertekend en toestemming in orde."),
    "started_by_professional": ("Started by the professional.", "Gestart door de hulpverlener."),
    "trial_continued": ("Trial evaluation: continue.", "Evaluatie van de proefperiode: verdergaan."),
    # A closure's end reason (EndReason), stored as its label until now.
    "goal_reached": ("goal reached", "doel bereikt"),
    "youth_choice": ("the youth's choice", "keuze van de jongere"),
    "jim_stops": ("the JIM stops", "de JIM stopt"),
    "moved_away": ("moved away", "verhuisd"),
    "conflict_professional": ("conflict with the professional", "conflict met de hulpverlener"),
    "conflict_family": ("conflict with the family", "conflict met de familie"),
    "other": ("other", "andere"),
}


def to_codes(apps, schema_editor):
    TriadStatusChange = apps.get_model("triads", "TriadStatusChange")
    for code, texts in KNOWN.items():
        TriadStatusChange.objects.filter(why__in=texts).update(why=code)


def to_texts(apps, schema_editor):
    TriadStatusChange = apps.get_model("triads", "TriadStatusChange")
    for code, (_english, dutch) in KNOWN.items():
        TriadStatusChange.objects.filter(why=code).update(why=dutch)


class Migration(migrations.Migration):
    dependencies = [("triads", "0017_field_labels")]

    operations = [migrations.RunPython(to_codes, to_texts)]
