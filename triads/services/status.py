"""The triad's status moves: the one place a triad's status changes, each move recorded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import remove_perm

from jimcase.models import StageChange
from jimcase.services import youth_stage_refresh

from ..models import CheckIn, Triad, TriadStatusChange
from ..rules import TRIAD_TRANSITIONS, VIEW_TRIAD, schedule_for, start_blockers, trial_end

Status = Triad.Status


def status_change_record(*, triad, to, by, why):
    """Check that the move is allowed and append it to the triad's history (the caller saves the triad)."""
    if to not in TRIAD_TRANSITIONS[triad.status]:
        raise ValidationError(
            _("A triad cannot go from “%(from)s” to “%(to)s”.")
            % {"from": triad.get_status_display(), "to": Status(to).label}
        )
    TriadStatusChange.objects.create(triad=triad, from_status=triad.status, to_status=to, by=by, why=why)
    triad.status = to


@transaction.atomic
def triad_transition(*, triad, to, by, why=""):
    """Move a triad along its allowed transitions (the one place its status changes)."""
    triad = Triad.objects.select_for_update(of=("self",)).get(pk=triad.pk)
    today = timezone.localdate()
    if to == Status.TRIAL:
        blockers = start_blockers(triad, today)
        if blockers:
            raise ValidationError(blockers)
    status_change_record(triad=triad, to=to, by=by, why=why)
    if to == Status.TRIAL:
        triad.trial_started_on = today
        triad.trial_ends_on = trial_end(today, triad.current_agreement.trial_days)
        for kind, day in schedule_for(start=triad.trial_started_on, trial_ends_on=triad.trial_ends_on):
            CheckIn.objects.create(triad=triad, kind=kind, due_on=day)
    elif to == Status.ACTIVE:
        triad.activated_on = today
    elif to == Status.ENDED:
        triad.ended_on = today
        if triad.jim_profile.user_id:
            remove_perm(VIEW_TRIAD, triad.jim_profile.user, triad)
    triad.save()
    if to in (Status.TRIAL, Status.ENDED):
        youth_stage_refresh(
            youth=triad.youth,
            by=by,
            why=StageChange.Why.TRIAD_TRIAL if to == Status.TRIAL else StageChange.Why.TRIAD_ENDED,
            on=today,
        )
    return triad


def triad_start_if_ready(*, triad, by):
    """Start the trial as soon as the agreement is signed and consent allows it (inside the caller's transaction)."""
    triad.refresh_from_db()
    if triad.status == Status.DRAFT and not start_blockers(triad):
        triad_transition(triad=triad, to=Status.TRIAL, by=by, why=TriadStatusChange.Why.SIGNED)
