"""Writes for triads: creation, status moves, agreement versions, signatures, signing links, consent.

Every status move of a triad goes through `triad_transition`, along `TRIAD_TRANSITIONS`, and leaves a
`TriadStatusChange` row. Whether parental consent allows a start is decided by `consent_rule_met` alone.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from jimcase.models import CaseAssignment, Role, User, Youth
from jimcase.services import clean_save, note_add, user_role_set, youth_stage_set
from mentors.models import Search

from .models import (
    Agreement,
    CheckIn,
    Closure,
    ConsentDecision,
    ConsentOverride,
    EndReason,
    Evaluation,
    FallbackRequest,
    JimLogEntry,
    Party,
    Signature,
    SigningLink,
    Triad,
    TriadStatusChange,
)

T = Triad.Status
TRIAD_TRANSITIONS = {
    T.DRAFT: (T.TRIAL, T.ENDED),
    T.TRIAL: (T.ACTIVE, T.ENDED),
    T.ACTIVE: (T.ENDED,),
    T.ENDED: (),
}

C = ConsentDecision.Decision
CONSENT_TRANSITIONS = {
    C.PENDING: (C.GIVEN, C.REFUSED),
    C.GIVEN: (C.WITHDRAWN,),
    C.REFUSED: (C.GIVEN,),
    C.WITHDRAWN: (C.GIVEN,),
}

SIGNING_LINK_SALT = "triads.signing-link"
SIGNING_LINK_DAYS = 7
VIEW_TRIAD = "triads.view_triad"


def _today():
    return timezone.localdate()


def default_sections(*, fallback_name, fallback_phone, trial_days):
    """Sensible starting text for each section, to edit together with the youth and the JIM."""
    return {
        "meeting": _(
            "We see each other about once every two weeks, at a time and place the youth chooses. "
            "In between we keep in touch by phone or message when the youth wants to."
        ),
        "jim_role": _(
            "The JIM listens, thinks along and stands by the youth, from the heart and as a volunteer. "
            "The JIM does not replace the professional or the parents, gives no treatment and does not decide for the youth."
        ),
        "confidentiality": _(
            "What the youth tells the JIM stays between them, unless the youth agrees to share it. "
            "The youth decides what the JIM shares with the professional or the parents. "
            "Only when someone's safety is at serious risk does the JIM inform the professional, and tells the youth so."
        ),
        "fallback": _(
            "The JIM can always fall back on %(name)s (%(phone)s): when the JIM is worried, "
            "when something is too heavy, or simply to think along. In an emergency the JIM calls 112."
        )
        % {"name": fallback_name, "phone": fallback_phone or _("phone number to be added")},
        "evaluation": _(
            "We start with a trial period of %(days)s days and evaluate together at its end. "
            "After that we evaluate every three months, or sooner when one of us asks."
        )
        % {"days": trial_days},
        "at_eighteen": _(
            "When the youth turns 18 the relationship may simply continue, if the youth and the JIM want to."
        ),
        "ending": _(
            "The youth, the JIM or the professional can end the triad at any time, preferably after a talk together. "
            "We then agree what happens next for the youth."
        ),
    }


# --- Triads -------------------------------------------------------------------------------------


def _check_fallback(youth, fallback):
    if (
        not fallback.is_hulpverlener
        or fallback.organisation_id != youth.organisation_id
        or not fallback.is_active
    ):
        raise ValidationError({"fallback": _("Choose a professional of the youth's organisation.")})


@transaction.atomic
def triad_create(*, search, by, fallback=None):
    """Make the triad for the JIM chosen in `search`, with a first draft agreement and pending consents."""
    search = Search.objects.select_for_update(of=("self",)).select_related("youth", "jim").get(pk=search.pk)
    if search.status != Search.Status.FOUND or search.jim is None:
        raise ValidationError(_("A triad starts from a search in which the youth chose a JIM."))
    if search.triads.exists():
        raise ValidationError(_("There is already a triad for this choice."))
    youth = search.youth
    lead_assignment = (
        youth.assignments.filter(ends_on__isnull=True, role=CaseAssignment.Role.LEAD)
        .select_related("professional")
        .first()
    )
    lead = lead_assignment.professional if lead_assignment else by
    fallback = fallback or lead
    _check_fallback(youth, fallback)
    triad = clean_save(Triad(youth=youth, jim=search.jim, search=search, lead=lead, fallback=fallback))
    TriadStatusChange.objects.create(
        triad=triad, from_status="", to_status=T.DRAFT, by=by, why=_("JIM chosen")
    )
    trial_days = youth.organisation.default_trial_days
    _agreement_create(
        triad=triad,
        version=1,
        by=by,
        trial_days=trial_days,
        **default_sections(fallback_name=str(fallback), fallback_phone=fallback.phone, trial_days=trial_days),
    )
    for parent in youth.parents.filter(has_parental_authority=True):
        ConsentDecision.objects.create(
            triad=triad,
            parent=parent,
            decision=C.PENDING,
            decided_on=_today(),
            method=ConsentDecision.Method.ORALLY,
            recorded_by=by,
        )
    if triad.jim.user_id:
        assign_perm(VIEW_TRIAD, triad.jim.user, triad)
    return triad


@transaction.atomic
def triad_fallback_set(*, triad, fallback, by):
    """Change the fallback professional. A signed agreement names them, so this needs a new version."""
    _check_fallback(triad.youth, fallback)
    triad.fallback = fallback
    triad.save(update_fields=["fallback"])
    current = triad.current_agreement
    if current and not current.is_frozen:
        current.fallback_name, current.fallback_phone = str(fallback), fallback.phone
        clean_save(current)
    return triad


def _transition(triad, to, by, why):
    if to not in TRIAD_TRANSITIONS[triad.status]:
        raise ValidationError(
            _("A triad cannot go from “%(from)s” to “%(to)s”.")
            % {"from": triad.get_status_display(), "to": T(to).label}
        )
    TriadStatusChange.objects.create(triad=triad, from_status=triad.status, to_status=to, by=by, why=why)
    triad.status = to


_UNSET = object()


def start_blockers(triad, today=None, *, agreement=_UNSET, consent_ok=None):
    """What still stands between this triad and its trial; empty when it can start.

    A page that already read the current agreement and the consent rule passes them in.
    """
    blockers = []
    if agreement is _UNSET:
        agreement = triad.current_agreement
    if agreement is None or agreement.status != Agreement.Status.SIGNED:
        blockers.append(_("The current agreement is not yet signed by everyone."))
    if consent_ok is None:
        consent_ok = consent_rule_met(triad, today=today)
    if not consent_ok:
        blockers.append(
            _("Not every parent with parental authority has given consent (and there is no override).")
        )
    return blockers


@transaction.atomic
def triad_transition(*, triad, to, by, why=""):
    """Move a triad along its allowed transitions (the one place its status changes)."""
    triad = Triad.objects.select_for_update(of=("self",)).get(pk=triad.pk)
    today = _today()
    if to == T.TRIAL:
        blockers = start_blockers(triad, today)
        if blockers:
            raise ValidationError(blockers)
    _transition(triad, to, by, why)
    if to == T.TRIAL:
        triad.trial_started_on = today
        triad.trial_ends_on = today + datetime.timedelta(days=triad.current_agreement.trial_days)
        youth_stage_set(youth=triad.youth, stage=Youth.Stage.IN_TRIAD, by=by, on=today)
        triad.save()
        _schedule_trial(triad)
    elif to == T.ACTIVE:
        triad.activated_on = today
    elif to == T.ENDED:
        triad.ended_on = today
        if triad.jim.user_id:
            remove_perm(VIEW_TRIAD, triad.jim.user, triad)
        youth_stage_set(youth=triad.youth, stage=Youth.Stage.TRIAD_ENDED, by=by, on=today)
    triad.save()
    return triad


def _maybe_start_trial(triad, by):
    """Start the trial as soon as the agreement is signed and consent allows it."""
    triad.refresh_from_db()
    if triad.status == T.DRAFT and not start_blockers(triad):
        triad_transition(triad=triad, to=T.TRIAL, by=by, why=_("Agreement signed and consent in order."))


# --- Agreements ---------------------------------------------------------------------------------


def _agreement_create(*, triad, version, by, **fields):
    return clean_save(
        Agreement(
            triad=triad,
            version=version,
            created_by=by,
            youth_name=f"{triad.youth.first_name} {triad.youth.last_name}",
            jim_name=triad.jim.name,
            fallback_name=str(triad.fallback),
            fallback_phone=triad.fallback.phone,
            **fields,
        )
    )


@transaction.atomic
def agreement_update(*, agreement, by, **fields):
    """Edit a draft agreement. Once anyone signed, the text is frozen: make a new version instead."""
    agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    if agreement.is_frozen:
        raise ValidationError(_("This version has been signed and can no longer change. Make a new version."))
    for name, value in fields.items():
        setattr(agreement, name, value)
    return clean_save(agreement)


@transaction.atomic
def agreement_new_version(*, triad, by, **changes):
    """Supersede the current version with a copy (plus changes) that must be signed again."""
    triad = Triad.objects.select_for_update(of=("self",)).get(pk=triad.pk)
    if triad.status == T.ENDED:
        raise ValidationError(_("This triad has ended."))
    current = triad.current_agreement
    if not current.is_frozen:
        raise ValidationError(_("The current version is still a draft: you can edit it directly."))
    current.status = Agreement.Status.SUPERSEDED
    current.superseded_at = timezone.now()
    current.save(update_fields=["status", "superseded_at"])
    fields = {name: getattr(current, name) for name in AGREEMENT_FIELDS}
    fields.update(changes)
    return _agreement_create(triad=triad, version=current.version + 1, by=by, **fields)


AGREEMENT_FIELDS = [
    "meeting",
    "jim_role",
    "confidentiality",
    "fallback",
    "evaluation",
    "at_eighteen",
    "ending",
    "trial_days",
    "include_parents",
]


def required_signers(agreement, parents=None):
    """(party, parent) pairs that must sign this version; `parents`: the youth's parents, if read."""
    signers = [(Party.YOUTH, None), (Party.JIM, None), (Party.PROFESSIONAL, None)]
    if agreement.include_parents:
        if parents is None:
            parents = agreement.triad.youth.parents.filter(has_parental_authority=True)
        parents = sorted((p for p in parents if p.has_parental_authority), key=lambda p: p.pk)
        signers += [(Party.PARENT, parent) for parent in parents]
    return signers


