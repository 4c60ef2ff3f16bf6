"""Move the JIM peer meetings to `mentors` (created by `mentors.0002`), keeping every row and attendee.

Forwards: copy the meetings with their ids and attendees, set the new table's id sequence past them,
then drop the old model. Backwards: the old table is created again and the rows are copied back.
"""

from django.core.management.color import no_style
from django.db import migrations


def _copy(apps, schema_editor, source_label, target_label):
    Source = apps.get_model(source_label, "PeerMeeting")
    Target = apps.get_model(target_label, "PeerMeeting")
    for meeting in Source.objects.all().order_by("pk"):
        # update_or_create: after a partial rollback the target may still hold the same rows.
        copy, _created = Target.objects.update_or_create(
            pk=meeting.pk,
            defaults={
                "organisation_id": meeting.organisation_id,
                "starts_at": meeting.starts_at,
                "place": meeting.place,
                "topic": meeting.topic,
            },
        )
        copy.attendees.set(meeting.attendees.values_list("pk", flat=True))
    # Rows written with explicit ids leave PostgreSQL's sequence behind: the next meeting would collide.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Target]):
            cursor.execute(sql)


def to_mentors(apps, schema_editor):
    _copy(apps, schema_editor, "triads", "mentors")


def to_triads(apps, schema_editor):
    _copy(apps, schema_editor, "mentors", "triads")


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0002_peer_meeting"),
        ("triads", "0004_peer_meeting_roles"),
    ]

    operations = [
        migrations.RunPython(to_mentors, to_triads),
        migrations.DeleteModel(name="PeerMeeting"),
    ]
