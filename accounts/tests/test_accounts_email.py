"""A person's e-mail address is theirs (issue 20, hole 2: account takeover through the e-mail field).

A coordinator sets the address when she invites an account and may correct it until the account is used;
after that only the person changes it (password asked, a link to the new address, a notice to the old
one). A password link from the admin goes only to an account that never chose a password. Every change of
address and every link sent is on the person's admin page, and so is a mail that could not be sent.
"""

import datetime
import re
import time
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import AccountChange
from jimcase.models import Role
from jimcase.tests.factories import PASSWORD, UserFactory
from jimcase.tests.html import select, visible_text, without_tokens
from jimcase.tests.mail import sent
from jimcase.tests.stale import admin_opened
from jimcase.tests.test_admin_accounts import user_form
from outbox import services as outbox
from outbox.models import OutgoingMail

ATTACKER = "dana.prive@example.net"


def field_error(response, field):
    """The error text shown beside `field` (crispy: the element with id error_1_id_<field>), or None."""
    match = re.search(
        rf'id="error_1_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', response.content.decode(), re.S
    )
    return match.group(1).strip() if match else None


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def send_link_action(client, *users):
    return client.post(
        reverse("admin:jimcase_user_changelist"),
        {"action": "send_password_link", "_selected_action": [u.pk for u in users]},
        follow=True,
    )


