"""The triad section of the youth's file (see settings.YOUTH_FILE_SECTIONS)."""

from django.utils import timezone

from mentors.models import Search

from .models import CheckIn, ConsentDecision, FallbackRequest, Triad


def triad_section(request, youth):
    """Triads of this youth, open hand-overs, a refusal flag, open fallback requests and overdue check-ins."""
    triads = list(Triad.objects.filter(youth=youth).select_related("jim", "fallback").order_by("-created_at"))
    handovers = list(
        Search.objects.filter(youth=youth, status=Search.Status.FOUND, triads__isnull=True).select_related(
            "jim"
        )
    )
    latest = {}
    for decision in (
        ConsentDecision.objects.filter(triad__youth=youth)
        .select_related("parent")
        .order_by("recorded_at", "pk")
    ):
        latest[(decision.triad_id, decision.parent_id)] = decision
    refused = [d for d in latest.values() if d.decision == ConsentDecision.Decision.REFUSED]
    open_requests = sorted(
        FallbackRequest.objects.filter(triad__youth=youth, status=FallbackRequest.Status.OPEN).select_related(
            "triad__jim", "triad__fallback"
        ),
        key=lambda r: (not r.urgent, r.created_at),
    )
    overdue = list(
        CheckIn.objects.overdue(timezone.localdate())
        .filter(triad__youth=youth, triad__status__in=[Triad.Status.TRIAL, Triad.Status.ACTIVE])
        .select_related("triad__jim")
    )
    return {
        "template": "triads/section_triad.html",
        "context": {
            "triads": triads,
            "handovers": handovers,
            "refused": refused,
            "open_requests": open_requests,
            "overdue": overdue,
        },
    }
