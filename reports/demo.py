"""Demo data for the reports (demo only!): a year of history in De Brug, so coord.dana's reports show figures.

The other demo seeders make a handful of youths, too few for a report: every cell under 5 youths shows
"< 5". This one adds 74 youths of De Brug, led by hv.eva (Team A), hv.frank and hv.greet (Team B),
referred over the last 13 months (a few long triads start earlier: a triad that lasted a year and ended
in the period began before it), with what the services would have written along the way:

- the file (lead assignment and its guardian permissions, a backup for some, the team's permissions for
  Team B youths shared with the team, parents, notes, the access log) through `jimcase.scale.youth_files`;
- the wie-vraag: a network, a search in every state (open for under 60, 60–90 and over 90 days, stopped,
  found after 5 to 120 days), candidates with their status history, the chosen JIM's extract;
- triads in trial, active and ended (seven reasons, under 3 months to over a year), each with its status
  history, signed agreement, consent per parent (given, pending, refused, withdrawn; overrides by
  coord.dana), check-ins (some overdue), evaluations (continue, adjust, end), fallback requests (open and
  handled) and the closure with its outcome;
- JIM profiles (three serve two youths), the peer network's meetings of the past year;
- the stage and living-situation histories, move by move, ending in the stage `rules.stage_from` derives.

None of it is hv.anna's or hv.bram's (the browser tests count on their caseloads): the Team A youths are not
shared with the team, and the backups are the three history professionals. The JIMs have no account.

Rows are bulk-inserted with their past dates (seed_demo runs before every browser test). Dates are relative to
today, so the history is always the last year; the random choices use a fixed seed.

Idempotent: once one of its youths exists (case numbers BRUG-<year>-H<nn>), it adds nothing.
"""

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from jimcase.models import LivingSituationChange, NobodyCanDecide, ParentGuardian, StageChange, Youth
from jimcase.rules import ADULT_AGE
from jimcase.scale import BATCH, FIRST_NAMES, explicit_timestamps, object_permission, youth_files
from mentors.models import (
    Candidate,
    CandidateStatusChange,
    CriminalRecordCheck,
    JimProfile,
    NetworkMember,
    PeerMeeting,
    Search,
)
from mentors.rules import days_to_nomination
from triads.models import (
    CheckIn,
    Closure,
    ConsentDecision,
    ConsentOverride,
    EndReason,
    Evaluation,
    FallbackRequest,
    GoalsReached,
    PlacementOutcome,
    Triad,
    TriadStatusChange,
)
from triads.scale import TRIAL_DAYS, signed_agreements

SEED = 2026
PROFESSIONALS = ("hv.eva", "hv.frank", "hv.greet")
CASE_MARK = "-H"  # BRUG-2026-H07: no other demo case number has it
LAST_NAMES = ["Peeters", "Maes", "Willems", "Goossens", "Lambert", "Desmet", "Claeys", "Verbeke", "Aerts"]
#: Days from the start of the search to the JIM chosen, spread like the study's (mean about 33).
DAYS_TO_JIM = [5, 8, 12, 15, 19, 23, 26, 30, 33, 37, 41, 45, 50, 55, 62, 70, 78, 88, 95, 105, 112, 120]
RELATIONS = [value for value in NetworkMember.Relation.values if value != NetworkMember.Relation.PARENT]
Stage = Youth.Stage
Status = Triad.Status
Decision = Evaluation.Decision


