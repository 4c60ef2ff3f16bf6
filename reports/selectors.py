"""The reports' figures, each computed in the database (aggregates, windows, subqueries) in a fixed number of
queries, for the youths a `Filters` selects. Nothing here returns a youth's name or a note's text."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, NullIf, RowNumber, TruncMonth
from django.utils import timezone

from jimcase.models import (
    CaseAssignment,
    LivingSituationChange,
    Role,
    Training,
    User,
    Youth,
)
from mentors.models import Candidate, CandidateStatusChange, NetworkMember, PeerMeeting, Search
from mentors.rules import ASKED_OR_LATER
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
    active_on_q,
    in_trial_on_q,
    live_on_q,
    running_during_q,
    running_on_q,
)
from triads.rules import CONSENT_STATES, consent_state_on
from triads.selectors import in_peer_network_q

#: The searches open past Search.LIMIT_DAYS listed by case number on the wie-vraag report: longest open first.
OVER_90_SHOWN = 50

#: Days to a JIM, grouped for the histogram: (label, lowest, highest or None): two-week steps up to the
#: search's warning (Search.WARN_DAYS), then up to its limit (Search.LIMIT_DAYS), then beyond.
DAY_BUCKETS = [
    *(
        (f"{low}–{min(low + 14, Search.WARN_DAYS - 1)}", low, min(low + 14, Search.WARN_DAYS - 1))
        for low in range(0, Search.WARN_DAYS, 15)
    ),
    (f"{Search.WARN_DAYS}–{Search.LIMIT_DAYS}", Search.WARN_DAYS, Search.LIMIT_DAYS),
    (f"> {Search.LIMIT_DAYS}", Search.LIMIT_DAYS + 1, None),
]


@dataclass(frozen=True)
class Filters:
    """Which youths and which days a report covers. `organisation_id` None: every organisation (superuser)."""

    date_from: datetime.date
    date_to: datetime.date
    organisation_id: int | None = None
    all_organisations: bool = False
    jurisdiction: str = ""
    team_id: int | None = None
    professional_id: int | None = None


def _name(path):
    """A user's display name, or the username when it has none."""
    return Coalesce(NullIf(f"{path}display_name", Value("")), f"{path}username")


def organisations_q(filters, prefix=""):
    """A Q on a model whose organisation is reached by `prefix`: for what belongs to an organisation, not a
    youth (peer meetings), so the team and professional filters do not apply."""
    q = Q()
    if not filters.all_organisations:
        q &= Q(**{f"{prefix}organisation_id": filters.organisation_id})
    if filters.jurisdiction:
        q &= Q(**{f"{prefix}organisation__jurisdiction": filters.jurisdiction})
    return q


def youths_q(filters, prefix=""):
    """A Q on a model whose youth is reached by `prefix` ("" for Youth, "youth__" for Search, …)."""
    q = Q()
    # A coordinator's own organisation, always (None matches nothing: a youth always has one).
    q = organisations_q(filters, prefix)
    if filters.team_id:
        q &= Q(**{f"{prefix}team_id": filters.team_id})
    if filters.professional_id:
        # The professional led the file at some time in the period (`ends_on` is the first day without it,
        # as `CaseAssignment.objects.current` reads it; a hand-over ends the lead's assignment that day).
        led = CaseAssignment.objects.filter(
            youth=OuterRef(prefix[:-2] if prefix else "pk"),
            professional_id=filters.professional_id,
            role=CaseAssignment.Role.LEAD,
            starts_on__lte=filters.date_to,
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=filters.date_from))
        q &= Exists(led)
    return q


