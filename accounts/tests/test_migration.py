"""Moving AccountChange and PasswordResetRequest from jimcase to accounts keeps their tables, their rows and
who was given their permissions."""

import pytest

from jimcase.tests.migrations import leaves as latest
from jimcase.tests.migrations import migrate

OLD = [("jimcase", "0028_outgoingmail_moves_to_outbox")]


@pytest.mark.django_db(transaction=True)
def test_an_account_change_recorded_before_the_move_is_read_and_its_permission_kept_after():
    leaves = latest()
    old = migrate(OLD)
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    Group = old.get_model("auth", "Group")
    # The state an older database is in: the content types and their permissions under jimcase.
    ContentType.objects.filter(model__in=["accountchange", "passwordresetrequest"]).delete()
    content_type = ContentType.objects.create(app_label="jimcase", model="accountchange")
    ContentType.objects.create(app_label="jimcase", model="passwordresetrequest")
    view = Permission.objects.create(
        content_type=content_type, codename="view_accountchange", name="Can view"
    )
    group = Group.objects.create(name="account readers")
    group.permissions.add(view)
    user = old.get_model("jimcase", "User").objects.create(username="oud")
    old.get_model("jimcase", "AccountChange").objects.create(
        user=user, by=user, what="email", before="oud@example.org", after="nieuw@example.org"
    )
    old.get_model("jimcase", "PasswordResetRequest").objects.create(
        email_digest="d" * 64, ip_address="10.0.0.1"
    )

    new = migrate(leaves)

    change = new.get_model("accounts", "AccountChange").objects.get()
    assert (change.user_id, change.by_id, change.what, change.before, change.after) == (
        user.pk,
        user.pk,
        "email",
        "oud@example.org",
        "nieuw@example.org",
    )
    assert new.get_model("accounts", "PasswordResetRequest").objects.get().ip_address == "10.0.0.1"
    moved = new.get_model("contenttypes", "ContentType").objects.filter(
        model__in=["accountchange", "passwordresetrequest"]
    )
    assert sorted(moved.values_list("app_label", "model")) == [
        ("accounts", "accountchange"),
        ("accounts", "passwordresetrequest"),
    ]
    held = new.get_model("auth", "Group").objects.get(pk=group.pk).permissions.get()
    assert (held.content_type.app_label, held.codename) == ("accounts", "view_accountchange")
    # And through the real models.
    from accounts.models import AccountChange
    from jimcase.models import User

    assert AccountChange.objects.get().get_what_display() == "e-mailadres"
    assert list(User.objects.get(pk=user.pk).account_changes.values_list("after", flat=True)) == [
        "nieuw@example.org"
    ]