@dataclass
class Plan:
    """One youth's history: the kind and the days it happened on (None: did not happen)."""

    kind: str
    referral: datetime.date
    started: datetime.date | None = None
    search_ended: datetime.date | None = None
    trial: datetime.date | None = None
    activated: datetime.date | None = None
    ended: datetime.date | None = None
    length: str = ""  # of an ended triad: short, medium, year


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _plans(rng, today):
    """The 74 histories, by kind, with their dates (days before today)."""

    def ago(days):
        return today - datetime.timedelta(days=days)

    plans = [Plan("referred", ago(rng.randint(2, 75))) for _i in range(7)]
    for low, high, n in ((5, 55, 6), (62, 88, 5), (95, 250, 5)):  # open under 60, 60–90, over 90 days
        for _i in range(n):
            start = rng.randint(low, high)
            plans.append(Plan("open", ago(start + rng.randint(0, 10)), started=ago(start)))
    for _i in range(7):
        start = rng.randint(70, 340)
        plans.append(
            Plan(
                "stopped",
                ago(start + rng.randint(0, 10)),
                started=ago(start),
                search_ended=ago(max(1, start - rng.randint(30, 110))),
            )
        )
    days_to_jim = DAYS_TO_JIM * 2
    rng.shuffle(days_to_jim)
    spread = iter(days_to_jim)

    def found(kind, found_ago, limit=395, **later):
        # Referred at most `limit` days ago: a shorter search where the JIM was found long ago.
        days = min(next(spread), max(5, limit - found_ago - 10))
        start = found_ago + days
        return Plan(
            kind,
            ago(start + rng.randint(0, 10)),
            started=ago(start),
            search_ended=ago(found_ago),
            **later,
        )

    plans += [found("found", rng.randint(2, 60)) for _i in range(5)]
    for _i in range(7):
        trial = rng.randint(3, 85)
        plans.append(found("trial", trial + rng.randint(7, 21), trial=ago(trial)))
    for _i in range(10):
        trial = rng.randint(95, 330)
        plans.append(found("active", trial + rng.randint(7, 21), trial=ago(trial), activated=ago(trial - 90)))
    for length, n in (("short", 6), ("medium", 11), ("year", 5)):
        for _i in range(n):
            if length == "short":
                duration, end = rng.randint(20, 85), rng.randint(10, 260)
            elif length == "medium":
                duration = rng.randint(100, 300)
                end = rng.randint(5, 340 - duration)
            else:  # a year or longer: the trial started before the 12 months of the report
                duration, end = rng.randint(366, 400), rng.randint(3, 30)
            trial = end + duration
            plans.append(
                found(
                    "ended",
                    trial + rng.randint(7, 21),
                    limit=480 if length == "year" else 395,
                    trial=ago(trial),
                    activated=ago(trial - TRIAL_DAYS) if duration > TRIAL_DAYS else None,
                    ended=ago(end),
                    length=length,
                )
            )
    rng.shuffle(plans)
    return plans


#: End reasons by how long the triad lasted (22 closures: three reasons with 5 or more).
REASONS = {
    "short": [
        EndReason.YOUTH_CHOICE,
        EndReason.JIM_STOPS,
        EndReason.JIM_STOPS,
        EndReason.CONFLICT_FAMILY,
        EndReason.CONFLICT_PROFESSIONAL,
        EndReason.YOUTH_CHOICE,
    ],
    "medium": [EndReason.GOAL_REACHED] * 3
    + [EndReason.YOUTH_CHOICE] * 3
    + [EndReason.JIM_STOPS] * 2
    + [EndReason.MOVED_AWAY] * 2
    + [EndReason.OTHER],
    "year": [EndReason.GOAL_REACHED] * 3 + [EndReason.JIM_STOPS, EndReason.CONFLICT_FAMILY],
}
#: (placement considered at referral, outcome at closure), per closure: every row of the report 5 or more.
PLACEMENTS = (
    [(Youth.PlacementConsidered.YES, PlacementOutcome.AVOIDED)] * 5
    + [(Youth.PlacementConsidered.YES, PlacementOutcome.HAPPENED)] * 5
    + [(Youth.PlacementConsidered.NO, PlacementOutcome.NOT_APPLICABLE)] * 7
    + [(Youth.PlacementConsidered.UNKNOWN, PlacementOutcome.AVOIDED)] * 5
)
GOALS = [GoalsReached.YES] * 9 + [GoalsReached.PARTLY] * 8 + [GoalsReached.NO] * 5
LIVING_START = (
    [Youth.LivingSituation.AT_HOME] * 7
    + [Youth.LivingSituation.RESIDENTIAL] * 5
    + [Youth.LivingSituation.FOSTER_CARE] * 5
    + [Youth.LivingSituation.INDEPENDENT] * 5
)
LIVING_END = (
    [Youth.LivingSituation.AT_HOME] * 10
    + [Youth.LivingSituation.INDEPENDENT] * 6
    + [Youth.LivingSituation.FOSTER_CARE] * 6
)
NO_REASONS = ("Heeft het nu te druk met werk.", "Woont te ver weg.", "Voelt zich er niet klaar voor.")
AFTER_PLANS = (
    "Verder met de gewone hulpverlening; de JIM blijft informeel in beeld.",
    "Afbouw van de begeleiding; opvolging door de school.",
    "Nieuwe wie-vraag over een half jaar, als de jongere dat wil.",
)
PEER_TOPICS = (
    "Luisteren zonder meteen op te lossen",
    "Wat deel ik met de hulpverlener?",
    "Als de jongere 18 wordt",
    "Omgaan met ouders die twijfelen",
    "Afscheid nemen van een triade",
    "Grenzen bewaken als vrijwilliger",
)


