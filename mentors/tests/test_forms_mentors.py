"""The wie-vraag's forms on their pages: bad input refused in Dutch, double submits, query counts."""

import datetime

import pytest
from django.urls import reverse

from mentors import services
from mentors.models import (
    Candidate,
    CandidateStatusChange,
    CriminalRecordCheck,
    FactorCheck,
    JimProfile,
    NetworkMember,
    Search,
)
from mentors.stale import screening_state

from . import factories
from .helpers import TODAY, field_error, token, url

# --- Bad input ----------------------------------------------------------------------------------

LONG = "x" * 10_000
HTML = "<script>alert('x')</script>"


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "Dit veld is verplicht."), (LONG, "10000"), (HTML, "zonder HTML")],
)
def test_member_form_refuses_bad_names(login, lead, world, value, message):
    before = NetworkMember.objects.count()
    response = login(lead).post(
        reverse("mentors:member_add", args=[world["youth"].pk]),
        {"name": value, "relation": "coach", "closeness": "close"},
    )
    assert response.status_code == 200
    assert message in field_error(response, "name")
    assert NetworkMember.objects.count() == before


def test_member_form_refuses_a_future_birth_date_and_a_contradiction(login, lead, world):
    client = login(lead)
    add = reverse("mentors:member_add", args=[world["youth"].pk])
    base = {"name": "Jef", "relation": "coach", "closeness": "close"}
    future = (TODAY() + datetime.timedelta(days=3)).isoformat()
    assert "toekomst" in field_error(client.post(add, base | {"date_of_birth": future}), "date_of_birth")
    response = client.post(add, base | {"date_of_birth": "2015-01-01", "is_adult": "true"})
    assert "geboortedatum" in field_error(response, "is_adult")
    response = client.post(add, base | {"email": "geen-adres", "phone": LONG})
    assert field_error(response, "email") and field_error(response, "phone")
    assert NetworkMember.objects.count() == 1


def test_member_edit_refuses_bad_input_and_keeps_the_old_data(login, lead, world):
    response = login(lead).post(
        url("member_edit", world), {"name": HTML, "relation": "coach", "closeness": "close"}
    )
    assert "zonder HTML" in field_error(response, "name")
    world["member"].refresh_from_db()
    assert world["member"].name == "Wilma Janssens"


@pytest.mark.parametrize(("reason", "message"), [("", "reden"), (LONG, "2000"), (HTML, "zonder HTML")])
def test_status_form_refuses_bad_reasons(login, lead, world, reason, message):
    candidate = world["candidate"]
    services.candidate_status_set(candidate=candidate, to="discussed", by=lead)
    before = CandidateStatusChange.objects.count()
    response = login(lead).post(url("candidate_status", world), {"to": "not_suitable", "reason": reason})
    assert response.status_code == 200
    assert message in field_error(response, "reason")
    candidate.refresh_from_db()
    assert candidate.status == "discussed"
    assert CandidateStatusChange.objects.count() == before


@pytest.mark.parametrize(("text", "message"), [(LONG, "5000"), (HTML, "zonder HTML")])
def test_screening_form_refuses_bad_justifications(login, lead, world, text, message):
    data = {
        f"{f}_result": "met"
        for f in ("adult", "not_biological_parent", "no_paid_involvement", "not_same_roof")
    }
    data |= {f"{f}_result": "met" for f in ("willing_to_cooperate", "not_romantic_partner")}
    data |= {"parents_agree_result": "not_met", "parents_agree_justification": text}
    data["stored_state"] = screening_state([]).token
    response = login(lead).post(url("candidate_screening", world), data)
    assert response.status_code == 200
    assert message in field_error(response, "parents_agree_justification")
    assert not FactorCheck.objects.exists()


def test_screening_form_requires_a_result_per_factor(login, lead, world):
    response = login(lead).post(url("candidate_screening", world), {"adult_result": "met"})
    assert field_error(response, "parents_agree_result") == "Dit veld is verplicht."
    assert not FactorCheck.objects.exists()


def test_record_check_form_refuses_empty_and_future_dates(login, lead, world):
    client = login(lead)
    response = client.post(url("candidate_record_check", world), {"kind": "", "issued_on": ""})
    assert field_error(response, "issued_on") == "Dit veld is verplicht."
    assert field_error(response, "kind") == "Dit veld is verplicht."
    future = (TODAY() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        url("candidate_record_check", world), {"kind": "vog", "issued_on": future, "checked_on": TODAY()}
    )
    assert "toekomst" in field_error(response, "issued_on")
    assert not CriminalRecordCheck.objects.exists()


