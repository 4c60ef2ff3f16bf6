import re

from django.urls import reverse

from jimcase import services
from jimcase.models import Role
from jimcase.tests.factories import UserFactory, YouthFactory, role_group
from jimcase.tests.html import without_tokens
from jimcase.tests.stale import admin_opened

ADMIN_YOUTH_LIST_QUERIES = 9
ADMIN_USER_LIST_QUERIES = 9

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
    users = without_tokens(client.get(reverse("admin:jimcase_user_changelist")))
    assert "colleague" in users
    assert "stranger" not in users
    youths = without_tokens(client.get(reverse("admin:jimcase_youth_changelist")))
    assert youth.case_number in youths
    assert "ELDERS-1" not in youths


def test_coordinator_team_screen_keeps_team_membership_in_sync(cast, login, team_a):
    client = login(cast["coordinator"])
    url = reverse("admin:jimcase_team_change", args=[team_a.pk])
    response = client.post(
        url,
        {"organisation": team_a.organisation_id, "name": "Team A", "members": [cast["lead"].pk]}
        | admin_opened(client, url),
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
        # The person's JIM trainings, an inline with no rows here.
        "trainings-TOTAL_FORMS": "0",
        "trainings-INITIAL_FORMS": "0",
    }
    response = client.post(url, data | admin_opened(client, url))
    assert response.status_code == 302, response.content.decode()[:2000]
    colleague.refresh_from_db()
    assert colleague.display_name == "Nieuwe Naam"
    assert team_a in list(colleague.teams)


def test_professional_cannot_open_the_admin(cast, login):
    response = login(cast["lead"]).get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.headers["Location"]


def test_admin_youth_list_query_count_is_constant(
    cast, login, organisation, team_a, make_youth, django_assert_num_queries
):
    # The team may be empty and is named with its organisation: neither may cost a query per row.
    team_b = services.team_create(organisation=organisation, name="Team B")
    make_youth(2)
    client = login(cast["coordinator"])
    url = reverse("admin:jimcase_youth_changelist")
    client.get(url)  # warm up: session, content types
    with django_assert_num_queries(ADMIN_YOUTH_LIST_QUERIES, info="two youths of one team"):
        client.get(url)
    make_youth(10)
    make_youth(5, team=team_b)
    make_youth(5, team=None)
    with django_assert_num_queries(ADMIN_YOUTH_LIST_QUERIES, info="22 youths, two teams and none"):
        response = client.get(url)
    html = response.content.decode()
    assert len(set(re.findall(r'href="/admin/jimcase/youth/(\d+)/change/', html))) == 22
    assert "Team B (" in html


def test_admin_user_list_query_count_is_constant(cast, login, organisation, django_assert_num_queries):
    client = login(cast["coordinator"])
    url = reverse("admin:jimcase_user_changelist")
    client.get(url)
    with django_assert_num_queries(ADMIN_USER_LIST_QUERIES, info="the cast"):
        client.get(url)
    UserFactory.create_batch(10, organisation=organisation, role=Role.PROFESSIONAL)
    with django_assert_num_queries(ADMIN_USER_LIST_QUERIES, info="ten more people"):
        response = client.get(url)
    assert response.content.decode().count('class="action-select"') >= 12


def test_youth_list_filters_by_the_coordinators_own_teams_only(
    cast, login, youth, team_a, other_organisation
):
    services.team_create(organisation=other_organisation, name="Elders Team")
    html = without_tokens(login(cast["coordinator"]).get(reverse("admin:jimcase_youth_changelist")))
    assert f"team__id__exact={team_a.pk}" in html
    assert "Elders Team" not in html