def _day_start(day):
    """The first moment of `day` in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _months(date_from, date_to):
    month = date_from.replace(day=1)
    while month <= date_to:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def _per_month(queryset, field, filters):
    """{first day of the month: count} of `queryset` by the month of `field` (one query)."""
    rows = (
        queryset.annotate(month=TruncMonth(field))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    counted = {month if isinstance(month, datetime.date) else month.date(): n for month, n in rows}
    return [(month, counted.get(month, 0)) for month in _months(filters.date_from, filters.date_to)]


def median(queryset, field):
    """The median of `field` over `queryset`, in the database: the middle row, or the mean of the two middle
    rows, by ROW_NUMBER() and COUNT() windows (SQLite has no median or percentile function). One query."""
    ranked = (
        queryset.annotate(
            rank=Window(RowNumber(), order_by=[F(field).asc(), F("pk").asc()]),
            n=Window(Count("pk")),
        )
        # Integer division on both databases: rows (n+1)/2 to (n+2)/2 are the one or two middle rows.
        .filter(rank__gte=(F("n") + 1) / 2, rank__lte=(F("n") + 2) / 2)
    )
    return ranked.aggregate(median=Avg(field))["median"]


def funnel_figures(filters, today=None):
    """Every figure of the wie-vraag report (report 1), in 8 queries whatever the number of youths."""
    start, end = filters.date_from, filters.date_to
    searches = Search.objects.filter(youths_q(filters, "youth__"))

    referred = Youth.objects.filter(youths_q(filters), referral_date__range=(start, end)).count()

    # Searches that started in the period and ended by its last day: the base of the share and the days.
    ended_cohort = Q(started_on__range=(start, end), ended_on__lte=end)
    found_cohort = ended_cohort & Q(status=Search.Status.FOUND, days_to_nomination__isnull=False)
    open_at_end = Search.open_on_q(end)
    level = Search.warning_level_q(end)
    buckets = {}
    for index, (_label, low, high) in enumerate(DAY_BUCKETS):
        days = Q(days_to_nomination__gte=low) & (Q(days_to_nomination__lte=high) if high is not None else Q())
        buckets[f"days_{index}"] = Count("pk", filter=found_cohort & days)
    figures = searches.aggregate(
        started=Count("pk", filter=Q(started_on__range=(start, end))),
        found=Count("pk", filter=Q(status=Search.Status.FOUND, ended_on__range=(start, end))),
        cohort_found=Count("pk", filter=found_cohort),
        cohort_stopped=Count("pk", filter=ended_cohort & Q(status=Search.Status.STOPPED)),
        mean_days=Avg("days_to_nomination", filter=found_cohort),
        open_under_60=Count("pk", filter=open_at_end & level[""]),
        open_60_90=Count("pk", filter=open_at_end & level["warn"]),
        open_over_90=Count("pk", filter=open_at_end & level["limit"]),
        **buckets,
    )

    figures["median_days"] = median(searches.filter(found_cohort), "days_to_nomination")

    # Candidates asked in the period: their first move to "asked" (or later) falls in it.
    asked_moves = CandidateStatusChange.objects.filter(candidate=OuterRef("pk"), to_status__in=ASKED_OR_LATER)
    after_end = _day_start(end + datetime.timedelta(days=1))
    figures["asked"] = (
        Candidate.objects.filter(youths_q(filters, "search__youth__"))
        .filter(Exists(asked_moves.filter(at__gte=_day_start(start), at__lt=after_end)))
        .exclude(Exists(asked_moves.filter(at__lt=_day_start(start))))
        .count()
    )

    figures.update(
        Triad.objects.filter(youths_q(filters, "youth__")).aggregate(
            trial=Count("pk", filter=Q(trial_started_on__range=(start, end))),
            active=Count("pk", filter=Q(activated_on__range=(start, end))),
        )
    )
    figures["referred"] = referred
    figures["started_per_month"] = _per_month(
        searches.filter(started_on__range=(start, end)), "started_on", filters
    )
    figures["found_per_month"] = _per_month(
        searches.filter(status=Search.Status.FOUND, ended_on__range=(start, end)), "ended_on", filters
    )

    # Who to ask about a long-open search: the lead professional now.
    lead_name = (
        CaseAssignment.objects.current(today or timezone.localdate())
        .filter(youth=OuterRef("youth"), role=CaseAssignment.Role.LEAD)
        .order_by("-starts_on", "pk")
        .values(name=_name("professional__"))[:1]
    )
    figures["over_90"] = list(
        searches.open_on(end)
        .filter(level["limit"])
        .order_by("started_on", "pk")
        .values_list("youth__case_number", Subquery(lead_name))[:OVER_90_SHOWN]
    )
    return figures


#: A triad that ran this long or longer counts as lasting 12 months; shorter than `SHORT` as ended early.
YEAR = datetime.timedelta(days=365)
SHORT = datetime.timedelta(days=90)


def triad_figures(filters):
    """Every figure of the triads report (report 2), in 4 queries whatever the number of triads."""
    start, end = filters.date_from, filters.date_to
    triads = Triad.objects.filter(youths_q(filters, "youth__"))
    figures = triads.aggregate(
        in_trial=Count("pk", filter=in_trial_on_q(end)),
        active=Count("pk", filter=active_on_q(end)),
    )

    # Ended in the period: by its closure (reason, date); the duration runs from the start of the trial.
    closures = Closure.objects.filter(
        youths_q(filters, "triad__youth__"), ended_on__range=(start, end)
    ).annotate(
        duration=ExpressionWrapper(F("ended_on") - F("triad__trial_started_on"), output_field=DurationField())
    )
    timed = Q(triad__trial_started_on__isnull=False)
    figures.update(
        closures.aggregate(
            ended=Count("pk"),
            informally=Count("pk", filter=Q(continues_informally=True)),
            timed=Count("pk", filter=timed),
            short=Count("pk", filter=timed & Q(duration__lt=SHORT)),
            year=Count("pk", filter=timed & Q(duration__gte=YEAR)),
            **{f"reason_{reason}": Count("pk", filter=Q(reason=reason)) for reason in EndReason.values},
        )
    )
    duration = median(closures.filter(timed), "duration")
    figures["median_days"] = duration.total_seconds() / 86400 if duration is not None else None

    figures.update(
        Evaluation.objects.filter(youths_q(filters, "triad__youth__"), held_on__range=(start, end)).aggregate(
            **{f"decision_{d}": Count("pk", filter=Q(decision=d)) for d in Evaluation.Decision.values}
        )
    )
    return figures


def outcome_figures(filters):
    """Every figure of the outcomes report (report 3), for the closures in the period, in 1 query."""
    closures = Closure.objects.filter(
        youths_q(filters, "triad__youth__"), ended_on__range=(filters.date_from, filters.date_to)
    ).annotate(
        # The living situation at referral: the youth's first history row, or the youth's field without one.
        start=Coalesce(
            Subquery(
                LivingSituationChange.objects.filter(youth=OuterRef("triad__youth"))
                .order_by("at", "pk")
                .values("to_situation")[:1]
            ),
            F("triad__youth__living_situation"),
        )
    )
    considered = {
        f"considered_{c}_{o or 'none'}": Count(
            "pk", filter=Q(triad__youth__placement_considered=c, placement_outcome=o)
        )
        for c in Youth.PlacementConsidered.values
        for o in [*PlacementOutcome.values, ""]
    }
    situations = Youth.LivingSituation.values
    return closures.aggregate(
        closed=Count("pk"),
        **considered,
        **{
            f"goals_{g or 'none'}": Count("pk", filter=Q(goals_reached=g)) for g in [*GoalsReached.values, ""]
        },
        **{f"start_{s}": Count("pk", filter=Q(start=s)) for s in situations},
        **{f"end_{s or 'none'}": Count("pk", filter=Q(living_situation=s)) for s in [*situations, ""]},
    )


#: A running triad without an evaluation held in this many days up to the period's last day is flagged.
EVALUATION_DAYS = 60


def followup_figures(filters):
    """Every figure of the follow-up report (report 4), as of the period's last day, in 4 queries."""
    start, end = filters.date_from, filters.date_to
    end_of_day = _day_start(end + datetime.timedelta(days=1))

    # Overdue on the last day, as the caseload and the reminders say it (`CheckIn.objects.overdue_on`); per lead.
    lead_name = (
        CaseAssignment.objects.current(end)
        .filter(youth=OuterRef("triad__youth"), role=CaseAssignment.Role.LEAD)
        .order_by("-starts_on", "pk")
        .values(name=_name("professional__"))[:1]
    )
    running_triads = Triad.objects.filter(youths_q(filters, "youth__")).running_on(end)
    overdue = (
        CheckIn.objects.overdue_on(end)
        .filter(youths_q(filters, "triad__youth__"))
        .annotate(lead=Subquery(lead_name))
        .order_by()
        .values("lead")
        .annotate(n=Count("pk"))
        .order_by("lead")
        .values_list("lead", "n")
    )
    figures = {"overdue_by_lead": list(overdue)}

    # Fallback requests open at the end of the last day, by how long they had waited then.
    requests = FallbackRequest.objects.filter(youths_q(filters, "triad__youth__"))
    open_then = Q(created_at__lt=end_of_day) & (Q(handled_at__isnull=True) | Q(handled_at__gte=end_of_day))
    two, seven = end_of_day - datetime.timedelta(days=2), end_of_day - datetime.timedelta(days=7)
    handled = Q(handled_at__gte=_day_start(start), handled_at__lt=end_of_day)
    figures.update(
        requests.aggregate(
            open_under_2=Count("pk", filter=open_then & Q(created_at__gt=two)),
            open_2_7=Count("pk", filter=open_then & Q(created_at__lte=two, created_at__gt=seven)),
            open_over_7=Count("pk", filter=open_then & Q(created_at__lte=seven)),
            open_urgent=Count("pk", filter=open_then & Q(urgent=True)),
            handled=Count("pk", filter=handled),
        )
    )
    response = median(
        requests.filter(handled).annotate(
            response=ExpressionWrapper(F("handled_at") - F("created_at"), output_field=DurationField())
        ),
        "response",
    )
    figures["median_response_hours"] = response.total_seconds() / 3600 if response is not None else None

    recent = Evaluation.objects.filter(
        triad=OuterRef("pk"), held_on__gt=end - datetime.timedelta(days=EVALUATION_DAYS), held_on__lte=end
    )
    figures.update(
        running_triads.annotate(recent=Exists(recent)).aggregate(
            running=Count("pk"), without_evaluation=Count("pk", filter=Q(recent=False))
        )
    )
    return figures


