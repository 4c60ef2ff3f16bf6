"""Writes that matter in the case core: teams, roles and per-youth permission grants."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from outbox import mails

from .models import (
    AccessLog,
    CaseAssignment,
    DossierAccess,
    FormSubmission,
    LivingSituationChange,
    NobodyCanDecide,
    Note,
    ReminderSent,
    Role,
    StageChange,
    Team,
    Youth,
)
from .registry import (
    assignment_ended_hooks,
    consent_deciders_changed_hooks,
    youth_stage_facts,
)
from .rules import dossier_request_problem, may_manage_assignments
from .stages import stage_from
from .stale import capacity_state, stale_check

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
def team_update(*, team, name):
    """Rename a team (its organisation stays)."""
    team.name = name
    return clean_save(team)


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


# --- Youth files --------------------------------------------------------------------------------


def clean_save(obj):
    """Validate a model instance completely (fields and constraints), then save it."""
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def training_save(*, training, by):
    """Record (or correct) a professional's JIM training; who saved it last and when are kept with it."""
    training.recorded_by, training.recorded_at = by, timezone.now()
    clean_save(training)
    training.user.__dict__.pop("_has_training", None)
    return training


@transaction.atomic
def training_delete(*, training):
    """Remove a training recorded by mistake."""
    training.delete()
    training.user.__dict__.pop("_has_training", None)


class StaleEdit(ValidationError):
    """Someone else saved the object after the form was loaded; `current` is what is stored now.

    `current` is the object itself (models.EditVersioned) or its stale.StoredState; the form that was
    sent shows it (`stale_edit_show`).
    """

    def __init__(self, current):
        self.current = current
        super().__init__(
            _("Someone else saved this after you opened the form. Your changes are not saved yet."),
            code="stale",
        )


def edit_version_claim(obj, *, edit_version=None, by):
    """Move a versioned object (models.EditVersioned) on from `edit_version`, or raise StaleEdit.

    One conditional UPDATE: of two saves based on the same version exactly one matches the row, on
    SQLite and PostgreSQL alike. Without `edit_version` (no form: seeding, another service) the
    stored version is moved on unchecked. Call inside the service's transaction.
    """
    rows = type(obj).objects.filter(pk=obj.pk)
    if edit_version is None:
        edit_version = rows.values_list("edit_version", flat=True).get()
    now = timezone.now()
    if not rows.filter(edit_version=edit_version).update(
        edit_version=F("edit_version") + 1, edited_by=by, edited_at=now
    ):
        raise StaleEdit(rows.select_related("edited_by").get())
    obj.edit_version, obj.edited_by, obj.edited_at = edit_version + 1, by, now
    return obj


def edit_save(obj, *, by, edit_version=None):
    """Validate and save an edit made on `edit_version` of a versioned object; a new one is simply saved."""
    if obj._state.adding:
        obj.edited_by, obj.edited_at = by, timezone.now()
    else:
        edit_version_claim(obj, edit_version=edit_version, by=by)
    return clean_save(obj)


@transaction.atomic
def youth_register(*, by, **fields):
    """Register a youth; the registering professional becomes the lead at once."""
    youth = Youth(created_by=by, stage=Youth.Stage.REFERRED, stage_since=timezone.localdate(), **fields)
    clean_save(youth)
    StageChange.objects.create(
        youth=youth, to_stage=youth.stage, on=youth.stage_since, by=by, why=StageChange.Why.REGISTERED
    )
    LivingSituationChange.objects.create(
        youth=youth, to_situation=youth.living_situation, on=youth.referral_date or youth.stage_since, by=by
    )
    assignment_add(
        youth=youth, professional=by, role=CaseAssignment.Role.LEAD, starts_on=youth.stage_since, by=by
    )
    if youth.shared_with_team and youth.team:
        youth_access_grant(youth=youth, to=youth.team.group)
    # The page that registers has no youth in its address yet: the service records it.
    access_log_write(youth_id=youth.pk, user=by, page="register", action=AccessLog.Action.CHANGE)
    return youth


