"""Sessions: an idle timeout, an absolute lifetime, a new key at login, and every session of a user ended
when they are deactivated or their password changes."""

import logging
import time
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from accounts import services
from accounts.middleware import LAST_SEEN, LOGIN_AT
from jimcase.tests.factories import PASSWORD
from jimcase.tests.mail import sent

IDLE = gettext("You were logged out after %(minutes)d minutes without activity. Please log in again.") % {
    "minutes": 30
}


def log_in(client, user, password=PASSWORD):
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302
    return client


def shift_session(client, **seconds_ago):
    """Make the session's login or last activity lie that many seconds in the past."""
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = int(time.time()) - ago
    session.save()


def test_the_defaults_are_thirty_idle_minutes_and_twelve_hours():
    assert django_settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert django_settings.SESSION_COOKIE_AGE == 12 * 3600


def test_after_thirty_minutes_without_activity_a_professional_is_logged_out_and_told_why(
    client, lead, caplog
):
    caplog.set_level(logging.INFO, logger="jimcase.security")
    log_in(client, lead)
    shift_session(client, **{LAST_SEEN: 31 * 60})
    response = client.get(reverse("jimcase:caseload"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert IDLE in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "session_idle_timeout username=lead ip=127.0.0.1" in caplog.messages


def test_activity_keeps_the_session_alive(client, lead):
    log_in(client, lead)
    shift_session(client, **{LAST_SEEN: 29 * 60})
    assert client.get(reverse("jimcase:caseload")).status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN] < 5
    shift_session(client, **{LAST_SEEN: 29 * 60})
    assert client.get(reverse("jimcase:caseload")).status_code == 200


def test_the_idle_timeout_follows_the_setting(client, lead, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    log_in(client, lead)
    shift_session(client, **{LAST_SEEN: 6 * 60})
    assert client.get(reverse("jimcase:caseload")).status_code == 302


def test_a_session_ends_twelve_hours_after_login_however_active(client, lead):
    log_in(client, lead)
    shift_session(client, **{LOGIN_AT: 12 * 3600 + 60, LAST_SEEN: 10})
    response = client.get(reverse("jimcase:caseload"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_last_activity_is_not_written_on_every_request(client, lead):
    log_in(client, lead)
    client.get(reverse("jimcase:caseload"))
    before = Session.objects.get().expire_date
    client.get(reverse("jimcase:caseload"))
    assert Session.objects.get().expire_date == before


def test_logging_in_gives_a_new_session_key(client, lead):
    session = client.session
    session["voorkeur"] = "iets"
    session.save()
    anonymous_key = session.session_key
    client.get(reverse("login"))
    log_in(client, lead)
    assert client.session.session_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()


def test_deactivating_a_user_ends_all_their_sessions(lead):
    laptop, phone = log_in(Client(), lead), log_in(Client(), lead)
    lead.is_active = False
    lead.save()
    services.account_changes_record(user=lead, before=services.account_snapshot(lead), by=lead)
    for client in (laptop, phone):
        assert client.get(reverse("jimcase:caseload")).status_code == 302
    assert not Session.objects.exists()


def test_changing_the_password_ends_the_users_other_sessions(lead, caplog):
    caplog.set_level(logging.INFO, logger="jimcase.security")
    laptop, phone = log_in(Client(), lead), log_in(Client(), lead)
    new = "Een-ander-wachtwoord-26"
    response = laptop.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    # The session that changed it stays; the other one is logged out.
    assert laptop.get(reverse("jimcase:caseload")).status_code == 200
    assert phone.get(reverse("jimcase:caseload")).status_code == 302
    assert "password_changed username=lead ip=127.0.0.1" in caplog.messages
    assert new not in caplog.text


def test_a_password_reset_ends_every_session_of_the_user(lead, caplog):
    caplog.set_level(logging.INFO, logger="jimcase.security")
    laptop = log_in(Client(), lead)
    stranger = Client()
    stranger.post(reverse("password_reset"), {"email": lead.email})
    link = next(line for line in sent()[-1].body.splitlines() if "/accounts/reset/" in line)
    form_url = stranger.get(urlsplit(link).path, follow=True).redirect_chain[-1][0]
    new = "Een-nieuw-wachtwoord-26"
    assert stranger.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert laptop.get(reverse("jimcase:caseload")).status_code == 302
    assert "password_reset_done username=lead ip=127.0.0.1" in caplog.messages
    assert new not in caplog.text