def seed(context):
    """Add De Brug's year of history, once; return nothing the other seeders need."""
    brug = context["organisations"]["brug"]
    if Youth.objects.filter(organisation=brug, case_number__contains=CASE_MARK).exists():
        return {}
    rng = random.Random(SEED)  # noqa: S311 - demo data, repeatable on purpose
    today = timezone.localdate()
    users = context["users"]
    coordinator = users["coord.dana"]
    professionals = [users[username] for username in PROFESSIONALS]
    team_of = {user.pk: user.teams.first() for user in professionals}
    plans = _plans(rng, today)
    leads = [professionals[i % len(professionals)] for i in range(len(plans))]
    facts = _ended_facts([plan for plan in plans if plan.kind == "ended"], rng)
    with translation.override(settings.LANGUAGE_CODE):
        youths = _youths(plans, leads, team_of, brug, facts, rng, today)
        youth_files(
            youths,
            leads,
            {brug.pk: professionals},
            rng,
            today,
            object_permission("view_youth", "jimcase", "youth"),
            object_permission("change_youth", "jimcase", "youth"),
            histories=False,
        )
        searches = _searches(plans, youths, leads, brug, rng)
        triads = _triads(plans, youths, leads, searches, facts, rng, today, coordinator)
        _histories(plans, youths, leads, facts)
        _peer_meetings(brug, triads, rng, today)
    return {}


def _youths(plans, leads, team_of, organisation, outcome_of, rng, today):
    """The youths in their final stage (`_stage`: what the facts written below derive)."""
    youths = []
    for number, (plan, lead) in enumerate(zip(plans, leads, strict=True), start=1):
        stage, since = _stage(plan)
        age = rng.randint(12, 20)
        team = team_of[lead.pk]
        if plan.kind == "ended":
            considered, start_living = outcome_of[id(plan)]["considered"], outcome_of[id(plan)]["start"]
        else:
            considered = rng.choices(Youth.PlacementConsidered.values, (3, 5, 2))[0]
            start_living = rng.choices(Youth.LivingSituation.values, (6, 2, 2, 1, 1))[0]
        youth = Youth(
            organisation=organisation,
            team=team,
            # Team B only: a Team A youth shared with the team would be on hv.anna's caseload.
            shared_with_team=team.name == "Team B" and number % 3 == 0,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            date_of_birth=datetime.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28)),
            case_number=f"BRUG-{plan.referral.year}{CASE_MARK}{number:02d}",
            living_situation=outcome_of[id(plan)]["end"] if plan.kind == "ended" else start_living,
            placement_considered=considered,
            school_work="Secundair onderwijs" if age < 18 else "",
            referral_date=plan.referral,
            stage=stage,
            stage_since=since,
            created_by=lead,
            created_at=_at(plan.referral),
        )
        youth.start_living = start_living  # for the living-situation history
        youths.append(youth)
    with explicit_timestamps(Youth._meta.get_field("created_at")):
        created = Youth.objects.bulk_create(youths, batch_size=BATCH)
    for youth, made in zip(youths, created, strict=True):
        made.start_living = youth.start_living
    return created