def consent_figures(filters):
    """Every figure of the consent report (report 5), in 3 queries whatever the number of triads.

    The state on the period's last day (`triads.rules.consent_state_on`, the database's form of the triad
    page's `consent_state`), of the triads that existed then and had not ended: each parent with parental
    authority counts with their latest decision recorded by the end of that day; with no such parent, the
    youth's latest "nobody can decide" row recorded by then (a statement, not its lapse) puts the triad in
    order, and without one nobody is recorded who can decide.
    """
    start, end = filters.date_from, filters.date_to
    end_of_day = _day_start(end + datetime.timedelta(days=1))
    Decision = ConsentDecision.Decision
    state = consent_state_on(end)
    counted = dict(
        Triad.objects.filter(youths_q(filters, "youth__"), live_on_q(end))
        .annotate(consent_state=state)
        .order_by()
        .values("consent_state")
        .annotate(n=Count("pk"))
        .values_list("consent_state", "n")
    )
    figures = {f"state_{s}": counted.get(n, 0) for n, s in enumerate(CONSENT_STATES)}

    # Decisions taken in the period (by the parent's date), counted once per triad.
    decided = ConsentDecision.objects.filter(
        youths_q(filters, "triad__youth__"), decided_on__range=(start, end)
    )
    figures.update(
        decided.aggregate(
            **{
                f"decided_{d}": Count("triad", distinct=True, filter=Q(decision=d))
                for d in (Decision.GIVEN, Decision.REFUSED, Decision.WITHDRAWN)
            }
        )
    )

    figures["overrides_by_coordinator"] = list(
        ConsentOverride.objects.filter(
            youths_q(filters, "triad__youth__"), at__gte=_day_start(start), at__lt=end_of_day
        )
        .annotate(coordinator=_name("by__"))
        .order_by()
        .values("coordinator")
        .annotate(n=Count("pk"))
        .order_by("coordinator")
        .values_list("coordinator", "n")
    )
    return figures