def invite(client, coordinator, username="nieuw", email="nieuw@example.org"):
    """The coordinator makes an account in the admin (the invitation); return the new account."""
    response = client.post(
        reverse("admin:jimcase_user_add"),
        {
            "username": username,
            "display_name": "Nieuwe Collega",
            "email": email,
            "organisation": coordinator.organisation_id,
            "account_changes-TOTAL_FORMS": "0",
            "account_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return coordinator.organisation.users.get(username=username)


def changes(user, what):
    return [
        (c.before, c.after, c.by) for c in AccountChange.objects.filter(user=user, what=what).order_by("pk")
    ]


# --- The takeover, as coord.dana tried it ---------------------------------------------------------


def test_a_coordinator_cannot_take_over_a_used_account_through_its_e_mail(
    login, coordinator, lead, youth, django_capture_on_commit_callbacks
):
    # hv.bram (the lead) has used his account.
    assert Client().login(username=lead.username, password=PASSWORD)
    client = login(coordinator)
    url = reverse("admin:jimcase_user_change", args=[lead.pk])
    assert select(client.get(url), 'input[name="email"]') == []

    # 1. She sets his address to hers: the field is not hers to change; the rest of the form is saved.
    response = client.post(
        url, user_form(lead, email=ATTACKER, phone="0470 12 34 56") | admin_opened(client, url)
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.email == "lead@example.org" and lead.phone == "0470 12 34 56"
    assert changes(lead, AccountChange.What.EMAIL) == []

    # 2. She sends him a password link: refused, he uses "wachtwoord vergeten" himself.
    with django_capture_on_commit_callbacks(execute=True):
        response = send_link_action(client, lead)
    assert any("wachtwoord vergeten" in m for m in messages_of(response)), messages_of(response)
    assert not OutgoingMail.objects.exists()
    assert sent() == []
    assert changes(lead, AccountChange.What.PASSWORD_LINK) == []
    assert not OutgoingMail.objects.filter(to=ATTACKER).exists()


def test_an_account_with_a_chosen_password_is_locked_too_even_before_its_first_login(
    login, coordinator, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    new = invite(client, coordinator)
    new.set_password(PASSWORD)
    new.save()
    client.post(reverse("admin:jimcase_user_change", args=[new.pk]), user_form(new, email=ATTACKER))
    new.refresh_from_db()
    assert new.email == "nieuw@example.org"
    OutgoingMail.objects.all().delete()
    response = send_link_action(client, new)
    assert not OutgoingMail.objects.exists()
    assert any("wachtwoord vergeten" in m for m in messages_of(response))


# --- The coordinator's invitation ----------------------------------------------------------------


def test_an_invitation_records_the_address_and_the_link_sent(login, coordinator):
    client = login(coordinator)
    new = invite(client, coordinator)
    assert changes(new, AccountChange.What.EMAIL) == [("", "nieuw@example.org", coordinator)]
    assert changes(new, AccountChange.What.PASSWORD_LINK) == [("", "nieuw@example.org", coordinator)]
    page = client.get(reverse("admin:jimcase_user_change", args=[new.pk])).content.decode()
    assert "link om een wachtwoord te kiezen" in page.lower()


def test_a_coordinator_corrects_the_address_of_an_account_never_used_and_sends_the_link_again(
    login, coordinator
):
    client = login(coordinator)
    new = invite(client, coordinator, email="nieuw@exmaple.org")
    url = reverse("admin:jimcase_user_change", args=[new.pk])
    assert 'name="email"' in client.get(url).content.decode()
    client.post(url, user_form(new, email="nieuw@example.org") | admin_opened(client, url))
    new.refresh_from_db()
    assert new.email == "nieuw@example.org"
    assert changes(new, AccountChange.What.EMAIL) == [
        ("", "nieuw@exmaple.org", coordinator),
        ("nieuw@exmaple.org", "nieuw@example.org", coordinator),
    ]
    response = send_link_action(client, new)
    assert OutgoingMail.objects.filter(to="nieuw@example.org", kind="password_link").count() == 1
    # Honest: the link is queued in the outbox, not yet sent.
    assert messages_of(response)[-1] == (
        "1 link klaargezet om te versturen. Een mail die niet vertrekt, staat op de pagina van de persoon."
    )
    assert len(changes(new, AccountChange.What.PASSWORD_LINK)) == 2


def test_a_superuser_may_correct_a_used_accounts_address_recorded_and_told_to_the_old_address(
    login, organisation, lead
):
    assert Client().login(username=lead.username, password=PASSWORD)
    admin = UserFactory(username="beheer", organisation=organisation, is_staff=True, is_superuser=True)
    client = login(admin)
    data = user_form(lead, email="lead@nieuw.example.org", user_permissions=[])
    url = reverse("admin:jimcase_user_change", args=[lead.pk])
    response = client.post(url, data | admin_opened(client, url))
    assert response.status_code == 302, response.content.decode()[:3000]
    lead.refresh_from_db()
    assert lead.email == "lead@nieuw.example.org"
    assert changes(lead, AccountChange.What.EMAIL) == [("lead@example.org", "lead@nieuw.example.org", admin)]
    notice = OutgoingMail.objects.get(kind="email_changed_notice")
    assert notice.to == "lead@example.org" and "lead@nieuw.example.org" in notice.body


# --- A mail that could not be sent, on the person's page ------------------------------------------


def test_the_persons_page_shows_a_mail_that_could_not_be_sent_never_its_text(
    login, coordinator, mail_server_down, settings
):
    settings.OUTBOX_SEND_AT_COMMIT = False
    client = login(coordinator)
    new = invite(client, coordinator)
    url = reverse("admin:jimcase_user_change", args=[new.pk])
    assert "niet verstuurd" not in visible_text(client.get(url))  # queued, not tried yet: nothing wrong

    outbox.deliver_due()  # the server is down: the mail waits for another try
    page = without_tokens(client.get(url))
    assert "Nog niet verstuurd" in page and "wacht om verstuurd te worden" in page
    assert "link om een wachtwoord te kiezen" in page.lower()
    assert "/reset/" not in page  # the link stays the addressee's

    OutgoingMail.objects.update(
        attempts=settings.OUTBOX_MAX_ATTEMPTS - 1,
        next_attempt_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
    )
    outbox.deliver_due()
    page = without_tokens(client.get(url))
    assert "kon niet verstuurd worden" in page


def test_another_persons_failed_mail_is_not_on_this_page(login, coordinator, lead, colleague):
    OutgoingMail.objects.create(
        kind="password_reset", topic=f"user:{colleague.pk}", to=colleague.email, subject="s", status="failed"
    )
    client = login(coordinator)
    page = without_tokens(client.get(reverse("admin:jimcase_user_change", args=[lead.pk])))
    assert "kon niet verstuurd worden" not in page
    page = without_tokens(client.get(reverse("admin:jimcase_user_change", args=[colleague.pk])))
    assert "kon niet verstuurd worden" in page


# --- The person changes their own address --------------------------------------------------------


def email_url():
    return reverse("accounts:email_change")


def ask_change(client, password=PASSWORD, email="nieuw.adres@example.org"):
    return client.post(email_url(), {"password": password, "email": email})


def confirm_link(mail):
    match = re.search(r"https?://[^\s]+(/accounts/email/confirm/[^\s/]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


@pytest.mark.parametrize("member", ["lead", "jim", "coordinator"])
def test_a_person_changes_their_own_address_through_a_link_sent_to_it(member, cast, login):
    user = cast[member]
    old = user.email
    client = login(user)
    page = client.get(email_url()).content.decode()
    assert old in page

    response = ask_change(client)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == old  # nothing changes before the link is opened
    confirm = OutgoingMail.objects.get(kind="email_change_confirm")
    notice = OutgoingMail.objects.get(kind="email_change_notice")
    assert confirm.to == "nieuw.adres@example.org" and confirm.topic == f"user:{user.pk}"
    assert notice.to == old and "nieuw.adres@example.org" in notice.body and "/confirm/" not in notice.body
    link = confirm_link(confirm)

    page = client.get(link).content.decode()
    assert "nieuw.adres@example.org" in page
    user.refresh_from_db()
    assert user.email == old  # opening the page alone changes nothing: the button does
    response = client.post(link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "nieuw.adres@example.org"
    assert changes(user, AccountChange.What.EMAIL) == [(old, "nieuw.adres@example.org", user)]

    # The link works once.
    client.post(link)
    assert len(changes(user, AccountChange.What.EMAIL)) == 1


def test_a_wrong_password_is_refused_beside_the_field_and_nothing_is_sent(login, lead):
    client = login(lead)
    response = ask_change(client, password="niet-mijn-wachtwoord")
    assert response.status_code == 200
    assert field_error(response, "password") == "Dit wachtwoord klopt niet."
    assert not OutgoingMail.objects.exists()
    lead.refresh_from_db()
    assert lead.email == "lead@example.org"


def test_an_address_of_another_account_is_refused(login, lead, colleague):
    client = login(lead)
    response = ask_change(client, email=colleague.email.upper())
    assert field_error(response, "email") == (
        "Een ander account gebruikt dit e-mailadres al. Kies een ander adres."
    )
    assert not OutgoingMail.objects.exists()


def test_a_bad_address_is_refused_beside_the_field(login, lead):
    client = login(lead)
    response = ask_change(client, email="geen-adres")
    assert field_error(response, "email") == "Voer een geldig e-mailadres in."
    response = ask_change(client, email="LEAD@example.org")
    assert field_error(response, "email") == "Dit is al je e-mailadres."
    assert not OutgoingMail.objects.exists()


def test_a_link_older_than_three_days_is_refused(login, lead):
    client = login(lead)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 3 * 24 * 3600 - 60):
        ask_change(client)
    link = confirm_link(OutgoingMail.objects.get(kind="email_change_confirm"))
    response = client.post(link)
    assert response.status_code == 200
    assert "verlopen" in response.content.decode()
    lead.refresh_from_db()
    assert lead.email == "lead@example.org"
    assert changes(lead, AccountChange.What.EMAIL) == []


def test_a_link_opened_by_someone_else_changes_nothing(login, lead, jim):
    ask_change(login(lead))
    link = confirm_link(OutgoingMail.objects.get(kind="email_change_confirm"))
    other = Client()
    assert other.login(username=jim.username, password=PASSWORD)
    response = other.post(link)
    assert response.status_code == 200
    assert "voor een ander account" in response.content.decode()
    lead.refresh_from_db()
    jim.refresh_from_db()
    assert lead.email == "lead@example.org" and jim.email == "jim@example.org"
    assert not AccountChange.objects.filter(what=AccountChange.What.EMAIL).exists()


def test_a_link_opened_logged_out_asks_to_log_in_first(login, lead):
    ask_change(login(lead))
    link = confirm_link(OutgoingMail.objects.get(kind="email_change_confirm"))
    response = Client().post(link)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    lead.refresh_from_db()
    assert lead.email == "lead@example.org"


def test_a_newer_request_or_a_new_password_ends_an_older_link(login, lead):
    client = login(lead)
    ask_change(client, email="eerste@example.org")
    first = confirm_link(OutgoingMail.objects.get(to="eerste@example.org"))
    ask_change(client, email="tweede@example.org")
    second = confirm_link(OutgoingMail.objects.get(to="tweede@example.org"))
    client.post(second)
    client.post(first)  # the address changed since: the older link is dead
    lead.refresh_from_db()
    assert lead.email == "tweede@example.org"

    ask_change(client, email="derde@example.org")
    third = confirm_link(OutgoingMail.objects.get(to="derde@example.org"))
    lead.set_password("Een-nieuw-wachtwoord-26")  # whoever asked it, the owner changed the password
    lead.save()
    client = Client()
    assert client.login(username=lead.username, password="Een-nieuw-wachtwoord-26")
    client.post(third)
    lead.refresh_from_db()
    assert lead.email == "tweede@example.org"


def test_an_address_taken_meanwhile_is_refused_when_the_link_is_opened(login, lead, colleague):
    client = login(lead)
    ask_change(client)
    link = confirm_link(OutgoingMail.objects.get(kind="email_change_confirm"))
    colleague.email = "nieuw.adres@example.org"
    colleague.save()
    response = client.post(link)
    assert "Een ander account gebruikt dit e-mailadres al" in response.content.decode()
    lead.refresh_from_db()
    assert lead.email == "lead@example.org"


def test_the_page_is_reached_from_the_menu_under_ones_name_and_from_the_admin(login, lead, coordinator):
    page = login(lead).get(reverse("password_change")).content.decode()
    assert email_url() in page
    page = login(coordinator).get(reverse("admin:index")).content.decode()
    assert email_url() in page


def test_the_e_mail_page_is_for_logged_in_users_only(client):
    response = client.get(email_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_one_jim_of_several_youths_keeps_one_account_after_changing_address(login, jim):
    # The invitation of a JIM for another youth finds the account by its address: it must stay unique.
    other = UserFactory(username="jim2", organisation=jim.organisation, role=Role.JIM)
    response = ask_change(login(jim), email=other.email)
    assert field_error(response, "email") is not None
    assert not OutgoingMail.objects.exists()
