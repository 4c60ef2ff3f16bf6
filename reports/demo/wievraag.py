"""The reports demo's wie-vraag: networks, searches, candidates and their history, the JIM profiles."""

import datetime

from django.utils import timezone

from jimcase.scale import BATCH, FIRST_NAMES, explicit_timestamps
from mentors.models import (
    Candidate,
    CandidateStatusChange,
    CriminalRecordCheck,
    JimProfile,
    NetworkMember,
    Search,
)
from mentors.rules import days_to_nomination

from .plans import LAST_NAMES, NO_REASONS, RELATIONS, at_day


def _networks(plans, youths, rng):
    """Four to six adults in the network of every youth whose search started; {youth id: [members]}."""
    members = []
    for plan, youth in zip(plans, youths, strict=True):
        if plan.started is None:
            continue
        members += [
            NetworkMember(
                youth=youth,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                relation=rng.choice(RELATIONS),
                closeness=rng.choice(NetworkMember.Closeness.values),
                is_adult=True,
                phone="+32 470 00 00 00" if rng.random() < 0.5 else "",
                created_at=at_day(plan.started, 9),
            )
            for _i in range(rng.randint(4, 6))
        ]
    network = {}
    with explicit_timestamps(NetworkMember._meta.get_field("created_at")):
        made = NetworkMember.objects.bulk_create(members, batch_size=BATCH)
    for member in made:
        network.setdefault(member.youth_id, []).append(member)
    return network


def searches_for(plans, youths, leads, organisation, rng):
    """Networks, searches, candidates with their history and the JIM profiles; {youth id: search}."""
    network = _networks(plans, youths, rng)
    found = [
        (plan, youth, lead)
        for plan, youth, lead in zip(plans, youths, leads, strict=True)
        if plan.search_ended and plan.kind != "stopped"
    ]
    # Three JIMs mentor two youths (each in a triad): the second youth names the same person, a coach, in
    # their own network, and the search finds the JIM's profile the first youth's search made.
    paired = [youth.pk for plan, youth, _lead in found if plan.trial][:6]
    shared = {paired[i + 1]: paired[i] for i in range(0, 6, 2)}
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
                    created_at=at_day(plan_of[youth_id].search_ended, 15),
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
                created_at=at_day(plan.started, 11),
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
                    at=at_day(day, 11 + step),
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
