"""Report 6, capacity and fidelity: each figure of a known dataset, exactly, with suppression (also of a
team's total that the whole would give away), the period's boundaries, the CSV, scoping and query counts."""

import datetime

import pytest
from django.urls import reverse

from jimcase import services
from jimcase.models import CaseAssignment, Role, Training, User
from jimcase.tests.factories import UserFactory, team
from jimcase.tests.html import without_tokens
from mentors.models import JimProfile, PeerMeeting
from reports.tests.helpers import (
    at,
    chosen_in_wie_vraag,
    in_export,
    make_triad,
    name,
    on_page,
    table,
    with_lead,
)
from triads.models import Triad

D = datetime.date
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
CASELOADS = "Caseload op 30-06-2026: jongeren per hoofdhulpverlener, volgens het team van de jongere"
JIMS = "De JIM's van de triades die in de periode liepen"
RELATIONS = "JIM's uit het eigen netwerk van de jongere, volgens hun band met de jongere"
PEER = "De bijeenkomsten van het JIM-netwerk in de periode"


def elsewhere_triad(youth, lead, profile=None, **dates):
    """A running triad whose JIM was not chosen from the youth's network map in a wie-vraag (or is `profile`,
    another youth's JIM)."""
    triad = make_triad(youth, lead, **dates)
    if profile is None:
        profile = JimProfile.objects.create(organisation=youth.organisation, name="Jim Vreemd")
    Triad.objects.filter(pk=triad.pk).update(jim_profile=profile)
    return profile


@pytest.fixture
def dataset(make_youth, lead, colleague, organisation, stranger, other_organisation):
    team_b = team(organisation, "Team B")
    third = UserFactory(username="derde", organisation=organisation, role=Role.PROFESSIONAL)
    services.team_member_add(team=team_b, user=third)
    mine, theirs = make_youth(6, first_name="Zoëlle"), make_youth(3, first_name="Zoëlle")
    team_b_youths = make_youth(5, first_name="Zoëlle", team=team_b)
    with_lead(mine, lead)
    with_lead(theirs, colleague)
    with_lead(team_b_youths, third)
    # A lead assignment that ended before the last day does not count; one that starts after it neither.
    gone, later = make_youth(2, first_name="Zoëlle")
    with_lead([gone], lead)
    CaseAssignment.objects.filter(youth=gone).update(ends_on=D(2026, 6, 1))
    with_lead([later], lead, since=D(2026, 7, 1))

    # JIMs: 6 coaches and 3 grandparents from the youth's own network (one ended in the period), 5 triads
    # with a JIM from elsewhere (one JIM for two youths), and two triads that did not run in the period.
    for youth in mine:
        chosen_in_wie_vraag(make_triad(youth, lead, D(2026, 1, 1), activated_on=D(2026, 3, 1)), lead)
    for i, youth in enumerate(theirs):
        triad = make_triad(youth, colleague, D(2025, 6, 1), ended_on=D(2026, 3, 1) if i == 0 else None)
        chosen_in_wie_vraag(triad, colleague, relation="grandparent")
    shared = elsewhere_triad(team_b_youths[0], third, trial_started_on=D(2026, 2, 1))
    elsewhere_triad(team_b_youths[1], third, profile=shared, trial_started_on=D(2026, 2, 1))
    for youth in team_b_youths[2:]:
        elsewhere_triad(youth, third, trial_started_on=D(2026, 2, 1))
    make_triad(mine[0], lead, D(2025, 1, 1), ended_on=D(2025, 12, 31))
    make_triad(mine[1], lead, D(2026, 7, 1))
    peers = JimProfile.objects.filter(triads__youth__in=mine).distinct()
    JimProfile.objects.filter(pk__in=[p.pk for p in peers[:5]]).update(peer_network_opt_in=True)

    # The peer network: 3 meetings in the period (5, 4 and no JIMs), one after it, one elsewhere.
    profiles = list(JimProfile.objects.filter(organisation=organisation).order_by("pk"))
    for day, attendees in [
        (D(2026, 2, 10), profiles[:5]),
        (D(2026, 4, 10), profiles[2:6]),
        (D(2026, 6, 30), []),
    ]:
        meeting = PeerMeeting.objects.create(
            organisation=organisation, starts_at=at(day, 19), place="Gent", topic="Grenzen"
        )
        meeting.attendees.set(attendees)
    PeerMeeting.objects.create(
        organisation=organisation, starts_at=at(D(2026, 7, 1), 19), place="Gent", topic="Later"
    )

    # The other organisation: none of this may show for organisation A.
    elsewhere = make_youth(1, by=stranger, organisation=other_organisation, team=None)
    with_lead(elsewhere, stranger)
    make_triad(elsewhere[0], stranger, D(2026, 1, 1))
    PeerMeeting.objects.create(
        organisation=other_organisation, starts_at=at(D(2026, 3, 1), 19), place="Utrecht", topic="Elders"
    )
    return third