def _ended_facts(ended, rng):
    """Placement, goals, living situations and informal follow-up of each closure, in fixed proportions."""
    placements, goals, starts, ends = list(PLACEMENTS), list(GOALS), list(LIVING_START), list(LIVING_END)
    for values in (placements, goals, starts, ends):
        rng.shuffle(values)
    reasons = {length: list(values) for length, values in REASONS.items()}
    facts = {}
    for index, plan in enumerate(ended):
        considered, outcome = placements[index]
        facts[id(plan)] = {
            "considered": considered,
            "outcome": outcome,
            "goals": goals[index],
            "start": starts[index],
            "end": ends[index],
            "reason": reasons[plan.length].pop(),
            "informally": index % 5 in (0, 2),
        }
    return facts


def _stage(plan):
    """The stage and since when, as `rules.stage_from` derives them from the plan's facts."""
    if plan.kind == "referred":
        return Stage.REFERRED, plan.referral
    if plan.kind == "open":
        return Stage.SEARCHING, plan.started
    if plan.kind == "stopped":
        return Stage.SEARCH_STOPPED, plan.search_ended
    if plan.kind == "found":
        return Stage.JIM_FOUND, plan.search_ended
    if plan.kind == "ended":
        return Stage.TRIAD_ENDED, plan.ended
    return Stage.IN_TRIAD, plan.trial


