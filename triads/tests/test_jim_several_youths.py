"""One person can be the JIM of more than one youth (issue 14): one profile per person, an existing account
linked to the new triad with an e-mail saying so, a home that lists the triads, and each page one youth only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jimcase.models import ParentGuardian, User
from jimcase.services import note_add
from jimcase.tests.html import without_tokens
from jimcase.tests.mail import sent
from mentors import services as mentor_services
from mentors.models import JimProfile
from mentors.tests import factories
from triads import services
from triads.models import Triad
from triads.tests.conftest import give_all_consents, make_found_search, sign_all
from triads.tests.triad_pages import field_error


def a_second_youths_choice(make_youth, lead, **member_fields):
    """A cousin's wie-vraag in which the youth chose a person of their network with these facts."""
    (cousin,) = make_youth(first_name="Noor")
    search = mentor_services.search_start(youth=cousin, by=lead)
    candidate = factories.ready(search, lead, **member_fields)
    return mentor_services.jim_choose(search=search, candidate=candidate, by=lead)


def test_choosing_a_person_who_is_already_a_jim_keeps_one_profile(triad, make_youth, lead, jim, mailoutbox):
    search = a_second_youths_choice(make_youth, lead, name="Wilma J.", email="WILMA@example.org")
    assert search.jim_profile == triad.jim_profile
    assert JimProfile.objects.count() == 1
    sent().clear()
    second = services.triad_create(search=search, by=lead)
    # The JIM's account gets the new triad at once, and an e-mail says so (with the youth's first name only).
    assert jim.has_perm("triads.view_triad", second)
    (mail,) = sent()
    assert mail.to == [jim.email]
    assert "Noor" in mail.subject and "ook de JIM van Noor" in mail.body
    assert "Extra" not in mail.body  # never the family name


def test_the_same_address_on_the_jims_account_also_finds_the_profile(triad, make_youth, lead, jim):
    search = a_second_youths_choice(make_youth, lead, email=jim.email.upper())
    assert search.jim_profile == triad.jim_profile


@pytest.mark.parametrize("email", ["", "iemand.anders@example.org"])
def test_another_person_or_no_address_gets_a_profile_of_their_own(triad, make_youth, lead, email):
    search = a_second_youths_choice(make_youth, lead, email=email)
    assert search.jim_profile != triad.jim_profile
    assert JimProfile.objects.count() == 2


def test_a_jim_of_another_organisation_is_never_linked(other_triad, make_youth, lead, other_jim, stranger):
    search = a_second_youths_choice(make_youth, lead, email=other_triad.jim_profile.email)
    assert search.jim_profile != other_triad.jim_profile
    assert search.jim_profile.organisation == lead.organisation


@pytest.fixture
def cousin_triad(make_youth, lead):
    """A cousin's triad whose JIM profile has no account yet (an address the professional did not know)."""
    (cousin,) = make_youth(first_name="Noor")
    search = make_found_search(cousin, lead, name="Wilma Janssens", email="")
    return services.triad_create(search=search, by=lead)


def test_inviting_the_address_of_a_jim_of_the_organisation_joins_the_two(
    login, triad, cousin_triad, lead, jim, mailoutbox
):
    users = User.objects.count()
    duplicate = cousin_triad.jim_profile
    sent().clear()
    response = login(lead).post(reverse("triads:jim_invite", args=[cousin_triad.pk]), {"email": jim.email})
    assert response.status_code == 302
    cousin_triad.refresh_from_db()
    assert cousin_triad.jim_profile == triad.jim_profile
    assert cousin_triad.search.jim_profile == triad.jim_profile
    assert not JimProfile.objects.filter(pk=duplicate.pk).exists()
    assert User.objects.count() == users
    assert jim.has_perm("triads.view_triad", cousin_triad)
    (mail,) = [m for m in sent() if m.to == [jim.email]]
    assert "ook de JIM van Noor" in mail.body and "/accounts/reset/" not in mail.body


def test_an_address_of_a_professional_is_still_refused(login, cousin_triad, lead, colleague):
    response = login(lead).post(
        reverse("triads:jim_invite", args=[cousin_triad.pk]), {"email": colleague.email}
    )
    assert response.status_code == 200
    assert "niet dat van een JIM van je organisatie" in field_error(response, "email")
    cousin_triad.refresh_from_db()
    assert cousin_triad.jim_profile.user is None


def test_joining_is_refused_when_the_youth_would_have_two_live_triads_with_one_jim(triad, lead, jim):
    search = make_found_search(triad.youth, lead, name="Wilma Janssens", email="")
    second = services.triad_create(search=search, by=lead)
    with pytest.raises(ValidationError):
        services.jim_invite(jim_profile=second.jim_profile, email=jim.email, by=lead)
    second.refresh_from_db()
    assert second.jim_profile != triad.jim_profile
    assert Triad.objects.filter(jim_profile=triad.jim_profile).count() == 1


@pytest.fixture
def two_running(triad, make_youth, lead, parents):
    """The JIM runs two triads: Lotte's and her cousin Noor's, each with a note shared with the JIM."""
    search = a_second_youths_choice(make_youth, lead, email="wilma@example.org")
    cousin = services.triad_create(search=search, by=lead)
    # Noor is a minor: her mother decides on consent (an empty list of parents is never in order, issue 21).
    ParentGuardian.objects.create(youth=cousin.youth, name="An Extra", relation="mother")
    for each in (triad, cousin):
        sign_all(each.current_agreement, lead)
        give_all_consents(each, lead)
    today = timezone.localdate()
    for each, text in ((triad, "Lotte begint aan een stage."), (cousin, "Noor verhuist naar Gent.")):
        each.refresh_from_db()
        note = note_add(youth=each.youth, author=lead, written_on=today, text=text)
        services.note_share(note=note, triad=each, agreed_on=today, by=lead)
    return triad, cousin


def test_the_jims_home_lists_both_and_each_page_shows_one_youth(client, login, two_running, jim):
    lotte, noor = two_running
    client = login(jim)
    home = client.get(reverse("triads:mine"))
    assert home.status_code == 200
    body = home.content.decode()
    assert "Met Lotte" in body and "Met Noor" in body
    first = without_tokens(client.get(reverse("triads:jim_triad", args=[lotte.pk])))
    second = without_tokens(client.get(reverse("triads:jim_triad", args=[noor.pk])))
    assert "Lotte begint aan een stage." in first and "Noor" not in first
    assert "Noor verhuist naar Gent." in second and "Lotte" not in second
