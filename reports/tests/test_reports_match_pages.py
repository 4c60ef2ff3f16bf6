"""Every report figure equals what the pages and rules said about the same youths on the same day (issue 22).

Varied histories (`histories.build`, a seeded generator: five fixed seeds and one from JIM_HISTORY_SEED) are
built through the services at past dates. At the last moment of each checkpoint day, with the clock there,
each youth's file is read the way its pages and rules read it — the search page's age of a search, the
candidates' status history, the triad's status history and closure, `consent_rule_met` and the current
consent per parent, the caseload's overdue moments and the reminders', the open "denk even mee" requests,
the current lead, the peer network, the professionals' training. Once the whole history is written (later
events included), the reports are asked about the period ending that day, and each figure is compared with
the same figure summed youth by youth from what the pages said. The report figures are the selectors'
unrounded ones. A difference names the seed, the figure, both answers and the youths whose facts differ.

Not compared: the peer meetings of report 6 (meetings, attendances, attending JIMs: the organisation's, no
youth's, and no page counts them) and the rounding (reports.rules, tested on its own). Facts without a
history are read as their rule says: the JIM's opt-in to the network and the youth's team are today's.
"""

import datetime
import os
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pytest
import time_machine
from django.db.models import Q
from django.utils import timezone

from jimcase.models import LivingSituationChange, User, Youth
from mentors.models import CandidateStatusChange, JimProfile, Search
from mentors.rules import ASKED_OR_LATER
from reports import selectors
from reports.selectors import (
    DAY_BUCKETS,
    EVALUATION_DAYS,
    RELATIONS,
    SHORT,
    YEAR,
    Filters,
    capacity_figures,
    consent_figures,
    followup_figures,
    funnel_figures,
    outcome_figures,
    triad_figures,
)
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
from triads.rules import CONSENT_IN_ORDER, CONSENT_STATES, consent_rule_met, consent_state
from triads.selectors import reaches_peer_network

from .histories import CHECKPOINTS, REPORT_DAY, build, moment

SEEDS = [1, 2, 3, 4, 5]
if os.environ.get("JIM_HISTORY_SEED"):
    SEEDS.append(int(os.environ["JIM_HISTORY_SEED"]))

#: The periods compared: (first day, checkpoint day); each ends on a checkpoint.
PERIODS = [
    (datetime.date(2025, 7, 1), CHECKPOINTS[0]),
    (datetime.date(2025, 12, 1), CHECKPOINTS[1]),
    (datetime.date(2026, 1, 1), CHECKPOINTS[2]),
    (datetime.date(2025, 7, 1), CHECKPOINTS[2]),
]


def _name(user):
    """A user as the reports name them."""
    return user.display_name or user.username


# --- What the pages say, youth by youth, at the last moment of a day ------------------------------------


@dataclass
class TriadFacts:
    pk: int
    status: str
    #: From the triad's status history (its page): the day of each move, by the status moved to.
    moved_on: dict
    closure: Closure | None
    consent_state: str
    consent_rule_met: bool
    evaluations: list
    requests: list
    decisions: list
    overrides: list
    jim_profile_id: int
    jim_in_peer_network: bool
    own_relation: str | None


@dataclass
class YouthFacts:
    case_number: str
    organisation_id: int
    team_id: int | None
    team_name: str
    referral_date: datetime.date
    lead: str
    placement_considered: str
    start_situation: str
    searches: list = field(default_factory=list)
    first_asked: list = field(default_factory=list)
    triads: list = field(default_factory=list)
    #: Planned moments overdue on the day, as the caseload flags them and the reminders send them.
    overdue: int = 0


