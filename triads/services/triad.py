"""The triad itself: made from the youth's choice of a JIM, and its fallback professional."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from jimcase.models import CaseAssignment
from jimcase.services import clean_save
from mentors.models import Search

from ..models import Triad, TriadStatusChange
from ..rules import VIEW_TRIAD
from .agreements import agreement_version_create, default_sections
from .consent import consent_pending_create


def _check_fallback(youth, fallback):
    if (
        not fallback.is_professional
        or fallback.organisation_id != youth.organisation_id
        or not fallback.is_active
    ):
        raise ValidationError({"fallback": _("Choose a professional of the youth's organisation.")})


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
    lead_assignment = (
        youth.assignments.filter(ends_on__isnull=True, role=CaseAssignment.Role.LEAD)
        .select_related("professional")
        .first()
    )
    lead = lead_assignment.professional if lead_assignment else by
    fallback = fallback or lead
    _check_fallback(youth, fallback)
    triad = clean_save(
        Triad(youth=youth, jim_profile=search.jim_profile, search=search, lead=lead, fallback=fallback)
    )
    TriadStatusChange.objects.create(
        triad=triad, from_status="", to_status=Triad.Status.DRAFT, by=by, why=_("JIM chosen")
    )
    trial_days = youth.organisation.default_trial_days
    agreement_version_create(
        triad=triad,
        version=1,
        by=by,
        trial_days=trial_days,
        **default_sections(fallback_name=str(fallback), fallback_phone=fallback.phone, trial_days=trial_days),
    )
    consent_pending_create(triad=triad, by=by)
    if triad.jim_profile.user_id:
        assign_perm(VIEW_TRIAD, triad.jim_profile.user, triad)
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
