"""Scale data for triads (demo only!): a triad for one youth in five, with what the services write.

Runs after `mentors.scale.seed` on its found searches: youths in a triad get one in trial or active,
youths whose triad ended an ended one with its closure. Each triad has a signed agreement (signatures
bound to its text), the parents' consent, its status history and check-ins; the JIMs of running
triads get an account (role JIM) and the view permission on their own triad, as `jim_invite` grants.
The first of them, `scale.jim000001`, is the benchmark's JIM with one triad. Each triad reports its stage
moves (trial started, ended: `sections.triad_stage_fact`) for `jimcase.scale.stage_histories`.
"""

import datetime

from django.conf import settings
from django.utils import timezone, translation

from jimcase.models import Organisation, ParentGuardian, Role, StageChange, User, Youth
from jimcase.scale import (
    BATCH,
    SCALE_USERNAME_PREFIX,
    StageMove,
    chunks,
    explicit_timestamps,
    new_users,
    object_permission,
)
from mentors.models import JimProfile

from .models import (
    Agreement,
    CheckIn,
    Closure,
    ConsentDecision,
    EndReason,
    FallbackRequest,
    GoalsReached,
    Party,
    PlacementOutcome,
    Signature,
    Triad,
    TriadStatusChange,
    TriadUserObjectPermission,
)
from .rules import closure_contradictions, trial_days_for, trial_end
from .sections import triad_stage_fact
from .services.agreements import default_sections

#: The trial length of an organisation that kept the default (as every seeded one does), by the one rule.
TRIAL_DAYS = trial_days_for(Organisation())
Status = Triad.Status


def seed(context):
    """Make the scale triads; return the JIM accounts made (benchmark users)."""
    rng = context["rng"]
    rows = [
        row for row in context["scale_found"] if row[3] in (Youth.Stage.IN_TRIAD, Youth.Stage.TRIAD_ENDED)
    ]
    view_triad = object_permission("view_triad", "triads", "triad")
    jims = []
    with translation.override(settings.LANGUAGE_CODE):
        for part in chunks(rows):
            jims += _seed_part(
                part,
                rng,
                view_triad,
                context["scale_password"],
                start=len(jims),
                moves=context["stage_moves"],
            )
    return {"scale_jims": jims}