def read_pages(day, history):
    """What each youth's pages say at this moment (the last of `day`)."""
    facts = []
    youths = Youth.objects.filter(pk__in=[y.pk for y in history.youths]).select_related("team")
    for youth in youths:
        lead = youth.current_lead
        first_situation = LivingSituationChange.objects.filter(youth=youth).order_by("at", "pk").first()
        f = YouthFacts(
            case_number=youth.case_number,
            organisation_id=youth.organisation_id,
            team_id=youth.team_id,
            team_name=youth.team.name if youth.team else "",
            referral_date=youth.referral_date,
            lead=_name(lead),
            placement_considered=youth.placement_considered,
            start_situation=first_situation.to_situation if first_situation else youth.living_situation,
        )
        for search in Search.objects.filter(youth=youth):
            f.searches.append(
                {
                    "pk": search.pk,
                    "started_on": search.started_on,
                    "status": search.status,
                    "ended_on": search.ended_on,
                    "days": search.days_to_nomination,
                    "warning": search.warning_level(day),
                }
            )
            for candidate in search.candidates.all():
                moves = CandidateStatusChange.objects.filter(candidate=candidate).order_by("at", "pk")
                asked = next((m.at for m in moves if m.to_status in ASKED_OR_LATER), None)
                if asked is not None:
                    f.first_asked.append(asked)
        for triad in Triad.objects.filter(youth=youth).select_related(
            "jim_profile", "search__chosen__member"
        ):
            moved_on = {}
            for move in TriadStatusChange.objects.filter(triad=triad).order_by("at", "pk"):
                moved_on.setdefault(move.to_status, timezone.localdate(move.at))
            state = consent_state(triad, day)
            chosen = triad.search.chosen if triad.search else None
            f.triads.append(
                TriadFacts(
                    pk=triad.pk,
                    status=triad.status,
                    moved_on=moved_on,
                    closure=Closure.objects.filter(triad=triad).first(),
                    consent_state=state,
                    consent_rule_met=consent_rule_met(triad, today=day),
                    evaluations=[(e.held_on, e.decision) for e in Evaluation.objects.filter(triad=triad)],
                    requests=[
                        (r.created_at, r.handled_at if r.is_handled else None, r.urgent)
                        for r in FallbackRequest.objects.filter(triad=triad)
                    ],
                    decisions=[
                        (d.decided_on, d.decision) for d in ConsentDecision.objects.filter(triad=triad)
                    ],
                    overrides=[(o.at, _name(o.by)) for o in ConsentOverride.objects.filter(triad=triad)],
                    jim_profile_id=triad.jim_profile_id,
                    jim_in_peer_network=reaches_peer_network(triad.jim_profile),
                    own_relation=chosen.member.relation
                    if chosen and chosen.member.youth_id == youth.pk
                    else None,
                )
            )
        # The caseload's flag, the triad page and the reminders: each planned moment overdue on the day.
        f.overdue = CheckIn.objects.overdue().filter(triad__youth=youth).count()
        facts.append(f)
    return facts


def read_professionals(day, history):
    """The professionals on `day` as their admin page and the caseload see them: (user, team ids, trainings)."""
    rows = []
    for cast in history.casts:
        for user in User.objects.filter(organisation=cast.organisation, is_active=True).order_by("pk"):
            if not user.is_professional:
                continue
            teams = {t.pk for t in cast.teams if user.groups.filter(pk=t.group_id).exists()}
            kinds = {t.kind for t in user.trainings.all()}
            rows.append((user, cast.organisation.pk, teams, kinds, user.has_training))
    return rows


# --- The same figures, summed from the pages ----------------------------------------------------------


def _in(day, start, end):
    return day is not None and start <= day <= end


def _median(values):
    return statistics.median(values) if values else None


def _months(start, end):
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def _per_month(days, start, end):
    counted = Counter(d.replace(day=1) for d in days)
    return [(month, counted.get(month, 0)) for month in _months(start, end)]


