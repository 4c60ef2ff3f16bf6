import re

from django.urls import reverse

from jimcase.models import Role
from jimcase.tests.factories import YouthFactory, role_group

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>\s*\S", re.I)


def test_admin_works_for_a_coordinator_without_inline_script(cast, login):
    client = login(cast["coordinator"])
    for url in [
        reverse("admin:index"),
        reverse("admin:jimcase_user_changelist"),
        reverse("admin:jimcase_team_add"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "'self'" in response.headers["Content-Security-Policy"]
        assert not INLINE_SCRIPT.search(response.content.decode()), url


def test_coordinator_sees_only_their_own_organisation_in_the_admin(cast, login, youth, other_organisation):
    YouthFactory(organisation=other_organisation, case_number="ELDERS-1")
    client = login(cast["coordinator"])
    users = client.get(reverse("admin:jimcase_user_changelist")).content.decode()
    assert "colleague" in users
    assert "stranger" not in users
    youths = client.get(reverse("admin:jimcase_youth_changelist")).content.decode()
    assert youth.case_number in youths
    assert "ELDERS-1" not in youths


def test_coordinator_team_screen_keeps_team_membership_in_sync(cast, login, team_a):
    client = login(cast["coordinator"])
    url = reverse("admin:jimcase_team_change", args=[team_a.pk])
    response = client.post(
        url, {"organisation": team_a.organisation_id, "name": "Team A", "members": [cast["lead"].pk]}
    )
    assert response.status_code == 302
    assert set(team_a.members) == {cast["lead"]}


def test_editing_roles_in_the_admin_keeps_team_memberships(cast, login, team_a):
    colleague = cast["colleague"]
    client = login(cast["coordinator"])
    url = reverse("admin:jimcase_user_change", args=[colleague.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "username": colleague.username,
        "display_name": "Nieuwe Naam",
        "first_name": "",
        "last_name": "",
        "email": colleague.email,
        "phone": "",
        "organisation": colleague.organisation_id,
        "groups": [role_group(Role.PROFESSIONAL).pk],
        "is_active": "on",
        # The read-only list of account changes below the form (an inline without rows to add).
        "account_changes-TOTAL_FORMS": "0",
        "account_changes-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    colleague.refresh_from_db()
    assert colleague.display_name == "Nieuwe Naam"
    assert team_a in list(colleague.teams)


def test_professional_cannot_open_the_admin(cast, login):
    response = login(cast["lead"]).get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.headers["Location"]
