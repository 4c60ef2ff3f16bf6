"""A JIM knows what is asked of them (issue 14): the JIM's guide in plain Dutch, linked from the invitation and
from the JIM's pages until the JIM confirms reading it; the date is kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jimcase.tests.html import visible_text, without_tokens
from jimcase.tests.mail import sent
from mentors import services as mentor_services
from triads import services

GUIDE = reverse("triads:jim_welcome")


def test_the_guide_says_what_a_jim_is_and_whom_to_call(login, started_triad, jim, lead):
    body = without_tokens(login(jim).get(GUIDE))
    for part in (
        "Wat het betekent om JIM te zijn",
        "Je bent geen hulpverlener",
        "Wat tussen jou en de jongere blijft",
        "Er is één uitzondering",
        'href="tel:112"',
        "het JIM-netwerk",
    ):
        assert part in body, part
    # The fallback professional of each of the JIM's triads, with the youth's first name only.
    assert f"Voor Lotte: {lead.display_name}" in body
    assert "Vermeulen" not in body


def test_confirming_keeps_the_first_date_and_the_card_goes(login, started_triad, jim):
    client = login(jim)
    triad_page = reverse("triads:jim_triad", args=[started_triad.pk])
    assert "Nieuw als JIM?" in client.get(triad_page).content.decode()
    response = client.post(GUIDE)
    assert response.status_code == 302
    profile = started_triad.jim_profile
    profile.refresh_from_db()
    assert profile.onboarding_read_on == timezone.localdate()
    assert "Nieuw als JIM?" not in visible_text(client.get(triad_page))
    assert "Je las dit op" in client.get(GUIDE).content.decode()
    # A second confirmation does not move the date.
    type(profile).objects.filter(pk=profile.pk).update(onboarding_read_on=datetime.date(2026, 1, 5))
    client.post(GUIDE)
    profile.refresh_from_db()
    assert profile.onboarding_read_on == datetime.date(2026, 1, 5)


def test_only_the_jim_confirms_for_themselves(started_triad, lead):
    with pytest.raises(ValidationError, match="Alleen de JIM"):
        mentor_services.jim_onboarding_confirm(jim_profile=started_triad.jim_profile, by=lead)
    started_triad.jim_profile.refresh_from_db()
    assert started_triad.jim_profile.onboarding_read_on is None


@pytest.mark.parametrize("who", ["lead", "coordinator"])
def test_a_professional_or_a_coordinator_gets_no_guide(request, db, login, who):
    assert login(request.getfixturevalue(who)).get(GUIDE).status_code == 404


def test_the_invitation_links_to_the_guide(login, triad, lead, mailoutbox):
    profile = triad.jim_profile
    profile.user = None
    profile.save()
    sent().clear()
    services.jim_invite(jim_profile=profile, email="wilma.nieuw@example.org", by=lead)
    (mail,) = sent()
    assert "Lees daarna wat een JIM doet" in mail.body
    assert mail.body.rstrip().endswith(GUIDE)
