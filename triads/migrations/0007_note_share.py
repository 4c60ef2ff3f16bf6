"""Notes shared with the JIM of one triad. Existing shares (a yes/no on the note) move here.

A note shared before this migration goes to the youth's running triad (else the newest one). A note
with a confidentiality flag is never shared, so such an old share is dropped rather than copied.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

NEVER_FOR_JIM = ("in_confidence", "third_party_only", "for_court", "withheld_for_youth")
RANK = {"trial": 0, "active": 0, "draft": 1, "ended": 2}


def copy_shares(apps, schema_editor):
    Note = apps.get_model("jimcase", "Note")
    Triad = apps.get_model("triads", "Triad")
    NoteShare = apps.get_model("triads", "NoteShare")
    for note in Note.objects.filter(shared_with_jim=True, **dict.fromkeys(NEVER_FOR_JIM, False)):
        triads = sorted(
            Triad.objects.filter(youth_id=note.youth_id),
            key=lambda t: (RANK[t.status], -t.created_at.timestamp()),
        )
        if triads:
            NoteShare.objects.get_or_create(
                note=note,
                defaults={
                    "triad": triads[0],
                    "agreed_on": note.jim_share_agreed_on or note.written_on,
                    "by_id": note.author_id,
                },
            )


def copy_back(apps, schema_editor):
    Note = apps.get_model("jimcase", "Note")
    NoteShare = apps.get_model("triads", "NoteShare")
    for share in NoteShare.objects.all():
        Note.objects.filter(pk=share.note_id).update(
            shared_with_jim=True, jim_share_agreed_on=share.agreed_on
        )


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0007_account_change"),
        ("triads", "0006_jim_profile"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NoteShare",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("agreed_on", models.DateField(verbose_name="youth agreed to share with the JIM on")),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "note",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="jim_share",
                        to="jimcase.note",
                    ),
                ),
                (
                    "triad",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="note_shares",
                        to="triads.triad",
                    ),
                ),
            ],
            options={
                "verbose_name": "note shared with the JIM",
                "verbose_name_plural": "notes shared with the JIM",
                "ordering": ["-note__written_on", "-pk"],
            },
        ),
        migrations.RunPython(copy_shares, copy_back),
    ]
