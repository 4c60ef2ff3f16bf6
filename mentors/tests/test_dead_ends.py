"""The wie-vraag without dead ends (issue 14): what choosing refuses is refused where it is entered."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from jimcase.tests.html import visible_text, without_tokens
from mentors import rules, services
from mentors.models import CriminalRecordCheck, FactorCheck, SuccessFactor
from mentors.stale import record_check_state, screening_state

from . import factories
from .helpers import field_error

Result = FactorCheck.Result
TODAY = timezone.localdate


def _sixteen():
    return TODAY().replace(year=TODAY().year - 16, day=1)


def _screening_post(**overrides):
    data = {f"{factor.value}_result": "met" for factor in SuccessFactor}
    data["stored_state"] = screening_state([]).token  # the form as opened: nothing checked yet
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
    assert "bewaard" not in visible_text(response)
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


# --- 2. "Choose as JIM" only for a candidate who can be chosen ---------------------------------


def _row(html, name):
    """The search page's list item of the candidate called `name`."""
    start = html.index(f'<span class="fw-semibold">{name}</span>')
    return html[start : html.index("</li>\n", start)]


def test_choose_button_only_for_a_candidate_who_can_be_chosen(login, lead, youth, search, organisation):
    organisation.requires_criminal_record_extract = True
    organisation.save()
    ready = factories.ready(search, lead, "Klaar Kandidaat")
    unscreened = factories.candidate(search, lead, "Nog Niet", status="yes")
    html = login(lead).get(reverse("mentors:search", args=[youth.pk])).content.decode()
    assert reverse("mentors:candidate_choose", args=[youth.pk, ready.pk]) in _row(html, "Klaar Kandidaat")
    assert "Nog nodig" not in _row(html, "Klaar Kandidaat")
    row = _row(html, "Nog Niet")
    assert reverse("mentors:candidate_choose", args=[youth.pk, unscreened.pk]) not in row
    assert "Nog nodig" in row
    # The very sentences of the choice rule, not a copy of them.
    with translation.override("nl"):
        blockers = rules.choice_blockers(unscreened, youth=youth)
    assert len(blockers) == 2  # the screening and the criminal-record extract
    for blocker in blockers:
        assert str(blocker) in row


def test_search_page_lists_a_missing_justification(login, lead, youth, search):
    candidate = factories.candidate(search, lead, "Hilde", status="yes", record=True)
    factories.screening_written(candidate, lead, factories.all_met(parents_agree=(Result.NOT_MET, "")))
    row = _row(login(lead).get(reverse("mentors:search", args=[youth.pk])).content.decode(), "Hilde")
    assert "schriftelijk verantwoorden" in row
    assert reverse("mentors:candidate_choose", args=[youth.pk, candidate.pk]) not in row


# --- 3. Status moves in one click on the search page -------------------------------------------


def _quick(youth, candidate):
    return reverse("mentors:candidate_status_quick", args=[youth.pk, candidate.pk])


def test_search_page_offers_one_button_per_allowed_move(login, lead, youth, search):
    candidate = factories.candidate(search, lead, "Wilma")
    row = _row(login(lead).get(reverse("mentors:search", args=[youth.pk])).content.decode(), "Wilma")
    assert f'action="{_quick(youth, candidate)}"' in row
    assert 'name="to" value="discussed"' in row
    assert 'name="csrfmiddlewaretoken"' in row
    # "not suitable" needs a reason: a link to the status page with that move chosen, not a button.
    status_url = reverse("mentors:candidate_status", args=[youth.pk, candidate.pk])
    assert f'href="{status_url}?to=not_suitable"' in row
    assert 'value="not_suitable"' not in row
    assert 'value="yes"' not in row  # not allowed from "named"


def test_one_click_moves_a_candidate_and_records_the_move(login, lead, youth, search):
    candidate = factories.candidate(search, lead, "Wilma")
    client = login(lead)
    for status in ("discussed", "asked", "yes"):
        response = client.post(_quick(youth, candidate), {"to": status})
        assert response.status_code == 302
        assert response["Location"] == reverse("mentors:search", args=[youth.pk])
    candidate.refresh_from_db()
    assert candidate.status == "yes"
    assert [(c.to_status, c.by) for c in candidate.history.all()][1:] == [
        ("discussed", lead),
        ("asked", lead),
        ("yes", lead),
    ]
    # The same click sent twice does nothing more.
    client.post(_quick(youth, candidate), {"to": "yes"})
    assert candidate.history.count() == 4


def test_one_click_refuses_a_move_that_is_not_allowed(login, lead, youth, search):
    candidate = factories.candidate(search, lead, "Wilma")
    response = login(lead).post(_quick(youth, candidate), {"to": "yes"}, follow=True)
    assert "kan niet van" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "named"


def test_one_click_sends_a_move_that_needs_a_reason_to_the_status_page(login, lead, youth, search):
    candidate = factories.candidate(search, lead, "Wilma")
    client = login(lead)
    response = client.post(_quick(youth, candidate), {"to": "not_suitable"})
    status_url = reverse("mentors:candidate_status", args=[youth.pk, candidate.pk])
    assert response["Location"] == f"{status_url}?to=not_suitable"
    candidate.refresh_from_db()
    assert candidate.status == "named"
    html = client.get(response["Location"]).content.decode()
    radio = re.search(r'<input[^>]*name="to" value="not_suitable"[^>]*>', html).group(0)
    assert "checked" in radio


