"""The screening's "the parents agree" shows what the file records about consent beside it (issue 21), so the
factor and the recorded consent cannot silently disagree."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jimcase import services as case_services
from jimcase.models import ParentGuardian
from jimcase.tests.html import without_tokens

from . import factories


def parents_agree_fieldset(html):
    """The fieldset of "the parents agree" on the screening page."""
    match = re.search(
        r"<fieldset[^>]*>\s*<legend[^>]*>de ouders gaan akkoord</legend>(.*?)</fieldset>", html, re.S
    )
    assert match, "the screening has the factor 'de ouders gaan akkoord'"
    return match.group(1)


@pytest.fixture
def screening_page(login, lead, search):
    candidate = factories.candidate(search, lead)
    client = login(lead)
    url = reverse("mentors:candidate_screening", args=[search.youth_id, candidate.pk])
    return lambda: parents_agree_fieldset(without_tokens(client.get(url)))


def test_no_parents_recorded_is_said_beside_the_factor(screening_page, youth):
    shown = screening_page()
    assert (
        "Geen ouders of voogd met ouderlijk gezag ingevuld, en geen reden waarom niemand kan beslissen."
        in shown
    )
    assert reverse("jimcase:youth_detail", args=[youth.pk]) in shown


def test_the_parents_with_authority_are_named_beside_the_factor(screening_page, youth):
    ParentGuardian.objects.create(youth=youth, name="Els Wouters", relation="mother")
    ParentGuardian.objects.create(
        youth=youth, name="Greet Pleeg", relation="foster_parent", has_parental_authority=False
    )
    shown = screening_page()
    assert "Ouders of voogd met ouderlijk gezag: Els Wouters (moeder)" in shown
    assert "Greet Pleeg" not in shown
    assert "Nog geen beslissing genoteerd" in shown


def test_nobody_can_decide_is_shown_with_its_reason(screening_page, youth, lead):
    case_services.nobody_can_decide_record(
        youth=youth, reason="deceased", explanation="Beide ouders overleden in 2024.", by=lead
    )
    shown = screening_page()
    assert "de ouders zijn overleden" in shown and "Beide ouders overleden in 2024." in shown
    assert "Geen ouders of voogd" not in shown


def test_an_adult_needs_no_consent_beside_the_factor(screening_page, youth):
    today = timezone.localdate()
    youth.date_of_birth = today.replace(year=today.year - 19, day=1)
    youth.save()
    assert "De jongere is 18 of ouder: toestemming van de ouders is niet nodig." in screening_page()