def funnel_from_pages(facts, start, end, leads_now):
    searches = [s for f in facts for s in f.searches]
    started = [s for s in searches if _in(s["started_on"], start, end)]
    ended = [s for s in started if s["status"] != Search.Status.OPEN]
    found = [s for s in ended if s["status"] == Search.Status.FOUND and s["days"] is not None]
    open_ = [s for s in searches if s["status"] == Search.Status.OPEN]
    figures = {
        "referred": sum(_in(f.referral_date, start, end) for f in facts),
        "started": len(started),
        "found": sum(s["status"] == Search.Status.FOUND and _in(s["ended_on"], start, end) for s in searches),
        "cohort_found": len(found),
        "cohort_stopped": sum(s["status"] == Search.Status.STOPPED for s in ended),
        "mean_days": statistics.mean(s["days"] for s in found) if found else None,
        "median_days": _median([s["days"] for s in found]),
        # The search page's warning on that day: none, "warn" (from 60 days), "limit" (past 90).
        "open_under_60": sum(s["warning"] == "" for s in open_),
        "open_60_90": sum(s["warning"] == "warn" for s in open_),
        "open_over_90": sum(s["warning"] == "limit" for s in open_),
        "asked": sum(moment(start, 0) <= at <= moment(end, 23, 59) for f in facts for at in f.first_asked),
        "trial": sum(_in(t.moved_on.get("trial"), start, end) for f in facts for t in f.triads),
        "active": sum(_in(t.moved_on.get("active"), start, end) for f in facts for t in f.triads),
        "started_per_month": _per_month([s["started_on"] for s in started], start, end),
        "found_per_month": _per_month(
            [
                s["ended_on"]
                for s in searches
                if s["status"] == Search.Status.FOUND and _in(s["ended_on"], start, end)
            ],
            start,
            end,
        ),
    }
    for index, (_label, low, high) in enumerate(DAY_BUCKETS):
        figures[f"days_{index}"] = sum(
            low <= s["days"] and (high is None or s["days"] <= high) for s in found
        )
    long_open = sorted(
        (
            (s["started_on"], s["pk"], f.case_number)
            for f in facts
            for s in f.searches
            if s["status"] == "open" and s["warning"] == "limit"
        ),
    )
    figures["over_90"] = [(case, leads_now[case]) for _started, _pk, case in long_open]
    return figures


def _running_on(t, day):
    """Running on `day` by the triad's status history: its trial started by then and it had not ended."""
    started, ended = t.moved_on.get("trial"), t.moved_on.get("ended")
    return started is not None and started <= day and (ended is None or ended > day)


def triads_from_pages(facts, start, end):
    triads = [t for f in facts for t in f.triads]
    closures = [t.closure for t in triads if t.closure and _in(t.closure.ended_on, start, end)]
    timed = [
        (c.ended_on - t.moved_on["trial"])
        for t in triads
        for c in [t.closure]
        if c in closures and "trial" in t.moved_on
    ]
    figures = {
        "in_trial": sum(t.status == Triad.Status.TRIAL for t in triads),
        "active": sum(t.status == Triad.Status.ACTIVE for t in triads),
        "ended": len(closures),
        "informally": sum(c.continues_informally for c in closures),
        "timed": len(timed),
        "short": sum(d < SHORT for d in timed),
        "year": sum(d >= YEAR for d in timed),
        "median_days": _median([d.days for d in timed]),
    }
    for reason in EndReason.values:
        figures[f"reason_{reason}"] = sum(c.reason == reason for c in closures)
    for decision in Evaluation.Decision.values:
        figures[f"decision_{decision}"] = sum(
            d == decision and _in(held, start, end) for t in triads for held, d in t.evaluations
        )
    return figures


def outcomes_from_pages(facts, start, end):
    rows = [
        (f, t.closure) for f in facts for t in f.triads if t.closure and _in(t.closure.ended_on, start, end)
    ]
    figures = {"closed": len(rows)}
    for c in Youth.PlacementConsidered.values:
        for o in [*PlacementOutcome.values, ""]:
            figures[f"considered_{c}_{o or 'none'}"] = sum(
                f.placement_considered == c and closure.placement_outcome == o for f, closure in rows
            )
    for g in [*GoalsReached.values, ""]:
        figures[f"goals_{g or 'none'}"] = sum(closure.goals_reached == g for _f, closure in rows)
    for s in Youth.LivingSituation.values:
        figures[f"start_{s}"] = sum(f.start_situation == s for f, _closure in rows)
    for s in [*Youth.LivingSituation.values, ""]:
        figures[f"end_{s or 'none'}"] = sum(closure.living_situation == s for _f, closure in rows)
    return figures


def followup_from_pages(facts, start, end):
    end_of_day = moment(end + datetime.timedelta(days=1), 0)
    by_lead = Counter()
    for f in facts:
        if f.overdue:
            by_lead[f.lead] += f.overdue
    requests = [r for f in facts for t in f.triads for r in t.requests]
    open_ = [(end_of_day - created, urgent) for created, handled, urgent in requests if handled is None]
    day = datetime.timedelta(days=1)
    handled = [
        handled - created for created, handled, _u in requests if handled and handled >= moment(start, 0)
    ]
    running = [t for f in facts for t in f.triads if t.status in Triad.RUNNING]
    median = _median(handled)
    return {
        "overdue_by_lead": sorted(by_lead.items()),
        "open_under_2": sum(waited < 2 * day for waited, _u in open_),
        "open_2_7": sum(2 * day <= waited < 7 * day for waited, _u in open_),
        "open_over_7": sum(waited >= 7 * day for waited, _u in open_),
        "open_urgent": sum(urgent for _w, urgent in open_),
        "handled": len(handled),
        "median_response_hours": median.total_seconds() / 3600 if median is not None else None,
        "running": len(running),
        "without_evaluation": sum(
            not any(
                end - datetime.timedelta(days=EVALUATION_DAYS) < held <= end for held, _d in t.evaluations
            )
            for t in running
        ),
    }