def test_one_click_is_csrf_protected(lead, youth, search):
    candidate = factories.candidate(search, lead, "Wilma")
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    response = client.post(_quick(youth, candidate), {"to": "discussed"})
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == "named"


@pytest.mark.parametrize("outsider", ["colleague", "stranger", "jim", "coordinator"])
def test_one_click_is_404_for_who_may_not_see_the_youth(request, db, login, lead, youth, search, outsider):
    candidate = factories.candidate(search, lead, "Wilma")
    response = login(request.getfixturevalue(outsider)).post(_quick(youth, candidate), {"to": "discussed"})
    assert response.status_code == 404
    candidate.refresh_from_db()
    assert candidate.status == "named"


def test_a_candidate_under_18_cannot_be_moved_to_yes(login, lead, youth, search):
    candidate = factories.candidate(search, lead, "Jonge Jef", date_of_birth=_sixteen())
    for status in ("discussed", "asked"):
        candidate = services.candidate_status_set(candidate=candidate, to=status, by=lead)
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        services.candidate_status_set(candidate=candidate, to="yes", by=lead)
    assert "jonger dan 18" in exc.value.message_dict["to"][0]
    client = login(lead)
    row = _row(client.get(reverse("mentors:search", args=[youth.pk])).content.decode(), "Jonge Jef")
    assert 'value="yes"' not in row and 'value="thinking"' in row
    response = client.post(_quick(youth, candidate), {"to": "yes"}, follow=True)
    assert "jonger dan 18" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "asked"


# --- 4. The criminal-record check ---------------------------------------------------------------


def test_record_check_form_preselects_no_blank_kind(login, lead, youth, search):
    candidate = factories.candidate(search, lead, "Wilma")
    html = without_tokens(
        login(lead).get(reverse("mentors:candidate_record_check", args=[youth.pk, candidate.pk]))
    )
    radios = re.findall(r'<input[^>]*name="kind"[^>]*>', html)
    assert [re.search(r'value="([^"]*)"', radio).group(1) for radio in radios] == ["model_2", "vog"]
    assert not any("checked" in radio for radio in radios)
    assert "---------" not in html


def test_record_check_still_requires_a_kind(login, lead, youth, search):
    candidate = factories.candidate(search, lead, "Wilma")
    response = login(lead).post(
        reverse("mentors:candidate_record_check", args=[youth.pk, candidate.pk]),
        {"kind": "", "issued_on": TODAY().isoformat(), "checked_on": TODAY().isoformat()},
    )
    assert field_error(response, "kind") == "Dit veld is verplicht."
    assert not CriminalRecordCheck.objects.exists()


def _record(candidate, lead, days_old):
    return services.record_check_save(
        candidate=candidate,
        kind=CriminalRecordCheck.Kind.FLEMISH_MODEL_2,
        issued_on=TODAY() - datetime.timedelta(days=days_old),
        by=lead,
    )


def test_an_extract_older_than_the_setting_is_warned_about(login, lead, youth, search, settings):
    settings.CRIMINAL_RECORD_MAX_AGE_DAYS = 90
    old = factories.candidate(search, lead, "Oud Uittreksel", status="yes", screening=factories.all_met())
    fresh = factories.candidate(search, lead, "Vers Uittreksel", status="yes", screening=factories.all_met())
    _record(old, lead, 91)
    _record(fresh, lead, 90)
    client = login(lead)
    html = client.get(reverse("mentors:search", args=[youth.pk])).content.decode()
    assert "ouder dan de 90 dagen" in _row(html, "Oud Uittreksel")
    assert "ouder dan de 90 dagen" not in _row(html, "Vers Uittreksel")
    for address in (
        reverse("mentors:candidate_record_check", args=[youth.pk, old.pk]),
        reverse("mentors:candidate_choose", args=[youth.pk, old.pk]),
    ):
        assert "ouder dan de 90 dagen" in client.get(address).content.decode()
    assert "ouder dan de 90 dagen" not in without_tokens(
        client.get(reverse("mentors:candidate_choose", args=[youth.pk, fresh.pk]))
    )
    # A warning, not a refusal: the old extract can still be chosen on.
    assert not rules.choice_blockers(old, youth=youth)


def test_the_maximum_age_follows_the_setting(lead, search, settings):
    candidate = factories.candidate(search, lead, "Wilma")
    check = _record(candidate, lead, 40)
    settings.CRIMINAL_RECORD_MAX_AGE_DAYS = 30
    assert rules.record_check_warning(check)
    settings.CRIMINAL_RECORD_MAX_AGE_DAYS = 60
    assert rules.record_check_warning(check) == ""


def test_saving_an_old_extract_says_so(login, lead, youth, search, settings):
    settings.CRIMINAL_RECORD_MAX_AGE_DAYS = 90
    candidate = factories.candidate(search, lead, "Wilma")
    issued = (TODAY() - datetime.timedelta(days=200)).isoformat()
    response = login(lead).post(
        reverse("mentors:candidate_record_check", args=[youth.pk, candidate.pk]),
        {
            "kind": "vog",
            "issued_on": issued,
            "checked_on": TODAY().isoformat(),
            "stored_state": record_check_state(None).token,  # the form as opened: no extract yet
        },
        follow=True,
    )
    assert "ouder dan de 90 dagen" in response.content.decode()
    assert CriminalRecordCheck.objects.get().kind == "vog"
