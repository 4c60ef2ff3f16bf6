"""Agreements: versions, the text that is signed, signatures and personal signing links.

Signed text never changes: once anyone signed a version, a change makes a new version that is signed
again. Each signature holds the SHA-256 hash of the exact text it signed.
"""

import datetime
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jimcase.services import clean_save, edit_save, edit_version_claim
from outbox import mails
from outbox.text import absolute_url

from ..models import AGREEMENT_SECTIONS, Agreement, ConsentDecision, Party, Signature, SigningLink, Triad
from ..rules import (
    AGREEMENT_FIELDS,
    agreement_contradictions,
    consent_allows,
    missing_signers,
    recorded_name,
    typed_name_matches,
)
from .consent import consent_record
from .status import triad_start_if_ready

SIGNING_LINK_SALT = "triads.signing-link"
SIGNING_LINK_DAYS = 7


def default_sections(*, fallback_name, fallback_phone):
    """Sensible starting text for each section, to edit together with the youth and the JIM.

    No figure that a field holds: the trial's length is printed from `Agreement.trial_days` beside the
    text, so a changed trial can never leave a section saying the old one (issue 21).
    """
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
            "We start with the trial period stated at the top of this agreement and evaluate together at its end. "
            "After that we evaluate together at the moments in the plan, or sooner when one of us asks."
        ),
        "at_eighteen": _(
            "When the youth turns 18 the relationship may simply continue, if the youth and the JIM want to."
        ),
        "ending": _(
            "The youth, the JIM or the professional can end the triad at any time, preferably after a talk together. "
            "We then agree what happens next for the youth."
        ),
    }


# --- Versions -----------------------------------------------------------------------------------


def agreement_version_create(*, triad, version, by, **fields):
    """Write one version, with the names of the people as they are now (inside the caller's transaction)."""
    return clean_save(
        Agreement(
            triad=triad,
            version=version,
            created_by=by,
            edited_by=by,
            edited_at=timezone.now(),
            youth_name=f"{triad.youth.first_name} {triad.youth.last_name}",
            jim_name=triad.jim_profile.name,
            fallback_name=str(triad.fallback),
            fallback_phone=triad.fallback.phone,
            **fields,
        )
    )


@transaction.atomic
def agreement_update(*, agreement, by, edit_version=None, **fields):
    """Edit a draft (refused if saved since `edit_version`); a signed text is frozen: make a new version."""
    agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    if agreement.is_frozen:
        raise ValidationError(_("This version has been signed and can no longer change. Make a new version."))
    for name, value in fields.items():
        setattr(agreement, name, value)
    return edit_save(agreement, by=by, edit_version=edit_version)


@transaction.atomic
def agreement_new_version(*, triad, by, **changes):
    """Supersede the current version with a copy (plus changes) that must be signed again."""
    triad = Triad.objects.select_for_update(of=("self",)).get(pk=triad.pk)
    if triad.has_ended:
        raise ValidationError(_("This triad has ended."))
    current = triad.current_agreement
    if not current.is_frozen:
        raise ValidationError(_("The current version is still a draft: you can edit it directly."))
    current.status = Agreement.Status.SUPERSEDED
    current.superseded_at = timezone.now()
    current.save(update_fields=["status", "superseded_at"])
    fields = {name: getattr(current, name) for name in AGREEMENT_FIELDS}
    fields.update(changes)
    # The edit version goes on across versions: a form loaded from the old version is stale on the new one.
    return agreement_version_create(
        triad=triad, version=current.version + 1, by=by, edit_version=current.edit_version + 1, **fields
    )


def _refuse_contradictions(agreement, fields):
    """Refuse, beside the section, a text that names another trial length than the field (read-only)."""
    proposed = Agreement(**{name: getattr(agreement, name) for name in AGREEMENT_FIELDS})
    for name, value in fields.items():
        setattr(proposed, name, value)
    wrong = agreement_contradictions(proposed)
    if wrong:
        raise ValidationError(
            {
                field: _(
                    "This text names a trial period of %(words)s, but the trial period is %(days)s days. "
                    "Leave the length out (it is printed from the trial period field) or make them the same."
                )
                % {"words": words, "days": proposed.trial_days}
                for field, words in wrong.items()
            }
        )


class AgreementChange:
    """What `agreement_change` did: edited the draft, made a new version, or nothing (same text)."""

    EDITED = "edited"
    NEW_VERSION = "new_version"
    UNCHANGED = "unchanged"


