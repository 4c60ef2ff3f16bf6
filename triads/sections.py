"""What the triads app adds to the core's pages (see jimcase.registry): the triad section of the youth's
file, the "check-in overdue" flag, and its page labels in the access log."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jimcase.registry import YouthFlag
from mentors.models import Search

from .models import CheckIn, ConsentDecision, FallbackRequest, Triad
from .selectors import overdue_since

#: How this app's pages read in the youth's access log (settings.ACCESS_LOG_PAGES).
ACCESS_LOG_PAGES = {
    "triad": gettext_lazy("triad"),
    "agreement-print": gettext_lazy("agreement (print)"),
}


def youth_flags(youth_ids, today):
    """Flag the youths with a planned moment of a running triad that is overdue (one query)."""
    return {
        youth_id: [
            YouthFlag(
                short=_("check-in overdue"),
                long=_("check-in overdue since %(day)s")
                % {"day": formats.date_format(since, "SHORT_DATE_FORMAT")},
                css="text-bg-danger check-in-overdue",
            )
        ]
        for youth_id, since in overdue_since(youth_ids, today).items()
    }


def triad_section(request, youth):
    """Triads of this youth, open hand-overs, a refusal flag, open fallback requests and overdue check-ins."""
    triads = list(
        Triad.objects.filter(youth=youth).select_related("jim_profile", "fallback").order_by("-created_at")
    )
    handovers = list(
        Search.objects.filter(youth=youth, status=Search.Status.FOUND, triads__isnull=True).select_related(
            "jim_profile"
        )
    )
    refused = list(
        ConsentDecision.objects.filter(triad__youth=youth, decision=ConsentDecision.Decision.REFUSED)
        .current()
        .select_related("parent")
    )
    open_requests = sorted(
        FallbackRequest.objects.filter(triad__youth=youth, status=FallbackRequest.Status.OPEN).select_related(
            "triad__jim_profile", "triad__fallback"
        ),
        key=lambda r: (not r.urgent, r.created_at),
    )
    overdue = list(
        CheckIn.objects.overdue(timezone.localdate())
        .filter(triad__youth=youth, triad__status__in=Triad.RUNNING)
        .select_related("triad__jim_profile")
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
