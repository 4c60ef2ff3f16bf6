"""What the triads app adds to the core's pages (see jimcase.registry): the triad section of the youth's
file, the "check-in overdue" and "urgent question" flags, the urgent questions at the top of the caseload,
and its page labels in the access log."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jimcase.models import Youth
from jimcase.registry import CaseloadNotice, YouthFlag
from jimcase.stages import StageFact
from mentors.selectors import file_searches

from .models import CheckIn, ConsentDecision, FallbackRequest, Triad
from .selectors import overdue_since

#: How this app's pages read in the youth's access log (settings.ACCESS_LOG_PAGES).
ACCESS_LOG_PAGES = {
    "triads:create": gettext_lazy("triad: make"),
    "triads:detail": gettext_lazy("triad"),
    "triads:agreement_edit": gettext_lazy("agreement: edit"),
    "triads:agreement_print": gettext_lazy("agreement (print)"),
    "triads:sign_in_person": gettext_lazy("agreement: signing in person"),
    "triads:link_send": gettext_lazy("agreement: signing link"),
    "triads:consent_record": gettext_lazy("parental consent"),
    "triads:jim_invite": gettext_lazy("JIM: invitation"),
    "triads:jim_password_link": gettext_lazy("JIM: password link"),
    "triads:start": gettext_lazy("triad: start"),
    "triads:check_in_add": gettext_lazy("follow-up: plan"),
    "triads:check_in_move": gettext_lazy("follow-up: move a moment"),
    "triads:check_in_cancel": gettext_lazy("follow-up: cancel a moment"),
    "triads:evaluation_add": gettext_lazy("follow-up: evaluation"),
    "triads:youth_view": gettext_lazy("follow-up: the youth's view before an evaluation"),
    "triads:close": gettext_lazy("triad: close"),
    "triads:note_share": gettext_lazy("notes shared with the JIM"),
    "triads:note_unshare": gettext_lazy("notes shared with the JIM: stop"),
    "triads:fallback_handle": gettext_lazy("fallback request: handled"),
    "triads:jim_triad": gettext_lazy("the JIM's page"),
    "triads:jim_ask": gettext_lazy("the JIM: think along"),
    "triads:jim_evaluation": gettext_lazy("the JIM: questions before an evaluation"),
    "triads:jim_log": gettext_lazy("the JIM's log"),
    "triads:jim_log_share": gettext_lazy("the JIM's log: share"),
}


def youth_of_url(match):
    """The youth a triad page is about: `youth_pk`, or the triad's youth for `pk`; for the access log."""
    if match.namespace != "triads":
        return None
    if "youth_pk" in match.kwargs:
        return match.kwargs["youth_pk"]
    if "pk" in match.kwargs:
        return Triad.objects.filter(pk=match.kwargs["pk"]).values_list("youth_id", flat=True).first()
    return None


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


def _urgent_open_requests():
    return FallbackRequest.objects.filter(status=FallbackRequest.Status.OPEN, urgent=True)


def urgent_request_flags(youth_ids, today):
    """Flag the youths whose JIM asked urgently to think along and still waits (one query)."""
    rows = (
        _urgent_open_requests()
        .filter(triad__youth_id__in=youth_ids)
        .values("triad__youth_id")
        .annotate(n=Count("pk"), since=Min("created_at"))
        .order_by()
    )
    return {
        row["triad__youth_id"]: [
            YouthFlag(
                short=_("urgent: think along"),
                long=ngettext(
                    "The JIM asks urgently to think along (since %(time)s).",
                    "The JIM asks urgently to think along: %(count)d questions (since %(time)s).",
                    row["n"],
                )
                % {
                    "count": row["n"],
                    "time": formats.date_format(timezone.localtime(row["since"]), "SHORT_DATETIME_FORMAT"),
                },
                css="text-bg-danger fallback-urgent",
            )
        ]
        for row in rows
    }