def _searches(plans, youths, leads, organisation, rng):
    """Networks, searches, candidates with their history and the JIM profiles; {youth id: search}."""
    members, member_plan = [], []
    for plan, youth in zip(plans, youths, strict=True):
        if plan.started is None:
            continue
        for _i in range(rng.randint(4, 6)):
            members.append(
                NetworkMember(
                    youth=youth,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    relation=rng.choice(RELATIONS),
                    closeness=rng.choice(NetworkMember.Closeness.values),
                    is_adult=True,
                    phone="+32 470 00 00 00" if rng.random() < 0.5 else "",
                    created_at=_at(plan.started, 9),
                )
            )
            member_plan.append(plan)
    found = [
        (plan, youth, lead)
        for plan, youth, lead in zip(plans, youths, leads, strict=True)
        if plan.search_ended and plan.kind != "stopped"
    ]
    # Three JIMs mentor two youths (each in a triad): the second youth names the same person, a coach, in
    # their own network, and the search finds the JIM's profile the first youth's search made.
    paired = [youth.pk for plan, youth, _lead in found if plan.trial][:6]
    shared = {paired[i + 1]: paired[i] for i in range(0, 6, 2)}
    network = {}
    with explicit_timestamps(NetworkMember._meta.get_field("created_at")):
        made = NetworkMember.objects.bulk_create(members, batch_size=BATCH)
    for member in made:
        network.setdefault(member.youth_id, []).append(member)
    chosen_member = {youth.pk: network[youth.pk][0] for _plan, youth, _lead in found}
    extra = []
    for second, first in shared.items():
        person = chosen_member[first]
        person.relation = NetworkMember.Relation.COACH
        twin = NetworkMember(
            youth_id=second,
            name=person.name,
            relation=NetworkMember.Relation.COACH,
            closeness=NetworkMember.Closeness.MIDDLE,
            is_adult=True,
            created_at=person.created_at,
        )
        extra.append(twin)
    NetworkMember.objects.bulk_update([chosen_member[first] for first in shared.values()], ["relation"])
    with explicit_timestamps(NetworkMember._meta.get_field("created_at")):
        extra = NetworkMember.objects.bulk_create(extra)
    for twin in extra:
        network[twin.youth_id].insert(0, twin)
        chosen_member[twin.youth_id] = twin

    plan_of = {youth.pk: plan for plan, youth in zip(plans, youths, strict=True)}
    own = [youth.pk for _plan, youth, _lead in found if youth.pk not in shared]
    with explicit_timestamps(JimProfile._meta.get_field("created_at")):
        profiles = JimProfile.objects.bulk_create(
            [
                JimProfile(
                    organisation=organisation,
                    member=chosen_member[youth_id],
                    name=chosen_member[youth_id].name,
                    phone="+32 470 00 00 00",
                    # The JIMs of running and ended triads took part in the peer network.
                    peer_network_opt_in=plan_of[youth_id].trial is not None and index % 2 == 0,
                    peer_network_alumni=plan_of[youth_id].ended is not None and index % 4 == 0,
                    created_at=_at(plan_of[youth_id].search_ended, 15),
                )
                for index, youth_id in enumerate(own)
            ]
        )
    profile_of = {profile.member.youth_id: profile for profile in profiles}
    for second, first in shared.items():
        profile_of[second] = profile_of[first]

    searches = []
    for plan, youth, lead in zip(plans, youths, leads, strict=True):
        if plan.started is None:
            continue
        search = Search(youth=youth, started_on=plan.started, started_by=lead)
        if plan.kind == "stopped":
            search.status = Search.Status.STOPPED
            search.ended_on, search.ended_by = plan.search_ended, lead
            search.stop_reason = rng.choice(Search.StopReason.values)
            search.next_step = "Verder met de gewone hulpverlening."
        elif plan.search_ended:
            search.status = Search.Status.FOUND
            search.ended_on, search.ended_by = plan.search_ended, lead
            search.days_to_nomination = days_to_nomination(plan.started, plan.search_ended)
            search.jim_profile = profile_of[youth.pk]
        searches.append(search)
    searches = Search.objects.bulk_create(searches, batch_size=BATCH)

    candidates, moves = [], []
    for search in searches:
        plan = plan_of[search.youth_id]
        people = network[search.youth_id]
        if search.status == Search.Status.FOUND:
            picked = [chosen_member[search.youth_id]] + [
                m for m in people[1:3] if m.pk != chosen_member[search.youth_id].pk
            ]
        else:
            picked = people[: rng.randint(1, 3)]
        for preference, member in enumerate(picked, start=1):
            path = _candidate_path(search, plan, preference, rng)
            candidate = Candidate(
                search=search,
                member=member,
                preference=preference,
                status=path[-1][0],
                status_reason=path[-1][2],
                created_at=_at(plan.started, 11),
            )
            candidates.append(candidate)
            moves.append(path)
    with explicit_timestamps(Candidate._meta.get_field("created_at")):
        candidates = Candidate.objects.bulk_create(candidates, batch_size=BATCH)
    history, checks, chosen = [], [], []
    for candidate, path in zip(candidates, moves, strict=True):
        lead_id = candidate.search.started_by_id
        previous = ""
        for step, (status, day, reason) in enumerate(path):
            history.append(
                CandidateStatusChange(
                    candidate=candidate,
                    from_status=previous,
                    to_status=status,
                    reason=reason,
                    by_id=lead_id,
                    at=_at(day, 11 + step),
                )
            )
            previous = status
        search = candidate.search
        if search.status == Search.Status.FOUND and candidate.preference == 1:
            search.chosen = candidate
            chosen.append(search)
            checks.append(
                CriminalRecordCheck(
                    candidate=candidate,
                    kind=CriminalRecordCheck.Kind.FLEMISH_MODEL_2,
                    issued_on=max(search.started_on, search.ended_on - datetime.timedelta(days=4)),
                    checked_by_id=lead_id,
                    checked_on=search.ended_on,
                )
            )
    CandidateStatusChange.objects.bulk_create(history, batch_size=BATCH)
    CriminalRecordCheck.objects.bulk_create(checks, batch_size=BATCH)
    Search.objects.bulk_update(chosen, ["chosen"], batch_size=BATCH)
    return {search.youth_id: search for search in searches}


