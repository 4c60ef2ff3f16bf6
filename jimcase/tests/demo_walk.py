"""A walk through the demo's (or the scale data's) records: do their dates agree with each other (issue 22)?

`dates_agree()` returns every disagreement as a readable line (empty: the year is believable). One check per
kind of record: nothing after now, each triad (its life, signatures, consent, status history, follow-up,
closure), each youth (stage history, 'nobody can decide') and each search's candidates.
"""

import datetime

from django.apps import apps
from django.db import models
from django.utils import timezone

from jimcase.models import NobodyCanDecide, Youth
from jimcase.rules import ADULT_AGE, nobody_can_decide_holds
from mentors.models import Search
from triads.models import ConsentDecision, Triad
from triads.rules import closure_contradictions

#: Fields that hold a plan or an expiry, not something that happened: they may lie after now.
PLANNED = {
    ("jimcase", "OutgoingMail", "next_attempt_at"),
    ("triads", "SigningLink", "expires_at"),
    ("mentors", "PeerMeeting", "starts_at"),
    ("triads", "CheckIn", "due_on"),
    ("triads", "CheckInMove", "due_on"),
    ("triads", "CheckInMove", "was_due_on"),
    ("triads", "Triad", "trial_ends_on"),
    ("jimcase", "CaseAssignment", "ends_on"),
}
APPS = ("jimcase", "mentors", "triads", "outbox")
NOT_EVENTS = ("date_of_birth", "last_login", "date_joined")


def day_of(value):
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def dates_agree():
    """Every disagreement between the stored dates, as readable lines."""
    wrong = nothing_after_now()
    triads = Triad.objects.select_related("search", "youth", "closure").prefetch_related(
        "agreements__signatures", "consents", "history", "check_ins", "evaluations", "fallback_requests"
    )
    for triad in triads:
        wrong += triad_dates(triad)
    for youth in Youth.objects.prefetch_related("stage_changes", "parents"):
        wrong += youth_dates(youth)
    for search in Search.objects.prefetch_related("candidates__history"):
        wrong += candidate_dates(search)
    return wrong


def nothing_after_now():
    """Every date or moment of something that happened lies before now (plans and expiries aside)."""
    wrong = []
    now, today = timezone.now(), timezone.localdate()
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        for field in model._meta.concrete_fields:
            key = (model._meta.app_label, model.__name__, field.name)
            if key in PLANNED or field.name in NOT_EVENTS:
                continue
            if isinstance(field, models.DateTimeField):
                late = model.objects.filter(**{f"{field.name}__gt": now + datetime.timedelta(seconds=5)})
            elif isinstance(field, models.DateField):
                late = model.objects.filter(**{f"{field.name}__gt": today})
            else:
                continue
            if late.exists():
                wrong.append(f"{key}: {late.count()} after now")
    return wrong


def triad_dates(triad):
    """A triad's life in order: JIM chosen ≤ made ≤ signed ≤ trial ≤ active ≤ ended, and what hangs on it."""
    name = f"triad of {triad.youth.case_number}"
    chosen, created = triad.search.ended_on, day_of(triad.created_at)
    wrong = []
    if not chosen or created < chosen:
        wrong.append(f"{name}: made {created} before its JIM was chosen ({chosen})")
    steps = [day for day in (created, triad.trial_started_on, triad.activated_on, triad.ended_on) if day]
    if steps != sorted(steps):
        wrong.append(f"{name}: made, trial, active, ended out of order: {steps}")
    return (
        wrong
        + signature_dates(triad, name)
        + consent_dates(triad, name)
        + status_history_dates(triad, name)
        + follow_up_dates(triad, name)
        + closure_dates(triad, name)
    )


def signature_dates(triad, name):
    """The first version is signed between the triad's making and its trial; later ones within its life."""
    wrong = []
    created, started = day_of(triad.created_at), triad.trial_started_on
    for agreement in triad.agreements.all():
        last = started if started and agreement.version == 1 else triad.ended_on or timezone.localdate()
        for signature in agreement.signatures.all():
            signed = day_of(signature.signed_at)
            if signed < created or signed > last:
                wrong.append(f"{name}: {signature.party} signed on {signed}, not in {created}..{last}")
    return wrong


def consent_dates(triad, name):
    """Consent decided before it is recorded, after the triad was made; the current one is the latest real
    decision, and no placeholder row comes after a real one."""
    wrong, by_parent = [], {}
    created = day_of(triad.created_at)
    for decision in triad.consents.all():
        by_parent.setdefault(decision.parent_id, []).append(decision)
        if day_of(decision.recorded_at) < created or decision.decided_on > day_of(decision.recorded_at):
            wrong.append(f"{name}: consent decided {decision.decided_on}, recorded {decision.recorded_at}")
    current = {d.parent_id: d for d in ConsentDecision.objects.filter(triad=triad).current()}
    for parent_id, rows in by_parent.items():
        real = [d for d in rows if d.decision != ConsentDecision.Decision.PENDING]
        placeholders = [d for d in rows if d.decision == ConsentDecision.Decision.PENDING]
        if not real:
            continue
        if current[parent_id] != max(real, key=lambda d: (d.decided_on, d.recorded_at, d.pk)):
            wrong.append(f"{name}: the current consent is not the latest real decision")
        if placeholders and max(p.recorded_at for p in placeholders) > min(d.recorded_at for d in real):
            wrong.append(f"{name}: a placeholder consent row after a real decision")
    return wrong


