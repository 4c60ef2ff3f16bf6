"""Read-only rules of the case core, shared by every app: no writes, no requests."""

import re

from django.core.exceptions import ValidationError
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
