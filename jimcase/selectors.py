"""Reads that depend on who asks. This module alone decides which youths a user may see."""

from typing import NamedTuple

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, Subquery
from django.utils import timezone
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from outbox.models import OutgoingMail

from .models import FormSubmission, NobodyCanDecide, Role, User, Youth
from .rules import ADULT_AGE, DOSSIER_REQUESTERS, nobody_can_decide_holds

VIEW_YOUTH = "jimcase.view_youth"
CHANGE_YOUTH = "jimcase.change_youth"


def with_object_permission(user, perm, queryset):
    """`queryset` limited to the objects on which `user` holds `perm` as an object permission, directly or via a group.

    Guardian's direct foreign-key tables stay the only authority. Guardian's own `get_objects_for_user`
    asks `id IN (user's rows) OR id IN (groups' rows)`, which PostgreSQL answers by scanning the whole
    table (issue 12); the UNION of the same two subqueries is answered from their unique indexes
    ((user, permission, object) and (group, permission, object)), so the cost follows the user's rows.
    The permission is named by its content type (Django's cached id) and codename in a scalar subquery,
    and the groups by the user's membership rows: no join to the permission, content type or group
    tables, which cost more to plan (about 1.5 ms on every page) than the query costs to run.
    A model-level permission or superuser status opens nothing here. The caller checks who asks.
    """
    app_label, codename = perm.split(".", 1)
    model = queryset.model
    content_type = ContentType.objects.get_for_model(model)
    if content_type.app_label != app_label:
        raise ValueError(f"{perm} is not a permission of {model._meta.label}")
    permission = (
        Permission.objects.filter(content_type_id=content_type.pk, codename=codename).order_by().values("pk")
    )
    user_rows = get_user_obj_perms_model(model).objects.filter(
        user_id=user.pk, permission_id=Subquery(permission)
    )
    group_rows = get_group_obj_perms_model(model).objects.filter(
        group_id__in=User.groups.through.objects.filter(user_id=user.pk).values("group_id"),
        permission_id=Subquery(permission),
    )
    ids = user_rows.values("content_object_id").union(group_rows.values("content_object_id"))
    return queryset.filter(pk__in=ids)


def youths_visible_to(user, perm=VIEW_YOUTH):
    """Return the youths on which `user` holds `perm` as an object permission (directly or via a team)."""
    if not user.is_authenticated or not user.is_active or user.is_admin_account:
        # An admin account (a coordinator's) never reaches a youth's file, whatever it was granted.
        return Youth.objects.none()
    # Object permissions only: a model-level permission (or superuser status) never opens every youth.
    return with_object_permission(user, perm, Youth.objects.all())


def youth_visible_to(user, youth, perm=VIEW_YOUTH):
    """True when `user` may (still) see `youth`."""
    return youths_visible_to(user, perm).filter(pk=youth.pk).exists()


def caseload_for(user, *, q="", stage=""):
    """The professional's caseload, filtered, with the current lead attached (constant queries)."""
    youths = (
        youths_visible_to(user).select_related("team").with_lead().order_by("last_name", "first_name", "pk")
    )
    if q:
        youths = youths.filter(
            Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(case_number__icontains=q)
        )
    if stage:
        youths = youths.filter(stage=stage)
    return youths


def youth_file_for(youth, *, log_size=20):
    """What the core sections of a youth's file show, in a fixed number of queries."""
    return {
        "parents": list(youth.parents.all()),
        # The current professionals first (each once), then the ended assignments, the latest first.
        "assignments": list(
            youth.assignments.select_related("professional").order_by(
                F("ends_on").desc(nulls_first=True), "-starts_on", "pk"
            )
        ),
        "notes": list(youth.notes.select_related("author")),
        "access_log": list(youth.access_log.select_related("user")[:log_size]),
    }


class ConsentDeciders(NamedTuple):
    """Who can decide on a youth's parental consent, as the case core knows it (`consent_deciders`)."""

    #: Whether the youth needs parental consent (under 18, or the date of birth unknown).
    minor: bool
    #: The parents and guardians with parental authority.
    parents: list
    #: The latest "nobody can decide" row (a statement or its lapse), or None.
    latest_nobody: object
    #: Every "nobody can decide" row, oldest first.
    nobody_history: list

    @property
    def nobody_can_decide(self):
        """The statement of why nobody can decide, when it counts (else None)."""
        return self.latest_nobody if nobody_can_decide_holds(self.latest_nobody, self.parents) else None

    @property
    def missing(self):
        """True for a minor with no parent with parental authority and no "nobody can decide" that counts."""
        return self.minor and not self.parents and self.nobody_can_decide is None


def consent_deciders(youth, today=None, *, parents=None):
    """Who can decide on `youth`'s parental consent (2 queries; 1 when the caller read `parents`)."""
    age = youth.age_on(today or timezone.localdate())
    if parents is None:
        parents = youth.parents.all()
    history = list(NobodyCanDecide.objects.filter(youth=youth).select_related("by"))
    return ConsentDeciders(
        minor=age is None or age < ADULT_AGE,
        parents=[p for p in parents if p.has_parental_authority],
        latest_nobody=history[-1] if history else None,
        nobody_history=history,
    )


def professionals_of(organisation_id):
    """The active professionals of an organisation, in name order."""
    return (
        User.objects.in_role(Role.PROFESSIONAL)
        .filter(organisation=organisation_id, is_active=True)
        .order_by("display_name", "username")
    )


def undelivered_mail(*topics):
    """The mails about these outbox topics ("triad:12", …) that could not be sent yet, or at all."""
    return list(OutgoingMail.objects.undelivered(topics).order_by("created_at", "id"))


def submission_token_used(token):
    """True when a form with this one-time token was saved before."""
    return FormSubmission.objects.filter(token=token).exists()


def dossier_for(youth, requester_type):
    """What a requester of this type gets of the youth's file: the youth's details and the notes they may read."""
    hidden = DOSSIER_REQUESTERS[requester_type]
    return {
        "youth": youth,
        "assignments": list(youth.assignments.select_related("professional").order_by("starts_on", "pk")),
        "notes": list(
            youth.notes.filter(**dict.fromkeys(hidden, False))
            .select_related("author")
            .order_by("written_on", "pk")
        ),
    }