def _seed_part(part, rng, view_triad, password, start, moves):
    today = timezone.localdate()
    triads = []
    for youth_id, _org, lead_id, stage, search_id, profile_id, found_on in part:
        trial_start = min(found_on + datetime.timedelta(days=rng.randint(7, 30)), today)
        trial_ends = trial_end(trial_start, TRIAL_DAYS)
        # Made in its final state at once: only the status service moves a live triad's status.
        status, activated_on, ended_on = Status.TRIAL, None, None
        if stage == Youth.Stage.TRIAD_ENDED:
            status = Status.ENDED
            ended_on = min(trial_start + datetime.timedelta(days=rng.randint(20, 300)), today)
            # A triad that lasted beyond its trial went on after the evaluation at the trial's end.
            activated_on = trial_ends if trial_ends < ended_on else None
        elif trial_ends <= today and rng.random() < 0.8:
            status, activated_on = Status.ACTIVE, trial_ends
        triad = Triad(
            youth_id=youth_id,
            jim_profile_id=profile_id,
            search_id=search_id,
            fallback_id=lead_id,
            status=status,
            trial_started_on=trial_start,
            trial_ends_on=trial_ends,
            activated_on=activated_on,
            ended_on=ended_on,
            created_at=timezone.make_aware(datetime.datetime.combine(found_on, datetime.time(11))),
        )
        triads.append(triad)
    with explicit_timestamps(Triad._meta.get_field("created_at")):
        triads = Triad.objects.bulk_create(triads, batch_size=BATCH)
    moves += _stage_moves(triads)

    youths = Youth.objects.in_bulk([row[0] for row in part])
    history, check_ins, closures, requests = [], [], [], []
    for triad, row in zip(triads, part, strict=True):
        lead_id = row[2]
        steps = [
            ("", Status.DRAFT, triad.created_at),
            (Status.DRAFT, Status.TRIAL, _at(triad.trial_started_on)),
        ]
        if triad.activated_on:
            steps.append((Status.TRIAL, Status.ACTIVE, _at(triad.activated_on)))
        if triad.ended_on:
            steps.append((steps[-1][1], Status.ENDED, _at(triad.ended_on)))
            reason, living, outcome, goals = _closure_answers(
                rng, youths[triad.youth_id].placement_considered
            )
            closures.append(
                Closure(
                    triad=triad,
                    reason=reason,
                    ended_on=triad.ended_on,
                    living_situation=living,
                    placement_outcome=outcome,
                    goals_reached=goals,
                    continues_informally=rng.random() < 0.4,
                    after_plan="Verder met de gewone hulpverlening; de JIM blijft informeel in beeld.",
                    by_id=lead_id,
                    recorded_at=_at(triad.ended_on),
                )
            )
        history += [
            TriadStatusChange(triad=triad, from_status=a, to_status=b, by_id=lead_id, at=at)
            for a, b, at in steps
        ]
        first = triad.trial_started_on + datetime.timedelta(days=30)
        if triad.ended_on and first > triad.ended_on:
            # Ended before it was due: the closure removes it from the plan (as `triad_close` does).
            check_ins.append(
                CheckIn(triad=triad, due_on=first, removed_at=_at(triad.ended_on), removed_by_id=lead_id)
            )
        else:
            check_ins.append(CheckIn(triad=triad, due_on=first, done_on=first if first <= today else None))
        if triad.status == Status.TRIAL:
            check_ins.append(
                CheckIn(triad=triad, kind=CheckIn.Kind.TRIAL_EVALUATION, due_on=triad.trial_ends_on)
            )
        elif triad.status == Status.ACTIVE:
            check_ins.append(
                CheckIn(
                    triad=triad,
                    kind=CheckIn.Kind.EVALUATION,
                    due_on=today + datetime.timedelta(days=rng.randint(1, 60)),
                )
            )
        if triad.status != Status.ENDED and rng.random() < 0.1:
            requests.append(
                FallbackRequest(
                    triad=triad,
                    message="Denk even mee: het gaat minder goed op school, hoe pakken we dit aan?",
                    created_by_id=lead_id,  # replaced by the JIM's account below when there is one
                )
            )
    TriadStatusChange.objects.bulk_create(history, batch_size=BATCH)
    CheckIn.objects.bulk_create(check_ins, batch_size=BATCH)
    Closure.objects.bulk_create(closures, batch_size=BATCH)

    # Agreement version 1, signed by youth, JIM and professional over its exact text.
    profiles = JimProfile.objects.in_bulk([row[5] for row in part])
    leads = {user.pk: user for user in _users([row[2] for row in part])}
    # Drafted when the JIM was chosen, signed on the trial's first day, consent given that day.
    signed_agreements(
        triads,
        youths=youths,
        profiles=profiles,
        leads=leads,
        signed_on=lambda triad: triad.trial_started_on,
        drafted_on=lambda triad: timezone.localdate(triad.created_at),
    )
    triad_of_youth = {triad.youth_id: triad for triad in triads}
    ConsentDecision.objects.bulk_create(
        [
            ConsentDecision(
                triad=triad_of_youth[youth_id],
                parent_id=parent_id,
                decision=ConsentDecision.Decision.GIVEN,
                decided_on=triad_of_youth[youth_id].trial_started_on,
                method=ConsentDecision.Method.WRITING,
                recorded_by_id=triad_of_youth[youth_id].fallback_id,
                recorded_at=_at(triad_of_youth[youth_id].trial_started_on, 10),
            )
            for parent_id, youth_id in ParentGuardian.objects.filter(
                youth_id__in=list(triad_of_youth), has_parental_authority=True
            ).values_list("pk", "youth_id")
        ],
        batch_size=BATCH,
    )

    # The JIMs of running triads log in: an account, linked to the profile, with the view permission.
    running = [triad for triad in triads if triad.status in Triad.RUNNING]
    accounts = new_users(
        [
            (f"{SCALE_USERNAME_PREFIX}jim{start + i + 1:06d}", profiles[triad.jim_profile_id].name)
            for i, triad in enumerate(running)
        ],
        organisation_ids=[profiles[triad.jim_profile_id].organisation_id for triad in running],
        password=password,
        role=Role.JIM,
    )
    linked = []
    for triad, user in zip(running, accounts, strict=True):
        profile = profiles[triad.jim_profile_id]
        profile.user = user
        linked.append(profile)
    JimProfile.objects.bulk_update(linked, ["user"], batch_size=500)
    TriadUserObjectPermission.objects.bulk_create(
        [
            TriadUserObjectPermission(user=user, permission=view_triad, content_object=triad)
            for triad, user in zip(running, accounts, strict=True)
        ],
        batch_size=BATCH,
    )
    jim_of = {triad.pk: user for triad, user in zip(running, accounts, strict=True)}
    for request in requests:
        if request.triad_id in jim_of:
            request.created_by_id = jim_of[request.triad_id].pk
    FallbackRequest.objects.bulk_create(requests, batch_size=BATCH)
    return [user.username for user in accounts]


