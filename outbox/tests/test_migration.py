"""Moving OutgoingMail from jimcase to outbox keeps its table, its rows and who was given its permissions."""

import pytest

from jimcase.tests.migrations import leaves as latest
from jimcase.tests.migrations import migrate

OLD = [("jimcase", "0027_nobody_can_decide")]


@pytest.mark.django_db(transaction=True)
def test_a_mail_queued_before_the_move_is_read_and_its_permission_kept_after():
    leaves = latest()
    old = migrate(OLD)
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    Group = old.get_model("auth", "Group")
    # The state an older database is in: the content type and its permissions under jimcase.
    ContentType.objects.filter(model="outgoingmail").delete()
    content_type = ContentType.objects.create(app_label="jimcase", model="outgoingmail")
    view = Permission.objects.create(content_type=content_type, codename="view_outgoingmail", name="Can view")
    group = Group.objects.create(name="mail readers")
    group.permissions.add(view)
    old.get_model("jimcase", "OutgoingMail").objects.create(
        kind="signing_link", to="oud@example.org", subject="Oud"
    )

    new = migrate(leaves)

    mail = new.get_model("outbox", "OutgoingMail").objects.get()
    assert (mail.kind, mail.to, mail.subject, mail.status) == (
        "signing_link",
        "oud@example.org",
        "Oud",
        "queued",
    )
    moved = new.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
    assert (moved.app_label, moved.model) == ("outbox", "outgoingmail")
    held = new.get_model("auth", "Group").objects.get(pk=group.pk).permissions.get()
    assert (held.content_type.app_label, held.codename) == ("outbox", "view_outgoingmail")
    # And through the real model.
    from outbox.models import OutgoingMail

    assert OutgoingMail.objects.get().subject == "Oud"
