"""Read-only rules of the case core, shared by every app: no writes, no requests."""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: Looks like the start of an HTML tag, comment or declaration: "<b", "</", "<!", "<?".
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")

#: The age from which a person is an adult (a JIM is always one) and needs no parental consent.
ADULT_AGE = 18


def age_on(born, day):
    """Whole years between `born` and `day`; None when the date of birth is unknown."""
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def born_by(day, years):
    """The last date of birth of someone `years` old on `day` (28 February for 29 February in a year
    without one), so that `age_on(born, day) >= years` exactly when `born <= born_by(day, years)`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def adult_on_q(day, prefix=""):
    """A Q on a youth (reached by `prefix`, e.g. "youth__"): 18 or older on `day`, as `age_on` says;
    an unknown date of birth is not an adult."""
    return Q(**{f"{prefix}date_of_birth__lte": born_by(day, ADULT_AGE)})


#: What a minor's file and triad say while nobody is recorded who can decide on consent, nor why nobody can.
NO_DECIDER_MISSING = _(
    "No parents or guardian with parental authority have been recorded yet: add them, or record why "
    "nobody can decide."
)


def nobody_can_decide_holds(latest, parents_with_authority):
    """True when the youth's "nobody can decide" record counts: its latest row (`latest`, or None) is a
    statement and no parent or guardian with parental authority is recorded (`parents_with_authority`)."""
    return latest is not None and latest.is_statement and not list(parents_with_authority)


def may_manage_assignments(user, youth, assignments):
    """Whether `user` may hand over the lead of `youth` and end other professionals' assignments: the
    current lead professional, or a coordinator of the youth's organisation. `assignments`: the youth's
    assignments as read (all of them, or only the open lead ones)."""
    if user.is_coordinator and user.organisation_id == youth.organisation_id:
        return True
    return any(a.is_open and a.is_lead and a.professional_id == user.pk for a in assignments)


def plain_text(value):
    """Validator: refuse text that looks like HTML; every free-text field in JIM is plain text."""
    if value and _MARKUP.search(value):
        raise ValidationError(_("Please write plain text, without HTML."), code="markup")
    return value


def role_conflict(role_names):
    """A Dutch message when these roles may not be held by one account, else None.

    A coordinator holds no other role: a person who also works with youths (or as a JIM) has a
    second account for that, so the admin account never reaches a youth's file.
    """
    roles = set(role_names)
    if "coordinator" in roles and roles & {"hulpverlener", "jim"}:
        return _(
            "A coordinator has no other role. Someone who also works as a professional or a JIM gets a second account."
        )
    return None


#: Who may ask to read a youth's file (Flemish decree on the minor's legal position art. 20–24; Jeugdwet 7.3),
#: and which note flags keep a note out of what they get. Nobody ever gets a note given in confidence,
#: only about a third party, or written for the court; only the youth's own copy also leaves out what is
#: withheld for the youth's own good (a vertrouwenspersoon and the parents of a youth who is not capable see it).
DOSSIER_REQUESTERS = {
    "youth": ("in_confidence", "third_party_only", "for_court", "withheld_for_youth"),
    "vertrouwenspersoon": ("in_confidence", "third_party_only", "for_court"),
    "parent": ("in_confidence", "third_party_only", "for_court"),
}


def dossier_request_problem(requester_type, youth_is_capable):
    """A Dutch message when this requester may not get the file now, else None."""
    if requester_type not in DOSSIER_REQUESTERS:
        return _("Choose who asks to read the file.")
    if requester_type == "parent" and youth_is_capable:
        return _("The youth is capable: the youth decides about the file, not the parents.")
    if requester_type == "youth" and not youth_is_capable:
        return _("The youth is judged not capable: the parents or a vertrouwenspersoon can ask instead.")
    return None