@pytest.mark.parametrize(
    ("next_step", "message"), [("", "Dit veld is verplicht."), (LONG, "2000"), (HTML, "zonder HTML")]
)
def test_stop_form_refuses_bad_next_steps(login, lead, world, next_step, message):
    response = login(lead).post(
        url("search_stop", world),
        {"reason": "other", "next_step": next_step, "ended_on": TODAY().isoformat()},
    )
    assert message in field_error(response, "next_step")
    world["search"].refresh_from_db()
    assert world["search"].status == Search.Status.OPEN


def test_stop_form_refuses_a_date_before_the_start(login, lead, world):
    response = login(lead).post(
        url("search_stop", world), {"reason": "other", "next_step": "Verder.", "ended_on": "2000-01-01"}
    )
    assert "voor ze begon" in field_error(response, "ended_on")
    assert Search.objects.get().status == Search.Status.OPEN


def test_choose_form_needs_the_confirmation(login, lead, world):
    candidate = factories.ready(world["search"], lead, "Karel")
    response = login(lead).post(
        reverse("mentors:candidate_choose", args=[world["youth"].pk, candidate.pk]), {"chosen_on": TODAY()}
    )
    assert field_error(response, "confirm") == "Dit veld is verplicht."
    assert not JimProfile.objects.exists()


def test_choosing_a_blocked_candidate_through_the_page_is_refused(login, lead, world):
    response = login(lead).post(url("candidate_choose", world), {"confirm": "on", "chosen_on": TODAY()})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert not JimProfile.objects.exists()
    assert Search.objects.get().status == Search.Status.OPEN


# --- Double submits -----------------------------------------------------------------------------


def _twice(client, address, data):
    data = data | {"submission_token": token(client, address)}
    first, second = client.post(address, data), client.post(address, data)
    assert first.status_code == 302
    assert second.status_code == 302  # as if it worked: the user sees the result, not an error
    return first, second


def test_double_submit_of_a_new_member_creates_one(login, lead, world):
    client = login(lead)
    _twice(client, url("member_add", world), {"name": "Jef", "relation": "coach", "closeness": "close"})
    assert NetworkMember.objects.filter(name="Jef").count() == 1


def test_double_submit_of_a_search_start_creates_one(login, lead, youth):
    client = login(lead)
    _twice(client, reverse("mentors:search_start", args=[youth.pk]), {"started_on": TODAY().isoformat()})
    assert Search.objects.count() == 1


def test_double_submit_of_a_candidate_creates_one(login, lead, world):
    client = login(lead)
    member = factories.member(world["youth"], lead, "Jef")
    _twice(client, url("candidate_add", world), {"member": member.pk})
    assert Candidate.objects.filter(member=member).count() == 1


def test_double_submit_of_a_status_change_records_one(login, lead, world):
    client = login(lead)
    _twice(client, url("candidate_status", world), {"to": "discussed"})
    assert world["candidate"].history.count() == 2  # named, discussed


def test_double_submit_of_a_choice_creates_one_jim(login, lead, world):
    client = login(lead)
    candidate = factories.ready(world["search"], lead, "Karel")
    address = reverse("mentors:candidate_choose", args=[world["youth"].pk, candidate.pk])
    _twice(client, address, {"confirm": "on", "chosen_on": TODAY().isoformat()})
    assert JimProfile.objects.count() == 1


def test_double_submit_of_a_stop_stops_once(login, lead, world):
    client = login(lead)
    _twice(
        client, url("search_stop", world), {"reason": "other", "next_step": "Verder.", "ended_on": TODAY()}
    )
    assert Search.objects.get().status == Search.Status.STOPPED


# --- Query counts -------------------------------------------------------------------------------


def _grow(world, lead, n):
    for _i in range(n):
        factories.candidate(world["search"], lead, status="yes", screening=factories.all_met(), record=True)
        factories.member(
            world["youth"], lead, closeness="further", topics=[factories.topic(), factories.topic("money")]
        )


# network and network_map: 9 since each person's topics ("who for what") are prefetched in one query.
@pytest.mark.parametrize(("name", "queries"), [("search", 8), ("network", 9), ("network_map", 9)])
def test_pages_use_the_same_number_of_queries_at_two_sizes(
    login, lead, world, name, queries, django_assert_num_queries
):
    client = login(lead)
    address = url(name, world)
    _grow(world, lead, 1)  # one of each kind of row the page shows
    client.get(address)  # warm up the session
    with django_assert_num_queries(queries, info="one grown candidate and member"):
        client.get(address)
    _grow(world, lead, 6)
    with django_assert_num_queries(queries, info="seven grown candidates and members"):
        response = client.get(address)
    assert response.status_code == 200
    assert response.content.decode().count("Persoon") >= 7
