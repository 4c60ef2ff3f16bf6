"""The wie-vraag's pages: who may open what, what the lead sees, the access log and the flows through the pages."""

import datetime
import uuid

import pytest
from django.urls import reverse

from jimcase import services as core
from jimcase.models import AccessLog, Youth
from jimcase.tests.html import select, without_tokens
from mentors import services
from mentors.models import (
    Candidate,
    CandidateStatusChange,
    CriminalRecordCheck,
    FactorCheck,
    NetworkMember,
    Search,
)
from mentors.stale import record_check_state, screening_state

from . import factories
from .helpers import TODAY, field_error, url

OUTSIDERS = ["colleague", "stranger", "jim", "other_jim", "coordinator", "other_coordinator"]


GET_PAGES = [
    "network",
    "network_map",
    "member_add",
    "member_edit",
    "search",
    "search_start",
    "search_stop",
    "candidate_add",
    "candidate_status",
    "candidate_screening",
    "candidate_record_check",
    "candidate_choose",
]
POST_PAGES = [name for name in GET_PAGES if name not in ("network", "network_map", "search")] + [
    "candidate_move"
]

POST_DATA = {
    "member_add": {"name": "Indringer", "relation": "coach", "closeness": "close"},
    "member_edit": {"name": "Overschreven", "relation": "coach", "closeness": "close"},
    "search_start": {"started_on": "2026-01-01"},
    "search_stop": {"reason": "other", "next_step": "Stop.", "ended_on": "2026-01-01"},
    "candidate_status": {"to": "discussed"},
    "candidate_move": {"direction": "down"},
    "candidate_screening": {"adult_result": "met"},
    "candidate_record_check": {"kind": "vog", "issued_on": "2026-01-01", "checked_on": "2026-01-01"},
    "candidate_choose": {"confirm": "on", "chosen_on": "2026-01-01"},
}


def _snapshot():
    return (
        list(NetworkMember.objects.values_list("pk", "name")),
        list(Search.objects.values_list("pk", "status")),
        list(Candidate.objects.values_list("pk", "status", "preference")),
        FactorCheck.objects.count(),
        CriminalRecordCheck.objects.count(),
        CandidateStatusChange.objects.count(),
    )


# --- Who may open what --------------------------------------------------------------------------


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", GET_PAGES)
def test_outsiders_get_404_on_every_page(cast, login, world, who, name):
    response = login(cast[who]).get(url(name, world))
    assert response.status_code == 404
    assert "Wilma" not in without_tokens(response)


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", POST_PAGES)
def test_outsiders_get_404_on_every_write_and_nothing_changes(cast, login, world, who, name):
    before = _snapshot()
    response = login(cast[who]).post(url(name, world), POST_DATA.get(name, {}))
    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize("name", GET_PAGES + ["candidate_move"])
def test_anonymous_visitor_is_sent_to_login(client, world, name):
    for response in (client.get(url(name, world)), client.post(url(name, world), POST_DATA.get(name, {}))):
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("login"))


def test_the_youths_jim_never_sees_a_mentors_page_even_with_a_permission(login, jim, world):
    # Even a (wrongly) granted object permission does not open the professionals' pages to a JIM.
    core.youth_access_grant(youth=world["youth"], to=jim)
    assert login(jim).get(url("network", world)).status_code == 404
    assert login(jim).get(url("network_map", world)).status_code == 404


def test_team_colleague_sees_the_pages_once_the_youth_is_shared(login, lead, colleague, world):
    client = login(colleague)
    assert client.get(url("search", world)).status_code == 404
    core.youth_update(youth=world["youth"], by=lead, shared_with_team=True)
    response = client.get(url("search", world))
    assert response.status_code == 200
    assert "Wilma Janssens" in response.content.decode()
    assert "Wilma Janssens" in client.get(url("network", world)).content.decode()


def test_a_child_object_of_another_youth_is_404_even_for_its_own_lead(login, lead, world, make_youth):
    (other_youth,) = make_youth()
    other_member = factories.member(other_youth, lead, "Andere Persoon")
    other_search = services.search_start(youth=other_youth, by=lead)
    other_candidate = services.candidate_add(search=other_search, member=other_member, by=lead)
    client = login(lead)
    y = world["youth"].pk
    assert client.get(reverse("mentors:member_edit", args=[y, other_member.pk])).status_code == 404
    assert client.get(reverse("mentors:candidate_status", args=[y, other_candidate.pk])).status_code == 404
    assert client.get(reverse("mentors:candidate_add", args=[y, other_search.pk])).status_code == 404
    assert client.post(reverse("mentors:candidate_move", args=[y, other_candidate.pk])).status_code == 404


