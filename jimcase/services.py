"""Writes that matter in the case core: teams, roles and per-youth permission grants."""

from django.contrib.auth.models import Group
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from .models import Role, Team

#: What a professional on a case may do with the youth's file.
YOUTH_PERMS = ("jimcase.view_youth", "jimcase.change_youth")


@transaction.atomic
def team_create(*, organisation, name):
    """Create a team with its own auth group (the group carries shared youth permissions)."""
    group = Group.objects.create(name=f"team:{organisation.pk}:{name}"[:150])
    team = Team(organisation=organisation, name=name, group=group)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_member_add(*, team, user):
    """Make `user` a member of `team`."""
    user.groups.add(team.group)


@transaction.atomic
def team_member_remove(*, team, user):
    """Remove `user` from `team`; what the team shares is no longer visible to them."""
    user.groups.remove(team.group)


@transaction.atomic
def user_role_set(*, user, role, on=True):
    """Give or take a role (a Django group); coordinators must be staff to reach the admin."""
    group = Group.objects.get(name=Role(role).value)
    if on:
        user.groups.add(group)
        if role == Role.COORDINATOR and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    else:
        user.groups.remove(group)
    user.__dict__.pop("_role_names", None)


@transaction.atomic
def youth_access_grant(*, youth, to, perms=YOUTH_PERMS):
    """Grant object permissions on `youth` to a user or a team's group."""
    for perm in perms:
        assign_perm(perm, to, youth)


@transaction.atomic
def youth_access_revoke(*, youth, to, perms=YOUTH_PERMS):
    """Revoke object permissions on `youth` from a user or a team's group."""
    for perm in perms:
        remove_perm(perm, to, youth)