IN_ORDER = {"adult", "overridden", "given", "nobody_decides"}


def consent_from_pages(facts, start, end):
    live = [t for f in facts for t in f.triads if t.status != Triad.Status.ENDED]
    figures = {f"state_{s}": sum(t.consent_state == s for t in live) for s in CONSENT_STATES}
    for decision in ("given", "refused", "withdrawn"):
        figures[f"decided_{decision}"] = sum(
            any(d == decision and _in(on, start, end) for on, d in t.decisions)
            for f in facts
            for t in f.triads
        )
    overrides = Counter(
        name
        for f in facts
        for t in f.triads
        for at, name in t.overrides
        if _in(timezone.localdate(at), start, end)
    )
    figures["overrides_by_coordinator"] = sorted(overrides.items())
    return figures


def capacity_from_pages(facts, professionals, start, end, now):
    caseloads = Counter((f.team_name, f.lead) for f in facts)
    ran = [t for f in facts for t in f.triads if _ran_in(t, start, end)]
    running = [t for f in facts for t in f.triads if _running_on(t, end)]
    youths_of_jim = defaultdict(set)
    for f in facts:
        for t in f.triads:
            if _ran_in(t, start, end):
                youths_of_jim[t.jim_profile_id].add(f.case_number)
    figures = {
        "caseloads": sorted((team, lead, n) for (team, lead), n in caseloads.items()),
        "triads": len(ran),
        "own_network": sum(t.own_relation is not None for t in ran),
        "jims_active": len({t.jim_profile_id for t in running}),
        # The JIM network on that day: reaching it (triads.selectors.reaches_peer_network) and opted in; the
        # opt-in has no history, so today's (`triads.selectors.in_peer_network_q`).
        "jims_peer_network": len(
            {t.jim_profile_id for t in running if now["opt_in"][t.jim_profile_id] and t.jim_in_peer_network}
        ),
        "jims_several_youths": sum(len(youths) > 1 for youths in youths_of_jim.values()),
    }
    for relation in RELATIONS:
        figures[f"relation_{relation}"] = sum(t.own_relation == relation for t in ran)
    figures.update(training_from_pages(professionals))
    return figures


def _ran_in(t, start, end):
    started, ended = t.moved_on.get("trial"), t.moved_on.get("ended")
    return started is not None and started <= end and (ended is None or ended >= start)


def training_from_pages(professionals):
    return {
        "trained_method": sum("method" in kinds for *_rest, kinds, _has in professionals),
        "trained_own_only": sum(kinds == {"own"} for *_rest, kinds, _has in professionals),
        "untrained": sum(not has for *_rest, _kinds, has in professionals),
    }


# --- The comparison -----------------------------------------------------------------------------------

#: Lists the reports order by a name in the database's collation: compared as sets of rows.
BY_NAME = {"overdue_by_lead", "caseloads", "overrides_by_coordinator"}

#: Each report: its selector (filters → figures) and the same figures from the pages.
REPORTS = {
    "funnel": (
        lambda filters: funnel_figures(filters, today=REPORT_DAY),
        lambda facts, professionals, start, end, now: funnel_from_pages(facts, start, end, now["leads"]),
    ),
    "triads": (triad_figures, lambda facts, _p, start, end, _l: triads_from_pages(facts, start, end)),
    "outcomes": (outcome_figures, lambda facts, _p, start, end, _l: outcomes_from_pages(facts, start, end)),
    "followup": (followup_figures, lambda facts, _p, start, end, _l: followup_from_pages(facts, start, end)),
    "consent": (consent_figures, lambda facts, _p, start, end, _l: consent_from_pages(facts, start, end)),
    "capacity": (
        capacity_figures,
        lambda facts, professionals, start, end, now: capacity_from_pages(
            facts, professionals, start, end, now
        ),
    ),
}

