"""An extract older than the organisation's maximum blocks the choice: a recent extract, or a professional's
recorded, reasoned exception (who, when, why) lifts it (issue 21)."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jimcase.tests.html import without_tokens
from mentors import services
from mentors.models import CriminalRecordCheck, Search
from mentors.rules import choice_blockers

from . import factories
from .helpers import field_error, token

TODAY = timezone.localdate
OLD = "Het uittreksel van het strafregister is ouder dan de 90 dagen"


@pytest.fixture
def old_extract(search, lead, organisation, settings):
    """A candidate ready to be chosen, but for an extract issued 120 days ago (the organisation accepts 90)."""
    settings.CRIMINAL_RECORD_MAX_AGE_DAYS = 90
    organisation.requires_criminal_record_extract = True
    organisation.save()
    candidate = factories.candidate(
        search, lead, "Wilma Janssens", status="yes", screening=factories.all_met()
    )
    services.record_check_save(
        candidate=candidate,
        kind=CriminalRecordCheck.Kind.FLEMISH_MODEL_2,
        issued_on=TODAY() - datetime.timedelta(days=120),
        checked_on=TODAY() - datetime.timedelta(days=100),
        by=lead,
    )
    return candidate


def search_page(client, youth):
    return without_tokens(client.get(reverse("mentors:search", args=[youth.pk])))


def test_an_extract_older_than_the_maximum_blocks_the_choice(old_extract, search, lead, youth):
    blockers = choice_blockers(old_extract, youth=youth)
    assert any("older than the 90 days" in b or "ouder dan de 90 dagen" in b for b in blockers), blockers
    with pytest.raises(ValidationError):
        services.jim_choose(search=search, candidate=old_extract, by=lead)
    assert Search.objects.get().status == Search.Status.OPEN


def test_the_search_page_lists_it_as_missing_and_offers_no_choice(login, old_extract, youth, lead):
    client = login(lead)
    body = search_page(client, youth)
    choose = reverse("mentors:candidate_choose", args=[youth.pk, old_extract.pk])
    assert choose not in body
    missing = body.split('class="small mt-2 choice-missing"', 1)[1].split("</div>", 1)[0]
    assert OLD in missing
    assert reverse("mentors:candidate_record_exception", args=[youth.pk, old_extract.pk]) in body
    # The choice page refuses it too, and POSTing it chooses nothing.
    page = client.get(choose).content.decode()
    assert OLD in page
    client.post(choose, {"chosen_on": TODAY().isoformat(), "confirm": "on", "submission_token": uuid.uuid4()})
    assert Search.objects.get().status == Search.Status.OPEN


def test_a_recent_extract_lifts_the_block(old_extract, search, lead, youth):
    services.record_check_save(
        candidate=old_extract, kind=CriminalRecordCheck.Kind.VOG, issued_on=TODAY(), by=lead
    )
    assert choice_blockers(old_extract, youth=youth) == []
    services.jim_choose(search=search, candidate=old_extract, by=lead)
    assert Search.objects.get().status == Search.Status.FOUND


def test_a_reasoned_exception_lifts_the_block_and_shows_who_when_and_why(
    login, old_extract, search, lead, youth
):
    client = login(lead)
    address = reverse("mentors:candidate_record_exception", args=[youth.pk, old_extract.pk])
    response = client.post(
        address,
        {
            "reason": "Nieuw uittreksel aangevraagd, duurt drie weken.",
            "submission_token": token(client, address),
        },
    )
    assert response.status_code == 302
    check = CriminalRecordCheck.objects.get()
    assert (check.age_exception_reason, check.age_exception_by) == (
        "Nieuw uittreksel aangevraagd, duurt drie weken.",
        lead,
    )
    assert check.age_exception_at is not None
    assert choice_blockers(old_extract, youth=youth) == []
    choose = reverse("mentors:candidate_choose", args=[youth.pk, old_extract.pk])
    page = client.get(choose).content.decode()
    assert "Nieuw uittreksel aangevraagd, duurt drie weken." in page
    assert f"Uitzondering genoteerd door {lead}" in page and TODAY().strftime("%d-%m-%Y") in page
    assert "Nieuw uittreksel aangevraagd" in search_page(client, youth)
    assert choose in search_page(client, youth)
    services.jim_choose(search=search, candidate=old_extract, by=lead)
    assert Search.objects.get().status == Search.Status.FOUND


def test_an_exception_needs_a_reason_in_plain_text(login, old_extract, youth, lead):
    client = login(lead)
    address = reverse("mentors:candidate_record_exception", args=[youth.pk, old_extract.pk])
    for reason, expected in (("", "verplicht"), ("   ", "verplicht"), ("<b>ok</b>", "gewone tekst")):
        response = client.post(address, {"reason": reason, "submission_token": token(client, address)})
        assert response.status_code == 200
        assert expected in field_error(response, "reason"), reason
    assert CriminalRecordCheck.objects.get().age_exception_reason == ""
    with pytest.raises(ValidationError):
        services.record_check_exception_record(candidate=old_extract, reason="  ", by=lead)


def test_no_exception_for_a_recent_extract_and_a_new_extract_drops_an_old_exception(
    old_extract, lead, colleague, youth
):
    services.record_check_exception_record(candidate=old_extract, reason="Wacht op een nieuw.", by=lead)
    # Once per extract: nobody overwrites it.
    with pytest.raises(ValidationError):
        services.record_check_exception_record(candidate=old_extract, reason="Iets anders.", by=colleague)
    assert CriminalRecordCheck.objects.get().age_exception_reason == "Wacht op een nieuw."
    # Another extract, still too old: the exception was for the earlier one.
    services.record_check_save(
        candidate=old_extract,
        kind=CriminalRecordCheck.Kind.VOG,
        issued_on=TODAY() - datetime.timedelta(days=110),
        by=lead,
    )
    check = CriminalRecordCheck.objects.get()
    assert (check.age_exception_reason, check.age_exception_by, check.age_exception_at) == ("", None, None)
    assert any("90" in b for b in choice_blockers(old_extract, youth=youth))
    services.record_check_save(
        candidate=old_extract, kind=CriminalRecordCheck.Kind.VOG, issued_on=TODAY(), by=lead
    )
    with pytest.raises(ValidationError):
        services.record_check_exception_record(candidate=old_extract, reason="Niet nodig.", by=lead)


@pytest.mark.parametrize("member", ["colleague", "stranger", "jim", "coordinator"])
def test_outsiders_get_404_on_the_exception_page(cast, login, old_extract, youth, member):
    client = login(cast[member])
    address = reverse("mentors:candidate_record_exception", args=[youth.pk, old_extract.pk])
    assert client.get(address).status_code == 404
    assert client.post(address, {"reason": "Mag."}).status_code == 404
    assert CriminalRecordCheck.objects.get().age_exception_reason == ""
