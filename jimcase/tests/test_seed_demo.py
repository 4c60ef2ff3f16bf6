import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone

from jimcase.demo import DEMO_PASSWORD, DEMO_USERNAMES
from jimcase.models import Organisation, Team, Training, User


def _snapshot():
    return {
        "users": sorted(
            User.objects.values_list(
                "username", "display_name", "email", "organisation__name", "is_staff", "password"
            )
        ),
        "groups": sorted(User.objects.values_list("username", "groups__name")),
        "organisations": sorted(
            Organisation.objects.values_list("name", "jurisdiction", "default_trial_days")
        ),
        "teams": sorted(Team.objects.values_list("organisation__name", "name", "group__name")),
        "group_count": Group.objects.count(),
        "trainings": sorted(
            Training.objects.values_list("user__username", "kind", "completed_on", "provider")
        ),
    }


def test_seed_demo_twice_leaves_the_same_data(db):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first
    assert set(User.objects.values_list("username", flat=True)) == DEMO_USERNAMES


def test_demo_accounts_have_their_roles_and_password(db):
    call_command("seed_demo")
    anna = User.objects.get(username="hv.anna")
    assert anna.check_password(DEMO_PASSWORD)
    assert anna.is_professional and not anna.is_jim
    assert User.objects.get(username="jim.wilma").is_jim
    dana = User.objects.get(username="coord.dana")
    assert dana.is_coordinator and dana.is_staff and not dana.is_superuser
    assert {t.name for t in anna.teams} == {"Team A"}
    jurisdictions = set(Organisation.objects.values_list("jurisdiction", flat=True))
    assert jurisdictions == {"flanders", "netherlands"}
    # Anna is trained; Bram is not, so his caseload shows the training hint.
    assert anna.has_training and not User.objects.get(username="hv.bram").has_training


def test_seed_demo_refuses_a_database_with_real_users(db):
    User.objects.create_user(username="echte.gebruiker", password="x" * 12)
    with pytest.raises(CommandError, match="non-demo"):
        call_command("seed_demo")
    assert not User.objects.filter(username="hv.anna").exists()
    call_command("seed_demo", force=True)
    assert User.objects.filter(username="hv.anna").exists()


def test_seed_demo_if_empty_leaves_a_used_database_alone(db):
    User.objects.create_user(username="echte.gebruiker", password="x" * 12)
    call_command("seed_demo", if_empty=True)
    assert not User.objects.filter(username="hv.anna").exists()


# --- The demo describes a believable year: its dates agree with each other (issue 22) -----------------

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