def test_an_ended_assignment_closes_the_pages(login, lead, colleague, world):
    assignment = core.assignment_add(
        youth=world["youth"], professional=colleague, role="backup", starts_on=TODAY(), by=lead
    )
    client = login(colleague)
    assert client.get(url("search", world)).status_code == 200
    core.assignment_end(assignment=assignment, by=lead)
    assert client.get(url("search", world)).status_code == 404


# --- What the lead sees -------------------------------------------------------------------------


def test_lead_sees_every_page_with_its_content(login, lead, world):
    client = login(lead)
    expected = {
        "network": ["Wilma Janssens", "<svg", "Netwerk van Lotte"],
        "network_map": ["Wilma Janssens"],
        "member_add": ['name="name"', 'name="submission_token"'],
        "member_edit": ['value="Wilma Janssens"'],
        "search": ["Wie-vraag voor Lotte", "Wilma Janssens", "10 dagen"],
        "search_start": ['name="started_on"'],
        "search_stop": ['name="next_step"', 'name="reason"'],
        "candidate_add": ["Iedereen uit het netwerk is al kandidaat"],
        "candidate_status": ['name="to"', 'value="discussed"', "Geschiedenis"],
        "candidate_screening": ['name="adult_result"', 'name="parents_agree_justification"'],
        "candidate_record_check": ['name="kind"', 'name="issued_on"'],
        "candidate_choose": ["Wilma Janssens", "kan nog niet gekozen worden"],
    }
    for name in GET_PAGES:
        response = client.get(url(name, world))
        assert response.status_code == 200, name
        html = without_tokens(response)
        for text in expected[name]:
            assert text in html, (name, text)
        assert "<script>" not in html


def test_candidate_add_offers_only_members_not_yet_candidates(login, lead, world):
    factories.member(world["youth"], lead, "Jef Verhaegen")
    html = without_tokens(login(lead).get(url("candidate_add", world)))
    assert 'name="member"' in html
    assert "Jef Verhaegen" in html
    assert "Wilma Janssens" not in html


def test_search_page_without_search_offers_to_start(login, lead, youth):
    html = login(lead).get(reverse("mentors:search", args=[youth.pk])).content.decode()
    assert "Nog geen zoektocht" in html
    assert reverse("mentors:search_start", args=[youth.pk]) in html


def test_search_page_warns_at_sixty_and_past_ninety_days(login, lead, youth, world):
    search = world["search"]
    client = login(lead)
    assert select(client.get(url("search", world)), ".alert-warning") == []
    Search.objects.filter(pk=search.pk).update(started_on=TODAY() - datetime.timedelta(days=60))
    html = client.get(url("search", world)).content.decode()
    assert "alert-warning" in html and "60 dagen" in html
    Search.objects.filter(pk=search.pk).update(started_on=TODAY() - datetime.timedelta(days=91))
    html = client.get(url("search", world)).content.decode()
    assert "alert-danger" in html and "meer dan 90 dagen" in html


def test_search_page_shows_the_help_is_on_hold(login, lead, world):
    assert "De hulp staat on hold" in login(lead).get(url("search", world)).content.decode()


def test_found_search_shows_the_jim_and_the_next_step(login, lead, world):
    candidate = factories.ready(world["search"], lead, "Karel Bakker")
    services.jim_choose(search=world["search"], candidate=candidate, by=lead)
    html = login(lead).get(url("search", world)).content.decode()
    assert "Karel Bakker" in html
    assert "Volgende stap: de triade" in html
    assert reverse("mentors:search_start", args=[world["youth"].pk]) in html  # may start again


def test_second_jim_is_warned_on_search_and_choose_pages(login, lead, youth, world):
    services.jim_choose(
        search=world["search"], candidate=factories.ready(world["search"], lead, "Eerste"), by=lead
    )
    second = services.search_start(youth=youth, by=lead)
    candidate = factories.ready(second, lead, "Tweede")
    client = login(lead)
    warning = "heeft al een JIM"
    assert warning in client.get(reverse("mentors:search", args=[youth.pk])).content.decode()
    assert (
        warning
        in client.get(reverse("mentors:candidate_choose", args=[youth.pk, candidate.pk])).content.decode()
    )


def test_choose_page_lists_what_blocks_and_the_justifications(login, lead, world):
    results = factories.all_met(
        not_same_roof=("not_met", "Woont tijdelijk in."), parents_agree=("not_met", "")
    )
    candidate = factories.candidate(world["search"], lead, "Hilde", status="yes")
    factories.screening_written(candidate, lead, results)  # saved before the screening refused it
    html = without_tokens(
        login(lead).get(reverse("mentors:candidate_choose", args=[world["youth"].pk, candidate.pk]))
    )
    assert "Woont tijdelijk in." in html
    assert "schriftelijk" in html  # the parents_agree factor still needs a justification
    assert 'name="confirm"' not in html


