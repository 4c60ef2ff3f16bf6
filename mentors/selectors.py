"""Reads for the wie-vraag, each in a fixed number of queries. Visibility is decided by jimcase.access."""

from django.db.models import Count, Exists, OuterRef, Prefetch

from .models import FactorCheck, JimProfile, NetworkMember, PeerMeeting, Search
from .rules import (
    ACTIVE_STATUSES,
    REASON_REQUIRED,
    allowed_statuses,
    choice_blockers,
    hard_stop,
    record_check_of,
    record_check_warning,
)


def network_of(youth):
    """The youth's network, in name order, with each person's topics (two queries; one when empty)."""
    return list(NetworkMember.objects.filter(youth=youth).prefetch_related("topics"))


def topics_in_use(members):
    """The topics someone in `members` (from `network_of`) carries, in display order (no query)."""
    topics = {topic.pk: topic for member in members for topic in member.topics.all()}
    return sorted(topics.values(), key=lambda topic: str(topic).lower())


def searches_of(youth):
    """Every search of the youth, the open one first, then the latest (one query)."""
    searches = list(
        Search.objects.filter(youth=youth).select_related(
            "chosen__member", "jim_profile", "started_by", "ended_by"
        )
    )
    searches.sort(key=lambda s: not s.is_open)  # stable: keeps -started_on within
    for search in searches:
        search.youth = youth
    return searches


def file_searches(youth):
    """`searches_of(youth)`, read once per `youth` instance (one query).

    The sections of the youth's file (network map, wie-vraag, triads) all need the youth's searches and
    get the same `youth` instance: the first asks the database, the others reuse the answer. A page reads
    a fresh youth per request, so nothing outlives the request.
    """
    if not hasattr(youth, "_file_searches"):
        youth._file_searches = searches_of(youth)
    return youth._file_searches


def file_candidates(youth):
    """The current search's candidates (without screening), read once per `youth` instance (one query)."""
    if not hasattr(youth, "_file_candidates"):
        searches = file_searches(youth)
        youth._file_candidates = candidates_of(searches[0], with_screening=False) if searches else []
    return youth._file_candidates


def highlights_of(searches, candidates):
    """Member ids of the open search's active candidates and of every chosen JIM (no query)."""
    current = searches[0] if searches else None
    candidate_ids = (
        {c.member_id for c in candidates if c.status in ACTIVE_STATUSES}
        if current and current.is_open
        else set()
    )
    chosen_ids = {s.chosen.member_id for s in searches if s.is_found and s.chosen_id}
    return candidate_ids, chosen_ids


def other_jim_found(searches, current=None):
    """True when the youth already has a JIM from another search (allowed, but unusual)."""
    return any(s.is_found and s.jim_profile_id and (current is None or s.pk != current.pk) for s in searches)


def candidates_of(search, *, with_screening=True, today=None):
    """The search's candidates in the youth's order, with member, record check and screening (2–3 queries)."""
    queryset = search.candidates.select_related("member", "record_check__age_exception_by")
    if with_screening:
        queryset = queryset.prefetch_related(Prefetch("checks"))
    candidates = list(queryset)
    for candidate in candidates:
        candidate.search = search
        if with_screening:
            checks = {c.factor: c for c in candidate.checks.all()}
            candidate.factor_checks = checks
            candidate.counts = {
                result: sum(1 for c in checks.values() if c.result == result)
                for result in FactorCheck.Result.values
            }
            candidate.screened = len(checks)
            candidate.is_hard_stop = hard_stop(candidate, checks, today)
            candidate.blockers = choice_blockers(candidate, youth=search.youth, today=today)
            candidate.record_warning = record_check_warning(record_check_of(candidate), today)
            candidate.moves = [
                {"status": status, "needs_reason": status in REASON_REQUIRED}
                for status in allowed_statuses(candidate, checks, today)
            ]
    return candidates


def choice_page_for(candidate, *, youth):
    """What the page to choose a JIM shows: what blocks the choice, what was justified, what is unknown."""
    checks = list(candidate.checks.all())
    return {
        "blockers": choice_blockers(candidate, youth=youth),
        "record_warning": record_check_warning(record_check_of(candidate)),
        "record_check": record_check_of(candidate),
        "justified": [c for c in checks if c.result == FactorCheck.Result.NOT_MET and c.justification],
        "unknown": [c for c in checks if c.result == FactorCheck.Result.UNKNOWN],
        "other_jim": Search.objects.filter(
            youth=youth, status=Search.Status.FOUND, jim_profile__isnull=False
        ).exists(),
    }


# --- The JIM peer network -----------------------------------------------------------------------


def jim_profile_of(user):
    """The JIM profile of this account, or None."""
    return JimProfile.objects.filter(user=user).first() if user.is_authenticated else None


def upcoming_meetings_for(jim_profile):
    """The organisation's coming peer meetings, with a head count and whether this JIM comes."""
    me = PeerMeeting.attendees.through.objects.filter(
        peermeeting_id=OuterRef("pk"), jimprofile_id=jim_profile.pk
    )
    return (
        PeerMeeting.objects.upcoming()
        .filter(organisation_id=jim_profile.organisation_id)
        .annotate(coming=Count("attendees"), i_come=Exists(me))
        .order_by("starts_at", "pk")
    )
