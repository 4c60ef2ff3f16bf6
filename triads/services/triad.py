"""The triad itself: made from the youth's choice of a JIM, and its fallback professional."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from jimcase.services import clean_save
from mentors.models import Search
from outbox import mails
from outbox.text import absolute_url

from ..models import Triad, TriadStatusChange
from ..rules import VIEW_TRIAD, trial_days_for
from .agreements import agreement_new_version, agreement_version_create, default_sections
from .consent import consent_pending_create
from .jim import jim_new_triad_mail


def _check_fallback(youth, fallback):
    """The fallback professional works on the youth's file: the JIM never calls someone without access."""
    if (
        not fallback.is_professional
        or not fallback.is_active
        or not youth.assignments.filter(ends_on__isnull=True, professional=fallback).exists()
    ):
        raise ValidationError({"fallback": _("Choose a professional who is assigned to this youth.")})


@transaction.atomic
def triad_create(*, search, by, fallback=None):
    """Make the triad for the JIM chosen in `search`, with a first draft agreement and pending consents."""
    search = (
        Search.objects.select_for_update(of=("self",))
        .select_related("youth", "jim_profile")
        .get(pk=search.pk)
    )
    if not search.is_found or search.jim_profile is None:
        raise ValidationError(_("A triad starts from a search in which the youth chose a JIM."))
    if search.triads.exists():
        raise ValidationError(_("There is already a triad for this choice."))
    youth = search.youth
    fallback = fallback or youth.current_lead or by
    _check_fallback(youth, fallback)
    triad = clean_save(Triad(youth=youth, jim_profile=search.jim_profile, search=search, fallback=fallback))
    TriadStatusChange.objects.create(
        triad=triad, from_status="", to_status=Triad.Status.DRAFT, by=by, why=TriadStatusChange.Why.JIM_CHOSEN
    )
    agreement_version_create(
        triad=triad,
        version=1,
        by=by,
        trial_days=trial_days_for(youth.organisation),
        **default_sections(fallback_name=str(fallback), fallback_phone=fallback.phone),
    )
    consent_pending_create(triad=triad, by=by)
    if triad.jim_profile.user_id:
        # The JIM already has an account: this triad joins it; a JIM of another triad too is told so.
        assign_perm(VIEW_TRIAD, triad.jim_profile.user, triad)
        if Triad.objects.filter(jim_profile=triad.jim_profile).exclude(pk=triad.pk).exists():
            jim_new_triad_mail(triad=triad, user=triad.jim_profile.user, by=by)
    return triad


@transaction.atomic
def triad_fallback_set(*, triad, fallback, by):
    """Change the fallback professional; the agreement names them, so a signed one gets a new version.

    The draft is corrected in place; a signed version stays as it was signed (with the old name) and a
    new version with the new name is prepared for everyone to sign again.
    """
    _check_fallback(triad.youth, fallback)
    previous = triad.fallback
    triad.fallback = fallback
    triad.save(update_fields=["fallback"])
    current = triad.current_agreement
    if current is None or previous == fallback:
        return triad
    section = _renamed(current.fallback, previous, fallback)
    if current.is_frozen:
        agreement_new_version(triad=triad, by=by, fallback=section)
    else:
        current.fallback_name, current.fallback_phone, current.fallback = (
            str(fallback),
            fallback.phone,
            section,
        )
        clean_save(current)
    return triad


def _renamed(text, previous, new):
    """The agreement's fallback section with the previous professional's name and phone replaced."""
    text = text.replace(str(previous), str(new))
    if previous.phone:
        text = text.replace(previous.phone, new.phone or _("phone number to be added"))
    return text


def triad_after_assignment_end(*, assignment, by):
    """When the fallback professional leaves the youth's file, the lead takes over as fallback at once.

    Runs inside the transaction that ends the assignment (settings.ASSIGNMENT_ENDED). The lead is told,
    and a new agreement version with the new name is prepared; the signed one keeps the old name.
    """
    youth = assignment.youth
    lead = youth.current_lead
    for triad in Triad.objects.live().filter(youth=youth, fallback=assignment.professional):
        triad_fallback_set(triad=triad, fallback=lead, by=by)
        mails.send(
            "fallback_handover",
            to=lead.email,
            about=triad,
            old=assignment.professional,
            jim=triad.jim_profile,
            youth=youth,
            url=absolute_url("triads:detail", triad.pk),
        )
