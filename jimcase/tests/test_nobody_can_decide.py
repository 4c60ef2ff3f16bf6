"""The consent gate in the case core (issue 21): registering a minor asks for the parents right away, the file
says what is missing, and "nobody can decide: why" is recorded with who and when, and kept as history."""

import re

import pytest
from django.urls import reverse

from jimcase import services
from jimcase.models import NobodyCanDecide, ParentGuardian, Youth
from jimcase.tests import clock
from jimcase.tests.html import visible_text, without_tokens

TODAY = clock.TODAY  # the day the autouse `today` fixture travels to
MISSING = (
    "Er zijn nog geen ouders of voogd met ouderlijk gezag ingevuld — voeg ze toe of noteer waarom niemand "
    "kan beslissen."
)


def _token(response):
    match = re.search(r'name="submission_token" value="([0-9a-f-]+)"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


def _register(client, born):
    form = client.get(reverse("jimcase:youth_create"))
    data = {
        "first_name": "Sara",
        "last_name": "Peeters",
        "date_of_birth": born.isoformat(),
        "case_number": "BRUG-NEW-1",
        "living_situation": "at_home",
        "referral_date": TODAY.isoformat(),
        "placement_considered": "unknown",
        "submission_token": _token(form),
    }
    return client.post(reverse("jimcase:youth_create"), data, follow=True)


def test_registering_a_minor_asks_for_the_parents_next(login, lead):
    response = _register(login(lead), TODAY.replace(year=TODAY.year - 15, day=1))
    youth = Youth.objects.get(case_number="BRUG-NEW-1")
    assert response.redirect_chain[-1][0] == reverse("jimcase:parent_add", args=[youth.pk])
    html = response.content.decode()
    assert "Een ouder of voogd toevoegen" in html
    assert "Is er niemand die kan beslissen?" in html
    assert reverse("jimcase:nobody_can_decide", args=[youth.pk]) in html


def test_registering_an_adult_opens_the_file(login, lead):
    response = _register(login(lead), TODAY.replace(year=TODAY.year - 19, day=1))
    youth = Youth.objects.get(case_number="BRUG-NEW-1")
    assert response.redirect_chain[-1][0] == reverse("jimcase:youth_detail", args=[youth.pk])
    assert MISSING not in visible_text(response)


def test_the_file_of_a_minor_without_parents_says_what_is_missing(login, lead, youth):
    client = login(lead)
    url = reverse("jimcase:youth_detail", args=[youth.pk])
    assert MISSING in client.get(url).content.decode()
    ParentGuardian.objects.create(
        youth=youth, name="Greet Pleeg", relation="foster_parent", has_parental_authority=False
    )
    assert MISSING in client.get(url).content.decode()  # a parent without parental authority does not decide
    ParentGuardian.objects.create(youth=youth, name="Els Wouters", relation="mother")
    assert MISSING not in visible_text(client.get(url))


def test_the_professional_records_why_nobody_can_decide(login, lead, youth):
    client = login(lead)
    url = reverse("jimcase:nobody_can_decide", args=[youth.pk])
    back = "/triads/"
    page = client.get(url, {"next": back})
    assert "Waarom kan niemand beslissen?" in page.content.decode()
    response = client.post(
        url,
        {
            "reason": "authority_removed",
            "explanation": "Gezag ontnomen door de jeugdrechter (vonnis 3 maart).",
            "submission_token": _token(page),
            "next": back,
        },
    )
    assert response.status_code == 302 and response["Location"] == back
    record = NobodyCanDecide.objects.get()
    assert (record.youth, record.by, record.reason) == (youth, lead, "authority_removed")
    assert record.on == TODAY and record.at is not None
    html = without_tokens(client.get(reverse("jimcase:youth_detail", args=[youth.pk])))
    assert MISSING not in html
    assert "het ouderlijk gezag is ontnomen" in html and "vonnis 3 maart" in html
    assert f"genoteerd door {lead}" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"explanation": "Moeder overleden."}, "reason", "Dit veld is verplicht."),
        ({"reason": "lapsed", "explanation": "Moeder overleden."}, "reason", "Selecteer een geldige keuze."),
        ({"reason": "deceased", "explanation": ""}, "explanation", "Dit veld is verplicht."),
        ({"reason": "deceased", "explanation": "<b>weg</b>"}, "explanation", "zonder HTML"),
    ],
)
def test_bad_input_is_refused_beside_the_field_in_dutch(login, lead, youth, data, field, message):
    client = login(lead)
    url = reverse("jimcase:nobody_can_decide", args=[youth.pk])
    response = client.post(url, {**data, "submission_token": _token(client.get(url))})
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    assert message in response.content.decode()
    assert not NobodyCanDecide.objects.exists()


def test_it_is_refused_while_a_parent_with_authority_is_recorded(login, lead, youth):
    ParentGuardian.objects.create(youth=youth, name="Els Wouters", relation="mother")
    client = login(lead)
    url = reverse("jimcase:nobody_can_decide", args=[youth.pk])
    page = client.get(url)
    response = client.post(
        url, {"reason": "unknown", "explanation": "Vader onbekend.", "submission_token": _token(page)}
    )
    assert response.status_code == 200
    assert "Er is een ouder of voogd met ouderlijk gezag ingevuld" in response.content.decode()
    assert not NobodyCanDecide.objects.exists()


def test_adding_a_parent_with_authority_on_the_page_ends_the_statement(login, lead, youth):
    services.nobody_can_decide_record(youth=youth, reason="unknown", explanation="Ouders onbekend.", by=lead)
    client = login(lead)
    url = reverse("jimcase:parent_add", args=[youth.pk])
    page = client.get(url)
    assert "Is er niemand die kan beslissen?" not in visible_text(page)  # something is recorded
    client.post(
        url,
        {
            "name": "Tom Wouters",
            "relation": "father",
            "has_parental_authority": "on",
            "submission_token": _token(page),
        },
    )
    rows = list(NobodyCanDecide.objects.filter(youth=youth))
    assert [r.reason for r in rows] == ["unknown", "lapsed"]
    assert rows[-1].by == lead and rows[-1].explanation == "Tom Wouters"
    html = without_tokens(client.get(reverse("jimcase:youth_detail", args=[youth.pk])))
    assert "Ouders onbekend." in html  # in the history
    assert "geldt niet meer" in html
    assert MISSING not in html


def test_parent_add_goes_back_to_where_it_was_asked(login, lead, youth):
    client = login(lead)
    url = reverse("jimcase:parent_add", args=[youth.pk])
    page = client.get(url, {"next": "/triads/"})
    response = client.post(
        url,
        {
            "name": "Els Wouters",
            "relation": "mother",
            "has_parental_authority": "on",
            "submission_token": _token(page),
            "next": "https://elders.example/",
        },
    )
    # A `next` that is not a path on this site is dropped: back to the file.
    assert response["Location"] == reverse("jimcase:youth_detail", args=[youth.pk])
