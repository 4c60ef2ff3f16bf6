"""The second factor (django-otp): required for coordinators and the admin, per organisation for
professionals, a choice for JIMs; set up with a QR code drawn on the server; never bypassed by a reset."""

import logging
import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from jimcase.accounts import services
from jimcase.demo import DEMO_RECOVERY_CODES
from jimcase.models import AccountChange, User
from jimcase.tests.factories import PASSWORD
from jimcase.tests.mail import sent
from jimcase.tests.second_factor import totp_code

WRONG_CODE = gettext("This code is not right. Try again, or use one of your recovery codes.")


def log_in(client, user, password=PASSWORD, ip="10.0.0.1"):
    """Log in through the login page, as a person does; return the response."""
    return client.post(reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR=ip)


def follow_to(client, url):
    """GET `url`; return the path the user ends up on (after redirects)."""
    response = client.get(url, follow=True)
    return response.redirect_chain[-1][0].split("?")[0] if response.redirect_chain else url


def set_up(client, user):
    """Go through the setup page with the right code; return the device and the page of recovery codes."""
    client.get(reverse("accounts:second_factor_setup"))
    key = client.session["jim_second_factor_key"]
    code = totp_code(services.authenticator_of(user, key))
    response = client.post(reverse("accounts:second_factor_setup"), {"code": code}, follow=True)
    return TOTPDevice.objects.get(user=user), response


def give_authenticator(user):
    """An authenticator app set up for `user` (and its recovery codes)."""
    key = services.authenticator_key_new()
    device, codes = services.second_factor_enable(
        user=user, key=key, code=totp_code(services.authenticator_of(user, key))
    )
    # The setup used this half-minute's code; the next login uses the next one (no code works twice).
    return device, codes


# --- Who must have one ----------------------------------------------------------------------------


def test_a_coordinator_without_a_second_factor_must_set_one_up_before_anything(client, coordinator):
    assert log_in(client, coordinator).status_code == 302
    for url in (reverse("home"), reverse("admin:index"), reverse("admin:jimcase_user_changelist")):
        assert follow_to(client, url) == reverse("accounts:second_factor_setup")


def test_the_admin_refuses_a_session_that_did_not_pass_the_second_factor(rf, coordinator):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = coordinator
    coordinator.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    coordinator.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_a_professional_logs_in_without_a_second_factor_if_the_organisation_does_not_ask(client, lead):
    log_in(client, lead)
    assert client.get(reverse("jimcase:caseload")).status_code == 200


def test_a_professional_must_set_one_up_if_the_organisation_asks(client, lead, organisation):
    organisation.second_factor_for_professionals = True
    organisation.save()
    log_in(client, lead)
    assert follow_to(client, reverse("jimcase:caseload")) == reverse("accounts:second_factor_setup")


