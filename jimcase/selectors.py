"""Reads that depend on who asks. This module alone decides which youths a user may see."""

from guardian.shortcuts import get_objects_for_user

from .models import Youth

VIEW_YOUTH = "jimcase.view_youth"
CHANGE_YOUTH = "jimcase.change_youth"


def youths_visible_to(user, perm=VIEW_YOUTH):
    """Return the youths on which `user` holds `perm` as an object permission (directly or via a team)."""
    if not user.is_authenticated or not user.is_active:
        return Youth.objects.none()
    # Object permissions only: a model-level permission (or superuser status) never opens every youth.
    return get_objects_for_user(
        user,
        perm,
        klass=Youth.objects.all(),
        use_groups=True,
        with_superuser=False,
        accept_global_perms=False,
    )
