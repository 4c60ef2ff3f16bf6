"""Report 2, the triads: each figure of a known dataset, exactly, with suppression, the period's boundaries,
the CSV, the chart's title and description, scoping and query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from jimcase.tests.html import without_tokens
from reports.selectors import Filters, triad_figures
from reports.tests.helpers import make_triad, on_page, table
from triads.models import Closure, EndReason, Evaluation

D = datetime.date
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
EXIT_TEXT = "In het exitgesprek vertelde ze over thuis"


def ended(youth, by, reason, trial_started_on, ended_on, informally=False):
    triad = make_triad(youth, by, trial_started_on, ended_on=ended_on)
    return Closure.objects.create(
        triad=triad,
        reason=reason,
        ended_on=ended_on,
        continues_informally=informally,
        exit_youth=EXIT_TEXT,
        after_plan=EXIT_TEXT,
        by=by,
    )


def evaluation(triad, by, held_on, decision=""):
    return Evaluation.objects.create(triad=triad, held_on=held_on, score=4, decision=decision, by=by)


@pytest.fixture
def dataset(make_youth, lead, stranger, other_organisation):
    youths = make_youth(4, first_name="Zoëlle")
    y = youths[0]
    # On the last day: 5 in their trial, 1 more whose activation came after it; 6 active.
    trials = [make_triad(youths[i % 4], lead, D(2026, 5, 1)) for i in range(5)]
    make_triad(youths[1], lead, D(2026, 4, 1), activated_on=D(2026, 7, 5))
    for i in range(6):
        make_triad(youths[i % 4], lead, D(2025, 9, 1), activated_on=D(2025, 12, 1))
    make_triad(youths[2], lead, D(2025, 1, 1), activated_on=D(2025, 4, 1), ended_on=D(2025, 12, 31))
    # Ended in the period: 5 goal reached (4 go on informally) and 2 the youth's choice after 424 days;
    # 6 stopped by the JIM after 41 days; 1 ended on the last day before its trial started.
    for i in range(5):
        ended(y, lead, EndReason.GOAL_REACHED, D(2025, 1, 1), D(2026, 3, 1), informally=i < 4)
    for _i in range(2):
        ended(y, lead, EndReason.YOUTH_CHOICE, D(2025, 1, 1), D(2026, 3, 1))
    for _i in range(6):
        ended(y, lead, EndReason.JIM_STOPS, D(2026, 1, 10), D(2026, 2, 20))
    ended(y, lead, EndReason.OTHER, None, D(2026, 6, 30))
    ended(y, lead, EndReason.OTHER, D(2025, 6, 1), D(2026, 7, 1))  # the day after: out
    ended(y, lead, EndReason.OTHER, D(2025, 6, 1), D(2025, 12, 31))  # the day before: out
    # Evaluations in the period: 5 continue, 1 adjust, 3 without a decision; one before the period.
    for _i in range(5):
        evaluation(trials[0], lead, D(2026, 2, 1), Evaluation.Decision.CONTINUE)
    evaluation(trials[1], lead, D(2026, 6, 30), Evaluation.Decision.ADJUST)
    for _i in range(3):
        evaluation(trials[1], lead, D(2026, 3, 1))
    evaluation(trials[2], lead, D(2025, 12, 31), Evaluation.Decision.END)
    # The other organisation: none of this may show for organisation A.
    (elsewhere,) = make_youth(1, by=stranger, organisation=other_organisation, team=None)
    for _i in range(7):
        ended(elsewhere, stranger, EndReason.MOVED_AWAY, D(2026, 1, 1), D(2026, 2, 1), informally=True)
        make_triad(elsewhere, stranger, D(2026, 5, 1))
    return youths


def page(client, **params):
    return client.get(reverse("admin:reports_triads"), {**PERIOD, **params})


def test_triads_running_on_the_last_day(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    # 5 + the one activated after the period + the one that ended the day after it; 6 active.
    assert table(html, "Triades op 30-06-2026 en beëindigd in de periode") == [
        ("In proefperiode", on_page(7)),
        ("Actief", on_page(6)),
    ]


def test_trial_decisions_are_rounded_so_the_total_gives_no_small_cell_away(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    # 5 continue, 1 adjust, 0 end; the total 6 shows 5 (5–8), and 5 (5–8) beside it leaves the "< 5" 1–3.
    assert table(html, "Beslissingen op evaluaties in de periode") == [
        ("Verder", on_page(5)),
        ("Bijsturen", "&lt; 5"),
        ("Beëindigen", "0"),
        ("Evaluaties met een beslissing", on_page(6)),
    ]


def test_ended_triads_by_reason_and_whether_it_goes_on(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    assert table(html, "Triades beëindigd in de periode, per reden") == [
        ("doel bereikt", on_page(5)),
        ("keuze van de jongere", on_page(2)),
        ("de JIM stopt", on_page(6)),
        ("verhuisd", "0"),
        ("conflict met de hulpverlener", "0"),
        ("conflict met de familie", "0"),
        ("andere", on_page(1)),
        ("Beëindigd in de periode", on_page(14)),
    ]
    # 4 and 10 of 14: the total shows 15 (14–18) and 10 (9–13) leaves the "< 5" 1–4.
    assert table(html, "Gaat de relatie informeel verder?") == [
        ("Loopt informeel verder", on_page(4)),
        ("Gaat niet verder", on_page(10)),
    ]


def test_duration_of_ended_triads(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    assert table(
        html, "Hoe lang de triades duurden die in de periode eindigden (vanaf de start van de proefperiode)"
    ) == [
        ("korter dan 3 maanden", on_page(6)),
        ("3 tot 12 maanden", "0"),
        ("12 maanden of langer", on_page(7)),
        ("Beëindigde triades met een proefperiode", on_page(13)),
        # From the true counts: 7 of 13.
        ("Aandeel van 12 maanden of langer", "53,8 %"),
        ("Duur in dagen, mediaan", "424,0"),
    ]


def test_the_median_duration_of_an_even_number(make_youth, lead, organisation):
    (youth,) = make_youth(1)
    for days in (30, 100, 200, 10):
        ended(youth, lead, EndReason.OTHER, D(2026, 1, 1), D(2026, 1, 1) + datetime.timedelta(days=days))
    figures = triad_figures(
        Filters(date_from=D(2026, 1, 1), date_to=D(2026, 12, 31), organisation_id=organisation.pk)
    )
    assert figures["median_days"] == 65
    assert (figures["short"], figures["year"], figures["timed"]) == (2, 0, 4)


def test_the_chart_of_endings_and_the_csv(dataset, login, coordinator):
    client = login(coordinator)
    html = without_tokens(page(client))
    svg = re.search(
        r'<svg [^>]*aria-labelledby="chart-reasons-title chart-reasons-desc".*?</svg>', html, re.S
    ).group(0)
    assert '<title id="chart-reasons-title">Triades beëindigd in de periode, per reden</title>' in svg
    assert (
        '<desc id="chart-reasons-desc">doel bereikt: 5; keuze van de jongere: &lt; 5; de JIM stopt: 5; verhuisd: 0; '
        "conflict met de hulpverlener: 0; conflict met de familie: 0; andere: &lt; 5</desc>"
    ) in svg
    body = client.get(reverse("admin:reports_triads_csv"), PERIOD).content
    assert body.startswith(b"\xef\xbb\xbfOnderdeel;Cijfer;Waarde;YIM-studie;Verschil\r\n")
    text = body.decode("utf-8-sig")
    assert "Triades beëindigd in de periode, per reden;keuze van de jongere;< 5;;\r\n" in text
    assert ";Aandeel van 12 maanden of langer;53,8 %;;\r\n" in text
    for secret in (EXIT_TEXT, "Zoëlle", "Jim Iemand"):
        assert secret not in text and secret not in html


def test_the_other_coordinator_sees_only_her_own_triads(dataset, login, other_coordinator):
    html = page(login(other_coordinator)).content.decode()
    assert ("Beëindigd in de periode", on_page(7)) in table(
        html, "Triades beëindigd in de periode, per reden"
    )
    assert ("In proefperiode", on_page(7)) in table(html, "Triades op 30-06-2026 en beëindigd in de periode")


#: The session, the user, the second factor, the roles, and the report's 4 queries; the page adds the
#: sidebar's permissions and the team and professional choices.
EXPORT_QUERIES = 4 + 4
PAGE_QUERIES = EXPORT_QUERIES + 4


@pytest.mark.parametrize("n", [5, 15])
def test_the_triads_report_runs_a_fixed_number_of_queries(
    n, make_youth, lead, login, coordinator, django_assert_num_queries
):
    for youth in make_youth(n):
        triad = make_triad(youth, lead, D(2026, 2, 1), activated_on=D(2026, 4, 1))
        evaluation(triad, lead, D(2026, 3, 1), Evaluation.Decision.CONTINUE)
        ended(youth, lead, EndReason.GOAL_REACHED, D(2025, 1, 1), D(2026, 3, 1))
    client = login(coordinator)
    with django_assert_num_queries(PAGE_QUERIES):
        response = page(client)
    assert ("Beëindigd in de periode", on_page(n)) in table(
        response.content.decode(), "Triades beëindigd in de periode, per reden"
    )
    with django_assert_num_queries(EXPORT_QUERIES):
        client.get(reverse("admin:reports_triads_csv"), PERIOD)
