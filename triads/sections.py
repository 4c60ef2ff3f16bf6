"""The triad section of the youth's file (see settings.YOUTH_FILE_SECTIONS)."""

from mentors.models import Search

from .models import ConsentDecision, Triad


def triad_section(request, youth):
    """Triads of this youth, open hand-overs from a found search, and a refusal flag."""
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
    return {
        "template": "triads/section_triad.html",
        "context": {"triads": triads, "handovers": handovers, "refused": refused},
    }
