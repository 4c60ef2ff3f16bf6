"""Test data for the reports: built straight in the database, in any state and on any date; and how a test
reads a report's table."""

import datetime
import re
from html import unescape

from django.utils import timezone
from django.utils.html import escape

from jimcase.models import CaseAssignment
from mentors.models import Candidate, JimProfile, NetworkMember, Search
from reports.rules import SMALL, rounded
from triads.models import Triad


def make_triad(youth, by, trial_started_on=None, activated_on=None, ended_on=None):
    """A triad with its own JIM, in the status its dates say (draft without a trial)."""
    member = NetworkMember.objects.create(youth=youth, name="Jim Iemand", relation="coach")
    profile = JimProfile.objects.create(organisation=youth.organisation, member=member, name="Jim Iemand")
    status = Triad.Status.ENDED if ended_on else Triad.Status.ACTIVE if activated_on else Triad.Status.TRIAL
    return Triad.objects.create(
        youth=youth,
        jim_profile=profile,
        fallback=by,
        status=status if trial_started_on or ended_on else Triad.Status.DRAFT,
        trial_started_on=trial_started_on,
        activated_on=activated_on,
        ended_on=ended_on,
    )


def at(day, hour=10):
    """A moment on `day` in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def name(user):
    """A user as the reports name them."""
    return user.display_name or user.username


def table(html, caption):
    """The (label, value) rows of the report table with this caption: the label as text, the value as the
    page has it ("&lt; 5")."""
    found = re.search(rf"<caption>{re.escape(escape(caption))}</caption>.*?</table>", html, re.S).group(0)
    rows = re.findall(r'<th scope="row">(.*?)</th><td class="report-number">(.*?)</td>', found)
    return [(unescape(label), value) for label, value in rows]


def with_lead(youths, professional, since=datetime.date(2025, 1, 1)):
    """The youths' lead assignment, with `professional`, from `since` (before the tests' periods)."""
    CaseAssignment.objects.filter(youth__in=youths, role=CaseAssignment.Role.LEAD).update(
        professional=professional, starts_on=since
    )


def chosen_in_wie_vraag(triad, by, relation="coach"):
    """Give `triad` the search in which the youth chose its JIM from their network (a member of `relation`)."""
    member = NetworkMember.objects.create(youth=triad.youth, name="Jim Iemand", relation=relation)
    search = Search.objects.create(
        youth=triad.youth,
        started_on=datetime.date(2025, 1, 1),
        started_by=by,
        status=Search.Status.FOUND,
        ended_on=datetime.date(2025, 2, 1),
        jim_profile=triad.jim_profile,
    )
    search.chosen = Candidate.objects.create(search=search, member=member, status=Candidate.Status.YES)
    search.save(update_fields=["chosen"])
    triad.search = search
    triad.save(update_fields=["search"])
    return triad


def on_page(count):
    """A hand count as a report page shows it: rounded by the small-numbers rule ("&lt; 5" for 1–4)."""
    shown = rounded(count)
    return "&lt; 5" if shown == SMALL else str(shown)


def in_export(count):
    """A hand count as an export writes it: rounded by the rule, "< 5" for 1–4."""
    return str(rounded(count))