def _candidate_path(search, plan, preference, rng):
    """[(status, day, reason)] from "named" to the candidate's status now, along the allowed moves."""
    start = plan.started
    end = plan.search_ended or timezone.localdate()
    span = max(1, (end - start).days)

    def day(share):
        return start + datetime.timedelta(days=round(span * share))

    named = [(Candidate.Status.NAMED, start, ""), (Candidate.Status.DISCUSSED, day(0.1), "")]
    asked = (Candidate.Status.ASKED, day(0.3), "")
    if search.status == Search.Status.FOUND:
        if preference == 1:
            return [*named, asked, (Candidate.Status.YES, end, "")]
        return [*named, asked, (Candidate.Status.NO, day(0.6), rng.choice(NO_REASONS))]
    if search.status == Search.Status.STOPPED:
        return [
            *named,
            asked,
            (Candidate.Status.THINKING, day(0.5), ""),
            (Candidate.Status.NO, end, rng.choice(NO_REASONS)),
        ]
    # An open search: the longer it runs, the further its candidates got.
    if span < 14:
        return named[: 1 + (preference == 1)]
    if preference == 1:
        return [*named, asked, (Candidate.Status.THINKING, day(0.7), "")]
    return [*named, asked][: 1 + preference]


def _triads(plans, youths, leads, searches, facts, rng, today, coordinator):
    """Triads of the found searches that went on, with everything a triad's life writes; [(plan, triad)]."""
    rows = []
    triads = []
    for plan, youth, lead in zip(plans, youths, leads, strict=True):
        if plan.trial is None:
            continue
        search = searches[youth.pk]
        created = min(plan.search_ended + datetime.timedelta(days=2), plan.trial)
        status = Status.ENDED if plan.ended else Status.ACTIVE if plan.activated else Status.TRIAL
        triads.append(
            Triad(
                youth=youth,
                jim_profile_id=search.jim_profile_id,
                search=search,
                fallback=lead,
                status=status,
                trial_started_on=plan.trial,
                trial_ends_on=plan.trial + datetime.timedelta(days=TRIAL_DAYS),
                activated_on=plan.activated,
                ended_on=plan.ended,
                created_at=_at(created, 14),
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
        signed_on=lambda triad: triad.trial_started_on,
    )
    history, closures, check_ins, evaluations = [], [], [], []
    running = []
    for index, ((plan, _youth, lead), triad) in enumerate(zip(rows, triads, strict=True)):
        steps = [("", Status.DRAFT, triad.created_at), (Status.DRAFT, Status.TRIAL, _at(plan.trial, 12))]
        if plan.activated:
            steps.append((Status.TRIAL, Status.ACTIVE, _at(plan.activated, 12)))
        if plan.ended:
            steps.append((steps[-1][1], Status.ENDED, _at(plan.ended, 12)))
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
                    after_plan=rng.choice(AFTER_PLANS),
                    by=lead,
                    recorded_at=_at(plan.ended, 16),
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


def _check_ins(plan, triad, index, today, evaluations, lead, rng):
    """Monthly check-ins, the trial's evaluation and the later ones, done up to today; their evaluations."""
    last = plan.ended or today + datetime.timedelta(days=30)
    rows = []
    due = plan.trial + datetime.timedelta(days=30)
    while due < last:
        rows.append(CheckIn(triad=triad, due_on=due, done_on=due if due <= today else None))
        due += datetime.timedelta(days=30)

    def evaluation(held_on, decision, check_in=None):
        evaluations.append(
            Evaluation(
                triad=triad,
                check_in=check_in,
                held_on=held_on,
                with_parents=rng.random() < 0.3,
                score=rng.randint(2, 5) if decision != Decision.END else rng.randint(1, 3),
                decision=decision,
                by=lead,
                created_at=_at(held_on, 15),
            )
        )

    trial_end = plan.trial + datetime.timedelta(days=TRIAL_DAYS)
    adjust_on = plan.trial + datetime.timedelta(days=45)
    if adjust_on < min(last, today) and index % 2 == 0:
        evaluation(adjust_on, Decision.ADJUST)
    if plan.activated:
        check_in = CheckIn(
            triad=triad, kind=CheckIn.Kind.TRIAL_EVALUATION, due_on=trial_end, done_on=trial_end
        )
        rows.append(check_in)
        evaluation(trial_end, Decision.CONTINUE, check_in)
        due = plan.activated + datetime.timedelta(days=90)
        while due < last:
            done = due <= today
            check_in = CheckIn(
                triad=triad, kind=CheckIn.Kind.EVALUATION, due_on=due, done_on=due if done else None
            )
            rows.append(check_in)
            if done:
                evaluation(due, Decision.CONTINUE if index % 3 else "", check_in)
            due += datetime.timedelta(days=90)
    elif not plan.ended:
        rows.append(CheckIn(triad=triad, kind=CheckIn.Kind.TRIAL_EVALUATION, due_on=trial_end))
    if plan.ended:
        evaluation(plan.ended, Decision.END)
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
    ages = [rng.randint(2, 40) for _i in range(6)]  # hours waiting: under 2 days
    ages += [rng.randint(54, 160) for _i in range(5)]  # 2–7 days
    ages += [24 * rng.randint(8, 30) for _i in range(5)]  # over 7 days
    for index, hours in enumerate(ages):
        _plan, lead, triad = running[index % len(running)]
        created = now - datetime.timedelta(hours=hours)
        if created.date() < triad.trial_started_on:
            created = _at(triad.trial_started_on, 16)
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
        created = _at(first + datetime.timedelta(days=rng.randrange((last - first).days)), rng.randint(8, 20))
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
    """The consent of each parent with parental authority (append-only, the latest counts) and the
    coordinator's overrides where a parent refused or has not decided."""
    youth_ids = [youth.pk for _plan, youth, _lead in rows]
    parents = {}
    for parent_id, youth_id in ParentGuardian.objects.filter(
        youth_id__in=youth_ids, has_parental_authority=True
    ).values_list("pk", "youth_id"):
        parents.setdefault(youth_id, []).append(parent_id)
    decisions, overrides, flagged, nobody = [], [], [], []
    D = ConsentDecision.Decision
    turn = 0
    for (plan, youth, lead), triad in zip(rows, triads, strict=True):
        if not parents.get(youth.pk):
            # A minor without a parent with parental authority: the file says why nobody can decide, before
            # the trial (issue 21), so that every triad of the demo started with its consent in order.
            if youth.age_on(plan.trial) < ADULT_AGE:
                recorded = plan.trial - datetime.timedelta(days=5)
                nobody.append(
                    NobodyCanDecide(
                        youth=youth,
                        reason=NobodyCanDecide.STATED[len(nobody) % len(NobodyCanDecide.STATED)],
                        explanation="Besproken met de jeugdrechter; zie het verslag in het dossier.",
                        on=recorded,
                        at=_at(recorded, 10),
                        by=lead,
                    )
                )
            continue
        turn += 1
        before = plan.trial - datetime.timedelta(days=3)
        scenario = (
            "refused"
            if turn in (1, 8, 15)
            else "pending"
            if turn in (2, 9) and not plan.ended
            else "withdrawn"
            if turn in (3, 10) and plan.activated
            else "later"
            if turn in (4, 11)
            else "given"
        )
        for index, parent_id in enumerate(parents[youth.pk]):

            def decide(decision, day, note="", parent_id=parent_id, triad=triad, lead=lead):
                decisions.append(_decision(triad, parent_id, decision, day, lead, note))

            if index == 0 and scenario == "refused":
                decide(
                    D.REFUSED,
                    before,
                    "Vader wil geen buitenstaander in het gezin; besproken in de hulpvraag.",
                )
            elif index == 0 and scenario == "pending":
                decide(D.PENDING, before - datetime.timedelta(days=7), "Moeder denkt er nog over na.")
            elif scenario == "later":
                decide(D.PENDING, before - datetime.timedelta(days=10))
                decide(D.GIVEN, before)
            else:
                decide(D.GIVEN, before)
                if index == 0 and scenario == "withdrawn":
                    decide(
                        D.WITHDRAWN,
                        plan.activated + datetime.timedelta(days=20),
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
                    at=_at(before + datetime.timedelta(days=1), 11),
                )
            )
    ConsentDecision.objects.bulk_create(decisions, batch_size=BATCH)
    NobodyCanDecide.objects.bulk_create(nobody, batch_size=BATCH)
    ConsentOverride.objects.bulk_create(overrides, batch_size=BATCH)
    Triad.objects.bulk_update(flagged, ["consent_withdrawn_flag"])


