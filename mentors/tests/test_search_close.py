"""When a search closes (found or stopped), its candidates still in the running end as "not chosen": a
recorded status change with who, when and why, shown so on the search page (issue 21)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from jimcase.tests.html import without_tokens
from mentors import services
from mentors.models import Candidate, CandidateStatusChange, Search
from mentors.rules import CANDIDATE_TRANSITIONS

from . import factories

Status = Candidate.Status


@pytest.fixture
def field(search, lead):
    """The youth named four people: one said yes and is ready, one is named, one thinks it over, one said no."""
    chosen = factories.ready(search, lead, "Wilma Janssens")
    named = factories.candidate(search, lead, "Tante Mie")
    thinking = factories.candidate(search, lead, "Oom Jef")
    for to in ("discussed", "asked", "thinking"):
        thinking = services.candidate_status_set(candidate=thinking, to=to, by=lead)
    refused = factories.candidate(search, lead, "Buurman Piet")
    for to in ("discussed", "asked"):
        refused = services.candidate_status_set(candidate=refused, to=to, by=lead)
    refused = services.candidate_status_set(candidate=refused, to="no", by=lead, reason="Geen tijd.")
    return {"chosen": chosen, "named": named, "thinking": thinking, "refused": refused}


def statuses():
    return dict(Candidate.objects.values_list("member__name", "status"))


def test_choosing_a_jim_ends_the_others_in_the_running_as_not_chosen(field, search, colleague, lead, youth):
    services.jim_choose(search=search, candidate=field["chosen"], by=colleague)
    assert statuses() == {
        "Wilma Janssens": Status.YES,
        "Tante Mie": Status.NOT_CHOSEN,
        "Oom Jef": Status.NOT_CHOSEN,
        "Buurman Piet": Status.NO,  # a final answer stays as it was
    }
    for name, was in (("Tante Mie", Status.NAMED), ("Oom Jef", Status.THINKING)):
        change = CandidateStatusChange.objects.filter(candidate__member__name=name).last()
        assert (change.from_status, change.to_status, change.by, change.reason) == (
            was,
            Status.NOT_CHOSEN,
            colleague,
            CandidateStatusChange.Why.SEARCH_FOUND,
        )
    with translation.override("nl-be"):
        change = CandidateStatusChange.objects.filter(candidate=field["named"]).last()
        assert change.reason_text == "De zoektocht is afgesloten: de jongere koos een JIM."


def test_stopping_a_search_ends_its_candidates_as_not_chosen(field, search, lead):
    services.search_stop(search=search, reason="no_jim_found", next_step="Verder met de hulp.", by=lead)
    assert statuses() == {
        "Wilma Janssens": Status.NOT_CHOSEN,
        "Tante Mie": Status.NOT_CHOSEN,
        "Oom Jef": Status.NOT_CHOSEN,
        "Buurman Piet": Status.NO,
    }
    assert set(
        CandidateStatusChange.objects.filter(to_status=Status.NOT_CHOSEN).values_list("reason", "by")
    ) == {(CandidateStatusChange.Why.SEARCH_STOPPED, lead.pk)}


def test_the_search_page_shows_them_as_not_chosen(login, field, search, lead, youth):
    services.jim_choose(search=search, candidate=field["chosen"], by=lead)
    body = without_tokens(login(lead).get(reverse("mentors:search", args=[youth.pk])))
    assert body.count("badge status-not_chosen") == 2
    assert "niet gekozen" in body
    assert "De zoektocht is afgesloten: de jongere koos een JIM." in body
    assert "denkt erover na" not in body and "genoemd door de jongere" not in body
    status_page = (
        login(lead)
        .get(reverse("mentors:candidate_status", args=[youth.pk, field["named"].pk]))
        .content.decode()
    )
    assert "niet gekozen" in status_page and "De zoektocht is afgesloten" in status_page


def test_nobody_moves_a_candidate_to_not_chosen_by_hand(field, lead):
    assert all(Status.NOT_CHOSEN not in moves for moves in CANDIDATE_TRANSITIONS.values())
    with pytest.raises(ValidationError):
        services.candidate_status_set(candidate=field["named"], to=Status.NOT_CHOSEN, by=lead)
    assert Candidate.objects.get(pk=field["named"].pk).status == Status.NAMED
    assert Search.objects.get().status == Search.Status.OPEN
