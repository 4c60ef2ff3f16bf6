"""The wie-vraag's dates have a plausible range: refused beside the field, nothing saved (issue 11)."""

import datetime

import pytest
from django.urls import reverse

from jimcase.tests import clock
from mentors.models import NetworkMember, Search

from .helpers import field_error, token

FAR_AHEAD = (clock.TODAY + datetime.timedelta(days=3 * 365)).isoformat()


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31", FAR_AHEAD])
def test_a_search_cannot_start_on_an_implausible_date(login, lead, youth, day):
    client = login(lead)
    url = reverse("mentors:search_start", args=[youth.pk])
    response = client.post(url, {"started_on": day, "submission_token": token(client, url)})
    assert response.status_code == 200
    assert field_error(response, "started_on")
    assert not Search.objects.exists()


@pytest.mark.parametrize(
    ("day", "accepted"), [("1800-01-01", False), ("1955-06-01", True), (FAR_AHEAD, False)]
)
def test_a_network_member_born_long_before_the_youth_is_fine_but_not_before_1900(
    login, lead, youth, day, accepted
):
    client = login(lead)
    url = reverse("mentors:member_add", args=[youth.pk])
    data = {"name": "Oma Rita", "relation": "grandparent", "closeness": "close", "date_of_birth": day}
    response = client.post(url, {**data, "submission_token": token(client, url)})
    assert NetworkMember.objects.filter(youth=youth).exists() == accepted
    if not accepted:
        assert field_error(response, "date_of_birth")
