"""Scale data for the wie-vraag (demo only!): networks of 5–10 people and a search in every state.

Runs after `jimcase.scale.seed` (settings.SCALE_SEEDERS) on the youths it made: a referred youth has
no search yet, a searching one an open search with candidates, a stopped one a stopped search, and every
later stage a found search whose chosen candidate is the JIM (a JimProfile, without an account: the
triads' scale seeder gives the JIMs of running triads theirs). Each search reports its stage moves (started,
then found or stopped: `sections.search_stage_fact`) for `jimcase.scale.stage_histories`.
"""

import datetime

from django.utils import timezone

from jimcase.models import StageChange, Youth
from jimcase.scale import BATCH, FIRST_NAMES, LAST_NAMES, StageMove, bulk_set, chunks

from .models import Candidate, CandidateStatusChange, JimProfile, NetworkMember, Search
from .rules import days_to_nomination
from .sections import search_stage_fact

Stage = Youth.Stage
RELATIONS = [value for value in NetworkMember.Relation.values if value != NetworkMember.Relation.PARENT]
OPEN_STATUSES = [
    Candidate.Status.NAMED,
    Candidate.Status.DISCUSSED,
    Candidate.Status.ASKED,
    Candidate.Status.THINKING,
]
FOUND_STAGES = {Stage.JIM_FOUND, Stage.IN_TRIAD, Stage.TRIAD_ENDED}


def seed(context):
    """Give the scale youths their networks and searches; return the found searches for the triads."""
    rng = context["rng"]
    found = []  # (youth id, organisation id, lead id, stage, search id, jim profile id, found on)
    for part in chunks(context["scale_youths"]):
        found += _seed_part(part, rng, context["stage_moves"])
    return {"scale_found": found}


def _seed_part(part, rng, moves):
    by_youth = _networks(part, rng)
    searching = [row for row in part if row[3] != Stage.REFERRED]
    # The JIM of a found search is one of the youth's network members.
    chosen_member = {row[0]: rng.choice(by_youth[row[0]]) for row in searching if row[3] in FOUND_STAGES}
    searches = _searches(searching, chosen_member, rng)
    moves += _stage_moves(searches)
    chosen_of = _candidates(searches, by_youth, chosen_member, rng)
    bulk_set(Search, ["chosen"], [(search_id, candidate.pk) for search_id, candidate in chosen_of.items()])
    lead_of = {row[0]: row for row in part}
    found = []
    for search in searches:
        if search.status == Search.Status.FOUND:
            youth_id, org_id, lead_id, stage, _referred = lead_of[search.youth_id]
            found.append(
                (youth_id, org_id, lead_id, stage, search.pk, search.jim_profile.pk, search.ended_on)
            )
    return found


def _networks(part, rng):
    """5–10 network members per youth (no parents: those are the file's); {youth id: [members]}."""
    members = []
    for youth_id, _org, _lead, _stage, _referred in part:
        for _i in range(rng.randint(5, 10)):
            age = rng.randint(19, 75)
            members.append(
                NetworkMember(
                    youth_id=youth_id,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    relation=rng.choice(RELATIONS),
                    closeness=rng.choice(NetworkMember.Closeness.values),
                    is_adult=age >= 18,
                    phone="+32 470 00 00 00" if rng.random() < 0.5 else "",
                )
            )
    by_youth = {}
    for member in NetworkMember.objects.bulk_create(members, batch_size=BATCH):
        by_youth.setdefault(member.youth_id, []).append(member)
    return by_youth


