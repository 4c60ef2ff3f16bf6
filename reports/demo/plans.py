"""The reports demo's histories: which youths, what happened to them and on which days (demo only!)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from jimcase.models import Youth
from mentors.models import (
    NetworkMember,
)
from triads.models import (
    EndReason,
    Evaluation,
    GoalsReached,
    PlacementOutcome,
    Triad,
)
from triads.rules import closure_contradictions
from triads.scale import TRIAL_DAYS

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


def at_day(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def plans_for(rng, today):
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


def ended_facts(ended, rng):
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
    _keep_to_the_closure_rule(list(facts.values()))
    return facts


#: What a professional writes when two answers of a closure only go together with a word (the service asks).
EXPLANATIONS = {
    "goals_reached": "De doelen zijn bereikt; het contact liep daarna toch stuk, zonder dat het de jongere schaadde.",
    "placement_outcome": "Een plaatsing in een leefgroep is vermeden; de jongere woont nu in een netwerkgezin.",
}


def _keep_to_the_closure_rule(facts):
    """Swap the goals of closures the product refuses (`triads.rules.closure_contradictions`: the goal
    reached, the goals not) with another closure's, so the proportions stay; give the explanation the
    service asks where two answers only go together with a word."""

    def judged(fact):
        return closure_contradictions(
            placement_considered=fact["considered"],
            reason=fact["reason"],
            placement_outcome=fact["outcome"],
            goals_reached=fact["goals"],
            living_situation=fact["end"],
        )

    for fact in facts:
        if not judged(fact)[0]:
            continue
        for other in facts:
            fact["goals"], other["goals"] = other["goals"], fact["goals"]
            if not judged(fact)[0] and not judged(other)[0]:
                break
            fact["goals"], other["goals"] = other["goals"], fact["goals"]
    for fact in facts:
        refused, to_explain = judged(fact)
        if refused:
            raise ValueError(f"The demo's closure facts break the closure rule: {refused}")
        fact["explanation"] = " ".join(EXPLANATIONS[field] for field in sorted(to_explain))


def stage_of(plan):
    """The stage and since when, as `stages.stage_from` derives them from the plan's facts."""
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
