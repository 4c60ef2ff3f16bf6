"""A note is shared with the JIM of one triad (triads.NoteShare), no longer with "the JIM" of the youth.

`triads.0007` copies the existing shares first; this then drops the yes/no and its date from the note.
The dependency on triads is the one place the core's history waits for an app above it: a fact
moves between apps, and its copy must run before the old columns go.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0007_account_change"),
        ("triads", "0007_note_share"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="note",
            name="note_shared_with_jim_needs_agreement_date",
        ),
        migrations.RemoveField(
            model_name="note",
            name="jim_share_agreed_on",
        ),
        migrations.RemoveField(
            model_name="note",
            name="shared_with_jim",
        ),
    ]
