"""The coordinator's read-only lists of searches, JIM profiles, evaluations, closures and fallback requests:
scoped to her organisation, a fixed number of queries, and never a name of the youth's network or a text."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jimcase.models import Note
from jimcase.tests.factories import UserFactory, team
from jimcase.tests.html import without_tokens
from jimcase.tests.second_factor import pass_second_factor
from mentors.models import Candidate, JimProfile, NetworkMember, Search
from triads.models import (
    Closure,
    EndReason,
    Evaluation,
    FallbackRequest,
    GoalsReached,
    PlacementOutcome,
    Triad,
)

YOUTH_NAME = "Zoëlle"
MEMBER_NAME = "Tante Geheimzinnig"
JIM_NAME = "Wim Vertrouwelijk"
NOTE = "Lotte vertelde over de ruzie thuis"
MESSAGE = "Kun je me bellen over wat ze zei"
EXIT = "In het exitgesprek zei de jongere"
PLAN = "Na de triade gaat ze naar de tante"
SECRETS = [YOUTH_NAME, MEMBER_NAME, JIM_NAME, NOTE, MESSAGE, EXIT, PLAN]

#: changelist → (exact queries, the model's admin path)
LISTS = {
    "admin:mentors_search_changelist": (9, "mentors/search"),
    "admin:mentors_jimprofile_changelist": (8, "mentors/jimprofile"),
    "admin:triads_evaluation_changelist": (8, "triads/evaluation"),
    "admin:triads_closure_changelist": (8, "triads/closure"),
    "admin:triads_fallbackrequest_changelist": (8, "triads/fallbackrequest"),
}


def make_cases(n, make_youth, by, **youth_fields):
    """`n` youths, each with a found search (two candidates), a JIM whose triad is in its trial and evaluated,
    a fallback request, and an earlier triad with the same JIM that ended; every text a secret."""
    today = timezone.localdate()
    cases = []
    for youth in make_youth(n, by=by, first_name=YOUTH_NAME, **youth_fields):
        organisation = youth.organisation
        members = [
            NetworkMember.objects.create(youth=youth, name=f"{MEMBER_NAME} {i}", relation="aunt_uncle")
            for i in range(2)
        ]
        search = Search.objects.create(
            youth=youth,
            status=Search.Status.FOUND,
            started_on=today - datetime.timedelta(days=40),
            started_by=by,
            ended_on=today - datetime.timedelta(days=7),
            ended_by=by,
            days_to_nomination=33,
        )
        for member in members:
            Candidate.objects.create(search=search, member=member)
        profile = JimProfile.objects.create(
            organisation=organisation, member=members[0], name=JIM_NAME, peer_network_opt_in=True
        )
        ended = Triad.objects.create(
            youth=youth,
            jim_profile=profile,
            fallback=by,
            status=Triad.Status.ENDED,
            trial_started_on=today - datetime.timedelta(days=120),
            ended_on=today - datetime.timedelta(days=50),
        )
        Closure.objects.create(
            triad=ended,
            reason=EndReason.MOVED_AWAY,
            ended_on=ended.ended_on,
            placement_outcome=PlacementOutcome.AVOIDED,
            goals_reached=GoalsReached.PARTLY,
            living_situation="foster_care",
            exit_youth=EXIT,
            after_plan=PLAN,
            by=by,
        )
        triad = Triad.objects.create(
            youth=youth,
            jim_profile=profile,
            search=search,
            fallback=by,
            status=Triad.Status.TRIAL,
            trial_started_on=today - datetime.timedelta(days=7),
        )
        note = Note.objects.create(youth=youth, author=by, written_on=today, text=NOTE)
        Evaluation.objects.create(triad=triad, held_on=today, score=4, note=note, by=by)
        request = FallbackRequest.objects.create(triad=triad, message=MESSAGE, urgent=True, created_by=by)
        FallbackRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=3)
        )
        cases.append({"youth": youth, "search": search, "profile": profile, "triad": triad})
    return cases


def _objects(case):
    """One object of each list, for the change pages."""
    triad = case["triad"]
    return {
        "mentors_search": case["search"],
        "mentors_jimprofile": case["profile"],
        "triads_evaluation": triad.evaluations.get(),
        "triads_closure": Closure.objects.get(triad__youth=case["youth"]),
        "triads_fallbackrequest": triad.fallback_requests.get(),
    }


@pytest.fixture
def elders(other_organisation, stranger, make_youth):
    """The same cases in the other organisation."""
    return make_cases(1, make_youth, stranger, organisation=other_organisation, team=None)


@pytest.mark.parametrize("changelist", sorted(LISTS))
def test_admin_case_metadata_lists_query_count_is_constant(
    login, coordinator, lead, make_youth, changelist, django_assert_num_queries
):
    queries, path = LISTS[changelist]
    make_cases(2, make_youth, lead)
    client = login(coordinator)
    url = reverse(changelist)
    client.get(url)  # warm up: session, content types
    with django_assert_num_queries(queries, info="two cases"):
        client.get(url)
    make_cases(15, make_youth, lead)
    with django_assert_num_queries(queries, info="17 cases"):
        response = client.get(url)
    assert len(set(re.findall(rf'href="/admin/{path}/(\d+)/change/', response.content.decode()))) == 17


@pytest.mark.parametrize("changelist", sorted(LISTS))
def test_admin_lists_show_no_name_of_the_youths_network_nor_any_text(
    login, coordinator, lead, make_youth, changelist
):
    (case,) = make_cases(1, make_youth, lead)
    html = login(coordinator).get(reverse(changelist)).content.decode()
    assert case["youth"].case_number in html or changelist.endswith("jimprofile_changelist")
    shown = [secret for secret in SECRETS if secret in html]
    # The JIM profiles are the one list that names people: the JIMs themselves, never a youth.
    assert shown == ([JIM_NAME] if changelist.endswith("jimprofile_changelist") else [])


@pytest.mark.parametrize(
    "model", ["triads_evaluation", "triads_closure", "triads_fallbackrequest", "mentors_search"]
)
def test_admin_detail_pages_show_the_case_number_and_no_name_or_text(
    login, coordinator, lead, make_youth, model
):
    (case,) = make_cases(1, make_youth, lead)
    obj = _objects(case)[model]
    client = login(coordinator)
    for name in ("change", "history"):
        response = client.get(reverse(f"admin:{model}_{name}", args=[obj.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert case["youth"].case_number in html
        assert [secret for secret in SECRETS if secret in html] == [], name
    # The history page's breadcrumbs lead back to the object, named by its case number.
    change = reverse(f"admin:{model}_change", args=[obj.pk])
    assert re.search(rf'<a href="{change}">{re.escape(case["youth"].case_number)}', html)


def test_a_coordinator_sees_only_her_own_organisations_rows(login, coordinator, lead, make_youth, elders):
    (own,) = make_cases(1, make_youth, lead)
    theirs = elders[0]
    client = login(coordinator)
    for changelist, (_queries, path) in LISTS.items():
        html = client.get(reverse(changelist)).content.decode()
        ids = set(re.findall(rf'href="/admin/{path}/(\d+)/change/', html))
        model = changelist.removeprefix("admin:").removesuffix("_changelist")
        assert ids == {str(_objects(own)[model].pk)}, changelist
    for model, obj in _objects(theirs).items():
        assert client.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code == 404, model
        assert client.get(reverse(f"admin:{model}_history", args=[obj.pk])).status_code == 404, model


def test_a_superuser_sees_every_organisations_searches(client, organisation, lead, make_youth, elders):
    (own,) = make_cases(1, make_youth, lead)
    admin = UserFactory(is_superuser=True, is_staff=True, organisation=None)
    client.force_login(admin)
    pass_second_factor(client, admin)
    html = client.get(reverse("admin:mentors_search_changelist")).content.decode()
    assert own["youth"].case_number in html and elders[0]["youth"].case_number in html


def test_the_search_list_shows_days_and_counts_candidates(login, coordinator, lead, make_youth):
    (case,) = make_cases(1, make_youth, lead)
    open_search = Search.objects.create(
        youth=case["youth"], started_on=timezone.localdate() - datetime.timedelta(days=12), started_by=lead
    )
    html = login(coordinator).get(reverse("admin:mentors_search_changelist")).content.decode()
    assert "Dagen open" in html and "Gestart door" in html  # the headers, in Dutch
    found_row = _row(html, "mentors/search", case["search"].pk)
    assert '<td class="field-days_to_nomination">33</td>' in found_row
    assert '<td class="field-candidate_count">2</td>' in found_row
    assert '<td class="field-days_open">—</td>' in found_row
    open_row = _row(html, "mentors/search", open_search.pk)
    assert '<td class="field-days_open">12</td>' in open_row
    assert '<td class="field-candidate_count">0</td>' in open_row


def test_the_search_list_filters_by_the_coordinators_own_teams_only(
    login, coordinator, team_a, other_organisation
):
    team(other_organisation, "Elders Team")
    html = without_tokens(login(coordinator).get(reverse("admin:mentors_search_changelist")))
    assert f"youth__team__id__exact={team_a.pk}" in html
    assert "Elders Team" not in html


def test_the_jim_profile_list_counts_running_triads_and_peer_network(login, coordinator, lead, make_youth):
    (case,) = make_cases(1, make_youth, lead)
    lone = JimProfile.objects.create(
        organisation=coordinator.organisation, name="Alleen Ex", peer_network_opt_in=True
    )
    html = login(coordinator).get(reverse("admin:mentors_jimprofile_changelist")).content.decode()
    assert "Triades in proefperiode of actief" in html
    running = _row(html, "mentors/jimprofile", case["profile"].pk)
    assert '<td class="field-running_triads">1</td>' in running  # the ended triad does not count
    assert re.search(r'field-in_peer_network"><img [^>]*alt="Ja"', running)
    idle = _row(html, "mentors/jimprofile", lone.pk)
    assert '<td class="field-running_triads">0</td>' in idle
    assert re.search(r'field-in_peer_network"><img [^>]*alt="Nee"', idle)


def test_the_fallback_request_list_shows_the_age_of_open_requests_only(login, coordinator, lead, make_youth):
    (case,) = make_cases(1, make_youth, lead)
    request = case["triad"].fallback_requests.get()
    client = login(coordinator)
    url = reverse("admin:triads_fallbackrequest_changelist")
    html = client.get(url).content.decode()
    assert "Dagen wachttijd" in html and "Afgehandeld op" in html
    assert '<td class="field-age">3</td>' in _row(html, "triads/fallbackrequest", request.pk)
    FallbackRequest.objects.filter(pk=request.pk).update(
        status="handled", handled_by=lead, handled_at=timezone.now()
    )
    assert '<td class="field-age">—</td>' in _row(
        client.get(url).content.decode(), "triads/fallbackrequest", request.pk
    )


def test_the_closure_list_shows_reason_outcome_and_duration(login, coordinator, lead, make_youth):
    make_cases(1, make_youth, lead)
    html = login(coordinator).get(reverse("admin:triads_closure_changelist")).content.decode()
    assert '<td class="field-duration">70</td>' in html
    with translation.override("nl"):
        assert str(EndReason.MOVED_AWAY.label) in html
        assert f'<td class="field-placement_outcome">{PlacementOutcome.AVOIDED.label}</td>' in html
        assert f'<td class="field-goals_reached">{GoalsReached.PARTLY.label}</td>' in html


def test_nothing_can_be_added_to_the_read_only_lists(login, coordinator, lead, make_youth):
    make_cases(1, make_youth, lead)
    client = login(coordinator)
    for changelist in LISTS:
        if changelist.endswith("jimprofile_changelist"):
            continue  # a coordinator keeps a JIM on as an alumnus there
        model = changelist.removeprefix("admin:").removesuffix("_changelist")
        assert client.get(reverse(f"admin:{model}_add")).status_code == 403


def _row(html, path, pk):
    """The table row of one object in a changelist."""
    match = re.search(rf'<tr>(?:(?!</tr>).)*href="/admin/{path}/{pk}/change/(?:(?!</tr>).)*</tr>', html, re.S)
    assert match, f"no row for {path} {pk}"
    return match.group(0)
