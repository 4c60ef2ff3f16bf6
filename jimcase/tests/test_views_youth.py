import datetime
import re

import pytest
from django.urls import reverse

from jimcase import services
from jimcase.models import AccessLog, CaseAssignment, Note, ParentGuardian, Youth
from jimcase.registry import CaseloadNotice, YouthFlag
from jimcase.stale import capacity_state
from jimcase.tests import clock
from jimcase.tests.html import select, without_tokens
from mentors.services import search_start

TODAY = clock.TODAY  # the day the autouse `today` fixture travels to
LONG = "x" * 10_000
HTML = '<script>alert("x")</script>'
OUTSIDERS = ["colleague", "stranger", "jim", "other_jim", "coordinator", "other_coordinator"]


def _token(response):
    match = re.search(r'name="submission_token" value="([0-9a-f-]+)"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


def _youth_data(**overrides):
    data = {
        "first_name": "Sara",
        "last_name": "Peeters",
        "date_of_birth": "2011-04-02",
        "pronoun": "",
        "case_number": "BRUG-NEW-1",
        "living_situation": "at_home",
        "school_work": "",
        "team": "",
        "referral_date": TODAY.isoformat(),
        "placement_considered": "unknown",
    }
    data.update(overrides)
    return data


def _youth_urls(youth):
    parent = ParentGuardian.objects.create(youth=youth, name="Mama", relation="mother")
    assignment = youth.assignments.get()
    return [
        reverse("jimcase:youth_detail", args=[youth.pk]),
        reverse("jimcase:youth_edit", args=[youth.pk]),
        reverse("jimcase:parent_add", args=[youth.pk]),
        reverse("jimcase:parent_edit", args=[youth.pk, parent.pk]),
        reverse("jimcase:assignment_add", args=[youth.pk]),
        reverse("jimcase:capacity_edit", args=[youth.pk]),
        reverse("jimcase:note_add", args=[youth.pk]),
    ], reverse("jimcase:assignment_end", args=[youth.pk, assignment.pk])


@pytest.mark.parametrize("member", OUTSIDERS)
def test_outsiders_get_404_on_every_page_of_a_youth(cast, login, youth, member):
    pages, end_url = _youth_urls(youth)
    client = login(cast[member])
    for url in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert client.post(end_url).status_code == 404
    assert youth.assignments.get().ends_on is None
    assert not AccessLog.objects.filter(user=cast[member]).exists()


def test_anonymous_is_sent_to_login_on_every_page_of_a_youth(client, youth):
    pages, end_url = _youth_urls(youth)
    for url in [*pages, end_url]:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith(reverse("login"))


def test_a_youth_of_another_organisation_is_404_for_the_lead(login, lead, stranger, other_organisation):
    theirs = services.youth_register(
        by=stranger,
        organisation=other_organisation,
        first_name="Daan",
        last_name="Boer",
        case_number="B-1",
        date_of_birth=datetime.date(2010, 1, 1),
        referral_date=TODAY,
    )
    assert login(lead).get(reverse("jimcase:youth_detail", args=[theirs.pk])).status_code == 404


def test_register_a_youth_makes_me_lead_and_opens_the_file(login, lead, team_a):
    client = login(lead)
    form = client.get(reverse("jimcase:youth_create"))
    response = client.post(
        reverse("jimcase:youth_create"),
        _youth_data(team=team_a.pk, submission_token=_token(form)),
        follow=True,
    )
    youth = Youth.objects.get(case_number="BRUG-NEW-1")
    # A minor: the next page asks for the parents (issue 21), with the way to the file in its breadcrumb.
    assert response.redirect_chain[-1][0] == reverse("jimcase:parent_add", args=[youth.pk])
    html = response.content.decode()
    assert "Sara Peeters" in html and "Start met de wie-vraag" in html
    assert youth.assignments.get().professional == lead
    assert youth.organisation == lead.organisation and youth.created_by == lead


def test_a_double_submit_registers_one_youth(login, lead):
    client = login(lead)
    token = _token(client.get(reverse("jimcase:youth_create")))
    for _ in range(2):
        client.post(reverse("jimcase:youth_create"), _youth_data(submission_token=token))
    assert Youth.objects.filter(case_number="BRUG-NEW-1").count() == 1


def test_age_outside_12_to_23_warns_but_saves(login, lead):
    client = login(lead)
    nine = TODAY.replace(year=TODAY.year - 9, day=1).isoformat()
    response = client.post(reverse("jimcase:youth_create"), _youth_data(date_of_birth=nine), follow=True)
    assert Youth.objects.filter(case_number="BRUG-NEW-1").exists()
    assert "JIM is bedoeld voor jongeren van 12 tot 23" in response.content.decode()


@pytest.mark.parametrize(
    ("born", "message"),
    [
        (
            (TODAY + datetime.timedelta(days=1)).isoformat(),
            "Een geboortedatum kan niet in de toekomst liggen.",
        ),
        (TODAY.replace(year=TODAY.year - 31, day=1).isoformat(), "meer dan 30 jaar geleden"),
    ],
)
def test_impossible_dates_of_birth_are_refused(login, lead, born, message):
    response = login(lead).post(reverse("jimcase:youth_create"), _youth_data(date_of_birth=born))
    html = response.content.decode()
    assert message in html
    assert 'id="id_date_of_birth"' in html and "is-invalid" in html
    assert not Youth.objects.filter(case_number="BRUG-NEW-1").exists()


@pytest.mark.parametrize("value", ["", LONG, HTML])
def test_bad_input_on_the_youth_form_saves_nothing(login, lead, value):
    data = _youth_data(first_name=value, last_name=value, case_number=value, date_of_birth=value)
    response = login(lead).post(reverse("jimcase:youth_create"), data)
    assert response.status_code == 200
    html = without_tokens(response)
    assert "is-invalid" in html
    assert HTML not in html
    assert Youth.objects.count() == 0


def test_duplicate_case_number_is_a_dutch_field_error(login, lead, youth):
    response = login(lead).post(reverse("jimcase:youth_create"), _youth_data(case_number=youth.case_number))
    html = without_tokens(response)
    # Beside the case number, in words a professional uses (not Django's "Jongere met deze Organisatie …").
    assert re.search(
        r'id="error_1_id_case_number"[^>]*>\s*<strong>Er is al een jongere met dit dossiernummer in je organisatie\.',
        html,
    )
    assert "Organisatie en Dossiernummer" not in html
    assert Youth.objects.count() == 1


def test_sharing_without_a_team_is_refused_beside_the_team_field(login, lead):
    response = login(lead).post(reverse("jimcase:youth_create"), _youth_data(shared_with_team="on"))
    assert "Kies het team" in response.content.decode()
    assert Youth.objects.count() == 0


def test_edit_youth_and_share_with_team(login, lead, colleague, youth, team_a):
    client = login(lead)
    data = _youth_data(
        case_number=youth.case_number,
        first_name="Lotte",
        team=team_a.pk,
        shared_with_team="on",
        edit_version=youth.edit_version,
    )
    response = client.post(reverse("jimcase:youth_edit", args=[youth.pk]), data)
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.shared_with_team and youth.last_name == "Peeters"
    client.logout()
    assert login(colleague).get(reverse("jimcase:youth_detail", args=[youth.pk])).status_code == 200


@pytest.mark.parametrize("value", ["", LONG, HTML])
def test_bad_input_on_the_parent_form_saves_nothing(login, lead, youth, value):
    response = login(lead).post(
        reverse("jimcase:parent_add", args=[youth.pk]), {"name": value, "relation": value, "email": value}
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert HTML not in without_tokens(response)
    assert ParentGuardian.objects.count() == 0


def test_add_parents_once_each_even_on_double_submit(login, lead, youth):
    client = login(lead)
    url = reverse("jimcase:parent_add", args=[youth.pk])
    token = _token(client.get(url))
    data = {
        "name": "Els Wouters",
        "relation": "mother",
        "has_parental_authority": "on",
        "submission_token": token,
    }
    client.post(url, data)
    client.post(url, data)
    client.post(
        url, {"name": "Tom Wouters", "relation": "father", "submission_token": _token(client.get(url))}
    )
    assert list(youth.parents.values_list("name", "has_parental_authority")) == [
        ("Els Wouters", True),
        ("Tom Wouters", False),
    ]
    html = client.get(reverse("jimcase:youth_detail", args=[youth.pk])).content.decode()
    assert "Els Wouters" in html and "ouderlijk gezag" in html


def test_assign_a_backup_through_the_page_and_end_it(login, lead, colleague, youth):
    client = login(lead)
    response = client.post(
        reverse("jimcase:assignment_add", args=[youth.pk]),
        {"professional": colleague.pk, "role": "backup", "starts_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assignment = youth.assignments.get(professional=colleague)
    html = client.get(reverse("jimcase:youth_detail", args=[youth.pk])).content.decode()
    assert "Colleague" in html and "back-up" in html
    client.post(reverse("jimcase:assignment_end", args=[youth.pk, assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.ends_on == TODAY
    client.logout()
    assert login(colleague).get(reverse("jimcase:youth_detail", args=[youth.pk])).status_code == 404


def test_ending_the_only_lead_shows_a_dutch_message(login, lead, youth):
    client = login(lead)
    response = client.post(
        reverse("jimcase:assignment_end", args=[youth.pk, youth.assignments.get().pk]), follow=True
    )
    assert "Een jongere heeft altijd een hulpverlener nodig" in response.content.decode()
    assert youth.assignments.get().ends_on is None


@pytest.mark.parametrize("value", ["", LONG, HTML])
def test_bad_input_on_the_assignment_form_saves_nothing(login, lead, youth, value):
    response = login(lead).post(
        reverse("jimcase:assignment_add", args=[youth.pk]),
        {"professional": value, "role": value, "starts_on": value},
    )
    assert "is-invalid" in response.content.decode()
    assert CaseAssignment.objects.count() == 1


def test_assigning_a_stranger_is_not_offered(login, lead, stranger, youth):
    response = login(lead).post(
        reverse("jimcase:assignment_add", args=[youth.pk]),
        {"professional": stranger.pk, "role": "backup", "starts_on": TODAY.isoformat()},
    )
    assert "is-invalid" in response.content.decode()
    assert CaseAssignment.objects.count() == 1


@pytest.mark.parametrize("value", ["", LONG, HTML])
def test_bad_input_on_the_note_form_saves_nothing(login, lead, youth, value):
    response = login(lead).post(
        reverse("jimcase:note_add", args=[youth.pk]), {"text": value, "written_on": value}
    )
    assert "is-invalid" in response.content.decode()
    assert HTML not in without_tokens(response)
    assert Note.objects.count() == 0


def test_note_with_flags_is_shown_on_the_file(login, lead, youth):
    client = login(lead)
    client.post(
        reverse("jimcase:note_add", args=[youth.pk]),
        {"text": "Vertrouwelijk gesprek.", "written_on": TODAY.isoformat(), "in_confidence": "on"},
    )
    html = client.get(reverse("jimcase:youth_detail", args=[youth.pk])).content.decode()
    assert "Vertrouwelijk gesprek." in html and "in vertrouwen" in html


def test_capacity_needs_a_motivation_beside_the_field(login, lead, youth):
    client = login(lead)
    url = reverse("jimcase:capacity_edit", args=[youth.pk])
    opened = {"stored_state": capacity_state(youth).token}
    response = client.post(url, opened | {"deemed_incapable": "on"})
    assert "Schrijf op waarom" in response.content.decode()
    youth.refresh_from_db()
    assert not youth.deemed_incapable
    client.post(url, opened | {"deemed_incapable": "on", "capacity_motivation": "Acute crisis, tijdelijk."})
    youth.refresh_from_db()
    assert youth.deemed_incapable and youth.capacity_recorded_by == lead


def test_every_visit_to_the_file_is_logged_and_shown(login, lead, youth):
    client = login(lead)
    client.get(reverse("jimcase:youth_detail", args=[youth.pk]))
    response = client.get(reverse("jimcase:youth_detail", args=[youth.pk]))
    assert AccessLog.objects.filter(youth=youth, user=lead, page="jimcase:youth_detail").count() == 2
    html = response.content.decode()
    assert "Wie bekeek dit dossier" in html
    # The list shows the visits before this one (this visit is logged once the page answered).
    assert html.count("· Lead · dossier") == 1


def test_file_page_query_count_is_constant(login, lead, colleague, youth, django_assert_num_queries):
    def add_parent_and_note(i):
        ParentGuardian.objects.create(youth=youth, name=f"Ouder {i}", relation="other")
        services.note_add(youth=youth, author=lead, written_on=TODAY, text=f"Notitie {i}")

    client = login(lead)
    url = reverse("jimcase:youth_detail", args=[youth.pk])
    add_parent_and_note(0)
    client.get(url)  # warm up: session, content types
    # 15: the 13 before issue 14, one for the "urgent question of the JIM" flag (settings.YOUTH_FLAGS), and
    # one for the record of why nobody can decide on consent (issue 21).
    with django_assert_num_queries(15, info="one parent, one note, one assignment; no triad"):
        client.get(url)
    for i in range(1, 5):
        add_parent_and_note(i)
        client.get(url)  # one more visit in the access log, too
    services.assignment_add(youth=youth, professional=colleague, role="backup", starts_on=TODAY, by=lead)
    with django_assert_num_queries(15, info="five parents, five notes, two assignments, more visits"):
        response = client.get(url)
    html = response.content.decode()
    assert "Ouder 4" in html and "Notitie 4" in html


def test_caseload_query_count_is_constant(login, lead, make_youth, django_assert_num_queries):
    make_youth(2)
    client = login(lead)
    # 9: the 7 before issue 14, one for the "urgent question" flag on the page's youths and one for the
    # count of urgent questions over the whole caseload at the top (settings.CASELOAD_NOTICES).
    with django_assert_num_queries(9, info="two youths"):
        client.get(reverse("jimcase:caseload"))
    make_youth(20)
    with django_assert_num_queries(9, info="22 youths"):
        response = client.get(reverse("jimcase:caseload"))
    assert len(re.findall(r'href="/youths/\d+/"', response.content.decode())) == 22


def test_caseload_lists_only_my_youths_and_paginates_by_25(login, lead, colleague, make_youth):
    make_youth(27)
    make_youth(1, by=colleague, first_name="Verborgen")
    client = login(lead)
    first = without_tokens(client.get(reverse("jimcase:caseload")))
    assert len(re.findall(r'href="/youths/\d+/"', first)) == 25
    assert "Verborgen" not in first
    assert "Pagina 1 van 2" in first
    second = client.get(reverse("jimcase:caseload") + "?page=2").content.decode()
    assert len(re.findall(r'href="/youths/\d+/"', second)) == 2


def test_caseload_filters_by_stage_and_searches_by_name_or_number(login, lead, youth, make_youth):
    other = make_youth(1, first_name="Bilal", last_name="Amrani")[0]
    search_start(youth=youth, by=lead, started_on=TODAY - datetime.timedelta(days=20))
    client = login(lead)
    searching = without_tokens(client.get(reverse("jimcase:caseload"), {"stage": "searching"}))
    assert "Lotte" in searching and "Bilal" not in searching
    assert "20 dagen" in searching and "hulp on hold" in searching
    by_name = without_tokens(client.get(reverse("jimcase:caseload"), {"q": "amra"}))
    assert "Bilal" in by_name and "Lotte" not in by_name
    by_number = without_tokens(client.get(reverse("jimcase:caseload"), {"q": other.case_number}))
    assert "Bilal" in by_number and "Lotte" not in by_number
    bad = client.get(reverse("jimcase:caseload"), {"stage": HTML, "q": LONG})
    assert bad.status_code == 200


FLAGGED = set()


def flag_the_flagged(youth_ids, today):
    """A stand-in for an app's flag function (settings.YOUTH_FLAGS): flags the ids in FLAGGED."""
    flag = YouthFlag(short="kort-label", long=f"lang-label {today:%d-%m-%Y}", css="flag-x")
    return {youth_id: [flag] for youth_id in youth_ids if youth_id in FLAGGED}


def test_registered_youth_flags_show_on_the_caseload_and_the_file(login, lead, youth, make_youth, settings):
    other = make_youth(1, first_name="Zoë", last_name="Zomers")[0]
    client = login(lead)
    settings.YOUTH_FLAGS = []
    assert select(client.get(reverse("jimcase:caseload")), ".flag-x") == []
    settings.YOUTH_FLAGS = ["jimcase.tests.test_views_youth.flag_the_flagged"]
    FLAGGED.clear()
    FLAGGED.add(youth.pk)
    caseload = client.get(reverse("jimcase:caseload")).content.decode()
    assert caseload.count('class="badge flag-x"') == 1 and "kort-label" in caseload
    html = client.get(reverse("jimcase:youth_detail", args=[youth.pk])).content.decode()
    assert f"lang-label {TODAY:%d-%m-%Y}" in html
    assert select(client.get(reverse("jimcase:youth_detail", args=[other.pk])), ".flag-x") == []


def notice_the_caseload(youths, today):
    """A stand-in for an app's caseload notice (settings.CASELOAD_NOTICES): counts the whole caseload."""
    return [CaseloadNotice(text=f"notitie-x {youths.count()}", links=(("link-x", "/x/"),), css="notice-x")]


def test_registered_caseload_notices_count_the_whole_caseload_at_the_top(
    login, lead, youth, make_youth, settings
):
    make_youth(1, first_name="Zoë", last_name="Zomers")
    client = login(lead)
    settings.CASELOAD_NOTICES = []
    assert "notice-x" not in without_tokens(client.get(reverse("jimcase:caseload")))
    settings.CASELOAD_NOTICES = ["jimcase.tests.test_views_youth.notice_the_caseload"]
    # The filter leaves one youth in the list; the notice still speaks of both.
    body = client.get(reverse("jimcase:caseload"), {"q": "Zomers"}).content.decode()
    assert 'class="alert notice-x"' in body and "notitie-x 2" in body
    assert '<a class="alert-link ms-1" href="/x/">link-x</a>' in body
    assert body.index("notitie-x") < body.index("Zomers</a>")


def test_a_backup_cannot_end_the_lead_through_the_page(login, lead, colleague, youth):
    services.assignment_add(youth=youth, professional=colleague, role="backup", starts_on=TODAY, by=lead)
    client = login(colleague)
    page = without_tokens(client.get(reverse("jimcase:youth_detail", args=[youth.pk])))
    lead_assignment = youth.assignments.get(professional=lead)
    assert reverse("jimcase:assignment_end", args=[youth.pk, lead_assignment.pk]) not in page
    response = client.post(
        reverse("jimcase:assignment_end", args=[youth.pk, lead_assignment.pk]), follow=True
    )
    assert "hoofdbegeleider" in response.content.decode()
    lead_assignment.refresh_from_db()
    assert lead_assignment.ends_on is None
    assert login(lead).get(reverse("jimcase:youth_detail", args=[youth.pk])).status_code == 200


def test_the_lead_makes_a_backup_lead_from_the_file(login, lead, colleague, youth):
    backup = services.assignment_add(
        youth=youth, professional=colleague, role="backup", starts_on=TODAY, by=lead
    )
    client = login(lead)
    client.post(reverse("jimcase:lead_hand_over", args=[youth.pk, backup.pk]))
    assert youth.current_lead == colleague