def missing_signers(agreement, parents=None):
    signed = {(s.party, s.parent_id) for s in agreement.signatures.all()}
    return [
        (party, parent)
        for party, parent in required_signers(agreement, parents)
        if (party, getattr(parent, "pk", None)) not in signed
    ]


@transaction.atomic
def agreement_sign(*, agreement, party, method, typed_name, user=None, parent=None):
    """Sign one version as one party, binding the signature to the SHA-256 hash of the exact text."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("triad__youth", "triad__jim")
        .get(pk=agreement.pk)
    )
    if agreement.status == Agreement.Status.SUPERSEDED:
        raise ValidationError(_("This version has been replaced by a newer one; it can no longer be signed."))
    if agreement.triad.status == T.ENDED:
        raise ValidationError(_("This triad has ended."))
    typed_name = " ".join((typed_name or "").split())
    if len(typed_name) < 2:
        raise ValidationError({"typed_name": _("Type your full name.")})
    if party == Party.PARENT:
        if parent is None or not agreement.include_parents:
            raise ValidationError({"party": _("Parents do not sign this version.")})
        if parent.youth_id != agreement.triad.youth_id or not parent.has_parental_authority:
            raise ValidationError(
                {"party": _("Only a parent with parental authority of this youth can sign.")}
            )
    else:
        parent = None
    if method == Signature.Method.LOGGED_IN:
        _check_logged_in_signer(agreement.triad, party, user)
    pending = missing_signers(agreement)
    if (party, getattr(parent, "pk", None)) not in [(p, getattr(pa, "pk", None)) for p, pa in pending]:
        raise ValidationError({"party": _("This party has already signed this version.")})
    signature = clean_save(
        Signature(
            agreement=agreement,
            party=party,
            parent=parent,
            method=method,
            typed_name=typed_name,
            text_hash=agreement.text_hash(),
            user=user,
        )
    )
    agreement.status = Agreement.Status.SIGNED if len(pending) == 1 else Agreement.Status.SIGNING
    agreement.save(update_fields=["status"])
    _maybe_start_trial(agreement.triad, user)
    return signature


def _check_logged_in_signer(triad, party, user):
    if party == Party.JIM and (user is None or triad.jim.user_id != user.pk):
        raise ValidationError(_("Only the JIM can sign as the JIM."))
    if party == Party.PROFESSIONAL and (user is None or not user.is_hulpverlener):
        raise ValidationError(_("Only a professional can sign as the professional."))
    if party not in (Party.JIM, Party.PROFESSIONAL):
        raise ValidationError(_("The youth and the parents sign in person or with a signing link."))


# --- Signing links ------------------------------------------------------------------------------


class LinkError(Exception):
    """A signing link that cannot be used; `message` is for the person who opened it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@transaction.atomic