def test_a_coordinator_makes_the_second_factor_required_for_her_professionals(
    login, coordinator, organisation
):
    client = login(coordinator)
    url = reverse("admin:jimcase_organisation_change", args=[organisation.pk])
    html = client.get(url).content.decode()
    assert 'name="second_factor_for_professionals"' in html
    data = {
        "name": organisation.name,
        "jurisdiction": organisation.jurisdiction,
        "default_trial_days": organisation.default_trial_days,
        "second_factor_for_professionals": "on",
    }
    assert client.post(url, data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.second_factor_for_professionals


def test_a_jim_is_not_asked_but_may_turn_it_on(client, jim):
    log_in(client, jim)
    assert follow_to(client, reverse("home")) == reverse("triads:mine")
    device, _page = set_up(client, jim)
    assert device.confirmed
    client.post(reverse("logout"))
    log_in(client, jim)
    assert follow_to(client, reverse("home")) == reverse("accounts:second_factor_verify")


# --- Setting it up --------------------------------------------------------------------------------


def test_the_setup_page_draws_the_qr_code_itself_and_shows_the_key(client, coordinator):
    log_in(client, coordinator)
    html = client.get(reverse("accounts:second_factor_setup")).content.decode()
    assert re.search(r'<img src="data:image/svg\+xml[^"]+" alt="[^"]+"', html)
    key = client.session["jim_second_factor_key"]
    secret = re.search(r'id="second-factor-key">([A-Z2-7 ]+)<', html).group(1)
    assert services.authenticator_of(coordinator, key).bin_key.hex() == key
    assert len(secret.replace(" ", "")) == 32
    assert "style=" not in html and "<script>" not in html  # the CSP forbids inline style and script
    assert "http" not in re.search(r'<img src="([^"]+)"', html).group(1)[:20]  # no outside service


def test_a_wrong_first_code_turns_nothing_on(client, coordinator):
    log_in(client, coordinator)
    client.get(reverse("accounts:second_factor_setup"))
    response = client.post(reverse("accounts:second_factor_setup"), {"code": "000000"})
    assert (
        gettext("This code is not right. Check the time on your phone and try again.")
        in response.content.decode()
    )
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert follow_to(client, reverse("admin:index")) == reverse("accounts:second_factor_setup")


def test_setting_up_shows_the_recovery_codes_once_and_lets_the_coordinator_in(client, coordinator, caplog):
    caplog.set_level(logging.INFO, logger="jimcase.security")
    log_in(client, coordinator)
    _device, page = set_up(client, coordinator)
    html = page.content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", html)
    assert len(codes) == 10
    assert set(codes) == set(
        StaticDevice.objects.get(user=coordinator).token_set.values_list("token", flat=True)
    )
    assert not any(code in client.get(reverse("accounts:recovery_codes")).content.decode() for code in codes)
    assert client.get(reverse("admin:index")).status_code == 200
    change = AccountChange.objects.get(user=coordinator, what=AccountChange.What.SECOND_FACTOR)
    assert change.by == coordinator
    assert "second_factor_enabled username=coordinator ip=127.0.0.1" in caplog.messages
    assert not any(code in caplog.text for code in codes)


def test_new_recovery_codes_replace_the_old_ones(client, coordinator):
    log_in(client, coordinator)
    _device, page = set_up(client, coordinator)
    old = re.findall(r"<li>([a-z2-7]{8})</li>", page.content.decode())
    new_page = client.post(reverse("accounts:recovery_codes"), follow=True).content.decode()
    new = re.findall(r"<li>([a-z2-7]{8})</li>", new_page)
    assert len(new) == 10 and not set(old) & set(new)


# --- Logging in with it ---------------------------------------------------------------------------


def test_after_the_password_a_user_with_a_second_factor_types_the_code(client, coordinator, caplog, settings):
    caplog.set_level(logging.INFO, logger="jimcase.security")
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting after the wrong code (see the throttling test)
    device, _codes = give_authenticator(coordinator)
    log_in(client, coordinator)
    assert follow_to(client, reverse("admin:index")) == reverse("accounts:second_factor_verify")
    verify = reverse("accounts:second_factor_verify") + "?next=/admin/"
    wrong = client.post(verify, {"code": "123456"})
    assert WRONG_CODE in wrong.content.decode()
    assert "second_factor_failed username=coordinator ip=127.0.0.1" in caplog.messages
    right = client.post(verify, {"code": totp_code(device, at=time.time() + 30)})
    assert right.status_code == 302 and right.url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    assert "second_factor_verified username=coordinator ip=127.0.0.1 method=authenticator" in caplog.messages


def test_a_recovery_code_works_once(client, coordinator):
    _device, codes = give_authenticator(coordinator)
    log_in(client, coordinator)
    verify = reverse("accounts:second_factor_verify")
    assert client.post(verify, {"code": codes[0].upper()}).status_code == 302
    client.post(reverse("logout"))
    log_in(client, coordinator)
    assert WRONG_CODE in client.post(verify, {"code": codes[0]}).content.decode()
    assert follow_to(client, reverse("admin:index")) == reverse("accounts:second_factor_verify")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "foo"])
def test_the_verify_page_only_follows_addresses_of_this_site(client, coordinator, target):
    """`foo` once reached redirect(), which read it as a URL name: a 500 after the code was accepted."""
    _device, codes = give_authenticator(coordinator)
    log_in(client, coordinator)
    response = client.post(reverse("accounts:second_factor_verify") + f"?next={target}", {"code": codes[1]})
    assert response.url == reverse("home")