#: The relations a JIM from the youth's own network has, in the capacity report's order.
RELATIONS = NetworkMember.Relation.values


def capacity_figures(filters):
    """Every figure of the capacity and fidelity report (report 6), in 5 queries whatever the data size."""
    start, end = filters.date_from, filters.date_to
    end_of_day = _day_start(end + datetime.timedelta(days=1))

    # The caseloads on the last day: each lead professional's youths, by the youth's team.
    caseloads = list(
        CaseAssignment.objects.current(end)
        .filter(youths_q(filters, "youth__"), role=CaseAssignment.Role.LEAD)
        .annotate(team_name=Coalesce("youth__team__name", Value("")), lead=_name("professional__"))
        .order_by()
        .values("team_name", "lead")
        .annotate(n=Count("youth", distinct=True))
        .order_by("team_name", "lead")
        .values_list("team_name", "lead", "n")
    )
    figures = {"caseloads": caseloads}

    # The triads that ran at some time in the period, and their JIMs.
    running_on_end = running_on_q(end)
    triads = Triad.objects.filter(youths_q(filters, "youth__")).filter(running_during_q(start, end))
    # From the youth's own network: the JIM was chosen in the youth's wie-vraag among the people on the
    # youth's network map (one JIM of two youths is on both maps, as two network members).
    own = Q(search__chosen__member__youth=F("youth"))
    figures.update(
        triads.aggregate(
            triads=Count("pk"),
            own_network=Count("pk", filter=own),
            jims_active=Count("jim_profile", distinct=True, filter=running_on_end),
            # Of those, the ones in the JIM network then (`triads.selectors.in_peer_network_q`).
            jims_peer_network=Count(
                "jim_profile", distinct=True, filter=running_on_end & in_peer_network_q(end, "jim_profile__")
            ),
            **{
                f"relation_{r}": Count("pk", filter=own & Q(search__chosen__member__relation=r))
                for r in RELATIONS
            },
        )
    )
    figures["jims_several_youths"] = (
        triads.order_by()
        .values("jim_profile")
        .annotate(n=Count("youth", distinct=True))
        .filter(n__gt=1)
        .count()
    )

    figures.update(training_figures(filters))

    # The organisation's peer network: meetings held in the period and who came.
    figures.update(
        PeerMeeting.objects.filter(
            organisations_q(filters), starts_at__gte=_day_start(start), starts_at__lt=end_of_day
        ).aggregate(
            meetings=Count("pk", distinct=True),
            attendances=Count("attendees"),
            attending_jims=Count("attendees", distinct=True),
        )
    )
    return figures


