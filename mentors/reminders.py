"""Reminders about the wie-vraag, for `manage.py send_reminders`."""

from jimcase.models import current_leads_prefetch
from jimcase.services import reminder_send
from outbox.text import absolute_url

from .models import Search


def _lead_email(youth):
    lead = next((a for a in youth.current_leads), None)
    return lead.professional.email if lead else ""


def send_due(today):
    """Searches open for 60 and past 90 days: tell the youth's lead once for each mark."""
    sent = 0
    searches = (
        Search.objects.open()
        .select_related("youth")
        .prefetch_related(current_leads_prefetch("youth__", today))
    )
    for search in searches:
        days = search.days_open(today)
        youth = search.youth
        url = absolute_url("mentors:search", youth.pk)
        for mark, limit in (("60", Search.WARN_DAYS), ("90", Search.LIMIT_DAYS + 1)):
            if days >= limit:
                sent += reminder_send(
                    key=f"search-{mark}:{search.pk}",
                    to=_lead_email(youth),
                    mail="search_open",
                    youth=youth,
                    days=days,
                    url=url,
                )
    return sent
