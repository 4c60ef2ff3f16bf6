"""The reports demo's triads: agreements, status history, check-ins, evaluations, closures, requests and
the parents' consent, each on the day its plan says (demo only!)."""

import datetime

from django.utils import timezone

from jimcase.models import ParentGuardian
from jimcase.scale import BATCH, explicit_timestamps
from mentors.models import JimProfile
from triads.models import (
    CheckIn,
    Closure,
    ConsentDecision,
    ConsentOverride,
    Evaluation,
    FallbackRequest,
    Triad,
    TriadStatusChange,
)
from triads.rules import AFTER_CLOSURE_DAYS, active_schedule, schedule_for, trial_end
from triads.scale import TRIAL_DAYS, signed_agreements

from .plans import AFTER_PLANS, Decision, Status, at_day


def triads_for(plans, youths, leads, searches, facts, rng, today, coordinator):
    """Triads of the found searches that went on, with everything a triad's life writes; [(plan, triad)]."""
    rows = []
    triads = []
    for plan, youth, lead in zip(plans, youths, leads, strict=True):
        if plan.trial is None:
            continue
        search = searches[youth.pk]
        # The order the method has: JIM chosen, the triad drafted the day after, signed two days before the
        # trial, consent on the trial's first day (its last step: the trial starts).
        created = plan.search_ended + datetime.timedelta(days=1)
        status = Status.ENDED if plan.ended else Status.ACTIVE if plan.activated else Status.TRIAL
        triads.append(
            Triad(
                youth=youth,
                jim_profile_id=search.jim_profile_id,
                search=search,
                fallback=lead,
                status=status,
                trial_started_on=plan.trial,
                trial_ends_on=trial_end(plan.trial, TRIAL_DAYS),
                activated_on=plan.activated,
                ended_on=plan.ended,
                created_at=at_day(created, 14),
            )
        )
        rows.append((plan, youth, lead))
    with explicit_timestamps(Triad._meta.get_field("created_at")):
        triads = Triad.objects.bulk_create(triads, batch_size=BATCH)
    signed_agreements(
        triads,
        youths={youth.pk: youth for _plan, youth, _lead in rows},
        profiles=JimProfile.objects.in_bulk({triad.jim_profile_id for triad in triads}),
        leads={lead.pk: lead for _plan, _youth, lead in rows},
        signed_on=lambda triad: triad.trial_started_on - datetime.timedelta(days=2),
        drafted_on=lambda triad: timezone.localdate(triad.created_at),
    )
    history, closures, check_ins, evaluations = [], [], [], []
    running = []
    for index, ((plan, _youth, lead), triad) in enumerate(zip(rows, triads, strict=True)):
        steps = [("", Status.DRAFT, triad.created_at), (Status.DRAFT, Status.TRIAL, at_day(plan.trial, 12))]
        if plan.activated:
            steps.append((Status.TRIAL, Status.ACTIVE, at_day(plan.activated, 12)))
        if plan.ended:
            steps.append((steps[-1][1], Status.ENDED, at_day(plan.ended, 12)))
            fact = facts[id(plan)]
            closures.append(
                Closure(
                    triad=triad,
                    reason=fact["reason"],
                    ended_on=plan.ended,
                    exit_youth="Afsluitend gesprek gehad.",
                    continues_informally=fact["informally"],
                    living_situation=fact["end"],
                    placement_outcome=fact["outcome"],
                    goals_reached=fact["goals"],
                    outcome_explanation=fact["explanation"],
                    after_plan=rng.choice(AFTER_PLANS),
                    by=lead,
                    recorded_at=at_day(plan.ended, 16),
                )
            )
        else:
            running.append((plan, lead, triad))
        history += [
            TriadStatusChange(triad=triad, from_status=a, to_status=b, by=lead, at=at) for a, b, at in steps
        ]
        check_ins += _check_ins(plan, triad, index, today, evaluations, lead, rng)
    TriadStatusChange.objects.bulk_create(history, batch_size=BATCH)
    Closure.objects.bulk_create(closures, batch_size=BATCH)
    _overdue(running, check_ins, today)
    CheckIn.objects.bulk_create(check_ins, batch_size=BATCH)
    with explicit_timestamps(Evaluation._meta.get_field("created_at")):
        Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    requests = _requests(rows, triads, running, rng, today)
    FallbackRequest.objects.bulk_create(requests, batch_size=BATCH)
    _consent(rows, triads, coordinator)
    return list(zip(rows, triads, strict=True))


