"""Login throttling (django-axes): repeated failures lock a username and an address; a coordinator unlocks.

Issue 11, "Accounts fit for data about minors": today 20 wrong passwords and then the right one log in,
and 30 password resets in a row send 30 mails.
"""

import datetime
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import AccountChange
from jimcase.tests.factories import PASSWORD
from jimcase.tests.mail import sent

LOCKED = gettext(
    "Logging in is blocked for now: there were too many failed attempts. Try again in %(minutes)d "
    "minutes, or ask your coordinator to unlock your account."
) % {"minutes": 30}


def attempt(client, username, password="fout-wachtwoord", ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client):
    return "_auth_user_id" in client.session


def test_twenty_wrong_passwords_then_the_right_one_does_not_log_in(client, lead):
    for _i in range(20):
        attempt(client, "lead")
    response = attempt(client, "lead", PASSWORD)
    assert not logged_in(client)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_an_account_is_locked_after_five_failures_not_before(client, lead):
    for _i in range(4):
        attempt(client, "lead")
    assert attempt(client, "lead", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_lockout_says_the_same_whether_the_account_exists_or_not(client, lead):
    for _i in range(5):
        attempt(client, "lead")
        attempt(client, "niemand-heet-zo")
    known, unknown = attempt(client, "lead"), attempt(client, "niemand-heet-zo")
    assert known.status_code == unknown.status_code == 429
    assert LOCKED in known.content.decode()
    assert without_csrf_token(known) == without_csrf_token(unknown)


def without_csrf_token(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


def test_a_locked_username_is_locked_from_every_address(client, lead):
    for i in range(5):
        attempt(client, "lead", ip=f"10.0.1.{i}")
    attempt(client, "lead", PASSWORD, ip="10.9.9.9")
    assert not logged_in(client)


def test_an_address_guessing_many_usernames_is_locked_but_others_are_not(client, lead, colleague):
    for i in range(20):
        attempt(client, f"gok{i}", ip="10.6.6.6")
    attempt(client, "lead", PASSWORD, ip="10.6.6.6")
    assert not logged_in(client)
    # The same account from the office next door logs in: only the guessing address is locked.
    attempt(client, "lead", PASSWORD, ip="10.0.0.7")
    assert logged_in(client)


def test_an_address_is_not_locked_by_a_few_typos_of_different_people(client, lead, colleague):
    for i in range(15):
        attempt(client, f"collega{i}", ip="10.0.0.1")
    attempt(client, "lead", PASSWORD, ip="10.0.0.1")
    assert logged_in(client)


def test_the_lock_lifts_after_the_cool_off(client, lead):
    for _i in range(5):
        attempt(client, "lead")
    attempt(client, "lead", PASSWORD)
    assert not logged_in(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    attempt(client, "lead", PASSWORD)
    assert logged_in(client)


def test_a_coordinator_unlocks_an_account_of_her_organisation(client, login, lead, coordinator):
    for _i in range(6):
        attempt(client, "lead")
    admin = login(coordinator)
    response = admin.post(
        reverse("admin:jimcase_user_changelist"), {"action": "unlock_login", "_selected_action": [lead.pk]}
    )
    assert response.status_code == 302
    change = AccountChange.objects.get(user=lead, what=AccountChange.What.LOGIN_LOCK)
    assert change.by == coordinator
    admin.logout()
    attempt(client, "lead", PASSWORD)
    assert logged_in(client)


def test_a_coordinator_cannot_unlock_an_account_of_another_organisation(
    client, login, lead, other_coordinator
):
    for _i in range(6):
        attempt(client, "lead")
    login(other_coordinator).post(
        reverse("admin:jimcase_user_changelist"), {"action": "unlock_login", "_selected_action": [lead.pk]}
    )
    assert AccessAttempt.objects.filter(username="lead").exists()
    assert not AccountChange.objects.filter(user=lead).exists()


def test_failed_logins_and_lockouts_are_logged_without_the_password(client, lead, caplog):
    caplog.set_level(logging.INFO, logger="jimcase.security")
    for _i in range(5):
        attempt(client, "lead", password="Geheim-wachtwoord-42", ip="10.3.3.3")
    attempt(client, "lead", PASSWORD, ip="10.3.3.3")
    lines = [r.getMessage() for r in caplog.records if r.name == "jimcase.security"]
    assert "login_failed username=lead ip=10.3.3.3" in lines
    assert "login_locked_out username=lead ip=10.3.3.3" in lines
    everything = caplog.text
    assert "Geheim-wachtwoord-42" not in everything and PASSWORD not in everything


def test_a_successful_login_is_logged_with_its_address(client, lead, caplog):
    caplog.set_level(logging.INFO, logger="jimcase.security")
    attempt(client, "lead", PASSWORD, ip="10.4.4.4")
    assert "login username=lead ip=10.4.4.4" in caplog.messages


# --- Password resets ------------------------------------------------------------------------------


def reset(client, email, ip="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_thirty_password_resets_in_a_row_send_at_most_three_mails(client, lead):
    for _i in range(30):
        response = reset(client, lead.email)
        # Always the same answer: the requester learns nothing about accounts or limits.
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(sent()) == 3


def test_password_resets_for_one_address_are_limited_from_every_client(client, lead):
    for i in range(10):
        reset(client, lead.email, ip=f"10.0.2.{i}")
    assert len(sent()) == 3


def test_one_client_asking_resets_for_many_addresses_is_limited(client, db):
    from jimcase.tests.factories import UserFactory

    users = [UserFactory(username=f"mens{i}") for i in range(15)]
    for user in users:
        reset(client, user.email, ip="10.7.7.7")
    assert len(sent()) == 10
    reset(client, users[-1].email, ip="10.0.0.8")
    assert len(sent()) == 11


def test_password_resets_are_logged_with_username_and_address(client, lead, caplog):
    caplog.set_level(logging.INFO, logger="jimcase.security")
    for _i in range(4):
        reset(client, lead.email, ip="10.5.5.5")
    assert caplog.messages.count("password_reset_requested username=lead ip=10.5.5.5") == 3
    assert "password_reset_refused username=lead ip=10.5.5.5 reason=limit" in caplog.messages
    assert lead.email not in caplog.text


@pytest.mark.parametrize("limit_passed", [False, True])
def test_the_reset_limit_counts_only_the_last_hour(client, lead, limit_passed):
    from accounts.models import PasswordResetRequest

    for _i in range(3):
        reset(client, lead.email)
    if limit_passed:
        PasswordResetRequest.objects.update(at=timezone.now() - datetime.timedelta(minutes=61))
    reset(client, lead.email)
    assert len(sent()) == (4 if limit_passed else 3)
