"""A coordinator manages accounts without ever reaching a youth or someone else's password (issue: holes at the admin)."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import AccountChange
from jimcase import services
from jimcase.models import Role
from jimcase.rules import role_conflict
from jimcase.selectors import youths_visible_to
from jimcase.tests.factories import PASSWORD, role_group
from jimcase.tests.html import without_tokens
from jimcase.tests.mail import sent
from jimcase.tests.second_factor import pass_second_factor
from jimcase.tests.stale import admin_opened
from outbox.models import OutgoingMail


def user_form(user, **changes):
    """The admin's change form for `user` as the browser posts it, with `changes`."""
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "phone": "",
        "organisation": user.organisation_id,
        "groups": [g.pk for g in user.groups.filter(team__isnull=True)],
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "account_changes-TOTAL_FORMS": "0",
        "account_changes-INITIAL_FORMS": "0",
        # The person's JIM trainings (none added here).
        "trainings-TOTAL_FORMS": "0",
        "trainings-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_a_coordinator_cannot_give_herself_a_professional_role(login, coordinator):
    client = login(coordinator)
    url = reverse("admin:jimcase_user_change", args=[coordinator.pk])
    groups = [role_group(Role.COORDINATOR).pk, role_group(Role.PROFESSIONAL).pk]
    client.post(url, user_form(coordinator, groups=groups))
    coordinator.refresh_from_db()
    assert set(coordinator.groups.values_list("name", flat=True)) == {Role.COORDINATOR}
    assert coordinator.is_staff and coordinator.is_active


def test_a_coordinator_cannot_put_herself_in_a_team(login, coordinator, team_a, lead):
    client = login(coordinator)
    url = reverse("admin:jimcase_team_change", args=[team_a.pk])
    client.post(
        url, {"organisation": team_a.organisation_id, "name": "Team A", "members": [lead.pk, coordinator.pk]}
    )
    assert coordinator not in set(team_a.members)
    assert lead in set(team_a.members)


def test_a_coordinator_never_reaches_a_youth_file_whatever_groups_she_holds(
    client, coordinator, team_a, youth
):
    # Even when someone gave her the professional role and a team that shares the youth, by hand.
    youth.shared_with_team = True
    services.youth_update(youth=youth, by=coordinator, shared_with_team=True)
    coordinator.groups.add(role_group(Role.PROFESSIONAL), team_a.group)
    coordinator.__dict__.pop("_role_names", None)
    assert not coordinator.is_professional
    assert not youths_visible_to(coordinator).exists()
    assert client.login(username=coordinator.username, password=PASSWORD)
    pass_second_factor(client, coordinator)
    assert client.get(reverse("jimcase:youth_detail", args=[youth.pk])).status_code == 404
    response = client.post(
        reverse("jimcase:note_add", args=[youth.pk]), {"written_on": "2026-01-01", "text": "x"}
    )
    assert response.status_code == 404
    assert not youth.notes.exists()


def test_one_account_is_never_coordinator_and_professional(login, coordinator, colleague):
    client = login(coordinator)
    url = reverse("admin:jimcase_user_change", args=[colleague.pk])
    groups = [role_group(Role.COORDINATOR).pk, role_group(Role.PROFESSIONAL).pk]
    response = client.post(url, user_form(colleague, groups=groups, is_staff="on"))
    assert response.status_code == 200
    assert "tweede account" in response.content.decode()
    assert not colleague.groups.filter(name=Role.COORDINATOR).exists()


def test_a_coordinator_cannot_set_or_see_another_persons_password(login, coordinator, colleague):
    client = login(coordinator)
    password_url = reverse("admin:auth_user_password_change", args=[colleague.pk])
    assert client.get(password_url).status_code == 404
    assert (
        client.post(
            password_url, {"password1": "Nieuw-wachtwoord-26", "password2": "Nieuw-wachtwoord-26"}
        ).status_code
        == 404
    )
    assert Client().login(username=colleague.username, password=PASSWORD)
    page = without_tokens(client.get(reverse("admin:jimcase_user_change", args=[colleague.pk])))
    # No hash summary ("md5 …"); the page's random CSRF tokens are left out, as they may hold any letters.
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    assert "md5" not in page.lower() and password_url not in page


def test_a_coordinator_sends_a_password_link_instead(
    login, coordinator, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    # To an invited account that has not chosen its password yet (test_accounts_email: only to such).
    colleague.set_unusable_password()
    colleague.save()
    client = login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:jimcase_user_changelist"),
            {"action": "send_password_link", "_selected_action": [colleague.pk]},
        )
    assert response.status_code == 302
    assert len(sent()) == 1 and sent()[0].to == [colleague.email]
    assert "/reset/" in sent()[0].body


