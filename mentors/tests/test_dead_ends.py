"""The wie-vraag without dead ends (issue 14): what choosing refuses is refused where it is entered."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from mentors import rules, services
from mentors.models import FactorCheck, SuccessFactor

from . import factories
from .helpers import field_error

Result = FactorCheck.Result
TODAY = timezone.localdate


def _sixteen():
    return TODAY().replace(year=TODAY().year - 16, day=1)


def _screening_post(**overrides):
    data = {f"{factor.value}_result": "met" for factor in SuccessFactor}
    data.update(overrides)
    return data


# --- 1. Screening refuses at save time what choosing refuses later ------------------------------


def test_screening_service_refuses_not_met_without_a_justification(search, lead):
    candidate = factories.candidate(search, lead)
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        services.screening_record(
            candidate=candidate, results=factories.all_met(not_same_roof=(Result.NOT_MET, "  ")), by=lead
        )
    assert "schriftelijk" in exc.value.message_dict["not_same_roof"][0]
    assert not FactorCheck.objects.exists()


def test_screening_service_refuses_age_met_for_a_member_born_under_18(search, lead):
    candidate = factories.candidate(search, lead, date_of_birth=_sixteen())
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        services.screening_record(candidate=candidate, results=factories.all_met(), by=lead)
    assert "jonger dan 18" in exc.value.message_dict["adult"][0]
    assert not FactorCheck.objects.exists()


def test_screening_service_accepts_age_not_met_for_a_minor(search, lead):
    """The truth may be recorded: a minor screened as not adult is saved (and is a hard stop)."""
    candidate = factories.candidate(search, lead, date_of_birth=_sixteen())
    services.screening_record(
        candidate=candidate, results=factories.all_met(adult=(Result.NOT_MET, "")), by=lead
    )
    assert FactorCheck.objects.filter(candidate=candidate).count() == 7
    assert rules.hard_stop(candidate)


def test_screening_page_shows_the_missing_justification_beside_its_field(login, lead, youth, search):
    candidate = factories.candidate(search, lead)
    address = reverse("mentors:candidate_screening", args=[youth.pk, candidate.pk])
    response = login(lead).post(address, _screening_post(parents_agree_result="not_met"))
    assert response.status_code == 200
    assert "schriftelijk" in field_error(response, "parents_agree_justification")
    assert "bewaard" not in response.content.decode()
    assert not FactorCheck.objects.exists()


def test_screening_page_refuses_age_met_for_a_member_born_under_18(login, lead, youth, search):
    candidate = factories.candidate(search, lead, date_of_birth=_sixteen())
    address = reverse("mentors:candidate_screening", args=[youth.pk, candidate.pk])
    response = login(lead).post(address, _screening_post())
    assert response.status_code == 200
    assert "jonger dan 18" in field_error(response, "adult_result")
    assert not FactorCheck.objects.exists()


def test_the_screening_rule_is_the_choice_rule(search, lead):
    """One rule: a not-met factor without justification written past the service still blocks the choice."""
    candidate = factories.ready(search, lead)
    FactorCheck.objects.filter(candidate=candidate, factor=SuccessFactor.PARENTS_AGREE).update(
        result=Result.NOT_MET, justification=""
    )
    problems = rules.screening_problems(candidate.member, {SuccessFactor.PARENTS_AGREE: (Result.NOT_MET, "")})
    blockers = rules.choice_blockers(candidate, youth=search.youth)
    assert problems[SuccessFactor.PARENTS_AGREE] in blockers
