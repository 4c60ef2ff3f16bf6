"""Reads that depend on who asks, for triads."""

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from jimcase.models import Note
from jimcase.selectors import VIEW_YOUTH, youths_visible_to

from .models import (
    AGREEMENT_SECTIONS,
    Agreement,
    CheckIn,
    Closure,
    ConsentOverride,
    Evaluation,
    FallbackRequest,
    JimLogEntry,
    PeerMeeting,
    Signature,
    SigningLink,
    Triad,
)
from .services import VIEW_TRIAD


def triads_of_mentor(user):
    """The live triads a JIM may see: only those their account holds the object permission on."""
    if not user.is_authenticated or not user.is_active:
        return Triad.objects.none()
    return get_objects_for_user(
        user, VIEW_TRIAD, klass=Triad.objects.live(), with_superuser=False, accept_global_perms=False
    ).select_related("youth", "jim", "fallback")


def triads_for_professional(user, perm=VIEW_YOUTH):
    """Triads of the youths on which this professional holds `perm`."""
    return Triad.objects.filter(youth__in=youths_visible_to(user, perm).values("pk"))


def triad_page_for(triad):
    """Everything the professional's triad page shows, in a fixed number of queries."""
    from .services import consent_rule_met, missing_signers, start_blockers

    agreements = list(triad.agreements.prefetch_related(signatures_with_parent()).order_by("-version"))
    current = next((a for a in agreements if a.status != Agreement.Status.SUPERSEDED), None)
    all_parents = list(triad.youth.parents.all())
    parents = [p for p in all_parents if p.has_parental_authority]
    consents = list(triad.consents.select_related("parent", "recorded_by").order_by("recorded_at", "pk"))
    latest = {}
    for decision in consents:
        latest[decision.parent_id] = decision
    override = ConsentOverride.objects.filter(triad=triad).select_related("by").first()
    consent_ok = consent_rule_met(triad, parents=parents, latest=latest, overridden=override is not None)
    current_hash = current.text_hash() if current else ""
    signatures = list(current.signatures.all()) if current else []
    return {
        "agreement": current,
        "agreements": agreements,
        "sections": [(heading, getattr(current, name)) for name, heading in AGREEMENT_SECTIONS]
        if current
        else [],
        "signatures": signatures,
        "current_hash": current_hash,
        "unchanged": bool(signatures) and all(s.text_hash == current_hash for s in signatures),
        "missing": missing_signers(current, parents=all_parents) if current else [],
        "parent_consents": [(parent, latest.get(parent.pk)) for parent in parents],
        "consent_history": consents,
        "consent_ok": consent_ok,
        "override": override,
        "blockers": start_blockers(triad, agreement=current, consent_ok=consent_ok)
        if triad.status == Triad.Status.DRAFT
        else [],
        "history": list(triad.history.select_related("by")),
        "links": list(
            SigningLink.objects.filter(agreement__triad=triad).select_related("agreement", "parent")
        ),
        **followup_for(triad),
    }


def followup_for(triad, today=None):
    """The follow-up part of the triad page: plan, evaluations, fallback requests, shared log, closure."""
    today = today or timezone.localdate()
    check_ins = list(CheckIn.objects.filter(triad=triad).select_related("evaluation"))
    requests = list(FallbackRequest.objects.filter(triad=triad).select_related("created_by", "handled_by"))
    open_requests = [r for r in requests if r.status == FallbackRequest.Status.OPEN]
    running = triad.status in (Triad.Status.TRIAL, Triad.Status.ACTIVE)
    return {
        "running": running,
        "check_ins": check_ins,
        "overdue": [c for c in check_ins if running and c.done_on is None and c.due_on < today],
        "evaluations": list(Evaluation.objects.filter(triad=triad).select_related("note", "by", "check_in")),
        # Urgent first, then the oldest: the one waiting longest comes next.
        "open_requests": sorted(open_requests, key=lambda r: (not r.urgent, r.created_at)),
        "handled_requests": [r for r in requests if r.status == FallbackRequest.Status.HANDLED],
        # Only what the JIM chose to share; the rest of the log is the JIM's alone.
        "shared_log": list(JimLogEntry.objects.filter(triad=triad, shared_at__isnull=False)),
        "closure": Closure.objects.filter(triad=triad).select_related("by").first(),
        "today": today,
    }


def signatures_with_parent():
    """Prefetch an agreement's signatures with their parent in one query, however many there are."""
    return Prefetch("signatures", queryset=Signature.objects.select_related("parent"))


# --- What the JIM sees (only ever for the JIM who asks) ------------------------------------------


def shared_notes_for_jim(triad):
    """The youth's notes the youth agreed to share with their JIM: date and text, nothing else."""
    return Note.objects.filter(youth_id=triad.youth_id, shared_with_jim=True).only("pk", "written_on", "text")


def log_of(triad, user):
    """The JIM's private log for this triad: only what this user wrote."""
    return JimLogEntry.objects.filter(triad=triad, author=user)


def requests_of(triad, user):
    return FallbackRequest.objects.filter(triad=triad, created_by=user)


def upcoming_meetings_for(profile):
    """The organisation's coming peer meetings, with a head count and whether this JIM comes."""
    me = PeerMeeting.attendees.through.objects.filter(peermeeting_id=OuterRef("pk"), jimprofile_id=profile.pk)
    return (
        PeerMeeting.objects.filter(organisation_id=profile.organisation_id, starts_at__gte=timezone.now())
        .annotate(coming=Count("attendees"), i_come=Exists(me))
        .order_by("starts_at", "pk")
    )
