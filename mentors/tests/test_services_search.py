import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from jimcase.models import Youth
from mentors import services
from mentors.models import JimProfile, Search

from . import factories

TODAY = timezone.localdate


def days_ago(n):
    return TODAY() - datetime.timedelta(days=n)


def test_starting_a_search_records_the_date_and_puts_help_on_hold(youth, lead):
    search = services.search_start(youth=youth, by=lead, started_on=days_ago(3))
    youth.refresh_from_db()
    assert search.status == Search.Status.OPEN
    assert search.started_on == days_ago(3)
    assert search.started_by == lead
    assert youth.stage == Youth.Stage.SEARCHING
    assert youth.stage_since == days_ago(3)
    assert youth.help_on_hold


def test_a_second_open_search_is_refused_in_dutch(youth, lead, search):
    with translation.override("nl-be"), pytest.raises(ValidationError) as exc:
        services.search_start(youth=youth, by=lead)
    assert "Er loopt al een zoektocht" in exc.value.messages[0]
    assert Search.objects.filter(youth=youth).count() == 1


def test_a_search_cannot_start_in_the_future(youth, lead):
    with pytest.raises(ValidationError):
        services.search_start(youth=youth, by=lead, started_on=TODAY() + datetime.timedelta(days=1))
    assert not Search.objects.exists()


def test_stopping_needs_a_next_step_and_sets_the_stage(youth, lead, search):
    with pytest.raises(ValidationError) as exc:
        services.search_stop(search=search, reason=Search.StopReason.YOUTH_WITHDREW, next_step="  ", by=lead)
    assert "next_step" in exc.value.message_dict
    search.refresh_from_db()
    assert search.status == Search.Status.OPEN

    services.search_stop(
        search=search,
        reason=Search.StopReason.YOUTH_WITHDREW,
        next_step="Gezinsbegeleiding opstarten.",
        by=lead,
    )
    search.refresh_from_db()
    youth.refresh_from_db()
    assert search.status == Search.Status.STOPPED
    assert search.ended_on == TODAY()
    assert search.ended_by == lead
    assert search.stop_reason == Search.StopReason.YOUTH_WITHDREW
    assert youth.stage == Youth.Stage.SEARCH_STOPPED
    assert not youth.help_on_hold


def test_stopping_refuses_an_unknown_reason(lead, search):
    with pytest.raises(ValidationError) as exc:
        services.search_stop(search=search, reason="bored", next_step="Iets anders.", by=lead)
    assert "reason" in exc.value.message_dict


def test_a_stopped_search_cannot_be_stopped_again(lead, search):
    services.search_stop(search=search, reason=Search.StopReason.OTHER, next_step="Verder.", by=lead)
    with pytest.raises(ValidationError):
        services.search_stop(search=search, reason=Search.StopReason.OTHER, next_step="Nog eens.", by=lead)


def test_a_new_search_may_start_after_a_stop(youth, lead, search):
    services.search_stop(
        search=search, reason=Search.StopReason.NO_JIM_FOUND, next_step="Later opnieuw.", by=lead
    )
    again = services.search_start(youth=youth, by=lead)
    youth.refresh_from_db()
    assert again.status == Search.Status.OPEN
    assert youth.stage == Youth.Stage.SEARCHING
    assert Search.objects.filter(youth=youth).count() == 2


def test_a_new_search_may_start_after_a_jim_was_found(youth, lead, search):
    services.jim_choose(search=search, candidate=factories.ready(search, lead), by=lead)
    assert services.search_start(youth=youth, by=lead).status == Search.Status.OPEN


def test_choosing_closes_the_search_as_found_and_creates_the_jim_profile(youth, lead, search):
    candidate = factories.ready(search, lead, phone="+32 470 11 22 33", email="wilma@example.be")
    services.jim_choose(search=search, candidate=candidate, by=lead, on=days_ago(2))
    search.refresh_from_db()
    youth.refresh_from_db()
    assert search.status == Search.Status.FOUND
    assert search.ended_on == days_ago(2)
    assert search.ended_by == lead
    assert search.chosen == candidate
    assert search.days_to_nomination == 8  # started ten days ago, chosen two days ago
    profile = JimProfile.objects.get()
    assert search.jim_profile == profile
    assert (profile.name, profile.email, profile.phone) == (
        "Wilma Janssens",
        "wilma@example.be",
        "+32 470 11 22 33",
    )
    assert profile.organisation == youth.organisation
    assert profile.member == candidate.member
    assert profile.user is None  # the account invitation comes with the triad
    assert youth.stage == Youth.Stage.JIM_FOUND
    assert youth.stage_since == days_ago(2)


def test_choosing_twice_is_refused(lead, search):
    candidate = factories.ready(search, lead)
    services.jim_choose(search=search, candidate=candidate, by=lead)
    with pytest.raises(ValidationError):
        services.jim_choose(search=search, candidate=candidate, by=lead)
    assert JimProfile.objects.count() == 1


def test_choosing_a_candidate_of_another_search_is_refused(youth, lead, search, make_youth):
    (other_youth,) = make_youth()
    other_search = services.search_start(youth=other_youth, by=lead)
    other = factories.ready(other_search, lead)
    with pytest.raises(ValidationError):
        services.jim_choose(search=search, candidate=other, by=lead)
    search.refresh_from_db()
    assert search.status == Search.Status.OPEN


def test_a_youth_may_have_a_second_jim(youth, lead, search):
    services.jim_choose(search=search, candidate=factories.ready(search, lead), by=lead)
    second = services.search_start(youth=youth, by=lead)
    services.jim_choose(search=second, candidate=factories.ready(second, lead, name="Karel Bakker"), by=lead)
    assert JimProfile.objects.count() == 2


@pytest.mark.parametrize(
    ("days", "level"), [(0, ""), (59, ""), (60, "warn"), (90, "warn"), (91, "limit"), (140, "limit")]
)
def test_search_warns_at_sixty_and_again_past_ninety_days(youth, lead, days, level):
    search = services.search_start(youth=youth, by=lead, started_on=days_ago(days))
    assert search.days_open() == days
    assert search.warning_level() == level


def test_a_found_search_no_longer_warns(youth, lead):
    search = services.search_start(youth=youth, by=lead, started_on=days_ago(95))
    services.jim_choose(search=search, candidate=factories.ready(search, lead), by=lead)
    search.refresh_from_db()
    assert search.warning_level() == ""
    assert search.days_open() == 95
