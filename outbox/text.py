"""How a day, a moment and a link are written in text that leaves a page: mails, and messages naming a date.

One place, so a mail, a reminder and a form's error write the same day the same way (28-11-2026: the
formats in jimcase/formats), and every link in a mail starts with `settings.SITE_URL` (a mail sent by
the worker or from cron has no request to take the host from).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone


def day(value):
    """A date as the reader's language writes it (28-11-2026); a datetime's local day."""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def moment(value):
    """A datetime in local time as the reader's language writes it (28-11-2026 14:05)."""
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def absolute_url(viewname, *args, **kwargs):
    """The full address of a page, for a mail: `settings.SITE_URL` + the page's path."""
    return settings.SITE_URL + reverse(viewname, args=args or None, kwargs=kwargs or None)