def page(client, **params):
    return client.get(reverse("admin:reports_capacity"), {**PERIOD, **params})


def test_caseloads_per_team_and_professional_on_the_last_day(dataset, login, coordinator, lead, colleague):
    third = dataset
    html = page(login(coordinator)).content.decode()
    # Team A: 6 and 3 of 9; rounded, 5 (5–8) beside 10 (9–13) leaves the 3 free (1–4). Team B: 5. In all 14.
    assert table(html, CASELOADS) == [
        *sorted(
            [(f"Team A: {name(lead)}", on_page(6)), (f"Team A: {name(colleague)}", on_page(3))],
            key=lambda r: r[0],
        ),
        ("Team A: totaal (2 hulpverleners)", on_page(9)),
        (f"Team B: {name(third)}", on_page(5)),
        ("Team B: totaal (1 hulpverleners)", on_page(5)),
        ("Jongeren met een hoofdhulpverlener", on_page(14)),
    ]


def test_a_teams_hidden_total_is_not_given_back_by_the_whole(
    make_youth, lead, colleague, login, coordinator, organisation
):
    team_b = team(organisation, "Team B")
    third, fourth = (
        UserFactory(username=f"pro-{n}", organisation=organisation, role=Role.PROFESSIONAL) for n in (3, 4)
    )
    for professional, n in ((lead, 1), (colleague, 1), (third, 1), (fourth, 5)):
        with_lead(make_youth(n), professional)
    with_lead(make_youth(3, team=team_b), lead)
    html = page(login(coordinator)).content.decode()
    # Team A: 1, 1, 1 and 5 of 8, shown 5 (5–8): the 5 is at least 5, so every "< 5" would be 1. The 5 is
    # hidden and, with nothing left to hide, the team's total; the whole (11) minus team B's "< 5" would
    # narrow it back, so the whole is hidden too.
    rows = dict(table(html, CASELOADS))
    assert rows[f"Team A: {name(fourth)}"] == "x"
    assert rows["Team A: totaal (4 hulpverleners)"] == "x"
    assert rows["Jongeren met een hoofdhulpverlener"] == "x"
    assert rows[f"Team B: {name(lead)}"] == "&lt; 5"