@transaction.atomic
def youth_update(*, youth, by, edit_version=None, **fields):
    """Change a youth's details (refused if saved since `edit_version`); team sharing follows here."""
    # Compare with what is stored: a bound ModelForm may already have changed the instance.
    stored = Youth.objects.select_related("team").get(pk=youth.pk)
    old_team, old_shared = stored.team, stored.shared_with_team
    old_situation = stored.living_situation
    for name, value in fields.items():
        setattr(youth, name, value)
    edit_save(youth, by=by, edit_version=edit_version)
    if youth.living_situation != old_situation:
        LivingSituationChange.objects.create(
            youth=youth,
            from_situation=old_situation,
            to_situation=youth.living_situation,
            on=timezone.localdate(),
            by=by,
        )
    if old_shared and old_team and (old_team != youth.team or not youth.shared_with_team):
        youth_access_revoke(youth=youth, to=old_team.group)
    if youth.shared_with_team and youth.team:
        youth_access_grant(youth=youth, to=youth.team.group)
    return youth


@transaction.atomic
def youth_stage_refresh(*, youth, by, why="", on=None):
    """Derive the youth's stage from the facts (`stages.stage_from`) and record a change in its history.

    Called by the search and triad services after they change a fact, inside their transaction. Nothing
    else sets the stage, so it always agrees with the open search and the running triad. `on` is the
    day the change happened (default: the deciding fact's date, else today).
    """
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    stage, since = stage_from(youth_stage_facts(youth))
    stage = Youth.Stage(stage)
    if stage == youth.stage:
        return youth
    on = on or since or timezone.localdate()
    StageChange.objects.create(
        youth=youth, from_stage=youth.stage, to_stage=stage, on=on, by=by, why=why[:200]
    )
    # In this stage since the fact's own date: a search that was already open when the triad ended has
    # been open (and the help on hold) since it started.
    youth.stage, youth.stage_since = stage, since or on
    youth.save(update_fields=["stage", "stage_since"])
    return youth


@transaction.atomic
def youth_living_situation_set(*, youth, living_situation, by, on=None):
    """Record where the youth lives now (e.g. at a triad's closure), kept in the history when it changed."""
    if living_situation not in Youth.LivingSituation.values:
        raise ValidationError({"living_situation": _("Choose a living situation.")})
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    if youth.living_situation == living_situation:
        return youth
    LivingSituationChange.objects.create(
        youth=youth,
        from_situation=youth.living_situation,
        to_situation=living_situation,
        on=on or timezone.localdate(),
        by=by,
    )
    youth.living_situation = living_situation
    youth.save(update_fields=["living_situation"])
    return youth


def youth_stages_reconcile(*, fix=False):
    """[(youth id, stored stage, derived stage)] for every youth whose stage contradicts the facts.

    With `fix`, each is corrected through `youth_stage_refresh` (one transaction per youth), so the
    correction is in the youth's history like any other change.
    """
    wrong = []
    for youth in Youth.objects.only("pk", "stage").order_by("pk").iterator(chunk_size=2000):
        derived, _since = stage_from(youth_stage_facts(youth))
        if derived != youth.stage:
            wrong.append((youth.pk, youth.stage, derived))
            if fix:
                youth_stage_refresh(youth=youth, by=None, why=StageChange.Why.CORRECTED)
    return wrong


@transaction.atomic
def youth_capacity_record(*, youth, by, deemed_incapable, motivation, stored_state=None):
    """Record whether the youth is judged (not) capable; judging not capable needs a motivation.

    `stored_state` is the judgement's fingerprint when the form was opened (jimcase.stale): a save on
    an older judgement is refused (StaleEdit), never a silent overwrite of a colleague's judgement.
    """
    if deemed_incapable and not motivation.strip():
        raise ValidationError({"capacity_motivation": _("Write down why the youth is judged not capable.")})
    stored = (
        Youth.objects.select_for_update(of=("self",)).select_related("capacity_recorded_by").get(pk=youth.pk)
    )
    stale_check(opened=stored_state, state=capacity_state(stored))
    youth.deemed_incapable = deemed_incapable
    youth.capacity_motivation = motivation.strip()
    youth.capacity_recorded_by = by
    youth.capacity_recorded_at = timezone.now()
    youth.save(
        update_fields=[
            "deemed_incapable",
            "capacity_motivation",
            "capacity_recorded_by",
            "capacity_recorded_at",
        ]
    )
    return youth


@transaction.atomic
@transaction.atomic
def parent_save(*, parent, by, edit_version=None):
    """Add or change a parent or guardian of a youth (a change is refused if saved since `edit_version`).

    A parent with parental authority ends the youth's "nobody can decide" statement: that parent decides now.
    """
    parent = edit_save(parent, by=by, edit_version=edit_version)
    if parent.has_parental_authority:
        latest = NobodyCanDecide.objects.filter(youth_id=parent.youth_id).last()
        if latest is not None and latest.is_statement:
            NobodyCanDecide.objects.create(
                youth_id=parent.youth_id,
                reason=NobodyCanDecide.Reason.LAPSED,
                explanation=parent.name,
                on=timezone.localdate(),
                by=by,
            )
    return parent