@transaction.atomic
def agreement_change(*, triad, by, edit_version=None, **fields):
    """Change the current agreement: edit it while it is a draft, else make a new version if the text changed.

    Returns one of the `AgreementChange` values. An unchanged text keeps the signatures it has. A change
    made on `edit_version` of the agreement is refused (StaleEdit) when someone saved it since.
    """
    triad = Triad.objects.select_for_update(of=("self",)).get(pk=triad.pk)
    if triad.has_ended:
        raise ValidationError(_("This triad has ended."))
    current = triad.current_agreement
    _refuse_contradictions(current, fields)
    if not current.is_frozen:
        agreement_update(agreement=current, by=by, edit_version=edit_version, **fields)
        return AgreementChange.EDITED
    stored_hash = current.text_hash()
    for name, value in fields.items():
        setattr(current, name, value)
    if current.text_hash() == stored_hash:
        return AgreementChange.UNCHANGED
    edit_version_claim(current, edit_version=edit_version, by=by)
    agreement_new_version(triad=triad, by=by, **fields)
    return AgreementChange.NEW_VERSION


# --- Signatures ---------------------------------------------------------------------------------


def _check_logged_in_signer(triad, party, user):
    if party == Party.JIM and (user is None or triad.jim_profile.user_id != user.pk):
        raise ValidationError(_("Only the JIM can sign as the JIM."))
    if party == Party.PROFESSIONAL and (user is None or not user.is_professional):
        raise ValidationError(_("Only a professional can sign as the professional."))
    if party not in (Party.JIM, Party.PROFESSIONAL):
        raise ValidationError(_("The youth and the parents sign in person or with a signing link."))


@transaction.atomic
def agreement_sign(*, agreement, party, method, typed_name, user=None, parent=None, witnessed=True):
    """Sign one version as one party, binding the signature to the SHA-256 hash of the exact text."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("triad__youth", "triad__jim_profile")
        .get(pk=agreement.pk)
    )
    if agreement.status == Agreement.Status.SUPERSEDED:
        raise ValidationError(_("This version has been replaced by a newer one; it can no longer be signed."))
    if agreement.triad.has_ended:
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
    if party == Party.PROFESSIONAL and (user is None or not user.is_professional):
        # The professional signs as themself, whatever the method: their own name is the one checked.
        raise ValidationError(_("Only a professional can sign as the professional."))
    recorded = recorded_name(agreement, party, parent, user=user)
    if not typed_name_matches(typed_name, recorded):
        message = (
            _("Type your own full name as it is on your account: %(name)s.")
            if party == Party.PROFESSIONAL
            else _("Type the full name as it is in the file: %(name)s.")
        )
        raise ValidationError({"typed_name": message % {"name": recorded}})
    wrong = agreement_contradictions(agreement)
    if wrong:
        # A version written before the rule (or changed behind the form's back) is not signed as it is.
        field, words = next(iter(wrong.items()))
        raise ValidationError(
            _(
                "“%(section)s” names a trial period of %(words)s, but this version's trial period is %(days)s "
                "days. Change the agreement before it is signed (once someone has signed, that makes a new version)."
            )
            % {"section": dict(AGREEMENT_SECTIONS)[field], "words": words, "days": agreement.trial_days}
        )
    if method == Signature.Method.IN_PERSON and not witnessed:
        raise ValidationError({"witnessed": _("Confirm that you saw this person sign.")})
    signature = clean_save(
        Signature(
            agreement=agreement,
            party=party,
            parent=parent,
            method=method,
            typed_name=typed_name,
            text_hash=agreement.text_hash(),
            user=user,
            witnessed_by=user if method == Signature.Method.IN_PERSON else None,
        )
    )
    agreement.status = Agreement.Status.SIGNED if len(pending) == 1 else Agreement.Status.SIGNING
    agreement.save(update_fields=["status"])
    triad_start_if_ready(triad=agreement.triad, by=user)
    return signature


# --- Signing links ------------------------------------------------------------------------------


class LinkError(Exception):
    """A signing link that cannot be used; `message` is for the person who opened it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@transaction.atomic
def signing_link_send(*, agreement, party, email, by, parent=None, days=SIGNING_LINK_DAYS):
    """Create a personal, expiring, single-use signing link and e-mail it. Return the link and its URL."""
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
    url = absolute_url("triads:sign_link", token)
    mails.send(
        "signing_link",
        to=email,
        about=agreement.triad,
        agreement=agreement,
        until=link.expires_at,
        url=url,
        by=by,
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
        triad = link.agreement.triad
        current = ConsentDecision.objects.filter(triad=triad, parent=link.parent).current().first()
        if consent_allows(current, ConsentDecision.Decision.GIVEN):
            consent_record(
                triad=triad,
                parent=link.parent,
                decision=ConsentDecision.Decision.GIVEN,
                decided_on=timezone.localdate(),
                method=ConsentDecision.Method.LINK,
                note=_("Given by signing the agreement."),
                # The parent has no account: the professional who sent the link is on record.
                by=link.created_by,
            )
    return signature
