"""Issue 22: the wie-vraag's facts have one home in mentors, and the funnel report, the pages and the
seeders use it: a search open on a day and its warning level (Search.WARN_DAYS / LIMIT_DAYS), who counts
as asked (derived from CANDIDATE_TRANSITIONS), the days to a nomination, and the statuses pages show."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from mentors.models import Candidate, Search
from mentors.rules import ACTIVE_STATUSES, ASKED_OR_LATER, CANDIDATE_TRANSITIONS, days_to_nomination
from reports.selectors import DAY_BUCKETS

Status = Candidate.Status


def test_asked_or_later_is_asked_and_what_only_asking_reaches():
    assert set(ASKED_OR_LATER) == {Status.ASKED, Status.THINKING, Status.YES, Status.NO}
    # "not suitable" can follow "asked", but also "named": it does not say the candidate was asked.
    assert Status.NOT_SUITABLE in CANDIDATE_TRANSITIONS[Status.ASKED]
    assert Status.NOT_SUITABLE in CANDIDATE_TRANSITIONS[Status.NAMED]


def test_days_to_nomination_counts_the_days_from_start_to_choice():
    assert days_to_nomination(datetime.date(2026, 1, 30), datetime.date(2026, 3, 1)) == 30
    assert days_to_nomination(datetime.date(2026, 1, 30), datetime.date(2026, 1, 30)) == 0


def test_the_histogram_steps_meet_at_the_searchs_warning_and_limit():
    lows = [low for _label, low, _high in DAY_BUCKETS]
    highs = [high for _label, _low, high in DAY_BUCKETS]
    assert lows[0] == 0 and highs[-1] is None
    assert all(high + 1 == low for high, low in zip(highs[:-1], lows[1:], strict=True))
    assert (Search.WARN_DAYS, Search.LIMIT_DAYS) in [(low, high) for _label, low, high in DAY_BUCKETS]


@pytest.mark.django_db
def test_open_on_and_the_warning_level_in_the_database_say_what_the_search_says(make_youth, lead):
    today = timezone.localdate()
    days_open = [0, 1, Search.WARN_DAYS - 1, Search.WARN_DAYS, Search.WARN_DAYS + 1]
    days_open += [Search.LIMIT_DAYS - 1, Search.LIMIT_DAYS, Search.LIMIT_DAYS + 1, 200]
    youths = make_youth(len(days_open) + 2)
    for youth, days in zip(youths, days_open, strict=False):
        Search.objects.create(youth=youth, started_on=today - datetime.timedelta(days=days), started_by=lead)
    # Ended today and ended yesterday: not open now.
    for youth, ended in zip(youths[-2:], (today, today - datetime.timedelta(days=1)), strict=True):
        Search.objects.create(
            youth=youth,
            status=Search.Status.STOPPED,
            started_on=today - datetime.timedelta(days=100),
            ended_on=ended,
            started_by=lead,
        )
    open_now = set(Search.objects.open().values_list("pk", flat=True))
    assert set(Search.objects.open_on(today).values_list("pk", flat=True)) == open_now
    levels = Search.warning_level_q(today)
    for search in Search.objects.open_on(today):
        in_db = [level for level, q in levels.items() if Search.objects.filter(q, pk=search.pk).exists()]
        assert in_db == [search.warning_level(today)], search.days_open(today)
    # Two days ago: both stopped searches were still open, the two started since were not yet.
    earlier = today - datetime.timedelta(days=2)
    assert Search.objects.open_on(earlier).count() == len(open_now) - 2 + 2
    assert not Search.objects.open_on(earlier).filter(started_on__gt=earlier).exists()


@pytest.mark.parametrize(
    ("status", "css"),
    [("open", "text-bg-primary"), ("found", "text-bg-success"), ("stopped", "text-bg-secondary")],
)
def test_one_badge_for_a_searchs_status(status, css):
    html = render_to_string("mentors/_search_status.html", {"search": Search(status=status)})
    assert f'class="badge {css}"' in html


def test_a_candidate_is_out_exactly_when_not_in_the_running():
    for status in Status:
        assert Candidate(status=status).is_out is (status not in ACTIVE_STATUSES)
    assert Candidate(status=Status.YES).said_yes and not Candidate(status=Status.YES).is_out