EARLY = {
    Decision.ADJUST: "Er loopt iets vast; we passen de afspraken nu al aan.",
    Decision.END: "Het lukt niet: de jongere en de JIM willen niet wachten tot het einde van de proefperiode.",
}


def _check_ins(plan, triad, index, today, evaluations, lead, rng):
    """The plan the services make (`triads.rules.schedule_for` at the trial's start, `active_schedule` from
    the evaluation that continues it, the conversation after a closure), done on their day up to today;
    the evaluations, with a decision only in the trial (an early one with its reason)."""
    last = plan.ended or today
    trial_end = triad.trial_ends_on
    rows = []

    def evaluation(held_on, decision, check_in=None):
        evaluations.append(
            Evaluation(
                triad=triad,
                check_in=check_in,
                held_on=held_on,
                with_parents=rng.random() < 0.3,
                score=rng.randint(2, 5) if decision != Decision.END else rng.randint(1, 3),
                decision=decision,
                early_reason=EARLY[decision] if decision and held_on < trial_end else "",
                by=lead,
                created_at=at_day(held_on, 15),
            )
        )

    for kind, due in schedule_for(start=plan.trial, trial_ends_on=trial_end):
        if kind == CheckIn.Kind.TRIAL_EVALUATION:
            if not plan.activated and not plan.ended:
                rows.append(CheckIn(triad=triad, kind=kind, due_on=due))
        elif due <= last:
            rows.append(CheckIn(triad=triad, kind=kind, due_on=due, done_on=due if due <= today else None))
    adjust_on = plan.trial + datetime.timedelta(days=45)
    if adjust_on < min(last, trial_end) and index % 2 == 0:
        evaluation(adjust_on, Decision.ADJUST)
    if plan.activated:
        check_in = CheckIn(
            triad=triad, kind=CheckIn.Kind.TRIAL_EVALUATION, due_on=trial_end, done_on=trial_end
        )
        rows.append(check_in)
        evaluation(trial_end, Decision.CONTINUE, check_in)
        for kind, due in active_schedule(plan.activated):
            if plan.ended and due > plan.ended:
                break
            done = due <= today
            check_in = CheckIn(triad=triad, kind=kind, due_on=due, done_on=due if done else None)
            rows.append(check_in)
            if done and kind == CheckIn.Kind.EVALUATION:
                evaluation(due, "", check_in)
    if plan.ended:
        if not plan.activated:
            evaluation(plan.ended, Decision.END)
        after = plan.ended + datetime.timedelta(days=AFTER_CLOSURE_DAYS)
        rows.append(
            CheckIn(
                triad=triad,
                kind=CheckIn.Kind.AFTER_CLOSURE,
                due_on=after,
                done_on=after if after < today else None,
            )
        )
    return rows


def _overdue(running, check_ins, today):
    """Leave the last check-in before today undone in every running triad (the second last too in one in
    two): the follow-up report's overdue check-ins."""
    by_triad = {}
    for check_in in check_ins:
        if check_in.kind == CheckIn.Kind.CHECK_IN and check_in.due_on < today:
            by_triad.setdefault(check_in.triad_id, []).append(check_in)
    for index, (_plan, _lead, triad) in enumerate(running):
        past = sorted(by_triad.get(triad.pk, []), key=lambda c: c.due_on)
        undone = 1 + (index % 2 == 0)
        for check_in in past[-undone:]:
            check_in.done_on = None


def _requests(rows, triads, running, rng, today):
    """Fallback requests: open ones of every age on running triads, and handled ones over the year."""
    now = timezone.now()
    requests = []
    # Sent at these moments: the report measures the wait up to the end of today, so the ages are counted
    # from now (under 2 days: at most 20 hours, whatever the hour) or from the start of today.
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    moments = [now - datetime.timedelta(hours=rng.randint(1, 20)) for _i in range(6)]  # under 2 days
    moments += [midnight - datetime.timedelta(hours=rng.randint(26, 140)) for _i in range(5)]  # 2–7 days
    moments += [midnight - datetime.timedelta(days=rng.randint(8, 30)) for _i in range(5)]  # over 7 days
    # Each on the next running triad whose trial had started by then.
    for index, created in enumerate(moments):
        turn = running[index % len(running) :] + running
        _plan, lead, triad = next(
            row for row in turn if row[2].trial_started_on <= timezone.localdate(created)
        )
        requests.append(
            FallbackRequest(
                triad=triad,
                message="Denk even mee: het gaat minder goed op school, hoe pakken we dit aan?",
                urgent=index % 3 == 0,
                created_by=lead,  # the JIMs of the history have no account
                created_at=created,
            )
        )
    for index in range(14):
        (plan, _youth, lead), triad = rows[index * 3 % len(rows)], triads[index * 3 % len(rows)]
        first = max(plan.trial, today - datetime.timedelta(days=330))
        last = min(plan.ended or today, today) - datetime.timedelta(days=4)
        if last <= first:
            continue
        created = at_day(
            first + datetime.timedelta(days=rng.randrange((last - first).days)), rng.randint(8, 20)
        )
        requests.append(
            FallbackRequest(
                triad=triad,
                message="Kunnen we even bellen? Ik twijfel hoe ik moet reageren.",
                urgent=index % 4 == 0,
                status=FallbackRequest.Status.HANDLED,
                created_by=lead,
                created_at=created,
                handled_by=lead,
                handled_at=created + datetime.timedelta(hours=rng.randint(1, 72)),
            )
        )
    return requests