def status_history_dates(triad, name):
    """The status history in order, each move on the day the triad says (the end on or after it)."""
    history = sorted(triad.history.all(), key=lambda change: change.pk)
    wrong = []
    if [h.at for h in history] != sorted(h.at for h in history):
        wrong.append(f"{name}: status history out of order")
    days = {
        "draft": day_of(triad.created_at),
        "trial": triad.trial_started_on,
        "active": triad.activated_on,
        "ended": triad.ended_on,
    }
    for change in history:
        day = days[change.to_status]
        if (
            day is None
            or day_of(change.at) < day
            or (change.to_status != "ended" and day_of(change.at) != day)
        ):
            wrong.append(f"{name}: to {change.to_status} at {change.at}, the triad says {day}")
    return wrong


def follow_up_dates(triad, name):
    """Check-ins done, evaluations held and fallback requests sent within the triad's life."""
    started, life_end = triad.trial_started_on, triad.ended_on or timezone.localdate()

    def within(day):
        return started is not None and started <= day <= life_end

    wrong = [
        f"{name}: check-in done on {check_in.done_on} outside {started}..{life_end}"
        for check_in in triad.check_ins.all()
        if check_in.done_on and not check_in.is_after_closure and not within(check_in.done_on)
    ]
    wrong += [
        f"{name}: evaluation held {evaluation.held_on} outside {started}..{life_end}"
        for evaluation in triad.evaluations.all()
        if not within(evaluation.held_on)
    ]
    wrong += [
        f"{name}: fallback request of {request.created_at} outside the triad's life"
        for request in triad.fallback_requests.all()
        if not within(day_of(request.created_at))
    ]
    return wrong


def closure_dates(triad, name):
    """An ended triad has its closure on its end day, with answers the closure rule accepts."""
    if not triad.ended_on:
        return []
    closure = getattr(triad, "closure", None)
    if closure is None or closure.ended_on != triad.ended_on:
        return [f"{name}: no closure on {triad.ended_on}"]
    refused, to_explain = closure_contradictions(
        placement_considered=triad.youth.placement_considered,
        reason=closure.reason,
        placement_outcome=closure.placement_outcome,
        goals_reached=closure.goals_reached,
        living_situation=closure.living_situation,
    )
    if refused or (to_explain and not closure.outcome_explanation):
        return [f"{name}: a closure the product refuses: {sorted({**refused, **to_explain})}"]
    return []


def youth_dates(youth):
    """The stage history in order, 'JIM gekozen' before the trial and on the day the search found the JIM;
    a minor without a parent with parental authority has a 'nobody can decide' that holds."""
    wrong = []
    changes = sorted(youth.stage_changes.all(), key=lambda change: change.pk)
    if [(c.on, c.at) for c in changes] != sorted((c.on, c.at) for c in changes):
        wrong.append(f"{youth.case_number}: stage history out of order")
    moves = [c.to_stage for c in changes]
    if "in_triad" in moves and (
        "jim_found" not in moves or moves.index("jim_found") > moves.index("in_triad")
    ):
        wrong.append(f"{youth.case_number}: the trial before 'JIM gekozen' ({moves})")
    search = Search.objects.filter(youth=youth, status="found").order_by("ended_on").last()
    wrong += [
        f"{youth.case_number}: 'JIM gekozen' on {change.on}, the search ended {search.ended_on}"
        for change in changes
        if change.to_stage == "jim_found" and search and change.on != search.ended_on
    ]
    age = youth.age_on(timezone.localdate())
    if age is not None and age < ADULT_AGE:
        parents = [p for p in youth.parents.all() if p.has_parental_authority]
        if not parents and not nobody_can_decide_holds(
            NobodyCanDecide.objects.filter(youth=youth).last(), parents
        ):
            wrong.append(f"{youth.case_number}: a minor without parents and no 'nobody can decide'")
    return wrong


def candidate_dates(search):
    """Each candidate's history in order from the search's start; the chosen one does not move after the choice."""
    wrong = []
    for candidate in search.candidates.all():
        days = [day_of(change.at) for change in sorted(candidate.history.all(), key=lambda change: change.pk)]
        if days != sorted(days) or (days and days[0] < search.started_on):
            wrong.append(f"{search.youth_id}: candidate history out of order or before the search")
        if search.ended_on and days and days[-1] > search.ended_on and search.chosen_id == candidate.pk:
            wrong.append(f"{search.youth_id}: the chosen candidate moved after the choice")
    return wrong
