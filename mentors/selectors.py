"""Reads for the wie-vraag, each in a fixed number of queries. Visibility is decided by jimcase.access."""

from django.db.models import Prefetch

from .models import Candidate, NetworkMember, Search
from .services import ACTIVE_STATUSES, choice_blockers, hard_stop


def network_of(youth):
    """The youth's network, in name order (one query)."""
    return list(NetworkMember.objects.filter(youth=youth))


def network_highlights(youth):
    """Member ids of the open search's active candidates and of every chosen JIM (two queries)."""
    candidate_ids = set(
        Candidate.objects.filter(
            search__youth=youth, search__status=Search.Status.OPEN, status__in=ACTIVE_STATUSES
        ).values_list("member_id", flat=True)
    )
    chosen_ids = set(
        Search.objects.filter(youth=youth, status=Search.Status.FOUND, chosen__isnull=False).values_list(
            "chosen__member_id", flat=True
        )
    )
    return candidate_ids, chosen_ids


def searches_of(youth):
    """Every search of the youth, the open one first, then the latest (one query)."""
    searches = list(
        Search.objects.filter(youth=youth).select_related("chosen__member", "jim", "started_by", "ended_by")
    )
    searches.sort(key=lambda s: s.status != Search.Status.OPEN)  # stable: keeps -started_on within
    for search in searches:
        search.youth = youth
    return searches


def other_jim_found(searches, current=None):
    """True when the youth already has a JIM from another search (allowed, but unusual)."""
    return any(
        s.status == Search.Status.FOUND and s.jim_id and (current is None or s.pk != current.pk)
        for s in searches
    )


def candidates_of(search, *, with_screening=True, today=None):
    """The search's candidates in the youth's order, with member, record check and screening (2–3 queries)."""
    queryset = search.candidates.select_related("member", "record_check")
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
                for result in ("met", "not_met", "unknown")
            }
            candidate.screened = len(checks)
            candidate.is_hard_stop = hard_stop(candidate, checks, today)
            candidate.blockers = choice_blockers(candidate, youth=search.youth, today=today)
    return candidates