#: Figures that count no youth (the professionals' training): not split youth by youth on a difference.
NOT_PER_YOUTH = {"trained_method", "trained_own_only", "untrained"}


def _same(got, expected, key):
    if key in BY_NAME:
        return Counter(map(tuple, got or [])) == Counter(expected)
    if isinstance(expected, float) and got is not None:
        return got == pytest.approx(expected)
    return got == expected


@dataclass(frozen=True)
class OneYouth(Filters):
    """The report's filters narrowed to one youth (only to say which youths a difference comes from)."""

    case_number: str = ""


def _one_youth_q(original):
    def youths_q(filters, prefix=""):
        q = original(filters, prefix)
        if getattr(filters, "case_number", ""):
            q &= Q(**{f"{prefix}case_number": filters.case_number})
        return q

    return youths_q


def _youths_differing(name, key, filters, facts, professionals, now, monkeypatch):
    """Case number: (report, pages) for each youth whose own figure differs."""
    report, pages = REPORTS[name]
    start, end = filters.date_from, filters.date_to
    differing = {}
    with monkeypatch.context() as patch:
        patch.setattr(selectors, "youths_q", _one_youth_q(selectors.youths_q))
        for f in facts:
            one = OneYouth(**{**filters.__dict__, "case_number": f.case_number})
            got, expected = report(one).get(key), pages([f], professionals, start, end, now)[key]
            if not _same(got, expected, key):
                differing[f.case_number] = (got, expected)
    return differing


def test_reports_match_pages(db, seed, monkeypatch):
    seen = {}
    seen_professionals = {}

    def checkpoint(day, history):
        seen[day] = read_pages(day, history)
        seen_professionals[day] = read_professionals(day, history)

    history = build(seed, checkpoint)
    wrong = []
    with time_machine.travel(moment(REPORT_DAY), tick=False):
        now = {
            "leads": {y.case_number: _name(y.current_lead) for y in Youth.objects.all()},
            "opt_in": dict(JimProfile.objects.values_list("pk", "peer_network_opt_in")),
        }
        for cast, team, (start, end) in _comparisons(history):
            organisation = cast.organisation.pk
            filters = Filters(
                date_from=start, date_to=end, organisation_id=organisation, team_id=team and team.pk
            )
            facts = [
                f
                for f in seen[end]
                if f.organisation_id == organisation and (team is None or f.team_id == team.pk)
            ]
            professionals = [
                p
                for p in seen_professionals[end]
                if p[1] == organisation and (team is None or team.pk in p[2])
            ]
            where = f"{cast.organisation.name}{' ' + team.name if team else ''} {start}–{end}"
            for name, (report, pages) in REPORTS.items():
                got, expected = report(filters), pages(facts, professionals, start, end, now)
                for key in expected:
                    if _same(got.get(key), expected[key], key):
                        continue
                    wrong.append(f"{where}: {name}.{key}: report {got.get(key)!r}, pages {expected[key]!r}")
                    if key not in NOT_PER_YOUTH:
                        differing = _youths_differing(
                            name, key, filters, facts, professionals, now, monkeypatch
                        )
                        for case, (one_report, one_pages) in differing.items():
                            wrong.append(f"    {case}: report {one_report!r}, pages {one_pages!r}")
                            wrong += [f"        {line}" for line in history.story.get(case, [])]
        # The pages agree among themselves: the consent rule and the state the triad page shows.
        for day, facts in seen.items():
            for f in facts:
                for t in f.triads:
                    if t.status != Triad.Status.ENDED and t.consent_rule_met != (
                        t.consent_state in CONSENT_IN_ORDER
                    ):
                        wrong.append(
                            f"{day} {f.case_number}: consent_rule_met {t.consent_rule_met}, state {t.consent_state}"
                        )
    assert not wrong, f"seed {seed} (JIM_HISTORY_SEED={seed} replays it):\n" + "\n".join(wrong[:200])


def _comparisons(history):
    """(cast, team or None, period): every period for the first organisation; its first team and the other
    organisation (which the first one's figures never include) over the whole history."""
    main, other = history.casts
    for period in PERIODS:
        yield main, None, period
    yield main, main.teams[0], PERIODS[-1]
    yield other, None, PERIODS[-1]


@pytest.fixture(params=[pytest.param(s, id=f"seed{s}") for s in SEEDS])
def seed(request):
    return request.param