def _day(value):
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def _dates_agree():
    """Every disagreement between the demo's dates, as readable lines (empty: the year is believable)."""
    from jimcase.models import NobodyCanDecide, StageChange, Youth
    from jimcase.rules import ADULT_AGE, nobody_can_decide_holds
    from mentors.models import CandidateStatusChange, Search
    from triads.models import CheckIn, ConsentDecision, Signature, Triad, TriadStatusChange
    from triads.rules import closure_contradictions

    wrong = []
    now, today = timezone.now(), timezone.localdate()
    for model in apps.get_models():
        if model._meta.app_label not in ("jimcase", "mentors", "triads", "outbox"):
            continue
        for field in model._meta.concrete_fields:
            key = (model._meta.app_label, model.__name__, field.name)
            if key in PLANNED or field.name in ("date_of_birth", "last_login", "date_joined"):
                continue
            if isinstance(field, models.DateTimeField):
                late = model.objects.filter(**{f"{field.name}__gt": now + datetime.timedelta(seconds=5)})
            elif isinstance(field, models.DateField):
                late = model.objects.filter(**{f"{field.name}__gt": today})
            else:
                continue
            if late.exists():
                wrong.append(f"{key}: {late.count()} after now")

    Decision = ConsentDecision.Decision
    triads = Triad.objects.select_related("search", "youth", "closure").prefetch_related(
        "agreements__signatures", "consents", "history", "check_ins", "evaluations", "fallback_requests"
    )
    for triad in triads:
        name = f"triad of {triad.youth.case_number}"
        chosen = triad.search.ended_on
        created = _day(triad.created_at)
        if not chosen or created < chosen:
            wrong.append(f"{name}: made {created} before its JIM was chosen ({chosen})")
        started, activated, ended = triad.trial_started_on, triad.activated_on, triad.ended_on
        steps = [day for day in (created, started, activated, ended) if day]
        if steps != sorted(steps):
            wrong.append(f"{name}: made, trial, active, ended out of order: {steps}")
        for agreement in triad.agreements.all():
            for signature in agreement.signatures.all():
                signed = _day(signature.signed_at)
                last = started if started and agreement.version == 1 else ended or today
                if signed < created or signed > last:
                    wrong.append(f"{name}: {signature.party} signed on {signed}, not in {created}..{last}")
        by_parent = {}
        for decision in triad.consents.all():
            by_parent.setdefault(decision.parent_id, []).append(decision)
            if _day(decision.recorded_at) < created or decision.decided_on > _day(decision.recorded_at):
                wrong.append(
                    f"{name}: consent decided {decision.decided_on}, recorded {decision.recorded_at}"
                )
        current = {d.parent_id: d for d in ConsentDecision.objects.filter(triad=triad).current()}
        for parent_id, rows in by_parent.items():
            real = [d for d in rows if d.decision != Decision.PENDING]
            placeholders = [d for d in rows if d.decision == Decision.PENDING]
            if real and current[parent_id] != max(real, key=lambda d: (d.decided_on, d.recorded_at, d.pk)):
                wrong.append(f"{name}: the current consent is not the latest real decision")
            if (
                real
                and placeholders
                and max(p.recorded_at for p in placeholders) > min(d.recorded_at for d in real)
            ):
                wrong.append(f"{name}: a placeholder consent row after a real decision")
        history = sorted(triad.history.all(), key=lambda change: change.pk)
        if [h.at for h in history] != sorted(h.at for h in history):
            wrong.append(f"{name}: status history out of order")
        for change in history:
            day = {"draft": created, "trial": started, "active": activated, "ended": ended}[change.to_status]
            if (
                day is None
                or _day(change.at) < day
                or (change.to_status != "ended" and _day(change.at) != day)
            ):
                wrong.append(f"{name}: to {change.to_status} at {change.at}, the triad says {day}")
        life_end = ended or today
        for check_in in triad.check_ins.all():
            if (
                check_in.done_on
                and not check_in.is_after_closure
                and not started <= check_in.done_on <= life_end
            ):
                wrong.append(f"{name}: check-in done on {check_in.done_on} outside {started}..{life_end}")
        for evaluation in triad.evaluations.all():
            if not started or not started <= evaluation.held_on <= life_end:
                wrong.append(f"{name}: evaluation held {evaluation.held_on} outside {started}..{life_end}")
        for request in triad.fallback_requests.all():
            if not started or not started <= _day(request.created_at) <= life_end:
                wrong.append(f"{name}: fallback request of {request.created_at} outside the triad's life")
        if ended:
            closure = getattr(triad, "closure", None)
            if closure is None or closure.ended_on != ended:
                wrong.append(f"{name}: no closure on {ended}")
            else:
                refused, to_explain = closure_contradictions(
                    placement_considered=triad.youth.placement_considered,
                    reason=closure.reason,
                    placement_outcome=closure.placement_outcome,
                    goals_reached=closure.goals_reached,
                    living_situation=closure.living_situation,
                )
                if refused or (to_explain and not closure.outcome_explanation):
                    wrong.append(
                        f"{name}: a closure the product refuses: {sorted({**refused, **to_explain})}"
                    )

    for youth in Youth.objects.prefetch_related("stage_changes", "parents"):
        changes = sorted(youth.stage_changes.all(), key=lambda change: change.pk)
        if [(c.on, c.at) for c in changes] != sorted((c.on, c.at) for c in changes):
            wrong.append(f"{youth.case_number}: stage history out of order")
        moves = [c.to_stage for c in changes]
        if "in_triad" in moves and (
            "jim_found" not in moves or moves.index("jim_found") > moves.index("in_triad")
        ):
            wrong.append(f"{youth.case_number}: the trial before 'JIM gekozen' ({moves})")
        search = Search.objects.filter(youth=youth, status="found").order_by("ended_on").last()
        for change in changes:
            if change.to_stage == "jim_found" and search and change.on != search.ended_on:
                wrong.append(
                    f"{youth.case_number}: 'JIM gekozen' on {change.on}, the search ended {search.ended_on}"
                )
        if youth.age_on(today) is not None and youth.age_on(today) < ADULT_AGE:
            parents = [p for p in youth.parents.all() if p.has_parental_authority]
            if not parents and not nobody_can_decide_holds(
                NobodyCanDecide.objects.filter(youth=youth).last(), parents
            ):
                wrong.append(f"{youth.case_number}: a minor without parents and no 'nobody can decide'")

    for search in Search.objects.prefetch_related("candidates__history"):
        for candidate in search.candidates.all():
            history = sorted(candidate.history.all(), key=lambda change: change.pk)
            days = [_day(change.at) for change in history]
            if days != sorted(days) or (days and days[0] < search.started_on):
                wrong.append(f"{search.youth_id}: candidate history out of order or before the search")
            if search.ended_on and days and days[-1] > search.ended_on and search.chosen_id == candidate.pk:
                wrong.append(f"{search.youth_id}: the chosen candidate moved after the choice")
    del CandidateStatusChange, Signature, TriadStatusChange, CheckIn, StageChange
    return wrong


def test_the_demo_dates_agree_with_each_other(db):
    call_command("seed_demo", verbosity=0)
    wrong = _dates_agree()
    assert wrong == [], "\n".join(wrong[:40])
