"""Validators for passwords, numbers and dates; model fields and forms name them, so each rule lives once."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox import text


class MaximumLengthValidator:
    """Refuse absurdly long passwords: they only cost hashing time and never help anyone."""

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                _("This password is too long. It may contain at most %(max_length)d characters."),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return _("Your password may contain at most %(max_length)d characters.") % {
            "max_length": self.max_length
        }


# --- Plausible numbers and dates ------------------------------------------------------------------
# Every number and date a user types has a range, so that a typo (or a hostile request) is refused with
# a message beside the field instead of reaching a calculation that overflows. Model fields name these
# validators, so model forms, the admin and every service's full_clean() apply them; plain forms add
# them to their own date fields.

#: A trial period is at least two weeks and at most a year (the method suggests about three months).
TRIAL_DAYS_MIN = 14
TRIAL_DAYS_MAX = 365
#: An organisation's trial length until a coordinator sets another (`triads.rules.trial_days_for` reads it).
TRIAL_DAYS_DEFAULT = 90


def validate_trial_days(value):
    """A trial length in days: from two weeks to a year."""
    if value is not None and not TRIAL_DAYS_MIN <= value <= TRIAL_DAYS_MAX:
        raise ValidationError(
            _("A trial period lasts between %(min)d and %(max)d days."),
            code="trial_days_range",
            params={"min": TRIAL_DAYS_MIN, "max": TRIAL_DAYS_MAX},
        )


#: Nothing in JIM happened before this day; an earlier date is a typo in the year.
EARLIEST_DATE = datetime.date(1990, 1, 1)
#: A person in a youth's network (a grandparent, a neighbour) may be born long before the youth.
EARLIEST_BIRTH_DATE_ADULT = datetime.date(1900, 1, 1)
#: How far ahead a date may lie: something that happens (a referral, a note) or a plan (a meeting).
DAYS_AHEAD = 365
PLAN_DAYS_AHEAD = 2 * 365


def _day(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def _check_range(value, *, earliest, days_ahead, too_late):
    day = _day(value)
    if day is None:
        return
    if day < earliest:
        raise ValidationError(
            _("Enter a date from %(earliest)s onwards.") % {"earliest": text.day(earliest)},
            code="date_too_early",
        )
    if day > timezone.localdate() + datetime.timedelta(days=days_ahead):
        raise ValidationError(too_late, code="date_too_late")


def validate_event_date(value):
    """A day something happens or happened: not before 1990, at most a year ahead."""
    _check_range(
        value,
        earliest=EARLIEST_DATE,
        days_ahead=DAYS_AHEAD,
        too_late=_("Enter a date at most one year from today."),
    )


def validate_plan_date(value):
    """A day something is planned for: not before 1990, at most two years ahead."""
    _check_range(
        value,
        earliest=EARLIEST_DATE,
        days_ahead=PLAN_DAYS_AHEAD,
        too_late=_("Choose a date within the next two years."),
    )


def validate_birth_date(value):
    """A youth's date of birth: not before 1990, not in the future."""
    _check_range(
        value, earliest=EARLIEST_DATE, days_ahead=0, too_late=_("A date of birth cannot be in the future.")
    )


def future_date_message():
    """The one message for a day after today where only a day that already happened makes sense."""
    return _("This date cannot be in the future.")


def validate_not_in_future(value):
    """A day something already happened: not after today (no lower bound; see `validate_past_date`)."""
    day = _day(value)
    if day is not None and day > timezone.localdate():
        raise ValidationError(future_date_message(), code="date_in_future")


def not_in_future(field, day):
    """For a service: refuse `day` beside `field` when it lies after today, with the one message."""
    try:
        validate_not_in_future(day)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from None


def validate_past_date(value):
    """A day something already happened (a training completed): not before 1990, not in the future."""
    _check_range(value, earliest=EARLIEST_DATE, days_ahead=0, too_late=future_date_message())


def validate_adult_birth_date(value):
    """The date of birth of someone in the youth's network: not before 1900, not in the future."""
    _check_range(
        value,
        earliest=EARLIEST_BIRTH_DATE_ADULT,
        days_ahead=0,
        too_late=_("A date of birth cannot be in the future."),
    )
