"""Bad input on every form of the foundation gives a Dutch field error, never a server error."""

import pytest
from django.conf import settings
from django.urls import reverse

from jimcase.tests.factories import PASSWORD
from jimcase.tests.html import without_tokens
from jimcase.tests.mail import sent
from outbox.models import OutgoingMail

LONG = "x" * 10_000
HTML = '<script>alert("x")</script><b>vet</b>'


@pytest.mark.parametrize("value", ["", LONG, HTML])
def test_login_form_rejects_bad_input(client, lead, value):
    response = client.post(reverse("login"), {"username": value, "password": value})
    assert response.status_code == 200
    html = without_tokens(response)
    assert "is-invalid" in html or "alert-danger" in html
    assert HTML not in html  # escaped, never echoed as markup
    assert "_auth_user_id" not in client.session


def test_login_with_wrong_password_says_so_in_dutch(client, lead):
    response = client.post(reverse("login"), {"username": "lead", "password": "fout"})
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()


def test_login_form_empty_fields_are_marked_in_dutch(client, db):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "Dit veld is verplicht." in html


def test_login_works_with_the_right_password(client, lead):
    response = client.post(reverse("login"), {"username": "lead", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(lead.pk)


@pytest.mark.parametrize("value", ["", LONG, HTML])
def test_password_change_rejects_bad_input(login, lead, value):
    client = login(lead)
    response = client.post(
        reverse("password_change"), {"old_password": value, "new_password1": value, "new_password2": value}
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)


def test_password_change_too_short_is_explained_in_dutch(login, lead):
    response = login(lead).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "kort", "new_password2": "kort"},
    )
    assert "Dit wachtwoord is te kort. Het moet minstens 10 tekens bevatten." in response.content.decode()


@pytest.mark.parametrize("value", ["", LONG, HTML, "geen-adres"])
def test_password_reset_rejects_bad_input(client, db, value):
    response = client.post(reverse("password_reset"), {"email": value})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert sent() == []


def test_password_reset_sends_a_dutch_mail_and_the_link_sets_a_password(client, lead):
    response = client.post(reverse("password_reset"), {"email": lead.email})
    assert response.status_code == 302
    assert len(sent()) == 1
    message = sent()[0]
    assert "nieuw wachtwoord" in message.subject.lower()
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    # From SITE_URL like every mail's link, never from the host the request named.
    assert link.startswith(settings.SITE_URL + "/accounts/reset/")
    path = link.removeprefix(settings.SITE_URL)
    form_page = client.get(path, follow=True)
    form_url = form_page.redirect_chain[-1][0]
    # Bad input on the set-password form: field errors, password unchanged. (HTML is a legal
    # password, so it is tried as a mismatched pair; it must not come back as markup.)
    for first, second in [("", ""), (LONG, LONG), (HTML, "iets-anders-2026")]:
        bad = client.post(form_url, {"new_password1": first, "new_password2": second})
        assert bad.status_code == 200
        assert "is-invalid" in bad.content.decode()
        assert HTML not in without_tokens(bad)
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)
    done = client.post(
        form_url, {"new_password1": "Een-nieuw-wachtwoord-26", "new_password2": "Een-nieuw-wachtwoord-26"}
    )
    assert done.status_code == 302
    lead.refresh_from_db()
    assert lead.check_password("Een-nieuw-wachtwoord-26")


def test_language_switch_ignores_an_unknown_language(client, db):
    response = client.post(reverse("set_language"), {"language": LONG, "next": "/accounts/login/"})
    assert response.status_code == 302
    assert 'lang="nl-be"' in client.get(reverse("login")).content.decode()


def test_a_password_reset_with_the_mail_server_down_answers_and_the_mail_waits(
    client, lead, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": lead.email})
    assert response.status_code == 302
    waiting = OutgoingMail.objects.get(kind="password_reset")
    assert (waiting.to, waiting.status, waiting.attempts) == (lead.email, OutgoingMail.Status.QUEUED, 0)
    sent()  # the worker's try fails: the mail waits for the next
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (OutgoingMail.Status.QUEUED, 1)