@transaction.atomic
def nobody_can_decide_record(*, youth, reason, explanation, by):
    """Record why no parent or guardian can decide on the youth's consent (appended to its history)."""
    if reason not in NobodyCanDecide.STATED:
        raise ValidationError({"reason": _("Choose why nobody can decide.")})
    if not (explanation or "").strip():
        raise ValidationError({"explanation": _("Explain in a few words how you know.")})
    if youth.parents.filter(has_parental_authority=True).exists():
        raise ValidationError(
            _("A parent or guardian with parental authority is recorded: they decide on consent.")
        )
    record = clean_save(
        NobodyCanDecide(
            youth=youth, reason=reason, explanation=explanation.strip(), on=timezone.localdate(), by=by
        )
    )
    for hook in consent_deciders_changed_hooks():
        hook(youth=youth, by=by)
    return record


def _may_manage_assignments(youth, by):
    """`jimcase.rules.may_manage_assignments`, reading only `by`'s open lead assignment of the youth."""
    return may_manage_assignments(
        by,
        youth,
        youth.assignments.filter(ends_on__isnull=True, role=CaseAssignment.Role.LEAD, professional=by),
    )


@transaction.atomic
def assignment_add(*, youth, professional, role, starts_on, by):
    """Assign a professional to a youth and grant them the file, in one transaction.

    A new lead takes over (the previous lead stays on as backup); only the lead or a coordinator
    hands over the lead, so nobody can make themselves lead of a file they reach through a team.
    """
    if not professional.is_professional or professional.organisation_id != youth.organisation_id:
        raise ValidationError({"professional": _("Choose a professional of the youth's organisation.")})
    if starts_on > timezone.localdate():
        raise ValidationError({"starts_on": _("An assignment cannot start in the future.")})
    if (
        role == CaseAssignment.Role.LEAD
        and youth.assignments.exists()
        and not _may_manage_assignments(youth, by)
    ):
        raise ValidationError(
            {"role": _("Only the lead professional or a coordinator can hand over the lead.")}
        )
    open_ones = youth.assignments.filter(ends_on__isnull=True)
    if open_ones.filter(professional=professional).exists():
        raise ValidationError({"professional": _("This professional is already assigned to this youth.")})
    if (
        role == CaseAssignment.Role.LEAD
        and starts_on != timezone.localdate()
        and open_ones.filter(role=CaseAssignment.Role.LEAD).exists()
    ):
        # Before today the other lead led the file; two leads on those days would rewrite that.
        raise ValidationError(
            {
                "starts_on": _(
                    "A new lead takes over today. To have this professional on the file from an earlier "
                    "day, add them as backup from then and hand over the lead."
                )
            }
        )
    if role == CaseAssignment.Role.LEAD:
        _demote_lead(youth, by=by)
    assignment = clean_save(
        CaseAssignment(youth=youth, professional=professional, role=role, starts_on=starts_on, created_by=by)
    )
    youth_access_grant(youth=youth, to=professional)
    return assignment


def _demote_lead(youth, *, by):
    """A new lead takes over: the previous lead stays on as backup, so nobody loses access silently.

    Returns the previous lead's assignment (None when the youth has no lead yet)."""
    previous = (
        youth.assignments.filter(ends_on__isnull=True, role=CaseAssignment.Role.LEAD)
        .select_for_update(of=("self",))
        .first()
    )
    if previous is not None:
        _role_from_today(previous, CaseAssignment.Role.BACKUP, by=by)
    return previous


def _role_from_today(assignment, role, *, by):
    """`assignment`'s professional holds `role` on the youth's file from today on; earlier days keep theirs.

    The assignment ends today (`ends_on` is the first day it no longer holds, as in `current()`) and a new
    one in the new role starts today, so `CaseAssignment.objects.current(day)` still says who led on a day
    before the hand-over. No "assignment ended" hooks run and the file's permissions stay: the professional
    does not leave the file. An assignment that started today has no earlier day: its role just changes.
    """
    today = timezone.localdate()
    if assignment.starts_on >= today:
        assignment.role = role
        assignment.save(update_fields=["role"])
        return assignment
    assignment.ends_on, assignment.ended_by = today, by
    assignment.save(update_fields=["ends_on", "ended_by"])
    return clean_save(
        CaseAssignment(
            youth_id=assignment.youth_id,
            professional_id=assignment.professional_id,
            role=role,
            starts_on=today,
            created_by=by,
        )
    )


