"""Two professionals edit the same person in a youth's network: the stale save is refused (issue 11)."""

import datetime

import pytest
from django.urls import reverse

from jimcase import services as core
from jimcase.models import CaseAssignment
from jimcase.services import StaleEdit
from jimcase.tests.stale import REFUSED, both_open_then_first_saves, editor, form_data
from mentors import services
from mentors.models import NetworkMember

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
    page = editor(lead).get(reverse("mentors:member_add", args=[youth.pk])).content.decode()
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