def _decision(triad, parent_id, decision, day, lead, note=""):
    given = decision == ConsentDecision.Decision.GIVEN
    return ConsentDecision(
        triad=triad,
        parent_id=parent_id,
        decision=decision,
        decided_on=day,
        method=ConsentDecision.Method.WRITING if given else ConsentDecision.Method.ORALLY,
        note=note,
        recorded_by=lead,
        recorded_at=_at(day, 13),
    )


def _histories(plans, youths, leads, facts):
    """Each youth's stage history move by move, and the living situation at referral and at closure."""
    stages, situations = [], []
    for plan, youth, lead in zip(plans, youths, leads, strict=True):
        moves = [(Stage.REFERRED, plan.referral, "Aangemeld")]
        if plan.started:
            moves.append((Stage.SEARCHING, plan.started, "Wie-vraag gestart"))
        if plan.kind == "stopped":
            moves.append((Stage.SEARCH_STOPPED, plan.search_ended, "Zoektocht gestopt"))
        elif plan.search_ended:
            moves.append((Stage.JIM_FOUND, plan.search_ended, "JIM gekozen"))
        if plan.trial:
            moves.append((Stage.IN_TRIAD, plan.trial, "Proefperiode gestart"))
        if plan.ended:
            moves.append((Stage.TRIAD_ENDED, plan.ended, "Triade beëindigd"))
        previous = ""
        for stage, day, why in moves:
            stages.append(
                StageChange(
                    youth=youth, from_stage=previous, to_stage=stage, on=day, at=_at(day), by=lead, why=why
                )
            )
            previous = stage
        situations.append(
            LivingSituationChange(
                youth=youth, to_situation=youth.start_living, on=plan.referral, at=_at(plan.referral), by=lead
            )
        )
        if plan.ended and facts[id(plan)]["end"] != youth.start_living:
            situations.append(
                LivingSituationChange(
                    youth=youth,
                    from_situation=youth.start_living,
                    to_situation=facts[id(plan)]["end"],
                    on=plan.ended,
                    at=_at(plan.ended, 16),
                    by=lead,
                )
            )
    StageChange.objects.bulk_create(stages, batch_size=BATCH)
    LivingSituationChange.objects.bulk_create(situations, batch_size=BATCH)


def _peer_meetings(organisation, triads, rng, today):
    """Six meetings of the JIM peer network over the past year, each with some of the JIMs who joined it."""
    members = sorted(
        {triad.jim_profile_id for _row, triad in triads}
        & set(
            JimProfile.objects.filter(organisation=organisation, peer_network_opt_in=True).values_list(
                "pk", flat=True
            )
        )
    )
    Attendee = PeerMeeting.attendees.through
    meetings = PeerMeeting.objects.bulk_create(
        [
            PeerMeeting(
                organisation=organisation,
                starts_at=_at(today - datetime.timedelta(days=30 + 60 * index), 19),
                place="De Brug, zaal 2",
                topic=topic,
            )
            for index, topic in enumerate(PEER_TOPICS)
        ]
    )
    Attendee.objects.bulk_create(
        [
            Attendee(peermeeting_id=meeting.pk, jimprofile_id=profile_id)
            for meeting in meetings
            for profile_id in rng.sample(members, min(len(members), rng.randint(3, 7)))
        ]
    )
