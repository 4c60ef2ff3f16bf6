"""Follow-up of a running triad: the plan of check-ins, evaluations with the trial decision, closure (with the
JIM's farewell and the lead's conversation with the youth some weeks later)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jimcase.models import Youth
from jimcase.services import clean_save, note_add, youth_living_situation_set
from jimcase.stale import stale_check
from jimcase.validators import not_in_future
from outbox import mails

from ..models import (
    CheckIn,
    CheckInMove,
    Closure,
    EndReason,
    Evaluation,
    EvaluationView,
    GoalsReached,
    NoteShare,
    Party,
    PlacementOutcome,
    Triad,
    TriadStatusChange,
)
from ..rules import AFTER_CLOSURE_DAYS, active_schedule, closure_contradictions, trial_extended_end
from ..stale import check_in_state, evaluation_view_state
from .agreements import agreement_new_version
from .status import triad_transition


def _require_running(triad):
    if not triad.is_running:
        raise ValidationError(_("Only a running triad has a plan."))


@transaction.atomic
def check_in_plan(*, triad, due_on, by, kind=CheckIn.Kind.CHECK_IN):
    """Add a moment to the triad's plan."""
    _require_running(triad)
    return clean_save(CheckIn(triad=triad, kind=kind, due_on=due_on))


def _lock_open(check_in):
    """The moment again, locked: a second click or a colleague may have changed it meanwhile."""
    locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if locked.done_on:
        raise ValidationError(_("This moment has already taken place."))
    if locked.is_removed:
        raise ValidationError(_("This moment was already removed from the plan."))
    return locked


@transaction.atomic
def check_in_move(*, check_in, due_on, by, stored_state=None):
    """Move a planned moment to another date; the move is recorded with who and when.

    `stored_state` is the date the move form was opened on (triads.stale): a move made on a moment a
    colleague has moved since is refused (StaleEdit) instead of silently winning.
    """
    _require_running(check_in.triad)
    locked = _lock_open(check_in)
    stale_check(opened=stored_state, state=check_in_state(locked))
    was_due_on = locked.due_on
    locked.due_on = due_on
    clean_save(locked)
    if due_on != was_due_on:
        clean_save(CheckInMove(check_in=locked, was_due_on=was_due_on, due_on=due_on, by=by))
    check_in.due_on = locked.due_on
    return locked


@transaction.atomic
def check_in_cancel(*, check_in, by):
    """Remove a planned moment that has not taken place from the plan; it is kept with who and when."""
    _require_running(check_in.triad)
    if check_in.is_trial_evaluation:
        raise ValidationError(_("This moment cannot be removed."))
    locked = _lock_open(check_in)
    locked.removed_at = timezone.now()
    locked.removed_by = by
    locked.save(update_fields=["removed_at", "removed_by"])
    check_in.removed_at, check_in.removed_by = locked.removed_at, by
    return locked


@transaction.atomic
def check_in_done(*, check_in, on, by):
    """Mark a planned moment as done (an evaluation does this itself)."""
    not_in_future("held_on", on)
    if check_in.is_removed:
        raise ValidationError(_("This moment was removed from the plan."))
    check_in.done_on = on
    check_in.save(update_fields=["done_on"])
    return check_in


# --- Notes shared with the JIM -----------------------------------------------------------------


@transaction.atomic
def note_share(*, note, triad, agreed_on, by):
    """Share one note with the JIM of `triad`, as agreed with the youth on `agreed_on`."""
    if note.youth_id != triad.youth_id:
        raise ValidationError({"note": _("Choose a note of this youth.")})
    if triad.has_ended:
        raise ValidationError(_("This triad has ended."))
    if not note.may_reach_jim:
        raise ValidationError(
            {
                "note": _(
                    "A note given in confidence, only about a third party, for the court or withheld "
                    "for the youth's own good is never shared with a JIM."
                )
            }
        )
    if agreed_on is None:
        raise ValidationError(
            {"agreed_on": _("Record the date on which the youth agreed to share this with the JIM.")}
        )
    not_in_future("agreed_on", agreed_on)
    if NoteShare.objects.filter(note=note).exists():
        raise ValidationError({"note": _("This note is already shared with a JIM.")})
    return clean_save(NoteShare(note=note, triad=triad, agreed_on=agreed_on, by=by))


@transaction.atomic
def note_unshare(*, share, by):
    """Stop sharing a note with the JIM (the youth changed their mind, or it was a mistake)."""
    share.delete()


