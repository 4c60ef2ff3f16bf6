"""Issue 22: "not in the future" and "professionals only" are each said once (jimcase.validators,
jimcase.access), and every service and page uses that one rule."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from jimcase.access import professional_only, require_professional
from jimcase.validators import future_date_message, not_in_future, validate_not_in_future
from mentors import services as mentor_services
from triads import services
from triads.access import get_triad_for_professional
from triads.models import ConsentDecision


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


# --- Not in the future ------------------------------------------------------------------------------


def test_the_one_rule_refuses_tomorrow_and_accepts_today_and_the_past():
    validate_not_in_future(timezone.localdate())
    validate_not_in_future(datetime.date(1950, 1, 1))  # no lower bound: that is validate_past_date's
    validate_not_in_future(None)
    with pytest.raises(ValidationError) as refused:
        validate_not_in_future(tomorrow())
    assert refused.value.messages == [future_date_message()]
    assert refused.value.error_list[0].code == "date_in_future"


def test_a_service_gets_the_message_beside_its_field():
    with pytest.raises(ValidationError) as refused:
        not_in_future("held_on", tomorrow())
    assert refused.value.message_dict == {"held_on": [future_date_message()]}
    not_in_future("held_on", timezone.localdate())


def test_the_message_is_dutch_in_dutch():
    from django.utils import translation

    with translation.override("nl"):
        assert future_date_message() == "Deze datum kan niet in de toekomst liggen."


@pytest.mark.django_db
def test_the_triads_and_mentors_services_use_the_one_rule(triad, parents, lead, youth):
    with pytest.raises(ValidationError) as refused:
        services.consent_record(
            triad=triad,
            parent=parents[0],
            decision=ConsentDecision.Decision.GIVEN,
            decided_on=tomorrow(),
            method="orally",
            by=lead,
        )
    assert refused.value.message_dict == {"decided_on": [future_date_message()]}

    with pytest.raises(ValidationError) as refused:
        mentor_services.search_start(youth=youth, by=lead, started_on=tomorrow())
    assert refused.value.message_dict == {"started_on": [future_date_message()]}


# --- Professionals only ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_a_professional_passes_the_door(lead, coordinator, jim):
    require_professional(lead)
    for someone in (coordinator, jim):
        with pytest.raises(Http404):
            require_professional(someone)


@pytest.mark.django_db
def test_the_decorator_refuses_before_the_view_runs(lead, jim):
    ran = []

    @professional_only
    def view(request, pk):
        ran.append(pk)
        return "page"

    request = RequestFactory().get("/")
    request.user = jim
    with pytest.raises(Http404):
        view(request, pk=1)
    assert ran == []
    request.user = lead
    assert view(request, pk=2) == "page"
    assert ran == [2]


@pytest.mark.django_db
def test_a_triad_is_not_fetched_for_a_coordinator_even_of_its_organisation(triad, coordinator, lead):
    assert get_triad_for_professional(lead, triad.pk) == triad
    with pytest.raises(Http404):
        get_triad_for_professional(coordinator, triad.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["jimcase:youth_detail", "mentors:network", "mentors:search"],
)
def test_the_pages_of_each_app_send_a_coordinator_away_with_a_404(login, coordinator, youth, url_name):
    from django.urls import reverse

    client = login(coordinator)
    pk = {"youth_pk": youth.pk} if url_name.startswith("mentors") else {"pk": youth.pk}
    assert client.get(reverse(url_name, kwargs=pk)).status_code == 404
