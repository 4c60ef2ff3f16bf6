"""Two professionals edit the same person in a youth's network: the stale save is refused (issue 11)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jimcase import services as core
from jimcase.models import CaseAssignment
from jimcase.services import StaleEdit
from jimcase.tests.html import without_tokens
from jimcase.tests.stale import REFUSED, both_open_then_first_saves, editor, form_data
from mentors import services
from mentors.models import CriminalRecordCheck, FactorCheck, NetworkMember, SuccessFactor
from mentors.stale import screening_state

from . import factories


@pytest.fixture
def backup(youth, lead, colleague):
    core.assignment_add(
        youth=youth,
        professional=colleague,
        role=CaseAssignment.Role.BACKUP,
        starts_on=datetime.date.today(),
        by=lead,
    )
    return colleague


@pytest.fixture
def member(youth, lead):
    return factories.member(youth, lead, "Wilma Janssens", phone="050 11 22 33")


def test_a_stale_save_of_a_network_member_is_refused_and_can_be_re_applied(lead, backup, youth, member):
    url = reverse("mentors:member_edit", args=[youth.pk, member.pk])
    bram, stale = both_open_then_first_saves(url, lead, backup, {"phone": "0470 12 34 56"})

    refused = bram.post(url, stale | {"email": "wilma@example.org"})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page and "Lead heeft dit opgeslagen op" in page
    assert "<dt>Telefoon</dt><dd>0470 12 34 56</dd>" in page
    assert 'value="wilma@example.org"' in page
    member.refresh_from_db()
    assert (member.phone, member.email, member.edit_version) == ("0470 12 34 56", "", 1)

    again = form_data(refused)
    assert again["edit_version"] == "1"
    response = bram.post(url, again | {"phone": "0470 12 34 56"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.phone, member.email, member.edit_version) == ("0470 12 34 56", "wilma@example.org", 2)


def test_adding_someone_to_the_network_needs_no_version(lead, youth):
    page = without_tokens(editor(lead).get(reverse("mentors:member_add", args=[youth.pk])))
    assert "edit_version" not in page


def test_member_save_refuses_a_change_on_an_older_version(lead, colleague, member):
    first = NetworkMember.objects.get(pk=member.pk)
    first.phone = "0470 12 34 56"
    services.member_save(member=first, by=lead, edit_version=0)
    second = NetworkMember.objects.get(pk=member.pk)
    second.closeness = NetworkMember.Closeness.FURTHER

    with pytest.raises(StaleEdit) as refused:
        services.member_save(member=second, by=colleague, edit_version=0)

    assert (refused.value.current.phone, refused.value.current.edited_by) == ("0470 12 34 56", lead)
    stored = NetworkMember.objects.get(pk=member.pk)
    assert (stored.phone, stored.closeness, stored.edit_version) == (
        "0470 12 34 56",
        NetworkMember.Closeness.CLOSE,
        1,
    )


def _all_met():
    return {factor.value: ("met", "") for factor in SuccessFactor}


def test_a_stale_screening_is_refused_and_keeps_the_colleagues_not_met(lead, backup, youth, search):
    # Issue 21: "parents agree: not met, father objects strongly" was overwritten by "met" from an older tab.
    candidate = factories.candidate(search, lead, "Wilma Janssens", screening=_all_met())
    url = reverse("mentors:candidate_screening", args=[youth.pk, candidate.pk])
    objection = "Vader is sterk tegen; besproken met het team."
    bram, stale = both_open_then_first_saves(
        url, lead, backup, {"parents_agree_result": "not_met", "parents_agree_justification": objection}
    )

    refused = bram.post(url, stale | {"not_same_roof_justification": "Woont apart sinds juni."})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page and "Lead heeft dit opgeslagen op" in page
    assert "<dt>De ouders gaan akkoord: resultaat</dt><dd>niet voldaan</dd>" in page
    assert f"<dt>De ouders gaan akkoord: verantwoording</dt><dd>{objection}</dd>" in page
    assert "Woont apart sinds juni.</textarea>" in page, "the user's own input is kept"
    check = FactorCheck.objects.get(candidate=candidate, factor=SuccessFactor.PARENTS_AGREE)
    assert (check.result, check.justification, check.checked_by) == ("not_met", objection, lead)
    assert not FactorCheck.objects.filter(justification="Woont apart sinds juni.").exists()


def test_after_a_refused_screening_saving_again_goes_through(lead, backup, youth, search):
    candidate = factories.candidate(search, lead, "Wilma Janssens", screening=_all_met())
    url = reverse("mentors:candidate_screening", args=[youth.pk, candidate.pk])
    objection = "Vader is sterk tegen."
    bram, stale = both_open_then_first_saves(
        url, lead, backup, {"parents_agree_result": "not_met", "parents_agree_justification": objection}
    )
    refused = bram.post(url, stale | {"not_same_roof_justification": "Woont apart."})

    # Bram read what Lead saved and keeps it; his own input is still in the form.
    again = form_data(refused) | {"parents_agree_result": "not_met", "parents_agree_justification": objection}
    response = bram.post(url, again)

    assert response.status_code == 302
    checks = {check.factor: check for check in FactorCheck.objects.filter(candidate=candidate)}
    assert (checks["parents_agree"].result, checks["parents_agree"].justification) == ("not_met", objection)
    assert (checks["not_same_roof"].justification, checks["not_same_roof"].checked_by) == (
        "Woont apart.",
        backup,
    )


def test_two_first_screenings_of_the_same_candidate_do_not_overwrite_each_other(lead, backup, youth, search):
    candidate = factories.candidate(search, lead, "Wilma Janssens")
    url = reverse("mentors:candidate_screening", args=[youth.pk, candidate.pk])
    first = {factor.value + "_result": "met" for factor in SuccessFactor}
    first |= {"parents_agree_result": "not_met", "parents_agree_justification": "Vader is tegen."}
    bram, stale = both_open_then_first_saves(url, lead, backup, first)

    refused = bram.post(url, stale | {factor.value + "_result": "met" for factor in SuccessFactor})

    assert REFUSED in refused.content.decode()
    check = FactorCheck.objects.get(candidate=candidate, factor=SuccessFactor.PARENTS_AGREE)
    assert (check.result, check.checked_by) == ("not_met", lead)


def test_screening_record_refuses_a_save_on_checks_changed_since(lead, colleague, search):
    candidate = factories.candidate(search, lead, "Wilma Janssens", screening=_all_met())
    opened = screening_state(candidate.checks.all()).token
    services.screening_record(
        candidate=candidate, results=_all_met() | {"parents_agree": ("not_met", "Vader is tegen.")}, by=lead
    )

    with pytest.raises(StaleEdit) as refused:
        services.screening_record(candidate=candidate, results=_all_met(), by=colleague, stored_state=opened)

    assert refused.value.current.by == lead
    assert FactorCheck.objects.get(candidate=candidate, factor="parents_agree").result == "not_met"


# --- The criminal-record extract (issue 21) -----------------------------------------------------


def test_a_stale_record_check_is_refused_and_keeps_the_colleagues_extract(lead, backup, youth, search):
    candidate = factories.candidate(search, lead, "Wilma Janssens")
    today = timezone.localdate()
    services.record_check_save(
        candidate=candidate,
        kind=CriminalRecordCheck.Kind.VOG,
        issued_on=today - datetime.timedelta(days=30),
        checked_on=today - datetime.timedelta(days=20),
        by=lead,
    )
    url = reverse("mentors:candidate_record_check", args=[youth.pk, candidate.pk])
    newer = today - datetime.timedelta(days=2)
    bram, stale = both_open_then_first_saves(
        url,
        lead,
        backup,
        {"kind": "model_2", "issued_on": newer.isoformat(), "checked_on": today.isoformat()},
    )

    typed = (today - datetime.timedelta(days=40)).isoformat()
    refused = bram.post(url, stale | {"issued_on": typed})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page and "Lead heeft dit opgeslagen op" in page
    assert f"<dd>{newer:%d-%m-%Y}</dd>" in page, "what Lead saved is shown"
    assert "uittreksel uit het strafregister, model 2 (Vlaanderen)</dd>" in page
    assert f'value="{typed}"' in page, "the user's own input is kept"
    check = CriminalRecordCheck.objects.get(candidate=candidate)
    assert (check.kind, check.issued_on, check.checked_by) == ("model_2", newer, lead)

    # Bram read what Lead saved; saving again goes through.
    response = bram.post(url, form_data(refused))

    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.kind, check.issued_on.isoformat(), check.checked_by) == ("vog", typed, backup)


def test_two_first_record_checks_of_the_same_candidate_do_not_overwrite_each_other(
    lead, backup, youth, search
):
    candidate = factories.candidate(search, lead, "Wilma Janssens")
    url = reverse("mentors:candidate_record_check", args=[youth.pk, candidate.pk])
    today = timezone.localdate().isoformat()
    bram, stale = both_open_then_first_saves(
        url, lead, backup, {"kind": "model_2", "issued_on": today, "checked_on": today}
    )

    refused = bram.post(url, stale | {"kind": "vog", "issued_on": today})

    assert REFUSED in refused.content.decode()
    check = CriminalRecordCheck.objects.get(candidate=candidate)
    assert (check.kind, check.checked_by) == ("model_2", lead)


def test_the_extract_form_keeps_an_exception_recorded_since_it_was_opened_for_the_same_extract(
    lead, backup, youth, search, settings
):
    # The exception is its own once-only record: an extract form opened before it neither refuses nor drops it
    # while the extract stays the same; another issue date is a new extract, which drops it (by design).
    settings.CRIMINAL_RECORD_MAX_AGE_DAYS = 90
    candidate = factories.candidate(search, lead, "Wilma Janssens")
    issued = timezone.localdate() - datetime.timedelta(days=120)
    services.record_check_save(candidate=candidate, kind="model_2", issued_on=issued, by=lead)
    url = reverse("mentors:candidate_record_check", args=[youth.pk, candidate.pk])
    bram = editor(backup)
    opened = form_data(bram.get(url))
    services.record_check_exception_record(
        candidate=candidate, reason="Nieuw uittreksel aangevraagd.", by=lead
    )

    assert bram.post(url, opened | {"kind": "vog"}).status_code == 302

    check = CriminalRecordCheck.objects.get(candidate=candidate)
    assert (check.kind, check.checked_by, check.age_exception_reason) == (
        "vog",
        backup,
        "Nieuw uittreksel aangevraagd.",
    )
    newer = (timezone.localdate() - datetime.timedelta(days=100)).isoformat()
    assert bram.post(url, form_data(bram.get(url)) | {"issued_on": newer}).status_code == 302
    check.refresh_from_db()
    assert (check.issued_on.isoformat(), check.age_exception_reason, check.age_exception_by) == (
        newer,
        "",
        None,
    )