def signing_link_send(*, agreement, party, email, by, parent=None, days=SIGNING_LINK_DAYS):
    """Create a personal, expiring, single-use signing link and e-mail it. Return the link's URL."""
    # Read the status as stored: the caller's copy may predate a new version.
    agreement = Agreement.objects.select_for_update(of=("self",)).select_related("triad").get(pk=agreement.pk)
    if agreement.status == Agreement.Status.SUPERSEDED:
        raise ValidationError(_("This version has been replaced by a newer one."))
    if party not in (Party.JIM, Party.PARENT, Party.YOUTH):
        raise ValidationError({"party": _("Choose who receives the link.")})
    if party == Party.PARENT and (parent is None or parent.youth_id != agreement.triad.youth_id):
        raise ValidationError({"parent": _("Choose the parent who receives the link.")})
    if party != Party.PARENT:
        parent = None
    link = clean_save(
        SigningLink(
            agreement=agreement,
            party=party,
            parent=parent,
            email=email,
            nonce=secrets.token_urlsafe(24),
            created_by=by,
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
    )
    token = signing.dumps({"l": link.pk, "n": link.nonce}, salt=SIGNING_LINK_SALT)
    url = settings.SITE_URL + reverse("triads:sign_link", args=[token])
    send_mail(
        subject=_("JIM: please read and sign the agreement"),
        message=_(
            "Hello,\n\nYou are asked to read and sign the JIM agreement (version %(version)s). "
            "This personal link works once and until %(until)s:\n\n%(url)s\n\n"
            "Questions? Contact %(professional)s.\n"
        )
        % {
            "version": agreement.version,
            "until": timezone.localtime(link.expires_at).strftime("%d-%m-%Y %H:%M"),
            "url": url,
            "professional": by,
        },
        from_email=None,
        recipient_list=[email],
    )
    return link, url


def signing_link_resolve(token, *, lock=False):
    """Return the usable link named by `token`, or raise LinkError with a message for the visitor."""
    try:
        data = signing.loads(token, salt=SIGNING_LINK_SALT)
        link_qs = SigningLink.objects.select_related("agreement__triad__youth", "parent")
        if lock:
            link_qs = link_qs.select_for_update(of=("self",))
        link = link_qs.get(pk=data["l"], nonce=data["n"])
    except (signing.BadSignature, SigningLink.DoesNotExist, KeyError, TypeError, ValueError):
        raise LinkError(
            _("This link is not valid. Check that you copied the whole link, or ask for a new one.")
        )
    if link.used_at:
        raise LinkError(_("This link has already been used. Each signing link works only once."))
    if link.expires_at <= timezone.now():
        raise LinkError(_("This link has expired. Ask the professional for a new one."))
    if link.agreement.status == Agreement.Status.SUPERSEDED:
        raise LinkError(
            _(
                "This agreement has been changed since the link was sent. Ask the professional for a link to the new version."
            )
        )
    return link


@transaction.atomic
def signing_link_sign(*, token, typed_name):
    """Sign through a personal link; the link is used up in the same transaction."""
    link = signing_link_resolve(token, lock=True)
    signature = agreement_sign(
        agreement=link.agreement,
        party=link.party,
        parent=link.parent,
        method=Signature.Method.LINK,
        typed_name=typed_name,
    )
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    if link.party == Party.PARENT and link.parent:
        # A parent who signs the agreement gives consent through the link.
        current = current_consents(link.agreement.triad).get(link.parent_id)
        if current is None or C.GIVEN in CONSENT_TRANSITIONS.get(current.decision, ()):
            consent_record(
                triad=link.agreement.triad,
                parent=link.parent,
                decision=C.GIVEN,
                decided_on=_today(),
                method=ConsentDecision.Method.LINK,
                note=_("Given by signing the agreement."),
                # The parent has no account: the professional who sent the link is on record.
                by=link.created_by,
            )
    return signature


# --- Parental consent ---------------------------------------------------------------------------


def current_consents(triad):
    """The latest decision per parent, as {parent_id: ConsentDecision}."""
    latest = {}
    for decision in triad.consents.order_by("recorded_at", "pk"):
        latest[decision.parent_id] = decision
    return latest


def consent_rule_met(triad, today=None, *, parents=None, latest=None, overridden=None):
    """The one place that decides whether parental consent allows this triad to start.

    A youth of 18 or older needs no parental consent. A minor needs the consent of every parent with
    parental authority, unless a coordinator recorded an override with a written justification.
    A page that already read the parents, the latest decisions or the override passes them in.
    """
    youth = triad.youth
    age = youth.age_on(today or _today())
    if age is not None and age >= 18:
        return True
    if overridden is None:
        overridden = ConsentOverride.objects.filter(triad=triad).exists()
    if overridden:
        return True
    if latest is None:
        latest = current_consents(triad)
    if parents is None:
        parents = youth.parents.filter(has_parental_authority=True)
    return all(
        latest.get(p.pk) is not None and latest[p.pk].decision == C.GIVEN
        for p in parents
        if p.has_parental_authority
    )


@transaction.atomic
def consent_record(*, triad, parent, decision, decided_on, method, by, note=""):
    """Append a consent decision for one parent with parental authority."""
    triad = Triad.objects.select_for_update(of=("self",)).select_related("youth", "lead").get(pk=triad.pk)
    if parent.youth_id != triad.youth_id or not parent.has_parental_authority:
        raise ValidationError(
            {"parent": _("Only a parent with parental authority of this youth decides on consent.")}
        )
    if decided_on > _today():
        raise ValidationError({"decided_on": _("This date cannot be in the future.")})
    current = current_consents(triad).get(parent.pk)
    current_decision = current.decision if current else C.PENDING
    if decision not in CONSENT_TRANSITIONS[current_decision]:
        raise ValidationError(
            {
                "decision": _("Consent cannot go from “%(from)s” to “%(to)s”.")
                % {"from": C(current_decision).label, "to": C(decision).label}
            }
        )
    record = clean_save(
        ConsentDecision(
            triad=triad,
            parent=parent,
            decision=decision,
            decided_on=decided_on,
            method=method,
            note=note,
            recorded_by=by,
        )
    )
    if decision == C.WITHDRAWN and triad.status in (T.TRIAL, T.ACTIVE):
        # A withdrawal does not end the triad silently: flag it and tell the lead.
        triad.consent_withdrawn_flag = True
        triad.save(update_fields=["consent_withdrawn_flag"])
        send_mail(
            subject=_("JIM: consent withdrawn for %(name)s (%(case)s)")
            % {"name": triad.youth.first_name, "case": triad.youth.case_number},
            message=_(
                "A parent has withdrawn consent for the triad of %(name)s (%(case)s). The triad goes on until you decide. "
                "See: %(url)s"
            )
            % {
                "name": triad.youth.first_name,
                "case": triad.youth.case_number,
                "url": settings.SITE_URL + reverse("triads:detail", args=[triad.pk]),
            },
            from_email=None,
            recipient_list=[triad.lead.email] if triad.lead.email else [],
        )
    if decision == C.GIVEN:
        _maybe_start_trial(triad, by)
    return record


def consent_override_validate(*, triad, by, justification):
    """Raise ValidationError unless `by` may let `triad` start without every consent, with this text."""
    if not by.is_coordinator or by.organisation_id != triad.youth.organisation_id:
        raise ValidationError(_("Only a coordinator of the youth's organisation can record an override."))
    if len((justification or "").strip()) < 20:
        raise ValidationError({"justification": _("Write a justification of at least a few sentences.")})


@transaction.atomic
def consent_override_record(*, triad, by, justification):
    """A coordinator lets a minor's triad start without every consent, with a written justification."""
    consent_override_validate(triad=triad, by=by, justification=justification)
    override = clean_save(ConsentOverride(triad=triad, by=by, justification=justification.strip()))
    _maybe_start_trial(triad, by)
    return override


# --- Accounts for JIMs --------------------------------------------------------------------------


def _free_username(base):
    base = slugify(base).replace("-", ".")[:140] or "jim"
    candidate, n = f"jim.{base}", 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"jim.{base}{n}"
    return candidate


@transaction.atomic
def jim_invite(*, jim, email, by):
    """Create the JIM's account (role jim), link it to the profile, grant their triads, e-mail a set-password link."""
    if jim.user_id:
        raise ValidationError(_("This JIM already has an account."))
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    user = User(
        username=_free_username(jim.name),
        email=email,
        display_name=jim.name,
        phone=jim.phone,
        organisation=jim.organisation,
    )
    user.set_unusable_password()
    clean_save(user)
    user_role_set(user=user, role=Role.JIM)
    jim.user = user
    jim.email = email
    jim.save(update_fields=["user", "email"])
    for triad in jim.triads.live():
        assign_perm(VIEW_TRIAD, user, triad)
    _password_link_send(jim=jim, user=user, by=by, welcome=True)
    return user


def _password_link_send(*, jim, user, by, welcome):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = settings.SITE_URL + reverse(
        "password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}
    )
    if welcome:
        subject = _("Welcome as a JIM: choose your password")
        intro = _(
            "Welcome! %(professional)s invites you to JIM, where you find your agreement and can reach the professional quickly."
        )
    else:
        subject = _("JIM: choose a new password")
        intro = _("%(professional)s sends you a new link to choose your JIM password.")
    send_mail(
        subject=subject,
        message=_(
            "Hello %(name)s,\n\n%(intro)s\n\nYour username: %(username)s\nChoose your password with this link:\n\n%(url)s\n"
        )
        % {
            "name": jim.name,
            "intro": intro % {"professional": by},
            "username": user.username,
            "url": url,
        },
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def jim_password_link_send(*, jim, by):
    """E-mail a JIM who has an account a fresh link to choose a password (lost it, never chose one)."""
    if jim.user_id is None:
        raise ValidationError(_("This JIM has no account yet: invite them first."))
    if not jim.user.email:
        raise ValidationError(_("This JIM's account has no e-mail address."))
    _password_link_send(jim=jim, user=jim.user, by=by, welcome=False)


# --- Follow-up: the check-in schedule -----------------------------------------------------------

#: Days after the start of the trial for the first check-ins ("two in the first month"), then every month.
FIRST_CHECK_INS = (14, 28)
CHECK_IN_INTERVAL = 30
MIN_DAYS_BEFORE_EVALUATION = 14
ACTIVE_SCHEDULE_MONTHS = 12


def schedule_for(*, start, trial_ends_on):
    """The default plan as (kind, date) pairs: two check-ins in the first month, then monthly, and the trial evaluation."""
    plan = [(CheckIn.Kind.CHECK_IN, start + datetime.timedelta(days=d)) for d in FIRST_CHECK_INS]
    day = start + datetime.timedelta(days=FIRST_CHECK_INS[-1] + CHECK_IN_INTERVAL)
    # A monthly check-in only when it is not crowded out by the evaluation at the trial's end.
    while day <= trial_ends_on - datetime.timedelta(days=MIN_DAYS_BEFORE_EVALUATION):
        plan.append((CheckIn.Kind.CHECK_IN, day))
        day += datetime.timedelta(days=CHECK_IN_INTERVAL)
    plan = [(kind, d) for kind, d in plan if d < trial_ends_on]
    plan.append((CheckIn.Kind.TRIAL_EVALUATION, trial_ends_on))
    return plan


def _refresh_next_check_in(triad):
    """Keep the youth's `next_check_in_on` (shown on the caseload) in step with the live triads' plans."""
    youth = triad.youth
    first = (
        CheckIn.objects.open()
        .filter(triad__youth=youth)
        .exclude(triad__status=T.ENDED)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if youth.next_check_in_on != first:
        youth.next_check_in_on = first
        youth.save(update_fields=["next_check_in_on"])


def _schedule_trial(triad):
    for kind, day in schedule_for(start=triad.trial_started_on, trial_ends_on=triad.trial_ends_on):
        CheckIn.objects.create(triad=triad, kind=kind, due_on=day)
    _refresh_next_check_in(triad)


def _schedule_active(triad, start):
    for month in range(1, ACTIVE_SCHEDULE_MONTHS + 1):
        kind = CheckIn.Kind.EVALUATION if month % 3 == 0 else CheckIn.Kind.CHECK_IN
        CheckIn.objects.create(
            triad=triad, kind=kind, due_on=start + datetime.timedelta(days=CHECK_IN_INTERVAL * month)
        )
    _refresh_next_check_in(triad)


@transaction.atomic
def check_in_plan(*, triad, due_on, by, kind=CheckIn.Kind.CHECK_IN):
    """Add a moment to the triad's plan."""
    if triad.status not in (T.TRIAL, T.ACTIVE):
        raise ValidationError(_("Only a running triad has a plan."))
    check_in = clean_save(CheckIn(triad=triad, kind=kind, due_on=due_on))
    _refresh_next_check_in(triad)
    return check_in


def _running(triad):
    if triad.status not in (T.TRIAL, T.ACTIVE):
        raise ValidationError(_("Only a running triad has a plan."))


@transaction.atomic
def check_in_move(*, check_in, due_on, by):
    """Move a planned moment to another date."""
    _running(check_in.triad)
    if check_in.done_on:
        raise ValidationError(_("This moment has already taken place."))
    check_in.due_on = due_on
    clean_save(check_in)
    _refresh_next_check_in(check_in.triad)
    return check_in


@transaction.atomic
def check_in_cancel(*, check_in, by):
    """Drop a planned moment that has not taken place."""
    _running(check_in.triad)
    if check_in.done_on or check_in.kind == CheckIn.Kind.TRIAL_EVALUATION:
        raise ValidationError(_("This moment cannot be removed."))
    triad = check_in.triad
    check_in.delete()
    _refresh_next_check_in(triad)


@transaction.atomic
def check_in_done(*, check_in, on, by):
    """Mark a planned moment as done (an evaluation does this itself)."""
    if on > _today():
        raise ValidationError({"held_on": _("This date cannot be in the future.")})
    check_in.done_on = on
    check_in.save(update_fields=["done_on"])
    _refresh_next_check_in(check_in.triad)
    return check_in


# --- Follow-up: evaluations and the trial decision ----------------------------------------------


@transaction.atomic
def evaluation_record(
    *, triad, by, held_on, score, text="", decision="", check_in=None, participants=None, note_flags=None
):
    """Record how the triad goes; at the end of the trial, act on the decision (continue, adjust, end)."""
    triad = Triad.objects.select_for_update(of=("self",)).select_related("youth").get(pk=triad.pk)
    if triad.status not in (T.TRIAL, T.ACTIVE):
        raise ValidationError(_("Only a running triad is evaluated."))
    if held_on > _today():
        raise ValidationError({"held_on": _("This date cannot be in the future.")})
    if decision and triad.status != T.TRIAL:
        raise ValidationError({"decision": _("A decision is taken at the end of the trial period only.")})
    if check_in is not None and check_in.triad_id != triad.pk:
        raise ValidationError(_("This moment belongs to another triad."))
    note = None
    if text.strip():
        note = note_add(
            youth=triad.youth, author=by, written_on=held_on, text=text.strip(), **(note_flags or {})
        )
    evaluation = clean_save(
        Evaluation(
            triad=triad,
            check_in=check_in,
            held_on=held_on,
            score=score,
            note=note,
            decision=decision,
            by=by,
            **(participants or {}),
        )
    )
    if check_in is not None:
        check_in.done_on = held_on
        check_in.save(update_fields=["done_on"])
    if decision == Evaluation.Decision.CONTINUE:
        triad = triad_transition(triad=triad, to=T.ACTIVE, by=by, why=_("Trial evaluation: continue."))
        # The monthly plan replaces what is left of the trial plan (else its evaluation stays overdue forever).
        triad.check_ins.open().delete()
        _schedule_active(triad, held_on)
    elif decision == Evaluation.Decision.ADJUST:
        agreement_new_version(triad=triad, by=by)
        if not triad.check_ins.open().filter(kind=CheckIn.Kind.TRIAL_EVALUATION).exists():
            # The trial goes on, so it needs a new end and an evaluation there.
            triad.trial_ends_on = max(
                triad.trial_ends_on, held_on + datetime.timedelta(days=CHECK_IN_INTERVAL)
            )
            triad.save(update_fields=["trial_ends_on"])
            CheckIn.objects.create(
                triad=triad, kind=CheckIn.Kind.TRIAL_EVALUATION, due_on=triad.trial_ends_on
            )
    _refresh_next_check_in(triad)
    return evaluation


# --- Follow-up: closure -------------------------------------------------------------------------


@transaction.atomic
def triad_close(
    *,
    triad,
    by,
    reason,
    after_plan,
    ended_on=None,
    exit_youth="",
    exit_jim="",
    exit_professional="",
    continues_informally=False,
):
    """End a triad with a reason and an after-plan; the JIM loses access to it in the same transaction."""
    if not (after_plan or "").strip():
        raise ValidationError({"after_plan": _("Write down what happens next for the youth.")})
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    ended_on = ended_on or _today()
    if ended_on > _today():
        raise ValidationError({"ended_on": _("This date cannot be in the future.")})
    triad = triad_transition(triad=triad, to=T.ENDED, by=by, why=EndReason(reason).label)
    closure = clean_save(
        Closure(
            triad=triad,
            reason=reason,
            ended_on=ended_on,
            exit_youth=exit_youth,
            exit_jim=exit_jim,
            exit_professional=exit_professional,
            continues_informally=continues_informally,
            after_plan=after_plan.strip(),
            by=by,
        )
    )
    triad.ended_on = ended_on
    triad.save(update_fields=["ended_on"])
    _refresh_next_check_in(triad)
    return closure


# --- Follow-up: the JIM -------------------------------------------------------------------------


def _jim_of(triad, user):
    if triad.jim.user_id != user.pk or triad.status == T.ENDED:
        raise ValidationError(_("Only the JIM of this triad can do this."))


@transaction.atomic
def fallback_request_send(*, triad, by, message, urgent=False):
    """ "Denk even mee": the JIM asks the fallback professional to think along; they get an e-mail."""
    _jim_of(triad, by)
    request = clean_save(FallbackRequest(triad=triad, message=message.strip(), urgent=urgent, created_by=by))
    youth = triad.youth
    subject = _("JIM: %(jim)s asks you to think along about %(name)s (%(case)s)") % {
        "jim": triad.jim.name,
        "name": youth.first_name,
        "case": youth.case_number,
    }
    if urgent:
        subject = _("URGENT") + " – " + subject
    send_mail(
        subject=subject,
        message=_(
            "%(jim)s, the JIM of %(name)s (%(case)s), would like to think along with you. Open: %(url)s"
        )
        % {
            "jim": triad.jim.name,
            "name": youth.first_name,
            "case": youth.case_number,
            "url": settings.SITE_URL + reverse("triads:detail", args=[triad.pk]),
        },
        from_email=None,
        # Without an address for the fallback professional, the lead hears of it: a JIM's question never gets lost.
        recipient_list=[triad.fallback.email or triad.lead.email],
    )
    return request


@transaction.atomic
def fallback_request_handle(*, request, by):
    """The professional marks a fallback request as handled."""
    if request.status == FallbackRequest.Status.HANDLED:
        raise ValidationError(_("This request was already handled."))
    request.status = FallbackRequest.Status.HANDLED
    request.handled_by = by
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "handled_by", "handled_at"])
    return request


@transaction.atomic
def jim_log_add(*, triad, by, happened_on, kind, text=""):
    """Add an entry to the JIM's private log (never required, always light)."""
    _jim_of(triad, by)
    if happened_on > _today():
        raise ValidationError({"happened_on": _("This date cannot be in the future.")})
    return clean_save(
        JimLogEntry(triad=triad, author=by, happened_on=happened_on, kind=kind, text=text.strip())
    )


@transaction.atomic
def jim_log_share(*, entry, by):
    """Share one private log entry with the professional (the JIM confirms the youth agrees)."""
    if entry.author_id != by.pk:
        raise ValidationError(_("Only the JIM who wrote this can share it."))
    _jim_of(entry.triad, by)
    if entry.shared_at is None:
        entry.shared_at = timezone.now()
        entry.save(update_fields=["shared_at"])
    return entry


@transaction.atomic
def peer_network_opt(*, jim, on, by):
    """The JIM joins or leaves the organisation's JIM peer network."""
    if jim.user_id != by.pk:
        raise ValidationError(_("Only the JIM can change this."))
    jim.peer_network_opt_in = on
    jim.save(update_fields=["peer_network_opt_in"])
    if not on:
        # Leaving the network also takes them off the meetings still to come.
        for meeting in jim.peer_meetings.filter(starts_at__gte=timezone.now()):
            meeting.attendees.remove(jim)
    return jim


@transaction.atomic
def peer_meeting_attend(*, meeting, jim, by, coming=True):
    """Say you will come to a peer meeting (or not)."""
    if jim.user_id != by.pk or not jim.peer_network_opt_in or meeting.organisation_id != jim.organisation_id:
        raise ValidationError(_("Join the peer network of your organisation first."))
    if coming:
        meeting.attendees.add(jim)
    else:
        meeting.attendees.remove(jim)
    return meeting