def training_figures(filters):
    """The professionals on the period's last day and their JIM training by then, in one query.

    Professionals: the active accounts with the professional role that existed on the last day (roles
    have no history, so today's roles count), of the chosen team or the chosen professional. Someone with
    both kinds of training counts under the method's, so the three counts add up to the professionals.
    """
    end = filters.date_to
    memberships = User.groups.through.objects.filter(user=OuterRef("pk"))
    professionals = User.objects.filter(
        organisations_q(filters),
        Exists(memberships.filter(group__name=Role.PROFESSIONAL)),
        is_active=True,
        date_joined__lt=_day_start(end + datetime.timedelta(days=1)),
    )
    if filters.team_id:
        professionals = professionals.filter(Exists(memberships.filter(group__team=filters.team_id)))
    if filters.professional_id:
        professionals = professionals.filter(pk=filters.professional_id)
    trainings = Training.objects.filter(user=OuterRef("pk"), completed_on__lte=end)
    method = Exists(trainings.filter(kind=Training.Kind.METHOD))
    own = Exists(trainings.filter(kind=Training.Kind.OWN))
    return professionals.aggregate(
        trained_method=Count("pk", filter=Q(method)),
        trained_own_only=Count("pk", filter=Q(own) & ~Q(method)),
        untrained=Count("pk", filter=~Q(method) & ~Q(own)),
    )