@transaction.atomic
def lead_hand_over(*, youth, to, by):
    """Make `to` the lead professional (assigning them if needed); the previous lead stays on as backup.

    From today: the assignments of both end today and new ones start today (`_role_from_today`), so the
    days before still say who led then (the reports for those days read them).

    Only the lead or a coordinator of the youth's organisation does this. A coordinator reassigns a
    file without reaching it: she gets no access, and the access log records that she acted.
    """
    if not _may_manage_assignments(youth, by):
        raise ValidationError(_("Only the lead professional or a coordinator can hand over the lead."))
    current = (
        youth.assignments.filter(ends_on__isnull=True, professional=to)
        .select_for_update(of=("self",))
        .first()
    )
    if current is None:
        assignment = assignment_add(
            youth=youth, professional=to, role=CaseAssignment.Role.LEAD, starts_on=timezone.localdate(), by=by
        )
    elif current.role == CaseAssignment.Role.LEAD:
        raise ValidationError({"professional": _("This professional is already the lead.")})
    else:
        _demote_lead(youth, by=by)
        assignment = _role_from_today(current, CaseAssignment.Role.LEAD, by=by)
    if by.is_coordinator:
        access_log_write(
            youth_id=youth.pk, user=by, page="lead-handover", action=AccessLog.Action.CHANGE, on_behalf_of=to
        )
    return assignment


@transaction.atomic
def assignment_end(*, assignment, by, ends_on=None):
    """End an assignment; the professional loses access to the file at once.

    A professional may end their own backup assignment; only the lead or a coordinator ends someone
    else's. The lead's own assignment ends only after handing the lead to someone else, so a youth
    always has a lead, and never has zero professionals.
    """
    assignment = (
        CaseAssignment.objects.select_for_update(of=("self",)).select_related("youth").get(pk=assignment.pk)
    )
    if assignment.ends_on is not None:
        raise ValidationError(_("This assignment has already ended."))
    youth = assignment.youth
    if assignment.role == CaseAssignment.Role.LEAD:
        raise ValidationError(
            _("A youth always needs a professional: hand the lead to someone else before ending this.")
        )
    if assignment.professional_id != by.pk and not _may_manage_assignments(youth, by):
        raise ValidationError(
            _("Only the lead professional or a coordinator can end someone else's assignment.")
        )
    assignment.ends_on = ends_on or timezone.localdate()
    assignment.ended_by = by
    assignment.save(update_fields=["ends_on", "ended_by"])
    youth_access_revoke(youth=youth, to=assignment.professional)
    for hook in assignment_ended_hooks():
        hook(assignment=assignment, by=by)
    return assignment


@transaction.atomic
def note_add(*, youth, author, **fields):
    """Write a dossier entry on a youth's file."""
    return clean_save(Note(youth=youth, author=author, **fields))


def access_log_write(*, youth_id, user, page, action=AccessLog.Action.VIEW, on_behalf_of=None):
    """Record that `user` saw or changed the file of youth `youth_id` on `page` (for `on_behalf_of`, if any)."""
    return AccessLog.objects.create(
        youth_id=youth_id, user=user, page=page[:100], action=action, on_behalf_of=on_behalf_of
    )


@transaction.atomic
def dossier_access_produce(*, youth, by, requester_type, requester_name, format):
    """Record that the file was produced for someone who asked to read it (who, for whom, when, as what)."""
    problem = dossier_request_problem(requester_type, youth.is_capable)
    if problem:
        raise ValidationError({"requester_type": problem})
    if not (requester_name or "").strip():
        raise ValidationError({"requester_name": _("Write the name of the person who asks.")})
    return clean_save(
        DossierAccess(
            youth=youth,
            requester_type=requester_type,
            requester_name=requester_name.strip(),
            format=format,
            by=by,
        )
    )


class AlreadySubmitted(Exception):
    """The same form was submitted before (a double click, a reload after POST)."""


def submission_claim(*, token, user):
    """Claim a form's one-time token inside the caller's transaction; raise AlreadySubmitted if used."""
    if token is None:
        return
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=user)
    except IntegrityError:
        raise AlreadySubmitted from None


def reminder_send(*, key, to, mail, **context):
    """Send reminder `mail` (a name in outbox.mails) unless one with this key went out before; True if sent.

    The key is claimed first, in its own transaction, so two overlapping runs cannot both send it.
    """
    if not to:
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key[:200], recipient=to)
            mails.send(mail, to=to, **context)
    except IntegrityError:
        return False
    return True