def test_wrong_codes_slow_down_further_tries(client, coordinator):
    device, _codes = give_authenticator(coordinator)
    log_in(client, coordinator)
    verify = reverse("accounts:second_factor_verify")
    for _i in range(3):
        client.post(verify, {"code": "000000"})
    # Even the right code is refused while the device waits (django-otp's throttling).
    assert (
        WRONG_CODE in client.post(verify, {"code": totp_code(device, at=time.time() + 30)}).content.decode()
    )


# --- Resets and removal ---------------------------------------------------------------------------


def test_a_password_reset_never_bypasses_the_second_factor(client, coordinator):
    give_authenticator(coordinator)
    client.post(reverse("password_reset"), {"email": coordinator.email})
    link = next(line for line in sent()[-1].body.splitlines() if "/accounts/reset/" in line)
    form_url = client.get(link.split("testserver", 1)[1], follow=True).redirect_chain[-1][0]
    new = "Een-nieuw-wachtwoord-26"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    # The reset logs no one in; after logging in with the new password, the code is still asked.
    assert "_auth_user_id" not in client.session
    log_in(client, coordinator, password=new)
    assert follow_to(client, reverse("admin:index")) == reverse("accounts:second_factor_verify")
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()


def test_a_coordinator_turns_off_the_second_factor_of_someone_who_lost_their_phone(
    client, login, coordinator, organisation, lead, caplog
):
    caplog.set_level(logging.INFO, logger="jimcase.security")
    give_authenticator(lead)
    log_in(client, lead)
    login(coordinator).post(
        reverse("admin:jimcase_user_changelist"),
        {"action": "remove_second_factor", "_selected_action": [lead.pk]},
    )
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert not StaticDevice.objects.filter(user=lead).exists()
    turned_off = AccountChange.objects.get(user=lead, what=AccountChange.What.SECOND_FACTOR, by=coordinator)
    assert (turned_off.before, turned_off.after) == (gettext("on"), gettext("off"))
    # The professional's sessions ended with it.
    assert str(lead.pk) not in [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert "second_factor_removed username=lead ip=- by=coordinator" in caplog.messages


def test_a_coordinator_cannot_turn_off_her_own_second_factor(login, coordinator):
    client = login(coordinator)
    client.post(
        reverse("admin:jimcase_user_changelist"),
        {"action": "remove_second_factor", "_selected_action": [coordinator.pk]},
    )
    assert StaticDevice.objects.filter(user=coordinator).exists()


# --- The demo ------------------------------------------------------------------------------------


def test_the_demo_coordinators_pass_the_second_factor_with_the_readmes_codes(client, db):
    call_command("seed_demo")
    dana = User.objects.get(username="coord.dana")
    client.post(reverse("login"), {"username": "coord.dana", "password": "jim-demo-2026"})
    assert follow_to(client, reverse("admin:index")) == reverse("accounts:second_factor_verify")
    client.post(reverse("accounts:second_factor_verify"), {"code": DEMO_RECOVERY_CODES[0]})
    assert client.get(reverse("admin:index")).status_code == 200
    assert TOTPDevice.objects.filter(user=dana, confirmed=True).exists()
    # Only the coordinators: the professionals and JIMs of the demo have none.
    assert set(TOTPDevice.objects.values_list("user__username", flat=True)) == {"coord.dana", "coord.erik"}


def test_seed_demo_restores_the_demo_recovery_codes(db):
    call_command("seed_demo")
    StaticDevice.objects.get(user__username="coord.dana").token_set.all().delete()
    call_command("seed_demo")
    tokens = StaticDevice.objects.get(user__username="coord.dana").token_set.values_list("token", flat=True)
    assert set(tokens) == set(DEMO_RECOVERY_CODES)


def test_seed_demo_never_runs_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not TOTPDevice.objects.exists()
    assert not User.objects.exists()


def test_known_second_factor_codes_are_refused_in_production(settings, coordinator):
    from django.core.exceptions import ImproperlyConfigured

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        services.second_factor_install_for_demo(user=coordinator, key="00" * 20, recovery_codes=["x"])


def test_someone_asked_for_the_code_cannot_set_up_another_second_factor_instead(client, coordinator):
    StaticDevice.objects.create(user=coordinator, name="recovery", confirmed=True)
    log_in(client, coordinator)
    assert follow_to(client, reverse("accounts:second_factor_setup")) == reverse(
        "accounts:second_factor_verify"
    )
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
