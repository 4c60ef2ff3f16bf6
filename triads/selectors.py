"""Reads that depend on who asks, for triads."""

import datetime

from django.db.models import Exists, Min, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jimcase.models import Note
from jimcase.selectors import (
    VIEW_YOUTH,
    consent_deciders,
    undelivered_mail,
    with_object_permission,
    youths_visible_to,
)
from outbox.models import topic_of

from .models import (
    AGREEMENT_SECTIONS,
    Agreement,
    CheckIn,
    CheckInMove,
    Closure,
    ConsentDecision,
    ConsentOverride,
    Evaluation,
    EvaluationView,
    FallbackRequest,
    JimLogEntry,
    NoteShare,
    Party,
    Signature,
    SigningLink,
    Triad,
)
from .rules import FAREWELL_DAYS, VIEW_TRIAD, consent_rule_met, missing_signers, start_blockers


def triads_of_mentor(user):
    """The live triads a JIM may see: only those their account holds the object permission on."""
    if not user.is_authenticated or not user.is_active:
        return Triad.objects.none()
    # Through the JIM's own permission rows (an indexed UNION, see with_object_permission), never a scan.
    return with_object_permission(user, VIEW_TRIAD, Triad.objects.live()).select_related(
        "youth", "jim_profile", "fallback"
    )


def jim_has_live_triad(jim_profile):
    """Whether this JIM has a triad that runs or is being prepared (a draft): only then an account link."""
    return Triad.objects.live().filter(jim_profile=jim_profile).exists()


def password_link_refusal(user):
    """Why no password link may go to this account now, or "" (jimcase.registry ACCOUNT_LINK_REFUSALS).

    An ex-JIM whose triads all ended has nothing left to log in for: no new link, whoever asks."""
    if not user.is_jim or Triad.objects.live().filter(jim_profile__user=user).exists():
        return ""
    return _("This JIM has no triad that runs or is being prepared any more: no new password link is sent.")


def triads_for_professional(user, perm=VIEW_YOUTH):
    """Triads of the youths on which this professional holds `perm`."""
    return Triad.objects.filter(youth__in=youths_visible_to(user, perm).values("pk"))


def triad_page_for(triad):
    """Everything the professional's triad page shows, in a fixed number of queries."""
    agreements = list(triad.agreements.prefetch_related(signatures_with_parent()).order_by("-version"))
    current = next((a for a in agreements if a.status != Agreement.Status.SUPERSEDED), None)
    all_parents = list(triad.youth.parents.all())
    parents = [p for p in all_parents if p.has_parental_authority]
    consents = list(triad.consents.select_related("parent", "recorded_by").order_by("recorded_at", "pk"))
    latest = current_consents(triad)
    override = ConsentOverride.objects.filter(triad=triad).select_related("by").first()
    deciders = consent_deciders(triad.youth, parents=all_parents)
    consent_ok = consent_rule_met(
        triad,
        parents=parents,
        latest=latest,
        overridden=override is not None,
        latest_nobody=deciders.latest_nobody,
    )
    current_hash = current.text_hash() if current else ""
    missing = missing_signers(current, parents=all_parents) if current else []
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
        "missing_labels": [signer_label(party, parent) for party, parent in missing],
        "parent_consents": [(parent, latest.get(parent.pk)) for parent in parents],
        "consent_history": consents,
        "consent_ok": consent_ok,
        "override": override,
        "deciders": deciders,
        "blockers": start_blockers(
            triad, agreement=current, consent_ok=consent_ok, deciders_missing=deciders.missing
        )
        if triad.is_draft
        else [],
        "history": list(triad.history.select_related("by")),
        "links": list(
            SigningLink.objects.filter(agreement__triad=triad).select_related("agreement", "parent")
        ),
        "undelivered_mail": undelivered_mail(topic_of(triad), topic_of(triad.jim_profile)),
        # After closure an ex-JIM gets no new account link, unless another triad of theirs lives.
        "jim_link_allowed": not triad.has_ended or jim_has_live_triad(triad.jim_profile),
        **followup_for(triad),
    }


def fallback_mail_not_sent(triad):
    """Whether a "Denk even mee" e-mail of this triad has not gone out (the JIM sees it; never an address)."""
    return any(mail.kind == "fallback_request" for mail in undelivered_mail(topic_of(triad)))


