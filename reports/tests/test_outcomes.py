"""Report 3, the outcomes: each figure of a known dataset, exactly, with suppression, the period's boundaries,
the living situation at the start from the history, the CSV, the chart, scoping and query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from jimcase.models import Youth
from jimcase.tests.html import without_tokens
from reports.selectors import Filters, outcome_figures
from reports.tests.helpers import make_triad, on_page
from triads.models import Closure, EndReason, GoalsReached, PlacementOutcome

D = datetime.date
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
EXIT_TEXT = "In het exitgesprek vertelde ze over thuis"
IN_PERIOD = D(2026, 3, 1)
SIT = Youth.LivingSituation
YES, NO, UNKNOWN = Youth.PlacementConsidered.values


def closed(youth, by, *, outcome="", living="", goals="", ended_on=IN_PERIOD):
    """A triad of `youth` ended on `ended_on` with the outcome recorded (blank: an old closure)."""
    triad = make_triad(youth, by, D(2025, 6, 1), ended_on=ended_on)
    return Closure.objects.create(
        triad=triad,
        reason=EndReason.GOAL_REACHED,
        ended_on=ended_on,
        living_situation=living,
        placement_outcome=outcome,
        goals_reached=goals,
        exit_youth=EXIT_TEXT,
        after_plan=EXIT_TEXT,
        by=by,
    )


@pytest.fixture
def dataset(make_youth, lead, team_a, stranger, other_organisation):
    # Placement considered (8): 6 avoided (at home at the end), 2 happened (residential); all at home at first.
    considered = make_youth(8, first_name="Zoëlle", placement_considered=YES, living_situation=SIT.AT_HOME)
    for i, youth in enumerate(considered):
        avoided = i < 6
        closed(
            youth,
            lead,
            outcome=PlacementOutcome.AVOIDED if avoided else PlacementOutcome.HAPPENED,
            living=SIT.AT_HOME if avoided else SIT.RESIDENTIAL,
            goals=GoalsReached.YES if i < 7 else GoalsReached.PARTLY,
        )
    # Not considered (5): in foster care at referral; the youth's field moved on to independent without a
    # history row (the start comes from the history), independent at the end too.
    for youth in make_youth(5, placement_considered=NO, living_situation=SIT.FOSTER_CARE):
        Youth.objects.filter(pk=youth.pk).update(living_situation=SIT.INDEPENDENT)
        closed(
            youth,
            lead,
            outcome=PlacementOutcome.NOT_APPLICABLE,
            living=SIT.INDEPENDENT,
            goals=GoalsReached.PARTLY,
        )
    # Not known (5): old closures without the outcome, of youths registered before the history existed
    # (no history row): the youth's own field is the start.
    for i in range(5):
        youth = Youth.objects.create(
            organisation=lead.organisation,
            team=team_a,
            first_name="Zoëlle",
            last_name="Oud",
            case_number=f"OLD-{i}",
            living_situation=SIT.RESIDENTIAL,
            created_by=lead,
            stage_since=D(2025, 1, 1),
        )
        closed(youth, lead)
    # The day before and the day after the period: out.
    (outside,) = make_youth(1, placement_considered=YES)
    closed(outside, lead, outcome=PlacementOutcome.HAPPENED, ended_on=D(2025, 12, 31))
    closed(outside, lead, outcome=PlacementOutcome.HAPPENED, ended_on=D(2026, 7, 1))
    # The other organisation: none of this may show for organisation A.
    for youth in make_youth(
        7, by=stranger, organisation=other_organisation, team=None, placement_considered=YES
    ):
        closed(youth, stranger, outcome=PlacementOutcome.AVOIDED, living=SIT.AT_HOME, goals=GoalsReached.YES)
    return considered


def page(client, **params):
    return client.get(reverse("admin:reports_outcomes"), {**PERIOD, **params})


def rows(html, caption):
    """Each body row of the table with `caption`: its header and its cells."""
    found = re.search(rf"<caption>{re.escape(caption)}</caption>.*?</table>", html, re.S).group(0)
    return [
        (header, re.findall(r'<td class="report-number">(.*?)</td>', cells))
        for header, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', found, re.S)
    ]


PLACEMENT = "Uithuisplaatsing: overwogen bij de aanmelding, en de uitkomst bij de afsluiting"


def test_placement_considered_against_the_outcome(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    # Considered: 6 avoided and 2 happened, 8 in all; rounded, 5 (5–8) beside a total of 5 (5–8) leaves the
    # "< 5" 1–3, so nothing else is hidden. 18 closures in all.
    assert rows(html, PLACEMENT) == [
        ("overwogen", [on_page(6), on_page(2), "0", "0", on_page(8)]),
        ("niet overwogen", ["0", "0", on_page(5), "0", on_page(5)]),
        ("niet gekend", ["0", "0", "0", on_page(5), on_page(5)]),
        ("Triades beëindigd in de periode", [on_page(18)]),
    ]


def test_living_situation_at_the_start_and_at_the_end(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    # At the start from the first history row (foster care, not the field's independent), or from the
    # field when there is none (residential). At the end: 6 at home, 2 residential, 5 independent, 5 not
    # recorded; rounded, the total leaves the 2 free (1–3), so nothing else is hidden.
    assert rows(html, "Woonsituatie bij de start en op het einde") == [
        ("thuis", [on_page(8), on_page(6)]),
        ("residentiële opvang", [on_page(5), on_page(2)]),
        ("pleegzorg", [on_page(5), "0"]),
        ("zelfstandig wonen", ["0", on_page(5)]),
        ("andere", ["0", "0"]),
        ("niet ingevuld", ["0", on_page(5)]),
        ("Triades beëindigd in de periode", [on_page(18), on_page(18)]),
    ]


def test_goals_reached(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    assert rows(html, "Doelen bereikt bij de afsluiting") == [
        ("ja", [on_page(7)]),
        ("gedeeltelijk", [on_page(6)]),
        ("nee", ["0"]),
        ("niet ingevuld", [on_page(5)]),
        ("Triades beëindigd in de periode", [on_page(18)]),
    ]


def test_a_hidden_row_total_hides_the_shared_number_in_every_table(make_youth, lead, login, coordinator):
    for youth in make_youth(6, placement_considered=YES):
        closed(youth, lead, outcome=PlacementOutcome.AVOIDED, living=SIT.AT_HOME, goals=GoalsReached.YES)
    for youth in make_youth(2, placement_considered=NO):
        closed(
            youth, lead, outcome=PlacementOutcome.NOT_APPLICABLE, living=SIT.AT_HOME, goals=GoalsReached.YES
        )
    html = page(login(coordinator)).content.decode()
    # 8 closures minus the 6 would give the "< 5" away: the 8 goes, and with it every count of 5 or more.
    assert rows(html, PLACEMENT) == [
        ("overwogen", ["x", "0", "0", "0", "x"]),
        ("niet overwogen", ["0", "0", "&lt; 5", "0", "&lt; 5"]),
        ("niet gekend", ["0", "0", "0", "0", "0"]),
        ("Triades beëindigd in de periode", ["x"]),
    ]
    assert rows(html, "Doelen bereikt bij de afsluiting")[0] == ("ja", ["x"])
    assert rows(html, "Woonsituatie bij de start en op het einde")[-1] == (
        "Triades beëindigd in de periode",
        ["x", "x"],
    )


def test_the_chart_and_the_csv(dataset, login, coordinator):
    client = login(coordinator)
    html = without_tokens(page(client))
    svg = re.search(
        r'<svg [^>]*aria-labelledby="chart-placement-title chart-placement-desc".*?</svg>', html, re.S
    ).group(0)
    assert (
        '<title id="chart-placement-title">Uithuisplaatsing overwogen bij de aanmelding: de uitkomst bij de afsluiting</title>'
        in svg
    )
    assert (
        '<desc id="chart-placement-desc">vermeden: 5; gebeurd: &lt; 5; niet van toepassing: 0; niet ingevuld: 0</desc>'
    ) in svg
    response = client.get(reverse("admin:reports_outcomes_csv"), PERIOD)
    assert response["Content-Disposition"] == 'attachment; filename="jim-uitkomsten-20260101-20260630.csv"'
    body = response.content
    assert body.startswith(b"\xef\xbb\xbfOnderdeel;Cijfer;Waarde;YIM-studie;Verschil\r\n")
    text = body.decode("utf-8-sig")
    assert f"{PLACEMENT};overwogen / gebeurd;< 5;;\r\n" in text
    assert f"{PLACEMENT};niet overwogen / niet van toepassing;5;;\r\n" in text
    assert "Woonsituatie bij de start en op het einde;pleegzorg: bij de start;5;;\r\n" in text
    assert "Woonsituatie bij de start en op het einde;zelfstandig wonen: op het einde;5;;\r\n" in text
    for secret in (EXIT_TEXT, "Zoëlle", "Jim Iemand"):
        assert secret not in text and secret not in html


def test_the_other_coordinator_sees_only_her_own_outcomes(dataset, login, other_coordinator):
    html = page(login(other_coordinator)).content.decode()
    assert rows(html, PLACEMENT)[0] == ("overwogen", [on_page(7), "0", "0", "0", on_page(7)])
    assert rows(html, PLACEMENT)[-1] == ("Triades beëindigd in de periode", [on_page(7)])


def test_the_figures_of_every_organisation_for_a_superuser(dataset, organisation):
    figures = outcome_figures(
        Filters(date_from=D(2026, 1, 1), date_to=D(2026, 6, 30), all_organisations=True)
    )
    assert (figures["closed"], figures[f"considered_{YES}_avoided"]) == (25, 13)
    own = outcome_figures(
        Filters(date_from=D(2026, 1, 1), date_to=D(2026, 6, 30), organisation_id=organisation.pk)
    )
    assert (own["start_foster_care"], own["start_residential"], own["end_none"]) == (5, 5, 5)


#: The session, the user, the second factor, the roles, and the report's 1 query; the page adds the
#: sidebar's permissions and the team and professional choices.
EXPORT_QUERIES = 4 + 1
PAGE_QUERIES = EXPORT_QUERIES + 4


@pytest.mark.parametrize("n", [5, 15])
def test_the_outcomes_report_runs_a_fixed_number_of_queries(
    n, make_youth, lead, login, coordinator, django_assert_num_queries
):
    for youth in make_youth(n, placement_considered=YES):
        closed(youth, lead, outcome=PlacementOutcome.AVOIDED, living=SIT.AT_HOME, goals=GoalsReached.YES)
    client = login(coordinator)
    with django_assert_num_queries(PAGE_QUERIES):
        response = page(client)
    assert rows(response.content.decode(), PLACEMENT)[0] == (
        "overwogen",
        [on_page(n), "0", "0", "0", on_page(n)],
    )
    with django_assert_num_queries(EXPORT_QUERIES):
        client.get(reverse("admin:reports_outcomes_csv"), PERIOD)