def caseload_notices(youths, today):
    """How many urgent "Denk even mee" questions wait on the whole caseload, with the way to each (one query)."""
    waiting = list(
        _urgent_open_requests()
        .filter(triad__youth__in=youths.values("pk"))
        .order_by("created_at", "pk")
        .values_list("triad_id", "triad__youth__first_name", "triad__youth__case_number")
    )
    if not waiting:
        return []
    links = {}
    for triad_id, first_name, case_number in waiting:
        links.setdefault(
            triad_id,
            (f"{first_name} ({case_number})", reverse("triads:detail", args=[triad_id]) + "#h-requests"),
        )
    text = ngettext(
        "One urgent question of a JIM waits for you to think along:",
        "%(count)d urgent questions of JIMs wait for you to think along:",
        len(waiting),
    ) % {"count": len(waiting)}
    return [CaseloadNotice(text=text, links=tuple(links.values()), css="alert-danger fallback-urgent-count")]


def triad_section(request, youth):
    """Triads of this youth, open hand-overs, a refusal flag, open fallback requests and overdue check-ins."""
    triads = list(
        Triad.objects.filter(youth=youth).select_related("jim_profile", "fallback").order_by("-created_at")
    )
    # A JIM found whose triad is not made yet (the searches are read once for the whole file).
    with_triad = {triad.search_id for triad in triads}
    handovers = [s for s in file_searches(youth) if s.is_found and s.pk not in with_triad]
    if not triads:
        # Consents, requests and check-ins all belong to a triad: most youths have none, and their file
        # need not ask three more times (issue 12).
        return _triad_section(triads, handovers, refused=[], open_requests=[], overdue=[])
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
    overdue = list(CheckIn.objects.overdue().filter(triad__youth=youth).select_related("triad__jim_profile"))
    return _triad_section(triads, handovers, refused=refused, open_requests=open_requests, overdue=overdue)


def _triad_section(triads, handovers, *, refused, open_requests, overdue):
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


def consent_state_lines(youth):
    """What each live triad of the youth records about parental consent, one line per triad (2 queries):
    each parent's latest decision, or the coordinator's override (settings.CONSENT_STATE_LINES)."""
    triads = list(
        Triad.objects.live()
        .filter(youth=youth)
        .select_related("jim_profile", "consent_override")
        .order_by("pk")
    )
    decisions = {}
    current = ConsentDecision.objects.filter(triad__in=triads).current().select_related("parent")
    for d in current.order_by("parent_id"):
        if d.parent.has_parental_authority:
            decisions.setdefault(d.triad_id, []).append(f"{d.parent.name}: {d.get_decision_display()}")
    lines = []
    for triad in triads:
        said = decisions.get(triad.pk) or [_("no decision recorded yet")]
        if getattr(triad, "consent_override", None) is not None:
            said.append(_("override by a coordinator"))
        lines.append(
            _("Triad with %(jim)s (%(status)s): %(decisions)s")
            % {
                "jim": triad.jim_profile.name,
                "status": triad.get_status_display(),
                "decisions": "; ".join(said),
            }
        )
    return lines


def stage_facts(youth):
    """What the triads say about the youth's stage (settings.YOUTH_STAGE_FACTS), in one query."""
    facts = (
        triad_stage_fact(status, trial_started_on, ended_on)
        for status, trial_started_on, ended_on in Triad.objects.filter(
            youth=youth, status__in=(*Triad.RUNNING, Triad.Status.ENDED)
        ).values_list("status", "trial_started_on", "ended_on")
    )
    return [fact for fact in facts if fact is not None]


def triad_stage_fact(status, trial_started_on, ended_on):
    """The stage fact of one triad in that state, or None (a draft, or an ended triad without its end day);
    also for the scale data, which replays a triad's life."""
    if status in Triad.RUNNING:
        return StageFact(Youth.Stage.IN_TRIAD, trial_started_on, ongoing=True)
    if status == Triad.Status.ENDED and ended_on:
        return StageFact(Youth.Stage.TRIAD_ENDED, ended_on)
    return None