def followup_for(triad, today=None):
    """The follow-up part of the triad page: plan, evaluations, fallback requests, shared log, closure."""
    today = today or timezone.localdate()
    # Removed moments too: the plan shows who removed them, and when; and every move, with who and when.
    # Through the triad, so that each moment knows it without a query (`CheckIn.is_overdue_on`).
    check_ins = list(
        triad.check_ins.select_related("evaluation", "removed_by").prefetch_related(
            Prefetch("moves", queryset=CheckInMove.objects.select_related("by"))
        )
    )
    requests = list(FallbackRequest.objects.filter(triad=triad).select_related("created_by", "handled_by"))
    open_requests = [r for r in requests if r.status == FallbackRequest.Status.OPEN]
    running = triad.is_running
    evaluations = list(Evaluation.objects.filter(triad=triad).select_related("note", "by", "check_in"))
    views = views_by_moment(EvaluationView.objects.filter(check_in__triad=triad))
    for item in (*check_ins, *evaluations):
        moment_id = item.pk if isinstance(item, CheckIn) else item.check_in_id
        item.jim_view, item.youth_view = (
            views.get((moment_id, Party.JIM)),
            views.get((moment_id, Party.YOUTH)),
        )
    return {
        "running": running,
        "check_ins": check_ins,
        # The one evaluation the JIM is asked about now (as on the JIM's page): its plan line says whether
        # they answered; later ones say so only once they did.
        "next_evaluation": next(
            (c for c in check_ins if c.done_on is None and not c.is_removed and c.is_evaluation), None
        ),
        "overdue": [c for c in check_ins if c.is_overdue_on(today)],
        "evaluations": evaluations,
        # Urgent first, then the oldest: the one waiting longest comes next.
        "open_requests": sorted(open_requests, key=lambda r: (not r.urgent, r.created_at)),
        "handled_requests": [r for r in requests if r.status == FallbackRequest.Status.HANDLED],
        # Only what the JIM chose to share; the rest of the log is the JIM's alone.
        "shared_log": list(JimLogEntry.objects.filter(triad=triad, shared_at__isnull=False)),
        "note_shares": shares_of(triad),
        "closure": Closure.objects.filter(triad=triad).select_related("by").first(),
        "today": today,
    }


def views_by_moment(views):
    """The JIM's and the youth's views before planned evaluations as {(check_in_id, party): view}."""
    return {(view.check_in_id, view.party): view for view in views}


def views_of_moment(check_in):
    """(the JIM's view, the youth's view) before one planned evaluation, each None when not given (one query)."""
    views = views_by_moment(EvaluationView.objects.filter(check_in=check_in).select_related("by"))
    return views.get((check_in.pk, Party.JIM)), views.get((check_in.pk, Party.YOUTH))


def current_consents(triad):
    """The latest consent decision per parent of this triad, as {parent_id: ConsentDecision} (one query)."""
    return {
        d.parent_id: d
        for d in ConsentDecision.objects.filter(triad=triad).current().select_related("parent", "recorded_by")
    }


def signer_label(party, parent):
    """How a signer is named on the professional's screen: the parent's name, or the party."""
    return parent.name if parent else Party(party).label


def signer_key(party, parent):
    """A form value that names one signer: the party, or the parent's id for a parent."""
    return f"{party}:{parent.pk}" if parent else party


def in_person_signers(agreement):
    """Who can still sign this version on the professional's screen: (key, party, parent, label)."""
    return [
        (signer_key(party, parent), party, parent, signer_label(party, parent))
        for party, parent in missing_signers(agreement)
    ]


def link_recipients(triad, agreement):
    """Who can still get a signing link for this version: (key, party, parent, e-mail, label).

    The JIM and parents sign by link; the youth and the professional sign on the professional's screen.
    """
    recipients = []
    for party, parent in missing_signers(agreement):
        if party == Party.JIM:
            label = _("the JIM (%(name)s)") % {"name": triad.jim_profile.name}
            recipients.append((signer_key(party, None), party, None, triad.jim_profile.email, label))
        elif party == Party.PARENT:
            recipients.append((signer_key(party, parent), party, parent, parent.email, parent.name))
    return recipients


def overdue_since(youth_ids, today):
    """{youth_id: the earliest of their planned moments overdue today (`CheckIn.objects.overdue_on`)} for
    these youths (one query)."""
    rows = (
        CheckIn.objects.overdue_on(today)
        .filter(triad__youth_id__in=youth_ids)
        .values("triad__youth_id")
        .annotate(since=Min("due_on"))
        .order_by()
    )
    return {row["triad__youth_id"]: row["since"] for row in rows}


def signatures_with_parent():
    """Prefetch an agreement's signatures with their parent in one query, however many there are."""
    return Prefetch("signatures", queryset=Signature.objects.select_related("parent"))