def _searches(searching, chosen_member, rng):
    """The search of each youth past referral, stopped or found as its plan says (found: with the JIM)."""
    profiles = JimProfile.objects.bulk_create(
        [
            JimProfile(organisation_id=row[1], member=chosen_member[row[0]], name=chosen_member[row[0]].name)
            for row in searching
            if row[0] in chosen_member
        ],
        batch_size=BATCH,
    )
    profile_of = {profile.member.youth_id: profile for profile in profiles}
    today = timezone.localdate()
    searches = []
    for youth_id, _org, lead_id, stage, referred in searching:
        started = referred + datetime.timedelta(days=rng.randint(0, 14))
        search = Search(youth_id=youth_id, started_on=min(started, today), started_by_id=lead_id)
        if stage == Stage.SEARCH_STOPPED:
            search.status = Search.Status.STOPPED
            search.ended_on = min(search.started_on + datetime.timedelta(days=rng.randint(30, 100)), today)
            search.ended_by_id = lead_id
            search.stop_reason = rng.choice(Search.StopReason.values)
            search.next_step = "Verder met de gewone hulpverlening."
        elif stage in FOUND_STAGES:
            search.status = Search.Status.FOUND
            search.ended_on = min(search.started_on + datetime.timedelta(days=rng.randint(14, 80)), today)
            search.ended_by_id = lead_id
            search.days_to_nomination = days_to_nomination(search.started_on, search.ended_on)
            search.jim_profile = profile_of[youth_id]
        searches.append(search)
    return Search.objects.bulk_create(searches, batch_size=BATCH)


def _candidate_status(search, preference, rng):
    if search.status == Search.Status.FOUND:
        return Candidate.Status.YES if preference == 1 else Candidate.Status.NO
    if search.status == Search.Status.STOPPED:
        return Candidate.Status.NO
    return rng.choice(OPEN_STATUSES)


def _candidates(searches, by_youth, chosen_member, rng):
    """1–3 candidates per search with their history; {search id: the chosen candidate} of the found ones."""
    candidates, chosen_of = [], {}
    for search in searches:
        network = by_youth[search.youth_id]
        picked = rng.sample(network, min(len(network), rng.randint(1, 3)))
        if search.status == Search.Status.FOUND:
            chosen = chosen_member[search.youth_id]
            picked = [chosen] + [member for member in picked if member.pk != chosen.pk]
        for preference, member in enumerate(picked, start=1):
            status = _candidate_status(search, preference, rng)
            candidates.append(Candidate(search=search, member=member, preference=preference, status=status))
            if search.status == Search.Status.FOUND and preference == 1:
                chosen_of[search.pk] = candidates[-1]
    candidates = Candidate.objects.bulk_create(candidates, batch_size=BATCH)
    now = timezone.now()
    CandidateStatusChange.objects.bulk_create(
        [
            CandidateStatusChange(
                candidate=candidate,
                from_status="",
                to_status=candidate.status,
                by_id=candidate.search.started_by_id,
                # One row stands for the candidate's moves: dated when the search ended, or began if open
                # (never after now: a search that ended this morning).
                at=min(
                    now,
                    timezone.make_aware(
                        datetime.datetime.combine(
                            candidate.search.ended_on or candidate.search.started_on, datetime.time(11)
                        )
                    ),
                ),
            )
            for candidate in candidates
        ],
        batch_size=BATCH,
    )
    return chosen_of


#: The reason the search service records when a search ends in that state.
ENDED_WHY = {
    Search.Status.FOUND: StageChange.Why.JIM_CHOSEN,
    Search.Status.STOPPED: StageChange.Why.SEARCH_STOPPED,
}


def _stage_moves(searches):
    """Each search's moves: open from its start, then found or stopped on its end (as the services say)."""
    moves = []
    for search in searches:
        key = ("search", search.pk)
        opened = search_stage_fact(Search.Status.OPEN, search.started_on, None)
        moves.append(
            StageMove(search.youth_id, search.started_on, key, opened, StageChange.Why.SEARCH_STARTED)
        )
        if search.status != Search.Status.OPEN:
            fact = search_stage_fact(search.status, search.started_on, search.ended_on)
            moves.append(StageMove(search.youth_id, search.ended_on, key, fact, ENDED_WHY[search.status]))
    return moves
