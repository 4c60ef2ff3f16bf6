"""Parental consent: an append-only history of decisions per parent, and the coordinator's override.

Whether consent allows a triad to start is decided by `triads.rules.consent_rule_met` alone.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jimcase.services import clean_save
from jimcase.validators import not_in_future
from outbox import mails
from outbox.text import absolute_url

from ..models import ConsentDecision, ConsentOverride, Triad
from ..rules import consent_allows
from .status import triad_start_if_ready

Decision = ConsentDecision.Decision


def consent_pending_create(*, triad, by):
    """Open a pending decision for every parent with parental authority (inside the caller's transaction)."""
    for parent in triad.youth.parents.filter(has_parental_authority=True):
        ConsentDecision.objects.create(
            triad=triad,
            parent=parent,
            decision=Decision.PENDING,
            decided_on=timezone.localdate(),
            method=ConsentDecision.Method.ORALLY,
            recorded_by=by,
        )


@transaction.atomic
def consent_record(*, triad, parent, decision, decided_on, method, by, note=""):
    """Append a consent decision for one parent with parental authority."""
    triad = Triad.objects.select_for_update(of=("self",)).select_related("youth").get(pk=triad.pk)
    if parent.youth_id != triad.youth_id or not parent.has_parental_authority:
        raise ValidationError(
            {"parent": _("Only a parent with parental authority of this youth decides on consent.")}
        )
    not_in_future("decided_on", decided_on)
    current = ConsentDecision.objects.filter(triad=triad, parent=parent).current().first()
    if not consent_allows(current, decision):
        raise ValidationError(
            {
                "decision": _("Consent cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": Decision(current.decision if current else Decision.PENDING).label,
                    "to": Decision(decision).label,
                }
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
    if decision == Decision.WITHDRAWN and triad.is_running:
        # A withdrawal does not end the triad silently: flag it and tell the lead.
        triad.consent_withdrawn_flag = True
        triad.save(update_fields=["consent_withdrawn_flag"])
        mails.send(
            "consent_withdrawn",
            to=triad.lead.email,
            about=triad,
            youth=triad.youth,
            url=absolute_url("triads:detail", triad.pk),
        )
    if decision == Decision.GIVEN:
        triad_start_if_ready(triad=triad, by=by)
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
    triad_start_if_ready(triad=triad, by=by)
    return override


def triads_start_after_deciders_change(*, youth, by):
    """The youth's file now records why nobody can decide: a draft triad waiting only for that starts its
    trial (settings.CONSENT_DECIDERS_CHANGED; inside the caller's transaction)."""
    for triad in Triad.objects.filter(youth=youth, status=Triad.Status.DRAFT):
        triad_start_if_ready(triad=triad, by=by)