# --- Access log ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("network", "mentors:network"),
        ("network_map", "mentors:network_map"),
        ("search", "mentors:search"),
        ("candidate_choose", "mentors:candidate_choose"),
    ],
)
def test_get_pages_write_the_access_log(login, lead, world, name, page):
    login(lead).get(url(name, world))
    entry = AccessLog.objects.get(page=page)
    assert (entry.youth, entry.user) == (world["youth"], lead)


def test_outsider_visits_write_no_access_log(login, stranger, world):
    login(stranger).get(url("search", world))
    assert not AccessLog.objects.filter(user=stranger).exists()


# --- Flows through the pages --------------------------------------------------------------------


def test_lead_runs_the_wie_vraag_through_the_pages(login, lead, youth, organisation):
    organisation.requires_criminal_record_extract = True
    organisation.save()
    client = login(lead)
    y = youth.pk
    response = client.post(
        reverse("mentors:member_add", args=[y]),
        {
            "name": "Wilma Janssens",
            "relation": "family_friend",
            "closeness": "close",
            "is_adult": "true",
            "email": "wilma@example.be",
            "submission_token": uuid.uuid4(),
        },
    )
    assert response.status_code == 302
    member = NetworkMember.objects.get(youth=youth)
    client.post(reverse("mentors:search_start", args=[y]), {"started_on": TODAY().isoformat()})
    search = Search.objects.get(youth=youth)
    youth.refresh_from_db()
    assert youth.stage == Youth.Stage.SEARCHING
    client.post(reverse("mentors:candidate_add", args=[y, search.pk]), {"member": member.pk})
    candidate = Candidate.objects.get()
    for status in ("discussed", "asked", "yes"):
        response = client.post(reverse("mentors:candidate_status", args=[y, candidate.pk]), {"to": status})
        assert response.status_code == 302
    screening = {f"{f}_result": "met" for f in ("adult", "not_biological_parent", "no_paid_involvement")}
    screening |= {
        f"{f}_result": "met" for f in ("not_same_roof", "willing_to_cooperate", "not_romantic_partner")
    }
    screening["parents_agree_result"] = "not_met"
    screening["parents_agree_justification"] = "Vader is tegen; moeder akkoord. Besproken met het team."
    screening["stored_state"] = screening_state([]).token  # the form as opened: nothing checked yet
    assert (
        client.post(reverse("mentors:candidate_screening", args=[y, candidate.pk]), screening).status_code
        == 302
    )
    response = client.post(
        reverse("mentors:candidate_record_check", args=[y, candidate.pk]),
        {
            "kind": "model_2",
            "issued_on": TODAY().isoformat(),
            "checked_on": TODAY().isoformat(),
            "stored_state": record_check_state(None).token,  # the form as opened: no extract yet
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("mentors:candidate_choose", args=[y, candidate.pk]),
        {"confirm": "on", "chosen_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    search.refresh_from_db()
    youth.refresh_from_db()
    assert search.status == Search.Status.FOUND
    assert search.jim_profile.email == "wilma@example.be"
    assert youth.stage == Youth.Stage.JIM_FOUND


def test_stop_through_the_page(login, lead, world):
    response = login(lead).post(
        url("search_stop", world),
        {
            "reason": "youth_withdrew",
            "next_step": "Gezinsbegeleiding start opnieuw.",
            "ended_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    world["search"].refresh_from_db()
    world["youth"].refresh_from_db()
    assert world["search"].status == Search.Status.STOPPED
    assert world["youth"].stage == Youth.Stage.SEARCH_STOPPED


def test_move_buttons_change_the_order(login, lead, world):
    second = factories.candidate(world["search"], lead, "Jef")
    login(lead).post(
        reverse("mentors:candidate_move", args=[world["youth"].pk, second.pk]), {"direction": "up"}
    )
    order = list(world["search"].candidates.order_by("preference").values_list("member__name", flat=True))
    assert order == ["Jef", "Wilma Janssens"]


def test_move_is_post_only(login, lead, world):
    assert login(lead).get(url("candidate_move", world)).status_code == 405


def test_starting_a_second_search_shows_a_dutch_error(login, lead, world):
    response = login(lead).post(url("search_start", world), {"started_on": TODAY().isoformat()})
    assert response.status_code == 200
    assert "Er loopt al een zoektocht" in response.content.decode()
    assert Search.objects.count() == 1


def test_a_disallowed_status_is_not_offered_and_refused(login, lead, world):
    client = login(lead)
    html = without_tokens(client.get(url("candidate_status", world)))
    assert 'value="yes"' not in html
    response = client.post(url("candidate_status", world), {"to": "yes"})
    assert response.status_code == 200
    assert field_error(response, "to")
    world["candidate"].refresh_from_db()
    assert world["candidate"].status == "named"