@transaction.atomic
def evaluation_record(
    *,
    triad,
    by,
    held_on,
    score,
    text="",
    decision="",
    check_in=None,
    participants=None,
    note_flags=None,
    share_with_jim_on=None,
    early_reason="",
):
    """Record how the triad goes; at the end of the trial, act on the decision (continue, adjust, end).

    A decision taken before the trial's last day needs `early_reason`: the trial is there to try.
    """
    triad = Triad.objects.select_for_update(of=("self",)).select_related("youth").get(pk=triad.pk)
    if not triad.is_running:
        raise ValidationError(_("Only a running triad is evaluated."))
    not_in_future("held_on", held_on)
    if decision and not triad.is_in_trial:
        raise ValidationError({"decision": _("A decision is taken at the end of the trial period only.")})
    early_reason = (early_reason or "").strip()
    early = bool(decision) and triad.trial_ends_on is not None and held_on < triad.trial_ends_on
    if early and not early_reason:
        raise ValidationError(
            {
                "early_reason": _("The trial period runs until %(day)s. Write why you decide before its end.")
                % {"day": formats.date_format(triad.trial_ends_on, "SHORT_DATE_FORMAT")}
            }
        )
    if not early:
        early_reason = ""  # kept only where it explains an early decision
    if check_in is not None and check_in.triad_id != triad.pk:
        raise ValidationError(_("This moment belongs to another triad."))
    if check_in is not None and check_in.is_removed:
        raise ValidationError(_("This moment was removed from the plan."))
    note = None
    if text.strip():
        note = note_add(
            youth=triad.youth, author=by, written_on=held_on, text=text.strip(), **(note_flags or {})
        )
    evaluation = clean_save(
        Evaluation(
            triad=triad,
            check_in=check_in,
            held_on=held_on,
            score=score,
            note=note,
            decision=decision,
            early_reason=early_reason,
            by=by,
            **(participants or {}),
        )
    )
    if share_with_jim_on is not None:
        if note is None:
            raise ValidationError({"text": _("Write what may be shared with the JIM.")})
        note_share(note=note, triad=triad, agreed_on=share_with_jim_on, by=by)
    if check_in is not None:
        check_in.done_on = held_on
        check_in.save(update_fields=["done_on"])
    if decision == Evaluation.Decision.CONTINUE:
        triad = triad_transition(
            triad=triad, to=Triad.Status.ACTIVE, by=by, why=TriadStatusChange.Why.TRIAL_CONTINUED
        )
        # The monthly plan replaces what is left of the trial plan (else its evaluation stays overdue forever).
        # Removed, not deleted, as any moment taken off the plan: what was overdue before today stays so.
        triad.check_ins.open().update(removed_at=timezone.now(), removed_by=by)
        for kind, day in active_schedule(held_on):
            CheckIn.objects.create(triad=triad, kind=kind, due_on=day)
    elif decision == Evaluation.Decision.ADJUST:
        agreement_new_version(triad=triad, by=by)
        if not triad.check_ins.open().filter(kind=CheckIn.Kind.TRIAL_EVALUATION).exists():
            # The trial goes on, so it needs a new end and an evaluation there.
            triad.trial_ends_on = trial_extended_end(triad.trial_ends_on, held_on)
            triad.save(update_fields=["trial_ends_on"])
            CheckIn.objects.create(
                triad=triad, kind=CheckIn.Kind.TRIAL_EVALUATION, due_on=triad.trial_ends_on
            )
    return evaluation


@transaction.atomic
def evaluation_view_save(*, check_in, party, by, score, goes_well="", would_help="", stored_state=None):
    """Save (or change) the JIM's or the youth's view before a planned evaluation, until it is recorded.

    The JIM answers for themselves; the professional writes down the youth's answers. `stored_state` is
    what the form was opened on (triads.stale): a save on answers changed since (by a colleague, or in
    the JIM's other tab) is refused (StaleEdit) instead of overwriting them.
    """
    # The triad's lock orders this with evaluation_record: an answer never lands after the evaluation.
    triad = (
        Triad.objects.select_for_update(of=("self",)).select_related("jim_profile").get(pk=check_in.triad_id)
    )
    check_in = CheckIn.objects.filter(pk=check_in.pk).first()
    if not triad.is_running or check_in is None or not check_in.is_evaluation:
        raise ValidationError(_("This moment is not a planned evaluation."))
    if check_in.done_on is not None:
        raise ValidationError(_("This evaluation has taken place: the answers can no longer change."))
    if party == Party.JIM and triad.jim_profile.user_id != by.pk:
        raise ValidationError(_("Only the JIM of this triad answers as the JIM."))
    # Read under the triad's lock, which every save of an answer takes first.
    stored = EvaluationView.objects.filter(check_in=check_in, party=party).select_related("by").first()
    stale_check(opened=stored_state, state=evaluation_view_state(stored))
    view = stored or EvaluationView(check_in=check_in, party=party)
    view.score = score
    view.goes_well = (goes_well or "").strip()
    view.would_help = (would_help or "").strip()
    view.by = by
    view.at = timezone.now()
    return clean_save(view)


