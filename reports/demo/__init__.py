"""Demo data for the reports (demo only!): a year of history in De Brug, so coord.dana's reports show figures.

The other demo seeders make a handful of youths, too few for a report: every cell under 5 youths shows
"< 5". This one adds 74 youths of De Brug, led by hv.eva (Team A), hv.frank and hv.greet (Team B),
referred over the last 13 months (a few long triads start earlier: a triad that lasted a year and ended
in the period began before it), with what the services would have written along the way:

- the file (lead assignment and its guardian permissions, a backup for some, the team's permissions for
  Team B youths shared with the team, parents or why nobody can decide for a minor without one with parental
  authority, notes, the access log) through `jimcase.scale.youth_files`;
- the wie-vraag: a network, a search in every state (open for under 60, 60–90 and over 90 days, stopped,
  found after 5 to 120 days), candidates with their status history, the chosen JIM's extract;
- triads in trial, active and ended (seven reasons, under 3 months to over a year), each with its status
  history, signed agreement, consent per parent (given, pending, refused, withdrawn; overrides by
  coord.dana), check-ins (some overdue), evaluations (continue, adjust, end), fallback requests (open and
  handled) and the closure with its outcome;
- JIM profiles (three serve two youths), the peer network's meetings of the past year;
- the stage and living-situation histories, move by move, ending in the stage `stages.stage_from` derives.

None of it is hv.anna's or hv.bram's (the browser tests count on their caseloads): the Team A youths are not
shared with the team, and the backups are the three history professionals. The JIMs have no account.

Rows are bulk-inserted with their past dates (seed_demo runs before every browser test: the services, one
call at a time, would take too long for 74 histories). What the rules decide is taken from the rules
(`triads.rules.schedule_for`/`active_schedule`, `closure_contradictions`, `mentors.rules.days_to_nomination`),
and the dates follow the method's order: JIM chosen, triad drafted (a pending consent per parent), agreement
signed, consent, trial start, check-ins and evaluations, closure. `jimcase.tests.test_seed_demo` walks it.
Dates are relative to today, so the history is always the last year; the random choices use a fixed seed.

Modules: `plans` (who and when), `wievraag` (networks, searches, candidates), `triads` (a triad's life and
consent); this one the youths, their stage histories and the peer meetings.

Idempotent: once one of its youths exists (case numbers BRUG-<year>-H<nn>), it adds nothing.
"""

import datetime
import random

from django.conf import settings
from django.utils import timezone, translation

from jimcase.models import LivingSituationChange, StageChange, Youth
from jimcase.scale import BATCH, FIRST_NAMES, explicit_timestamps, object_permission, youth_files
from mentors.models import JimProfile, PeerMeeting

from .plans import (
    CASE_MARK,
    LAST_NAMES,
    PEER_TOPICS,
    PROFESSIONALS,
    SEED,
    Stage,
    at_day,
    ended_facts,
    plans_for,
    stage_of,
)
from .triads import triads_for
from .wievraag import searches_for


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
    plans = plans_for(rng, today)
    leads = [professionals[i % len(professionals)] for i in range(len(plans))]
    facts = ended_facts([plan for plan in plans if plan.kind == "ended"], rng)
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
        searches = searches_for(plans, youths, leads, brug, rng)
        triads = triads_for(plans, youths, leads, searches, facts, rng, today, coordinator)
        _histories(plans, youths, leads, facts)
        _peer_meetings(brug, triads, rng, today)
    return {}


def _youths(plans, leads, team_of, organisation, outcome_of, rng, today):
    """The youths in their final stage (`_stage`: what the facts written below derive)."""
    youths = []
    for number, (plan, lead) in enumerate(zip(plans, leads, strict=True), start=1):
        stage, since = stage_of(plan)
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
            created_at=at_day(plan.referral),
        )
        youth.start_living = start_living  # for the living-situation history
        youths.append(youth)
    with explicit_timestamps(Youth._meta.get_field("created_at")):
        created = Youth.objects.bulk_create(youths, batch_size=BATCH)
    for youth, made in zip(youths, created, strict=True):
        made.start_living = youth.start_living
    return created


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
                    youth=youth, from_stage=previous, to_stage=stage, on=day, at=at_day(day), by=lead, why=why
                )
            )
            previous = stage
        situations.append(
            LivingSituationChange(
                youth=youth,
                to_situation=youth.start_living,
                on=plan.referral,
                at=at_day(plan.referral),
                by=lead,
            )
        )
        if plan.ended and facts[id(plan)]["end"] != youth.start_living:
            situations.append(
                LivingSituationChange(
                    youth=youth,
                    from_situation=youth.start_living,
                    to_situation=facts[id(plan)]["end"],
                    on=plan.ended,
                    at=at_day(plan.ended, 16),
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
                starts_at=at_day(today - datetime.timedelta(days=30 + 60 * index), 19),
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