def _consent(rows, triads, coordinator):
    """The parents' consent as the services write it: the pending row of every parent with parental authority
    when the triad is drafted (`consent_pending_create`), then each decision on its day along the allowed
    moves (`CONSENT_TRANSITIONS`), and the coordinator's override where a parent refused or never answered.
    Every started triad had its consent in order on its first day (the last step before the trial)."""
    youth_ids = [youth.pk for _plan, youth, _lead in rows]
    parents = {}
    for parent_id, youth_id in ParentGuardian.objects.filter(
        youth_id__in=youth_ids, has_parental_authority=True
    ).values_list("pk", "youth_id"):
        parents.setdefault(youth_id, []).append(parent_id)
    decisions, overrides, flagged = [], [], []
    D = ConsentDecision.Decision
    turn = 0
    for (plan, youth, lead), triad in zip(rows, triads, strict=True):
        if not parents.get(youth.pk):
            continue  # an adult, or a minor whose file says why nobody can decide (jimcase.scale.youth_files)
        turn += 1
        drafted = timezone.localdate(triad.created_at)
        scenario = (
            "refused"
            if turn in (1, 8, 15)
            else "pending"
            if turn in (2, 9) and not plan.ended
            else "withdrawn"
            if turn in (3, 10) and plan.activated
            else "given"
        )
        for index, parent_id in enumerate(parents[youth.pk]):

            def decide(decision, day, hour, note="", parent_id=parent_id, triad=triad, lead=lead):
                decisions.append(_decision(triad, parent_id, decision, day, lead, note, hour))

            decide(D.PENDING, drafted, 14)  # the triad's draft opens a pending decision per parent
            if index == 0 and scenario == "refused":
                decide(
                    D.REFUSED,
                    plan.trial - datetime.timedelta(days=1),
                    10,
                    "Vader wil geen buitenstaander in het gezin; besproken in de hulpvraag.",
                )
            elif index == 0 and scenario == "pending":
                pass  # never answered: the coordinator's override lets the trial start
            else:
                decide(D.GIVEN, plan.trial, 10)
                if index == 0 and scenario == "withdrawn":
                    decide(
                        D.WITHDRAWN,
                        plan.activated + datetime.timedelta(days=20),
                        10,
                        "Trekt de toestemming in na een ruzie thuis.",
                    )
                    triad.consent_withdrawn_flag = True
                    flagged.append(triad)
        if scenario in ("refused", "pending"):
            overrides.append(
                ConsentOverride(
                    triad=triad,
                    justification="Het belang van de jongere weegt door; de weigering is besproken met het "
                    "gezin en wordt opgevolgd in de hulpvraag.",
                    by=coordinator,
                    at=at_day(plan.trial, 11),
                )
            )
    ConsentDecision.objects.bulk_create(decisions, batch_size=BATCH)
    ConsentOverride.objects.bulk_create(overrides, batch_size=BATCH)
    Triad.objects.bulk_update(flagged, ["consent_withdrawn_flag"])


def _decision(triad, parent_id, decision, day, lead, note, hour):
    given = decision == ConsentDecision.Decision.GIVEN
    return ConsentDecision(
        triad=triad,
        parent_id=parent_id,
        decision=decision,
        decided_on=day,
        method=ConsentDecision.Method.WRITING if given else ConsentDecision.Method.ORALLY,
        note=note,
        recorded_by=lead,
        recorded_at=at_day(day, hour),
    )