def test_the_jims_active_from_the_own_network_and_for_several_youths(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    assert table(html, JIMS) == [
        ("JIM's actief op 30-06-2026", on_page(12)),
        ("van wie in het JIM-netwerk", on_page(5)),
        ("Triades met een JIM uit het eigen netwerk van de jongere", on_page(9)),
        ("Triades met een JIM van elders", on_page(5)),
        ("Triades die in de periode liepen", on_page(14)),
        ("JIM's van meer dan één jongere", on_page(1)),
    ]


def test_the_own_network_by_relation(dataset, login, coordinator):
    rows = dict(table(page(login(coordinator)).content.decode(), RELATIONS))
    # 6 coaches and 3 grandparents of 9: rounded, 5 (5–8) beside 10 (9–13) leaves the 3 free (1–4).
    assert rows["coach / trainer"] == on_page(6)
    assert rows["grootouder"] == on_page(3)
    assert rows["buur"] == "0"
    assert rows["Triades met een JIM uit het eigen netwerk van de jongere"] == on_page(9)


def test_the_peer_networks_meetings(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    assert table(html, PEER) == [
        ("Bijeenkomsten", "3"),
        ("Aanwezigheden", "9"),
        ("Aanwezigen per bijeenkomst, gemiddeld", "3,0"),
        ("JIM's die minstens één keer kwamen", "6"),
    ]


def test_the_chart_and_the_csv_carry_no_name(dataset, login, coordinator, lead):
    client = login(coordinator)
    html = without_tokens(page(client))
    assert 'aria-labelledby="chart-relations-title chart-relations-desc"' in html
    body = client.get(reverse("admin:reports_capacity_csv"), PERIOD).content
    text = body.decode("utf-8-sig")
    assert f"{JIMS};Triades die in de periode liepen;{in_export(14)};;\r\n" in text
    assert f"{CASELOADS};Team B: totaal (1 hulpverleners);5;;\r\n" in text
    for secret in ("Zoëlle", "Jim Iemand", "Jim Vreemd"):
        assert secret not in text and secret not in html


def test_the_other_coordinator_sees_only_her_own_capacity(dataset, login, other_coordinator, lead, stranger):
    html = without_tokens(page(login(other_coordinator)))
    assert table(html, CASELOADS) == [
        (f"geen team: {name(stranger)}", "&lt; 5"),
        ("geen team: totaal (1 hulpverleners)", "&lt; 5"),
        ("Jongeren met een hoofdhulpverlener", "&lt; 5"),
    ]
    assert ("Bijeenkomsten", 1) in [(label, int(v)) for label, v in table(html, PEER) if v.isdigit()]
    assert name(lead) not in html


#: The session, the user, the second factor, the roles, and the report's 5 queries (caseloads, the triads'
#: aggregate, JIMs of several youths, the professionals' training, peer meetings); the page adds the
#: sidebar and the filter choices. The training table (issue 14) added the fifth report query.
EXPORT_QUERIES = 4 + 5
PAGE_QUERIES = EXPORT_QUERIES + 4


@pytest.mark.parametrize("n", [5, 15])
def test_the_capacity_report_runs_a_fixed_number_of_queries(
    n, make_youth, lead, login, coordinator, organisation, django_assert_num_queries
):
    youths = make_youth(n)
    with_lead(youths, lead)
    for youth in youths:
        make_triad(youth, lead, D(2026, 1, 1))
        PeerMeeting.objects.create(
            organisation=organisation, starts_at=at(D(2026, 3, 1)), place="Gent", topic="T"
        )
    trained([lead, *professionals(n - 1, organisation)], Training.Kind.OWN)
    User.objects.update(date_joined=at(D(2025, 1, 1)))
    client = login(coordinator)
    with django_assert_num_queries(PAGE_QUERIES):
        response = page(client)
    assert ("Triades die in de periode liepen", on_page(n)) in table(response.content.decode(), JIMS)
    assert (OWN_ROW, str(n)) in table(response.content.decode(), TRAINING)
    with django_assert_num_queries(EXPORT_QUERIES):
        client.get(reverse("admin:reports_capacity_csv"), PERIOD)


# --- Training (fidelity, issue 14) ------------------------------------------------------------------

TRAINING = "Opleiding van de hulpverleners op 30-06-2026"
METHOD_ROW = "Opgeleid door de opleiders van de methode (JIM-opleiding, 2,5 dag)"
OWN_ROW = "Alleen de eigen opleiding van de organisatie gevolgd"


def professionals(n, organisation, team_=None, **fields):
    users = [UserFactory(organisation=organisation, role=Role.PROFESSIONAL, **fields) for _i in range(n)]
    for user in users:
        if team_ is not None:
            services.team_member_add(team=team_, user=user)
    return users


#: When the trainings were completed, unless a test says otherwise: in the period.
IN_THE_PERIOD = D(2026, 2, 1)


def trained(users, kind, on=IN_THE_PERIOD):
    for user in users:
        Training.objects.create(user=user, kind=kind, completed_on=on, provider="Opleiders")


@pytest.fixture
def training_dataset(organisation, other_organisation, team_a, lead, colleague, stranger, jim, coordinator):
    """Team A: 6 with the method's training, 5 without; team B: 5 with their own only, 6 without."""
    team_b = team(organisation, "Team B")
    trained([lead, *professionals(5, organisation, team_a)], Training.Kind.METHOD)
    professionals(4, organisation, team_a)  # untrained, with colleague
    own = professionals(5, organisation, team_b)
    trained(own, Training.Kind.OWN)
    # A method training after the period's last day does not count (she counts under her own training);
    # nor does an own training after it (he counts as not trained).
    trained(own[:1], Training.Kind.METHOD, on=D(2026, 7, 15))
    late = professionals(6, organisation, team_b)
    trained(late[:1], Training.Kind.OWN, on=D(2026, 7, 1))
    # Not counted: an inactive account, a JIM, a coordinator, someone who joined after the period, and a
    # professional of another organisation, each trained.
    trained(professionals(1, organisation, team_a, is_active=False), Training.Kind.METHOD)
    trained([jim, coordinator, stranger], Training.Kind.METHOD)
    User.objects.update(date_joined=at(D(2025, 1, 1)))
    trained(professionals(1, organisation, team_a), Training.Kind.METHOD)  # joined today, after the period
    return team_b


def test_the_share_of_trained_professionals_by_kind(training_dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    assert table(html, TRAINING) == [
        (METHOD_ROW, "6"),
        (OWN_ROW, "5"),
        ("Nog niet opgeleid", "11"),
        ("Hulpverleners", "22"),
        ("Aandeel opgeleid", "50,0 %"),
    ]


def test_the_training_of_the_filtered_team(training_dataset, login, coordinator, team_a):
    client = login(coordinator)
    assert table(page(client, team=team_a.pk).content.decode(), TRAINING) == [
        (METHOD_ROW, "6"),
        (OWN_ROW, "0"),
        ("Nog niet opgeleid", "5"),
        ("Hulpverleners", "11"),
        ("Aandeel opgeleid", "54,5 %"),
    ]
    assert table(page(client, team=training_dataset.pk).content.decode(), TRAINING)[-1] == (
        "Aandeel opgeleid",
        "45,5 %",
    )


def test_training_counts_are_about_staff_and_exact_however_small(training_dataset, login, coordinator, lead):
    html = page(login(coordinator), professional=lead.pk).content.decode()
    # One professional, trained by the method's trainers: not a youth, so 1, exactly, and the share.
    assert table(html, TRAINING) == [
        (METHOD_ROW, "1"),
        (OWN_ROW, "0"),
        ("Nog niet opgeleid", "0"),
        ("Hulpverleners", "1"),
        ("Aandeel opgeleid", "100,0 %"),
    ]


def test_the_other_coordinator_counts_only_her_own_professionals(training_dataset, login, other_coordinator):
    rows = dict(table(page(login(other_coordinator)).content.decode(), TRAINING))
    assert rows[METHOD_ROW] == "1" and rows["Hulpverleners"] == "1"  # the stranger


def test_the_training_table_is_in_the_csv(training_dataset, login, coordinator):
    text = login(coordinator).get(reverse("admin:reports_capacity_csv"), PERIOD).content.decode("utf-8-sig")
    assert f"{TRAINING};Hulpverleners;22;;\r\n" in text
    assert f"{TRAINING};Aandeel opgeleid;50,0 %;;\r\n" in text
