"""After closure (issue 21): an ex-JIM with no triad that runs or is being prepared gets no new password link
(the triad page, its service, and the admin's action), while a JIM with another live triad still may."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jimcase.tests.html import without_tokens
from mentors.models import JimProfile
from outbox.models import OutgoingMail
from triads import services
from triads.tests.conftest import OUTCOME, make_found_search


def close(triad, lead):
    return services.triad_close(
        **OUTCOME, triad=triad, by=lead, reason="goal_reached", after_plan="Lotte gaat verder met haar tante."
    )


def links_queued():
    return OutgoingMail.objects.filter(kind__in=("jim_password_link", "password_link")).count()


@pytest.fixture
def ex_jim(started_triad, lead, jim):
    """The cast's JIM, whose only triad was closed; the account never chose a password (an invitation)."""
    jim.set_unusable_password()
    jim.save()
    close(started_triad, lead)
    started_triad.refresh_from_db()
    return started_triad


def test_a_closed_triads_page_offers_no_password_link_to_an_ex_jim(login, ex_jim, lead):
    client = login(lead)
    page = without_tokens(client.get(reverse("triads:detail", args=[ex_jim.pk])))
    assert reverse("triads:jim_password_link", args=[ex_jim.pk]) not in page
    assert reverse("triads:jim_invite", args=[ex_jim.pk]) not in page
    response = client.post(reverse("triads:jim_password_link", args=[ex_jim.pk]), follow=True)
    assert "geen triade" in response.content.decode()
    assert links_queued() == 0
    with pytest.raises(ValidationError):
        services.jim_password_link_send(jim_profile=ex_jim.jim_profile, by=lead)
    assert links_queued() == 0


def test_an_ex_jim_without_an_account_is_not_invited(login, started_triad, lead):
    profile = started_triad.jim_profile
    JimProfile.objects.filter(pk=profile.pk).update(user=None)
    profile.refresh_from_db()
    close(started_triad, lead)
    with pytest.raises(ValidationError):
        services.jim_invite(jim_profile=profile, email="wilma.nieuw@example.org", by=lead)
    response = login(lead).post(
        reverse("triads:jim_invite", args=[started_triad.pk]), {"email": "wilma.nieuw@example.org"}
    )
    assert response.status_code == 200
    assert not OutgoingMail.objects.filter(kind="jim_welcome").exists()


def test_a_jim_with_another_live_triad_still_gets_a_link(login, ex_jim, lead, make_youth):
    (second,) = make_youth(first_name="Noor", date_of_birth=datetime.date(2000, 5, 1))
    search = make_found_search(second, lead, name="Wilma Janssens", email="w2@example.org")
    search.jim_profile = ex_jim.jim_profile
    search.save()
    services.triad_create(search=search, by=lead)  # a draft: being prepared
    client = login(lead)
    page = client.get(reverse("triads:detail", args=[ex_jim.pk])).content.decode()
    assert reverse("triads:jim_password_link", args=[ex_jim.pk]) in page
    client.post(reverse("triads:jim_password_link", args=[ex_jim.pk]))
    assert links_queued() == 1


def test_the_admin_sends_no_password_link_to_an_ex_jim(login, ex_jim, coordinator, jim):
    response = login(coordinator).post(
        reverse("admin:jimcase_user_changelist"),
        {"action": "send_password_link", "_selected_action": [jim.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "geen triade" in response.content.decode()
    assert links_queued() == 0


def test_the_admin_still_sends_a_link_to_a_jim_whose_triad_runs(login, started_triad, coordinator, jim):
    jim.set_unusable_password()
    jim.save()
    login(coordinator).post(
        reverse("admin:jimcase_user_changelist"),
        {"action": "send_password_link", "_selected_action": [jim.pk]},
    )
    assert links_queued() == 1