def test_a_new_account_made_by_a_coordinator_has_no_password_until_the_person_chooses_one(
    login, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:jimcase_user_add"),
            {
                "username": "nieuw",
                "display_name": "Nieuwe Collega",
                "email": "nieuw@example.org",
                "organisation": coordinator.organisation_id,
                "account_changes-TOTAL_FORMS": "0",
                "account_changes-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    new = coordinator.organisation.users.get(username="nieuw")
    assert not new.has_usable_password()
    assert sent()[0].to == ["nieuw@example.org"]


def test_role_team_and_active_changes_are_recorded_and_shown(login, coordinator, colleague, team_a):
    client = login(coordinator)
    url = reverse("admin:jimcase_user_change", args=[colleague.pk])
    opened = admin_opened(client, url)
    client.post(url, user_form(colleague, groups=[role_group(Role.JIM).pk], is_active="") | opened)
    team_url = reverse("admin:jimcase_team_change", args=[team_a.pk])
    client.post(
        team_url,
        {"organisation": team_a.organisation_id, "name": "Team A", "members": []}
        | admin_opened(client, team_url),
    )
    changes = {(c.what, c.before, c.after, c.by) for c in AccountChange.objects.filter(user=colleague)}
    assert (AccountChange.What.ROLES, Role.PROFESSIONAL, Role.JIM, coordinator) in changes
    assert (AccountChange.What.ACTIVE, "ja", "nee", coordinator) in changes
    assert (AccountChange.What.TEAMS, "Team A", "", coordinator) in changes
    page = client.get(url).content.decode()
    assert "wijzigingen aan rollen, teams, toegang en e-mailadres" in page.lower() and "Team A" in page


def test_deactivating_an_account_ends_its_sessions(login, coordinator, colleague):
    other = Client()
    assert other.login(username=colleague.username, password=PASSWORD)
    assert other.get(reverse("jimcase:caseload")).status_code == 200
    client = login(coordinator)
    url = reverse("admin:jimcase_user_change", args=[colleague.pk])
    client.post(url, user_form(colleague, is_active="") | admin_opened(client, url))
    sessions = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(colleague.pk) not in sessions
    client.post(url, user_form(colleague, is_active="on") | admin_opened(client, url))
    response = other.get(reverse("jimcase:caseload"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("roles", "conflict"),
    [
        ({Role.COORDINATOR}, False),
        ({Role.PROFESSIONAL}, False),
        ({Role.PROFESSIONAL, Role.JIM}, False),
        ({Role.COORDINATOR, Role.PROFESSIONAL}, True),
        ({Role.COORDINATOR, Role.JIM}, True),
    ],
)
def test_the_role_rule(roles, conflict):
    assert bool(role_conflict(roles)) is conflict


def test_a_coordinator_hands_over_a_files_lead_in_the_admin_without_seeing_the_file(
    login, coordinator, youth, colleague
):
    client = login(coordinator)
    change = without_tokens(client.get(reverse("admin:jimcase_youth_change", args=[youth.pk])))
    url = reverse("admin:jimcase_youth_lead", args=[youth.pk])
    assert url in change and youth.last_name not in change
    assert client.get(url).status_code == 200
    response = client.post(url, {"professional": colleague.pk})
    assert response.status_code == 302
    assert youth.current_lead == colleague
    assert client.get(reverse("jimcase:youth_detail", args=[youth.pk])).status_code == 404


def test_a_coordinator_cannot_hand_over_a_youth_of_another_organisation(
    login, other_coordinator, youth, colleague
):
    client = login(other_coordinator)
    assert (
        client.post(
            reverse("admin:jimcase_youth_lead", args=[youth.pk]), {"professional": colleague.pk}
        ).status_code
        == 404
    )
    assert youth.current_lead.username == "lead"


def test_the_admin_names_nothing_of_another_organisation(login, coordinator, youth, other_organisation):
    services.team_create(organisation=other_organisation, name="Team Utrecht-Oost")
    client = login(coordinator)
    pages = [
        reverse("admin:jimcase_youth_changelist"),
        reverse("admin:jimcase_team_changelist"),
        reverse("admin:jimcase_user_changelist"),
        reverse("admin:jimcase_youth_change", args=[youth.pk]),
    ]
    for url in pages:
        body = without_tokens(client.get(url))
        assert "Utrecht-Oost" not in body and other_organisation.name not in body and "team:" not in body, url


def test_every_page_for_a_logged_in_user_is_no_store(login, lead, youth, coordinator):
    client = login(lead)
    for url in [reverse("jimcase:caseload"), reverse("jimcase:youth_detail", args=[youth.pk])]:
        cache = client.get(url)["Cache-Control"]
        assert "no-store" in cache and "private" in cache, url
    admin = login(coordinator).get(reverse("admin:jimcase_youth_changelist"))
    assert "no-store" in admin["Cache-Control"]


def test_a_password_link_with_the_mail_server_down_still_answers_and_waits(
    login, coordinator, colleague, mail_server_down, django_capture_on_commit_callbacks
):
    colleague.set_unusable_password()  # an invitation: the only kind of account a link goes to
    colleague.save()
    client = login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:jimcase_user_changelist"),
            {"action": "send_password_link", "_selected_action": [colleague.pk]},
        )
    assert response.status_code == 302
    waiting = OutgoingMail.objects.get(kind="password_link")
    assert (waiting.to, waiting.status, waiting.attempts) == (colleague.email, OutgoingMail.Status.QUEUED, 0)
    sent()  # the worker's try fails: the mail waits for the next
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (OutgoingMail.Status.QUEUED, 1)