@transaction.atomic
def triad_close(
    *,
    triad,
    by,
    reason,
    after_plan,
    ended_on=None,
    exit_youth="",
    exit_jim="",
    exit_professional="",
    continues_informally=False,
    living_situation,
    placement_outcome,
    goals_reached,
    outcome_explanation="",
):
    """End a triad with a reason, the outcome and an after-plan; the JIM loses access in the same transaction.

    The outcome (where the youth lives now, whether an out-of-home placement was avoided, whether the
    goals were reached) is what the coordinators' reports count; the youth's living situation follows.
    Answers that contradict each other or the intake are refused, or need `outcome_explanation`
    (`triads.rules.closure_contradictions`).
    """
    errors = {}
    if not (after_plan or "").strip():
        errors["after_plan"] = _("Write down what happens next for the youth.")
    if reason not in EndReason.values:
        errors["reason"] = _("Choose a reason.")
    if living_situation not in Youth.LivingSituation.values:
        errors["living_situation"] = _("Choose where the youth lives now.")
    if placement_outcome not in PlacementOutcome.values:
        errors["placement_outcome"] = _("Choose whether an out-of-home placement was avoided.")
    if goals_reached not in GoalsReached.values:
        errors["goals_reached"] = _("Choose whether the goals were reached.")
    if errors:
        raise ValidationError(errors)
    outcome_explanation = (outcome_explanation or "").strip()
    refused, to_explain = closure_contradictions(
        placement_considered=triad.youth.placement_considered,
        reason=reason,
        placement_outcome=placement_outcome,
        goals_reached=goals_reached,
        living_situation=living_situation,
    )
    if not outcome_explanation and to_explain:
        refused = {
            **to_explain,
            **refused,
            "outcome_explanation": _("Explain why these answers go together."),
        }
    if refused:
        raise ValidationError(refused)
    ended_on = ended_on or timezone.localdate()
    not_in_future("ended_on", ended_on)
    triad = triad_transition(triad=triad, to=Triad.Status.ENDED, by=by, why=reason)
    closure = clean_save(
        Closure(
            triad=triad,
            reason=reason,
            ended_on=ended_on,
            exit_youth=exit_youth,
            exit_jim=exit_jim,
            exit_professional=exit_professional,
            continues_informally=continues_informally,
            living_situation=living_situation,
            placement_outcome=placement_outcome,
            goals_reached=goals_reached,
            outcome_explanation=outcome_explanation,
            after_plan=after_plan.strip(),
            by=by,
        )
    )
    triad.ended_on = ended_on
    triad.save(update_fields=["ended_on"])
    youth_living_situation_set(youth=triad.youth, living_situation=living_situation, by=by, on=ended_on)
    # What was planned after the last day is removed from the plan (kept, with who and when, as any removed
    # moment); the lead sees the youth again some weeks later.
    CheckIn.objects.open().filter(triad=triad, due_on__gt=ended_on).update(
        removed_at=timezone.now(), removed_by=by
    )
    CheckIn.objects.create(
        triad=triad,
        kind=CheckIn.Kind.AFTER_CLOSURE,
        due_on=max(ended_on + datetime.timedelta(days=AFTER_CLOSURE_DAYS), timezone.localdate()),
    )
    _farewell_mail(triad, closure)
    return closure


def _farewell_mail(triad, closure):
    """Thank the JIM, say the triad ended and whether the contact goes on as agreed, and whom to call for a
    last conversation. Nothing of the youth but the first name."""
    jim = triad.jim_profile
    address = jim.user.email if jim.user_id and jim.user.email else jim.email
    if not address:
        return
    mails.send(
        "jim_farewell",
        to=address,
        about=jim,
        jim=jim,
        youth=triad.youth,
        closure=closure,
        fallback=triad.fallback,
    )
