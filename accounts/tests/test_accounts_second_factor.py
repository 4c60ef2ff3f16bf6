"""The second factor (django-otp): required for coordinators and the admin, per organisation for
professionals, a choice for JIMs; set up with a QR code drawn on the server; never bypassed by a reset."""

import datetime
import logging
import re
import time
import zoneinfo
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.demo import DEMO_RECOVERY_CODES
from accounts.models import AccountChange
from jimcase.models import User
from jimcase.tests.factories import PASSWORD
from jimcase.tests.html import without_tokens
from jimcase.tests.mail import sent
from jimcase.tests.second_factor import totp_code
from jimcase.tests.stale import admin_opened

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
    assert client.post(url, data | admin_opened(client, url)).status_code == 302
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
    html = without_tokens(client.get(reverse("accounts:second_factor_setup")))
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


def test_after_the_password_a_user_with_a_second_factor_types_the_code(client, coordinator, caplog):
    caplog.set_level(logging.INFO, logger="jimcase.security")
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


def test_verifying_the_code_gives_the_session_a_new_key(client, coordinator):
    """A session key known before the second factor (fixed by an attacker, seen on a shared computer)
    must not become a verified session."""
    _device, codes = give_authenticator(coordinator)
    log_in(client, coordinator)
    before = client.session.session_key
    assert client.post(reverse("accounts:second_factor_verify"), {"code": codes[0]}).status_code == 302
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.get(reverse("admin:index")).status_code == 200
    old = Client()
    old.cookies[django_settings.SESSION_COOKIE_NAME] = before
    response = old.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_setting_up_the_second_factor_gives_the_session_a_new_key(client, coordinator):
    log_in(client, coordinator)
    before = client.session.session_key
    set_up(client, coordinator)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


# --- Too many wrong codes ---------------------------------------------------------------------------

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
#: After the password, at 10:00:20 Brussels time.
NOW = datetime.datetime(2026, 3, 2, 10, 0, 20, tzinfo=BRUSSELS)
APP_LOCKED = (
    "Te veel foute codes na elkaar. Codes uit je app worden weer aanvaard vanaf {time}; tot dan kun je "
    "aanmelden met een van je herstelcodes."
)


def wrong_code(device):
    """A six-digit code the app does not show around now."""
    shown = {totp_code(device, at=time.time() + step * 30) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in shown)


def verify_post(client, code):
    return client.post(reverse("accounts:second_factor_verify"), {"code": code}).content.decode()


@pytest.fixture
def throttled(client, coordinator, caplog):
    """A coordinator past the password who typed 5 wrong app codes in a row at 10:00:20 (the limit)."""
    caplog.set_level(logging.INFO, logger="jimcase.security")
    with time_machine.travel(NOW, tick=False) as traveller:
        device, codes = give_authenticator(coordinator)
        log_in(client, coordinator)
        traveller.shift(30)  # the next half-minute: the setup's code does not work twice
        pages = [verify_post(client, wrong_code(device)) for _i in range(5)]
        yield {"device": device, "codes": codes, "pages": pages, "traveller": traveller}


def test_after_five_wrong_codes_the_page_says_until_when_and_offers_a_recovery_code(throttled, client):
    first_four, fifth = throttled["pages"][:4], throttled["pages"][4]
    assert all(WRONG_CODE in page for page in first_four)
    # Locked from the fifth failure (10:00:50) for 15 minutes, shown rounded up to the whole minute.
    assert APP_LOCKED.format(time="10:16") in fifth and WRONG_CODE not in fifth
    # The right code is refused too, and the page says why instead of "this code is not right".
    throttled["traveller"].shift(60)
    right = verify_post(client, totp_code(throttled["device"]))
    assert APP_LOCKED.format(time="10:16") in right and WRONG_CODE not in right
    assert follow_to(client, reverse("admin:index")) == reverse("accounts:second_factor_verify")


def test_a_throttled_second_factor_is_in_the_security_log_without_the_code(throttled, client, caplog):
    def throttled_lines():
        # The fixture's wrong codes were logged while the test was set up.
        lines = [record.getMessage() for when in ("setup", "call") for record in caplog.get_records(when)]
        return [line for line in lines if line.startswith("second_factor_throttled ")]

    assert throttled_lines() == [
        "second_factor_throttled username=coordinator ip=127.0.0.1 method=authenticator failures=5 "
        "until=2026-03-02T10:15:50+01:00"
    ]
    throttled["traveller"].shift(60)
    right = totp_code(throttled["device"])
    verify_post(client, right)
    assert throttled_lines()[1].startswith("second_factor_throttled username=coordinator ip=127.0.0.1 ")
    assert right not in caplog.text and not any(code in caplog.text for code in throttled["codes"])


def test_the_right_code_is_accepted_after_the_wait(throttled, client):
    throttled["traveller"].move_to(datetime.datetime(2026, 3, 2, 10, 16, 0, tzinfo=BRUSSELS))
    response = client.post(reverse("accounts:second_factor_verify"), {"code": totp_code(throttled["device"])})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_recovery_code_is_accepted_during_the_wait_as_the_page_says(throttled, client):
    throttled["traveller"].shift(60)
    response = client.post(reverse("accounts:second_factor_verify"), {"code": throttled["codes"][0]})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_recovery_codes_are_throttled_on_their_own_and_the_page_says_so(client, coordinator):
    with time_machine.travel(NOW, tick=False) as traveller:
        device, _codes = give_authenticator(coordinator)
        log_in(client, coordinator)
        traveller.shift(30)
        pages = [verify_post(client, f"fout{i}fout") for i in range(5)]
        assert (
            "Te veel foute herstelcodes na elkaar. Herstelcodes worden weer aanvaard vanaf 10:16; gebruik tot "
            "dan de code uit je app."
        ) in pages[-1]
        # The app's code still works: its own count is at zero.
        assert (
            client.post(reverse("accounts:second_factor_verify"), {"code": totp_code(device)}).status_code
            == 302
        )


# --- Resets and removal ---------------------------------------------------------------------------


def test_a_password_reset_never_bypasses_the_second_factor(client, coordinator):
    give_authenticator(coordinator)
    client.post(reverse("password_reset"), {"email": coordinator.email})
    link = next(line for line in sent()[-1].body.splitlines() if "/accounts/reset/" in line)
    form_url = client.get(urlsplit(link).path, follow=True).redirect_chain[-1][0]
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