def signed_agreements(triads, *, youths, profiles, leads, signed_on, drafted_on=None):
    """Agreement version 1 of each triad, signed by youth, JIM and professional over its exact text.

    `youths`, `profiles` and `leads` map ids to objects; `signed_on(triad)` gives the day of the
    signatures (before the trial starts), `drafted_on(triad)` the day the version was written (default:
    the signing day).
    """
    drafted_on = drafted_on or signed_on
    agreements = []
    for triad in triads:
        fallback = leads[triad.fallback_id]
        sections = default_sections(fallback_name=str(fallback), fallback_phone=fallback.phone)
        agreements.append(
            Agreement(
                triad=triad,
                version=1,
                status=Agreement.Status.SIGNED,
                youth_name=youths[triad.youth_id].first_name,
                jim_name=profiles[triad.jim_profile_id].name,
                fallback_name=str(fallback),
                fallback_phone=fallback.phone,
                trial_days=TRIAL_DAYS,
                created_by_id=triad.fallback_id,
                **sections,
            )
        )
        agreements[-1].created_at = _at(drafted_on(triad))
    with explicit_timestamps(Agreement._meta.get_field("created_at")):
        agreements = Agreement.objects.bulk_create(agreements, batch_size=BATCH)
    signatures = []
    for agreement, triad in zip(agreements, triads, strict=True):
        digest = agreement.text_hash()
        signed_at = _at(signed_on(triad))
        signatures += [
            Signature(
                agreement=agreement,
                party=party,
                method=Signature.Method.IN_PERSON,
                typed_name=name,
                text_hash=digest,
                witnessed_by_id=agreement.created_by_id,
                user_id=agreement.created_by_id,
                signed_at=signed_at,
            )
            for party, name in (
                (Party.YOUTH, agreement.youth_name),
                (Party.JIM, agreement.jim_name),
                (Party.PROFESSIONAL, agreement.fallback_name),
            )
        ]
    Signature.objects.bulk_create(signatures, batch_size=BATCH)
    return agreements


def _at(day, hour=12):
    """That hour of `day`, or now if that is later (a trial started today, before noon)."""
    return min(timezone.now(), timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))))


def _stage_moves(triads):
    """Each triad's moves: running from the trial's start, ended on its end (as the status service says)."""
    moves = []
    for triad in triads:
        key = ("triad", triad.pk)
        running = triad_stage_fact(Status.TRIAL, triad.trial_started_on, None)
        moves.append(
            StageMove(triad.youth_id, triad.trial_started_on, key, running, StageChange.Why.TRIAD_TRIAL)
        )
        if triad.ended_on:
            fact = triad_stage_fact(Status.ENDED, triad.trial_started_on, triad.ended_on)
            moves.append(StageMove(triad.youth_id, triad.ended_on, key, fact, StageChange.Why.TRIAD_ENDED))
    return moves


def _closure_answers(rng, placement_considered):
    """(reason, living situation, placement outcome, goals) drawn until the closure rule takes them as they
    are (`triads.rules.closure_contradictions`: nothing refused, nothing that needs an explanation)."""
    while True:
        reason = rng.choice(EndReason.values)
        living = rng.choice(Youth.LivingSituation.values)
        outcome = rng.choices(PlacementOutcome.values, (6, 1, 3))[0]
        goals = rng.choices(GoalsReached.values, (4, 4, 2))[0]
        refused, to_explain = closure_contradictions(
            placement_considered=placement_considered,
            reason=reason,
            placement_outcome=outcome,
            goals_reached=goals,
            living_situation=living,
        )
        if not refused and not to_explain:
            return reason, living, outcome, goals


def _users(ids):
    return User.objects.filter(pk__in=set(ids))
