"""Report 1, the wie-vraag funnel: each figure of a known dataset, exactly, with suppression, the period's
boundaries, the YIM benchmark, the CSV's bytes, the charts' title and description, scoping and query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jimcase.models import Role
from jimcase.services import note_add, team_member_add
from jimcase.tests.factories import UserFactory, team
from jimcase.tests.html import visible_text, without_tokens
from mentors.models import Candidate, CandidateStatusChange, NetworkMember, Search
from reports.forms import month_end, month_start
from reports.selectors import Filters, funnel_figures
from reports.tests.helpers import in_export, make_triad, on_page

D = datetime.date
START, END = D(2026, 1, 1), D(2026, 6, 30)
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
SECRET_NAME = "Zoëlle"
SECRET_NOTE = "Ze vertelde over de ruzie thuis"
#: Days to a JIM of the 13 searches that started in the period and found one (bucket edges on purpose).
DAYS = [1, 3, 7, 10, 14, 15, 29, 30, 31, 33, 40, 44, 133]


def search(youth, by, started_on, status=Search.Status.OPEN, ended_on=None):
    days = (ended_on - started_on).days if status == Search.Status.FOUND else None
    return Search.objects.create(
        youth=youth,
        started_on=started_on,
        started_by=by,
        status=status,
        ended_on=ended_on,
        ended_by=by if ended_on else None,
        days_to_nomination=days,
        stop_reason="no_jim_found" if status == Search.Status.STOPPED else "",
    )


def asked_candidate(in_search, name, *moves):
    """A candidate with status changes at the given (status, aware datetime) moves."""
    member = NetworkMember.objects.create(youth=in_search.youth, name=name, relation="aunt_uncle")
    candidate = Candidate.objects.create(
        search=in_search, member=member, status=moves[-1][0] if moves else "named"
    )
    for status, at in moves:
        CandidateStatusChange.objects.create(
            candidate=candidate, to_status=status, by=in_search.started_by, at=at
        )
    return candidate


def local(day, hour=12, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def organisation_b(make_youth, stranger, other_organisation):
    """The other organisation: plenty of everything in the period, none of which organisation A may see."""
    youths = make_youth(
        6, by=stranger, organisation=other_organisation, team=None, referral_date=D(2026, 2, 1)
    )
    for youth in youths:
        search(youth, stranger, D(2026, 1, 5), Search.Status.FOUND, D(2026, 1, 20))
        make_triad(youth, stranger, D(2026, 2, 1), D(2026, 3, 1))
    search(youths[0], stranger, D(2025, 9, 1))  # open > 90 days
    asked_candidate(
        Search.objects.filter(youth=youths[0]).first(), "Elders", ("asked", local(D(2026, 1, 10)))
    )


@pytest.fixture
def dataset(make_youth, lead, stranger, other_organisation, organisation):
    """Organisation A's known figures for 01-01-2026 – 30-06-2026 (see each assertion), and organisation B's."""
    youths = make_youth(6, first_name=SECRET_NAME, referral_date=D(2026, 2, 1))
    make_youth(1, referral_date=END)  # the last day: in
    make_youth(1, referral_date=D(2026, 7, 1))  # the day after: out
    make_youth(1, referral_date=D(2025, 12, 31))  # the day before: out
    note_add(youth=youths[0], author=lead, written_on=D(2026, 2, 1), text=SECRET_NOTE)
    # 13 searches started in the period and found a JIM; 5 stopped without one.
    found = [
        search(
            youths[i % 6],
            lead,
            D(2026, 1, 10),
            Search.Status.FOUND,
            D(2026, 1, 10) + datetime.timedelta(days=d),
        )
        for i, d in enumerate(DAYS)
    ]
    for i in range(5):
        search(youths[i], lead, D(2026, 2, 10), Search.Status.STOPPED, D(2026, 3, 10))
    # Started before the period and found in it: in the funnel's "JIM found", not in the share or the days.
    boundary = search(youths[5], lead, D(2025, 12, 1), Search.Status.FOUND, D(2026, 1, 15))
    # Started in the period, found after it: open on its last day (41 days).
    search(youths[4], lead, D(2026, 5, 20), Search.Status.FOUND, D(2026, 7, 10))
    # Open on the last day: 29, 76, 121 days; and one started before the period (272 days).
    search(youths[0], lead, D(2026, 6, 1))
    search(youths[1], lead, D(2026, 4, 15))
    search(youths[2], lead, D(2026, 3, 1))
    search(youths[3], lead, D(2025, 10, 1))
    # Candidates asked in the period: by the first move to "asked" or later.
    asked_candidate(found[0], "A1", ("discussed", local(D(2026, 1, 11))), ("asked", local(D(2026, 1, 12))))
    asked_candidate(found[0], "A2", ("asked", local(D(2026, 1, 12))), ("no", local(D(2026, 1, 20))))
    asked_candidate(found[1], "A3", ("asked", local(END, 23, 30)))  # the last evening: in
    asked_candidate(found[1], "A4", ("asked", local(D(2026, 7, 1), 0, 10)))  # after midnight: out
    asked_candidate(found[2], "A5", ("discussed", local(D(2026, 2, 1))))  # never asked: out
    asked_candidate(
        boundary, "A6", ("asked", local(D(2025, 12, 5))), ("yes", local(D(2026, 1, 10)))
    )  # asked before
    asked_candidate(found[3], "A7", ("asked", local(D(2026, 3, 1))), ("thinking", local(D(2026, 3, 2))))
    asked_candidate(found[4], "A8", ("asked", local(D(2026, 4, 1))), ("yes", local(D(2026, 4, 3))))
    # Triads: 5 trials started in the period, 3 of them active in it; one trial started before.
    for i in range(5):
        make_triad(
            youths[i], lead, D(2026, 2, 1) + datetime.timedelta(days=i), D(2026, 5, 1) if i < 3 else None
        )
    make_triad(youths[5], lead, D(2025, 11, 1), D(2026, 2, 1))
    organisation_b(make_youth, stranger, other_organisation)
    return youths


def funnel_page(client, **params):
    return client.get(reverse("admin:reports_funnel"), {**PERIOD, **params})


def figures_of(html):
    """{row label: shown} of every report table on the page, in order (later tables win on a repeated label)."""
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td class="report-number">(.*?)</td>', html)
    return dict(rows)


def test_the_funnel_counts_each_step_in_the_period_by_its_own_date(dataset, login, coordinator):
    html = funnel_page(login(coordinator)).content.decode()
    rows = figures_of(html)
    assert rows["Jongeren aangemeld"] == on_page(7) == "5"
    assert rows["Zoektochten gestart"] == on_page(22)  # 13 found + 5 stopped + 1 found after + 3 open
    assert rows["Kandidaten gevraagd"] == on_page(5)  # A1, A2, A3, A7, A8
    assert rows["JIM gevonden"] == on_page(14) == "15"  # the 13 and the one that started before the period
    assert rows["Proefperiode gestart"] == on_page(5)
    assert rows["Actief"] == on_page(3) == "&lt; 5"


def test_the_share_and_the_days_compare_with_the_yim_study(dataset, login, coordinator):
    html = funnel_page(login(coordinator)).content.decode()
    outcome = re.search(r"<caption>Zoektochten gestart in de periode.*?</table>", html, re.S).group(0)
    cells = re.findall(r'<th scope="row">(.*?)</th>((?:<td class="report-number">.*?</td>)+)', outcome)
    table = {label: re.findall(r'<td class="report-number">(.*?)</td>', tds) for label, tds in cells}
    assert table["Met een JIM afgerond"] == [on_page(13), "", ""]
    assert table["Gestopt zonder JIM"] == [on_page(5), "", ""]
    assert table["Afgeronde zoektochten"] == [on_page(18), "", ""]
    # The share from the true counts, 13 of 18, not from the rounded ones.
    assert table["Aandeel met een JIM"] == ["72,2 %", "83 %", "−10,8 procentpunt"]
    assert table["Dagen tot een JIM, gemiddeld"] == ["30,0", "33", "−3,0 dagen"]
    assert table["Dagen tot een JIM, mediaan"] == ["29,0", "niet gepubliceerd", ""]
    assert "van Dam et al. 2017, British Journal of Social Work 47:1764–1780" in html


def test_days_to_a_jim_histogram_suppresses_small_buckets(dataset, login, coordinator):
    html = funnel_page(login(coordinator)).content.decode()
    histogram = re.search(
        r"<caption>Dagen van de start van de zoektocht tot een JIM.*?</table>", html, re.S
    ).group(0)
    assert re.findall(r'<th scope="row">(.*?)</th><td class="report-number">(.*?)</td>', histogram) == [
        ("0–14", "5"),
        ("15–29", "&lt; 5"),
        ("30–44", "5"),
        ("45–59", "0"),
        ("60–90", "0"),
        ("&gt; 90", "&lt; 5"),
    ]


def test_open_searches_by_days_open_on_the_last_day_and_the_list_over_90(dataset, login, coordinator, lead):
    html = funnel_page(login(coordinator)).content.decode()
    table = re.search(r"<caption>Zoektochten nog open op 30-06-2026.*?</table>", html, re.S).group(0)
    assert re.findall(r'<th scope="row">(.*?)</th><td class="report-number">(.*?)</td>', table) == [
        ("minder dan 60 dagen", "&lt; 5"),
        ("60–90 dagen", "&lt; 5"),
        ("meer dan 90 dagen", "&lt; 5"),
        ("Open zoektochten", "5"),
    ]
    over = re.search(r"Meer dan 90 dagen open</h3>.*?</table>", html, re.S).group(0)
    youths = sorted(dataset, key=lambda y: y.pk)
    assert re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", over) == [
        (youths[3].case_number, str(lead)),
        (youths[2].case_number, str(lead)),
    ]


def test_the_monthly_trend_rounds_the_months_and_hides_small_ones(dataset, login, coordinator):
    html = funnel_page(login(coordinator)).content.decode()
    trend = re.search(
        r"<caption>Gestarte zoektochten en gevonden JIM&#x27;s per maand.*?</table>", html, re.S
    ).group(0)
    rows = re.findall(
        r'<th scope="row">(.*?)</th><td class="report-number">(.*?)</td><td class="report-number">(.*?)</td>',
        trend,
    )
    # Started: 13, 5, 1, 1, 1, 1 (total 22, shown 20: 19–23); found: 7, 6, 0, 0, 1, 0 (total 14, shown 15).
    # Rounded, the total leaves every small month free (1–4), so no other month has to go.
    started, found = [13, 5, 1, 1, 1, 1], [7, 6, 0, 0, 1, 0]
    months = ["Jan 2026", "Feb 2026", "Mrt 2026", "Apr 2026", "Mei 2026", "Jun 2026"]
    assert rows == [(m, on_page(s), on_page(f)) for m, s, f in zip(months, started, found, strict=True)]
    assert rows[:2] == [("Jan 2026", "10", "5"), ("Feb 2026", "5", "5")]


def test_the_median_of_an_even_number_is_the_mean_of_the_middle_two(make_youth, lead, organisation):
    (youth,) = make_youth(1)
    for days in (10, 20, 50, 4):
        search(
            youth, lead, D(2026, 1, 10), Search.Status.FOUND, D(2026, 1, 10) + datetime.timedelta(days=days)
        )
    figures = funnel_figures(Filters(date_from=START, date_to=END, organisation_id=organisation.pk))
    assert figures["median_days"] == 15
    assert figures["mean_days"] == 21


def test_too_few_searches_show_no_share_and_no_days(make_youth, lead, login, coordinator):
    (youth,) = make_youth(1)
    search(youth, lead, D(2026, 1, 10), Search.Status.FOUND, D(2026, 1, 30))
    html = without_tokens(funnel_page(login(coordinator)))
    rows = figures_of(html)
    assert rows["Met een JIM afgerond"] == "&lt; 5"
    assert rows["Aandeel met een JIM"] == "—"
    assert rows["Dagen tot een JIM, gemiddeld"] == "—"
    assert "20,0" not in html


def test_the_csv_is_utf8_with_a_bom_semicolons_and_dutch_headers(dataset, login, coordinator):
    response = login(coordinator).get(reverse("admin:reports_funnel_csv"), PERIOD)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="jim-wie-vraag-20260101-20260630.csv"'
    body = response.content
    assert body.startswith(b"\xef\xbb\xbfOnderdeel;Cijfer;Waarde;YIM-studie;Verschil\r\n")
    text = body.decode("utf-8-sig")
    assert "Filters;Periode;01-01-2026 – 30-06-2026;;\r\n" in text
    assert f"Van aanmelding tot een actieve triade;Jongeren aangemeld;{in_export(7)};;\r\n" in text
    assert "Van aanmelding tot een actieve triade;Actief;< 5;;\r\n" in text
    assert ";Aandeel met een JIM;72,2 %;83 %;−10,8 procentpunt\r\n" in text
    assert (
        f"Gestarte zoektochten en gevonden JIM's per maand;Jan 2026: JIM gevonden;{in_export(7)};;\r\n"
        in text
    )
    # Figures only: no name, no note, no case number (the list over 90 days stays on the page).
    for secret in (SECRET_NAME, SECRET_NOTE, "Vermeulen", dataset[3].case_number):
        assert secret not in text


def test_the_charts_are_svg_with_a_title_a_description_and_no_script(dataset, login, coordinator):
    html = funnel_page(login(coordinator)).content.decode()
    for chart, title in (
        ("chart-funnel", "Trechter: van aanmelding tot een actieve triade"),
        ("chart-days", "Dagen tot een JIM (zoektochten gestart in de periode)"),
        ("chart-trend", "Gestarte zoektochten en gevonden JIM&#x27;s per maand"),
    ):
        svg = re.search(
            rf'<svg [^>]*aria-labelledby="{chart}-title {chart}-desc".*?</svg>', html, re.S
        ).group(0)
        assert 'role="img"' in svg
        assert f'<title id="{chart}-title">{title}</title>' in svg
        assert f'<desc id="{chart}-desc">' in svg
        assert "style=" not in svg and "<script" not in svg
    funnel_desc = re.search(r'<desc id="chart-funnel-desc">(.*?)</desc>', html).group(1)
    # The rounded counts (7, 22, 5, 14, 5, 3), as the table shows them.
    assert funnel_desc == (
        "Jongeren aangemeld: 5; Zoektochten gestart: 20; Kandidaten gevraagd: 5; JIM gevonden: 15; "
        "Proefperiode gestart: 5; Actief: &lt; 5"
    )
    # A hidden count is never drawn: only five bars have a length in the funnel.
    funnel_svg = re.search(r'<svg [^>]*aria-labelledby="chart-funnel-title.*?</svg>', html, re.S).group(0)
    assert len(re.findall(r'<rect x="200" y="\d+" width="0"', funnel_svg)) == 1


def test_no_name_or_note_reaches_the_page(dataset, login, coordinator):
    html = without_tokens(funnel_page(login(coordinator)))
    for secret in (SECRET_NAME, SECRET_NOTE, "Vermeulen", "Jim Iemand"):
        assert secret not in html
    # A candidate's name, as a word: "A1" may well occur inside the page's random CSRF token.
    assert not re.search(r"(?<![A-Za-z0-9])A1(?![A-Za-z0-9])", html)


def test_a_coordinator_never_sees_another_organisations_figures(dataset, login, other_coordinator):
    rows = figures_of(funnel_page(login(other_coordinator)).content.decode())
    # Organisation B: 6 youths referred, 6 searches found, 1 open since 2025, 1 candidate asked, 6 active.
    assert rows["Jongeren aangemeld"] == on_page(6)
    assert rows["Zoektochten gestart"] == on_page(6)
    assert rows["JIM gevonden"] == on_page(6)
    assert rows["Kandidaten gevraagd"] == on_page(1)
    assert rows["Actief"] == on_page(6)


def test_another_organisations_team_is_refused_not_applied(dataset, login, coordinator, other_organisation):
    elsewhere = team(other_organisation, "Team Elders")
    response = funnel_page(login(coordinator), team=elsewhere.pk)
    assert response.status_code == 400
    html = without_tokens(response)
    assert "Selecteer een geldige keuze" in html
    assert "Jongeren aangemeld" not in html
    csv = login(coordinator).get(reverse("admin:reports_funnel_csv"), {**PERIOD, "team": elsewhere.pk})
    assert csv.status_code == 400 and not csv.content.startswith(b"\xef\xbb\xbf")


def test_the_team_filter_keeps_only_that_teams_youths(
    dataset, login, coordinator, organisation, lead, make_youth
):
    team_b = team(organisation, "Team B")
    make_youth(3, team=team_b, referral_date=D(2026, 3, 1))
    client = login(coordinator)
    assert figures_of(funnel_page(client).content.decode())["Jongeren aangemeld"] == on_page(10)
    assert figures_of(funnel_page(client, team=dataset[0].team_id).content.decode())[
        "Jongeren aangemeld"
    ] == on_page(7)
    assert figures_of(funnel_page(client, team=team_b.pk).content.decode())["Jongeren aangemeld"] == "&lt; 5"


def test_the_professional_filter_keeps_the_youths_they_led_in_the_period(
    make_youth, login, coordinator, organisation, team_a, lead
):
    other = UserFactory(username="other-pro", organisation=organisation, role=Role.PROFESSIONAL)
    team_member_add(team=team_a, user=other)
    make_youth(6, by=other, referral_date=D(2026, 3, 1))
    client = login(coordinator)
    # Their lead assignments start on the day they were registered (today), after the period.
    assert (
        figures_of(funnel_page(client, professional=other.pk).content.decode())["Jongeren aangemeld"] == "0"
    )
    today = timezone.localdate()
    rows = figures_of(
        funnel_page(
            client, professional=other.pk, date_from=str(D(2026, 3, 1)), date_to=str(today)
        ).content.decode()
    )
    assert rows["Jongeren aangemeld"] == on_page(6)
    # The same filter reaches searches and triads through their youth.
    youth = other.assignments.first().youth
    search(youth, other, D(2026, 3, 2), Search.Status.FOUND, D(2026, 3, 20))
    make_triad(youth, other, D(2026, 4, 1))
    filtered = {"professional": other.pk, "date_from": "2026-03-01", "date_to": str(today)}
    rows = figures_of(client.get(reverse("admin:reports_funnel"), filtered).content.decode())
    assert (rows["Zoektochten gestart"], rows["Proefperiode gestart"]) == ("&lt; 5", "&lt; 5")
    triads = figures_of(client.get(reverse("admin:reports_triads"), filtered).content.decode())
    assert triads["In proefperiode"] == "&lt; 5"
    # The cast's lead led none of these youths: nothing of theirs is counted for her.
    not_theirs = {**filtered, "professional": lead.pk}
    rows = figures_of(client.get(reverse("admin:reports_funnel"), not_theirs).content.decode())
    assert (rows["Zoektochten gestart"], rows["Proefperiode gestart"]) == ("0", "0")
    triads = figures_of(client.get(reverse("admin:reports_triads"), not_theirs).content.decode())
    assert triads["In proefperiode"] == "0"


def test_the_period_defaults_to_this_month_and_the_eleven_before(login, coordinator):
    html = login(coordinator).get(reverse("admin:reports_funnel")).content.decode()
    today = timezone.localdate()
    assert f"Periode: {month_start(today, 11):%d-%m-%Y} – {today:%d-%m-%Y}." in html
    assert month_start(D(2026, 11, 29), 11) == D(2025, 12, 1)
    assert month_start(D(2026, 1, 31), 1) == D(2025, 12, 1)
    assert month_end(D(2028, 2, 3)) == D(2028, 2, 29) and month_end(D(2026, 12, 7)) == D(2026, 12, 31)


def test_a_period_that_ends_before_it_starts_is_refused(login, coordinator):
    response = funnel_page(login(coordinator), date_from="2026-06-30", date_to="2026-01-01")
    assert response.status_code == 400
    assert "Het einde van de periode kan niet voor het begin liggen." in response.content.decode()


@pytest.mark.parametrize("member", ["lead", "jim"])
def test_a_professional_or_a_jim_gets_no_report(db, member, request, login):
    # `db` named here: pytest-django orders the tests by the fixtures they name, not by those asked for
    # by name below; without it this test ran after the transactional tests, which empty the role groups.
    client = login(request.getfixturevalue(member))
    for name in ("admin:reports_index", "admin:reports_funnel", "admin:reports_funnel_csv"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_staff_account_without_the_coordinator_role_gets_403(login, organisation):
    staff = UserFactory(username="staff", organisation=organisation, is_staff=True)
    response = login(staff).get(reverse("admin:reports_funnel"), PERIOD)
    assert response.status_code == 403
    assert "Jongeren aangemeld" not in visible_text(response)


def test_an_organisation_without_data_shows_zeros_and_no_averages(login, coordinator):
    client = login(coordinator)
    rows = figures_of(funnel_page(client).content.decode())
    assert rows["Jongeren aangemeld"] == "0" and rows["Afgeronde zoektochten"] == "0"
    assert rows["Aandeel met een JIM"] == "—" and rows["Dagen tot een JIM, mediaan"] == "—"
    triads = figures_of(client.get(reverse("admin:reports_triads"), PERIOD).content.decode())
    assert triads["Beëindigd in de periode"] == "0" and triads["Duur in dagen, mediaan"] == "—"


def test_the_admin_index_links_to_the_reports(login, coordinator, lead):
    html = login(coordinator).get(reverse("admin:index")).content.decode()
    assert "Rapporten" in html
    assert f'href="{reverse("admin:reports_funnel")}"' in html
    assert f'href="{reverse("admin:reports_triads")}"' in html
    assert "Rapporten" not in visible_text(login(lead).get(reverse("admin:index")))


def test_a_superuser_picks_any_organisation(dataset, login, organisation, other_organisation):
    admin_user = UserFactory(username="root", organisation=None, is_staff=True, is_superuser=True)
    client = login(admin_user)
    assert figures_of(funnel_page(client).content.decode())["Jongeren aangemeld"] == on_page(13)
    only_b = funnel_page(client, organisation=other_organisation.pk).content.decode()
    assert figures_of(only_b)["Jongeren aangemeld"] == on_page(6)


def grow(make_youth, lead, n):
    for youth in make_youth(n, referral_date=D(2026, 2, 1)):
        found = search(youth, lead, D(2026, 1, 10), Search.Status.FOUND, D(2026, 2, 10))
        asked_candidate(found, "G", ("asked", local(D(2026, 1, 12))))
        search(youth, lead, D(2026, 1, 1))
        make_triad(youth, lead, D(2026, 2, 1), D(2026, 4, 1))


#: The session, the user, the second factor, the user's roles; the report's eight queries (youths referred,
#: the searches' aggregate, the median, candidates asked, triads, two monthly series, the list over 90 days).
EXPORT_QUERIES = 4 + 8
#: The page adds the admin's sidebar (the user's and the groups' permissions) and the team and professional choices.
PAGE_QUERIES = EXPORT_QUERIES + 2 + 2


@pytest.mark.parametrize("n", [5, 15])
def test_the_report_page_runs_a_fixed_number_of_queries(
    n, make_youth, lead, login, coordinator, django_assert_num_queries
):
    grow(make_youth, lead, n)
    client = login(coordinator)
    with django_assert_num_queries(PAGE_QUERIES):
        response = funnel_page(client)
    assert figures_of(response.content.decode())["Jongeren aangemeld"] == on_page(n)


@pytest.mark.parametrize("n", [5, 15])
def test_the_export_runs_a_fixed_number_of_queries(
    n, make_youth, lead, login, coordinator, django_assert_num_queries
):
    grow(make_youth, lead, n)
    client = login(coordinator)
    with django_assert_num_queries(EXPORT_QUERIES):
        client.get(reverse("admin:reports_funnel_csv"), PERIOD)


def test_the_list_over_90_days_shows_the_longest_open_and_says_how_many_more(
    dataset, login, coordinator, lead, monkeypatch
):
    monkeypatch.setattr("reports.selectors.OVER_90_SHOWN", 1)
    html = funnel_page(login(coordinator)).content.decode()
    over = re.search(r"Meer dan 90 dagen open</h3>.*?</table>", html, re.S).group(0)
    youths = sorted(dataset, key=lambda y: y.pk)
    assert re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", over) == [(youths[3].case_number, str(lead))]
    assert "nog 1 staat niet in de lijst" in html
    link = f"{reverse('admin:mentors_search_changelist')}?status__exact=open&started_on__lt=2026-04-01"
    assert link.replace("&", "&amp;") in html
    # The admin takes the filter (it answers a lookup it does not allow with a redirect to "?e=1").
    listing = login(coordinator).get(link)
    assert listing.status_code == 200
    assert youths[3].case_number in listing.content.decode()
