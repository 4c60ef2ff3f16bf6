"""Reminders about triads, for `manage.py send_reminders`. Each names the youth by first name and case number only."""

import datetime

from django.utils import timezone

from jimcase.models import current_leads_prefetch
from jimcase.selectors import youth_visible_to
from jimcase.services import reminder_send
from outbox.text import absolute_url

from .models import Agreement, CheckIn, FallbackRequest, Party, SigningLink, Triad

TRIAL_ENDING_DAYS = 7
FALLBACK_OPEN_DAYS = 2
LINK_EXPIRING_HOURS = 48


def _url(triad):
    return absolute_url("triads:detail", triad.pk)


def send_due(today, now=None):
    """Send the triad reminders due on `today` (`now`: that day at the current time, unless given)."""
    # `--today` must move the clock for the hour-based checks too, not only for the date-based ones.
    now = now or timezone.make_aware(datetime.datetime.combine(today, timezone.localtime().time()))
    sent = 0
    live = Triad.objects.live()

    for check_in in (
        CheckIn.objects.overdue_on(today)
        .select_related("triad__youth")
        .prefetch_related(current_leads_prefetch("triad__youth__"))
    ):
        triad = check_in.triad
        sent += reminder_send(
            # A moment moved to a later date that is missed again deserves a new reminder.
            key=f"check-in-overdue:{check_in.pk}:{check_in.due_on.isoformat()}",
            to=triad.lead.email,
            mail="check_in_overdue",
            check_in=check_in,
            youth=triad.youth,
            url=_url(triad),
        )

    ending = (
        live.filter(
            status=Triad.Status.TRIAL,
            trial_ends_on__gte=today,
            trial_ends_on__lte=today + datetime.timedelta(days=TRIAL_ENDING_DAYS),
        )
        .select_related("youth")
        .prefetch_related(current_leads_prefetch("youth__"))
    )
    for triad in ending:
        sent += reminder_send(
            key=f"trial-ending:{triad.pk}:{triad.trial_ends_on.isoformat()}",
            to=triad.lead.email,
            mail="trial_ending",
            youth=triad.youth,
            ends_on=triad.trial_ends_on,
            url=_url(triad),
        )

    stale = FallbackRequest.objects.filter(
        status=FallbackRequest.Status.OPEN, created_at__lte=now - datetime.timedelta(days=FALLBACK_OPEN_DAYS)
    ).select_related("triad__youth", "triad__fallback")
    for request in stale:
        triad = request.triad
        sent += reminder_send(
            key=f"fallback-open:{request.pk}",
            to=triad.fallback.email,
            mail="fallback_open",
            youth=triad.youth,
            asked_at=request.created_at,
            url=_url(triad),
        )

    expiring = (
        SigningLink.objects.filter(
            used_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + datetime.timedelta(hours=LINK_EXPIRING_HOURS),
        )
        # Nothing left to sign, or the triad has ended: no reminder.
        .exclude(agreement__status__in=[Agreement.Status.SUPERSEDED, Agreement.Status.SIGNED])
        .exclude(agreement__triad__status=Triad.Status.ENDED)
        .select_related("agreement__triad__youth", "created_by")
    )
    for link in expiring:
        triad = link.agreement.triad
        if not youth_visible_to(link.created_by, triad.youth):
            continue  # whoever left the file receives nothing more about the youth
        sent += reminder_send(
            key=f"link-expiring:{link.pk}",
            to=link.created_by.email,
            mail="link_expiring",
            youth=triad.youth,
            # The party, not the address: a parent's e-mail address often carries the youth's last name.
            party=Party(link.party).label,
            expires_at=link.expires_at,
            url=_url(triad),
        )
    return sent