# --- What the JIM sees (only ever for the JIM who asks) ------------------------------------------


def farewells_for_mentor(user, today=None):
    """The JIM's own triads that ended in the last FAREWELL_DAYS, for the farewell on their page: the youth's
    first name, the day, whether the contact goes on, whom to call. The JIM no longer holds the triad's
    permission, so this reads through the JIM's own profile, never any other triad."""
    if not user.is_authenticated or not user.is_active or not user.is_jim:
        return Triad.objects.none()
    since = (today or timezone.localdate()) - datetime.timedelta(days=FAREWELL_DAYS)
    return (
        Triad.objects.filter(jim_profile__user=user, status=Triad.Status.ENDED, closure__ended_on__gte=since)
        .select_related("youth", "fallback", "closure")
        .order_by("-closure__ended_on", "-pk")
    )


def shared_notes_for_jim(triad):
    """The notes shared with this triad's JIM: date and text, nothing else; none unless the triad runs.

    A share belongs to one triad, so the next JIM of the same youth never sees it, and a note with a
    confidentiality flag never reaches a JIM even if a share row says otherwise.
    """
    if not triad.is_running:
        return Note.objects.none()
    return (
        Note.objects.shareable_with_jim()
        .filter(jim_share__triad=triad)
        .only("pk", "written_on", "text")
        .order_by("-written_on", "-pk")
    )


def shares_of(triad):
    """The notes shared with this triad's JIM, for the professional (with who shared them, when)."""
    return list(NoteShare.objects.filter(triad=triad).select_related("note", "by"))


def shareable_notes(triad):
    """The youth's notes that could still be shared with this triad's JIM."""
    return Note.objects.shareable_with_jim().filter(youth_id=triad.youth_id, jim_share__isnull=True)


def reaches_peer_network_q(day, prefix=""):
    """A Q on a JIM profile (reached by `prefix`): the JIM reaches the organisation's JIM network on `day`,
    to join it or take part: while a triad of theirs runs (`Triad.objects.running_on`), or as an alumnus
    the organisation keeps on purpose."""
    runs = Triad.objects.running_on(day).filter(jim_profile=OuterRef(f"{prefix}pk"))
    return Q(**{f"{prefix}peer_network_alumni": True}) | Exists(runs)


def in_peer_network_q(day, prefix=""):
    """A Q on a JIM profile (reached by `prefix`): the JIM is in the JIM network on `day`: they reach it
    (`reaches_peer_network_q`) and said they take part (opted in; the choice has no history, so today's)."""
    return Q(**{f"{prefix}peer_network_opt_in": True}) & reaches_peer_network_q(day, prefix)


def reaches_peer_network(jim_profile, today=None):
    """`reaches_peer_network_q` for one profile today: may the JIM open the network's pages (to join)?"""
    if jim_profile.peer_network_alumni:
        return True
    return Triad.objects.running_on(today or timezone.localdate()).filter(jim_profile=jim_profile).exists()


def open_moments_for_jim(triad):
    """The triad's open moments in date order, each with `jim_answered` (the JIM gave their view), in one query."""
    answered = EvaluationView.objects.filter(check_in=OuterRef("pk"), party=Party.JIM)
    return list(triad.check_ins.open().order_by("due_on", "pk").annotate(jim_answered=Exists(answered)))


def jim_view_of(check_in):
    """The JIM's own view before this planned evaluation, or None: never the youth's or the professional's."""
    return EvaluationView.objects.filter(check_in=check_in, party=Party.JIM).select_related("by").first()


def log_of(triad, user):
    """The JIM's private log for this triad: only what this user wrote."""
    return JimLogEntry.objects.filter(triad=triad, author=user)


def requests_of(triad, user):
    return FallbackRequest.objects.filter(triad=triad, created_by=user).select_related("handled_by")


#: How long the JIM's page shows what was agreed on a handled "Denk even mee" (the ask page keeps them all).
ANSWER_SHOWN_DAYS = 14


def requests_on_jim_page(triad, user, now=None):
    """(how many of the JIM's questions wait, the ones answered lately) for the JIM's page, in one query."""
    since = (now or timezone.now()) - datetime.timedelta(days=ANSWER_SHOWN_DAYS)
    recent = list(
        requests_of(triad, user).filter(Q(status=FallbackRequest.Status.OPEN) | Q(handled_at__gte=since))
    )
    return sum(1 for r in recent if not r.is_handled), [r for r in recent if r.is_handled]
