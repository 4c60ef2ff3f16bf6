"""The coordinator's list of case assignments: who works on which file since when, to see the workload."""

import re

from django.urls import reverse
from django.utils import timezone

from jimcase import services
from jimcase.models import CaseAssignment, Role
from jimcase.tests.factories import UserFactory
from jimcase.tests.html import without_tokens

ADMIN_ASSIGNMENT_LIST_QUERIES = 9


def test_admin_assignment_list_query_count_is_constant(
    login, coordinator, organisation, team_a, make_youth, django_assert_num_queries
):
    team_b = services.team_create(organisation=organisation, name="Team B")
    other = UserFactory(organisation=organisation, role=Role.PROFESSIONAL)
    services.team_member_add(team=team_b, user=other)
    make_youth(2)
    client = login(coordinator)
    url = reverse("admin:jimcase_caseassignment_changelist")
    client.get(url)  # warm up: session, content types
    with django_assert_num_queries(ADMIN_ASSIGNMENT_LIST_QUERIES, info="two assignments"):
        client.get(url)
    make_youth(10)
    make_youth(5, by=other, team=team_b)
    with django_assert_num_queries(ADMIN_ASSIGNMENT_LIST_QUERIES, info="17 assignments, two professionals"):
        response = client.get(url)
    html = response.content.decode()
    assert len(set(re.findall(r'href="/admin/jimcase/caseassignment/(\d+)/change/', html))) == 17
    assert '<td class="field-open_files">12</td>' in html and '<td class="field-open_files">5</td>' in html


def test_the_assignment_list_shows_no_youth_name(login, coordinator, youth):
    html = without_tokens(login(coordinator).get(reverse("admin:jimcase_caseassignment_changelist")))
    assert youth.case_number in html
    assert youth.first_name not in html and youth.last_name not in html
    assignment = youth.assignments.get()
    detail = login(coordinator).get(reverse("admin:jimcase_caseassignment_change", args=[assignment.pk]))
    assert detail.status_code == 200
    assert youth.case_number in detail.content.decode()
    assert youth.first_name not in without_tokens(detail)


def test_a_coordinator_sees_only_her_own_organisations_assignments(
    login, coordinator, youth, make_youth, stranger, other_organisation
):
    (elsewhere,) = make_youth(by=stranger, organisation=other_organisation, team=None, case_number="ELDERS-7")
    theirs = elsewhere.assignments.get()
    client = login(coordinator)
    html = without_tokens(client.get(reverse("admin:jimcase_caseassignment_changelist")))
    assert youth.case_number in html and "ELDERS-7" not in html
    assert client.get(reverse("admin:jimcase_caseassignment_change", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:jimcase_caseassignment_history", args=[theirs.pk])).status_code == 404


def test_the_assignment_list_filters_by_the_professionals_team_and_open_or_ended(
    login, coordinator, organisation, lead, colleague, youth, make_youth, other_organisation
):
    team_b = services.team_create(organisation=organisation, name="Team B")
    services.team_create(organisation=other_organisation, name="Elders Team")
    newcomer = UserFactory(organisation=organisation, role=Role.PROFESSIONAL)
    services.team_member_add(team=team_b, user=newcomer)
    (theirs,) = make_youth(by=newcomer, team=team_b)
    backup = services.assignment_add(
        youth=youth, professional=colleague, role="backup", starts_on=timezone.localdate(), by=lead
    )
    services.assignment_end(assignment=backup, by=lead)
    client = login(coordinator)
    url = reverse("admin:jimcase_caseassignment_changelist")
    html = without_tokens(client.get(url))
    assert f"professional_team={team_b.pk}" in html and "Elders Team" not in html
    assert "team van de hulpverlener" in html and "Lopende dossiers van de hulpverlener" in html

    def listed(**params):
        page = client.get(url, params).content.decode()
        return set(map(int, re.findall(r'href="/admin/jimcase/caseassignment/(\d+)/change/', page)))

    lead_of_youth = youth.assignments.get(role="lead")
    assert listed(professional_team=team_b.pk) == {theirs.assignments.get().pk}
    assert listed(state="ended") == {backup.pk}
    assert listed(state="open") == {lead_of_youth.pk, theirs.assignments.get().pk}
    assert listed(role__exact="backup") == {backup.pk}  # as the filter's own link writes it


def test_an_open_lead_links_to_the_hand_over_on_the_youths_page(login, coordinator, youth):
    html = login(coordinator).get(reverse("admin:jimcase_caseassignment_changelist")).content.decode()
    assert reverse("admin:jimcase_youth_lead", args=[youth.pk]) in html


def test_nothing_is_added_or_changed_in_the_assignment_list(login, coordinator, youth):
    assignment = youth.assignments.get()
    client = login(coordinator)
    assert client.get(reverse("admin:jimcase_caseassignment_add")).status_code == 403
    url = reverse("admin:jimcase_caseassignment_change", args=[assignment.pk])
    assert client.post(url, {"role": "backup"}).status_code == 403
    assert CaseAssignment.objects.get(pk=assignment.pk).role == "lead"
