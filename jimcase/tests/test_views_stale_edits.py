"""Two professionals edit the same youth: the second, stale save is refused and can be re-applied (issue 11)."""

import datetime

import pytest
from django.urls import reverse
from guardian.shortcuts import get_perms

from jimcase import services
from jimcase.models import CaseAssignment, ParentGuardian, Youth
from jimcase.tests.html import without_tokens

from .stale import REFUSED, both_open_then_first_saves, editor, form_data


@pytest.fixture
def backup(youth, lead, colleague):
    """The colleague, assigned to the youth as backup: she may edit the file too."""
    services.assignment_add(
        youth=youth,
        professional=colleague,
        role=CaseAssignment.Role.BACKUP,
        starts_on=datetime.date.today(),
        by=lead,
    )
    return colleague


@pytest.fixture
def parent(youth, lead):
    return services.parent_save(
        parent=ParentGuardian(youth=youth, name="Els Wouters", relation="mother", phone="050 11 22 33"),
        by=lead,
    )


def test_a_stale_save_of_a_youth_is_refused_and_shows_what_the_other_saved(lead, backup, youth):
    url = reverse("jimcase:youth_edit", args=[youth.pk])
    bram, stale = both_open_then_first_saves(url, lead, backup, {"school_work": "Bakkerij De Zon"})

    refused = bram.post(url, stale | {"pronoun": "zij"})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page
    assert "Lead heeft dit opgeslagen op" in page
    assert "<dt>School / werk</dt><dd>Bakkerij De Zon</dd>" in page
    assert 'name="pronoun" value="zij"' in page, "the user's own input is kept"
    youth.refresh_from_db()
    assert (youth.school_work, youth.pronoun, youth.edit_version) == ("Bakkerij De Zon", "", 1)


def test_after_a_refused_stale_save_of_a_youth_saving_again_goes_through(lead, backup, youth):
    url = reverse("jimcase:youth_edit", args=[youth.pk])
    bram, stale = both_open_then_first_saves(url, lead, backup, {"school_work": "Bakkerij De Zon"})
    refused = bram.post(url, stale | {"pronoun": "zij"})

    again = form_data(refused)
    assert again["edit_version"] == "1", "the re-shown form carries the version saved now"
    # Bram read what Lead saved and keeps it; his own change is still in the form.
    response = bram.post(url, again | {"school_work": "Bakkerij De Zon"})

    assert response.status_code == 302
    youth.refresh_from_db()
    assert (youth.school_work, youth.pronoun) == ("Bakkerij De Zon", "zij")
    assert (youth.edit_version, youth.edited_by) == (2, backup)


def test_a_stale_save_that_would_share_the_youth_with_the_team_grants_nothing(lead, backup, youth, team_a):
    url = reverse("jimcase:youth_edit", args=[youth.pk])
    bram, stale = both_open_then_first_saves(url, lead, backup, {"school_work": "Bakkerij De Zon"})

    refused = bram.post(url, stale | {"shared_with_team": "on"})

    assert REFUSED in refused.content.decode()
    assert not Youth.objects.get(pk=youth.pk).shared_with_team
    assert get_perms(team_a.group, youth) == []


def test_an_edit_form_without_its_version_is_refused_in_dutch_and_saves_nothing(lead, youth):
    browser = editor(lead)
    url = reverse("jimcase:youth_edit", args=[youth.pk])
    data = form_data(browser.get(url))
    del data["edit_version"]

    response = browser.post(url, data | {"school_work": "Bakkerij De Zon"})

    assert response.status_code == 200
    assert "Dit formulier is verouderd" in response.content.decode()
    youth.refresh_from_db()
    assert (youth.school_work, youth.edit_version) == ("", 0)


def test_registering_a_youth_needs_no_version(lead):
    page = without_tokens(editor(lead).get(reverse("jimcase:youth_create")))
    assert "edit_version" not in page


def test_a_stale_save_of_a_parent_is_refused_and_can_be_re_applied(lead, backup, youth, parent):
    url = reverse("jimcase:parent_edit", args=[youth.pk, parent.pk])
    bram, stale = both_open_then_first_saves(url, lead, backup, {"phone": "0470 12 34 56"})

    refused = bram.post(url, stale | {"address": "Kerkstraat 1, Brugge"})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page and "Lead heeft dit opgeslagen op" in page
    assert "<dt>Telefoon</dt><dd>0470 12 34 56</dd>" in page
    assert 'value="Kerkstraat 1, Brugge"' in page
    parent.refresh_from_db()
    assert (parent.phone, parent.address, parent.edit_version) == ("0470 12 34 56", "", 1)

    response = bram.post(url, form_data(refused) | {"phone": "0470 12 34 56"})

    assert response.status_code == 302
    parent.refresh_from_db()
    assert (parent.phone, parent.address, parent.edit_version) == ("0470 12 34 56", "Kerkstraat 1, Brugge", 2)


def test_adding_a_parent_needs_no_version(lead, youth):
    page = without_tokens(editor(lead).get(reverse("jimcase:parent_add", args=[youth.pk])))
    assert "edit_version" not in page


def test_a_stale_capacity_judgement_is_refused_and_keeps_the_colleagues_judgement(lead, backup, youth):
    # Issue 21: "judged not capable" with a motivation was overwritten by "capable" from an older tab;
    # the judgement decides what a parent or the youth may read in an inzage.
    url = reverse("jimcase:capacity_edit", args=[youth.pk])
    first, second = editor(lead), editor(backup)
    lead_form, stale = form_data(first.get(url)), form_data(second.get(url))
    motivation = "Acute crisis, tijdelijk niet bekwaam."
    saved = first.post(url, lead_form | {"deemed_incapable": "on", "capacity_motivation": motivation})
    assert saved.status_code == 302

    refused = second.post(url, stale | {"capacity_motivation": "Bekwaam, gesprek gehad."})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page and "Lead heeft dit opgeslagen op" in page
    assert f"<dt>Motivering</dt><dd>{motivation}</dd>" in page
    assert "Bekwaam, gesprek gehad.</textarea>" in page, "the user's own input is kept"
    youth.refresh_from_db()
    assert (youth.deemed_incapable, youth.capacity_motivation, youth.capacity_recorded_by) == (
        True,
        motivation,
        lead,
    )


def test_after_a_refused_capacity_judgement_saving_again_goes_through(lead, backup, youth):
    url = reverse("jimcase:capacity_edit", args=[youth.pk])
    first, second = editor(lead), editor(backup)
    lead_form, stale = form_data(first.get(url)), form_data(second.get(url))
    first.post(url, lead_form | {"deemed_incapable": "on", "capacity_motivation": "Acute crisis."})
    refused = second.post(url, stale | {"capacity_motivation": "Bekwaam."})

    again = second.post(url, form_data(refused))

    assert again.status_code == 302
    youth.refresh_from_db()
    assert (youth.deemed_incapable, youth.capacity_motivation, youth.capacity_recorded_by) == (
        False,
        "Bekwaam.",
        backup,
    )


def test_a_capacity_form_without_its_fingerprint_is_refused_in_dutch_and_saves_nothing(lead, youth):
    browser = editor(lead)
    url = reverse("jimcase:capacity_edit", args=[youth.pk])
    data = form_data(browser.get(url))
    del data["stored_state"]

    response = browser.post(url, data | {"deemed_incapable": "on", "capacity_motivation": "Crisis."})

    assert response.status_code == 200
    assert "Dit formulier is verouderd" in response.content.decode()
    youth.refresh_from_db()
    assert (youth.deemed_incapable, youth.capacity_recorded_by) == (False, None)
