"""Report 4, follow-up health on the period's last day: each figure of a known dataset, exactly, with
suppression, the day's boundaries, the CSV, the chart, scoping and query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from jimcase.tests.html import without_tokens
from reports.selectors import Filters, followup_figures
from reports.tests.helpers import at, in_export, make_triad, name, on_page, table, with_lead
from triads.models import CheckIn, Evaluation, FallbackRequest, Triad

D = datetime.date
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
MESSAGE = "Ze belde me om middernacht over thuis"
OVERDUE_CAPTION = (
    "Achterstallige opvolgmomenten op 30-06-2026 (lopende triades, en het gesprek na de afsluiting), "
    "per hoofdhulpverlener"
)


def check_ins(triad):
    """3 overdue on 30-06-2026 (one done only after it), 1 planned that day, 1 done in time."""
    for due, done in [
        (D(2026, 6, 1), None),
        (D(2026, 6, 1), None),
        (D(2026, 6, 10), D(2026, 7, 5)),
        (D(2026, 6, 30), None),
        (D(2026, 6, 1), D(2026, 6, 20)),
    ]:
        CheckIn.objects.create(triad=triad, due_on=due, done_on=done)


def request(triad, by, created_at, handled_at=None, urgent=False):
    return FallbackRequest.objects.create(
        triad=triad,
        message=MESSAGE,
        urgent=urgent,
        status=FallbackRequest.Status.HANDLED if handled_at else FallbackRequest.Status.OPEN,
        created_by=by,
        created_at=created_at,
        handled_at=handled_at,
        handled_by=by if handled_at else None,
    )


@pytest.fixture
def dataset(make_youth, lead, colleague, stranger, other_organisation):
    mine = make_youth(3, first_name="Zoëlle")
    theirs = make_youth(2, first_name="Zoëlle")
    with_lead(mine, lead)
    with_lead(theirs, colleague)
    triads = [make_triad(y, lead, D(2026, 1, 1), activated_on=D(2026, 3, 1)) for y in [*mine, *theirs]]
    for triad in triads:
        check_ins(triad)
    ended = make_triad(mine[0], lead, D(2025, 1, 1), activated_on=D(2025, 3, 1), ended_on=D(2026, 5, 1))
    CheckIn.objects.create(triad=ended, due_on=D(2026, 4, 1))  # an ended triad's: not counted
    # Evaluations: 2 in the last 60 days; one 61 days before the last day, one the day after it.
    Evaluation.objects.create(triad=triads[0], held_on=D(2026, 6, 1), score=4, by=lead)
    Evaluation.objects.create(triad=triads[1], held_on=D(2026, 5, 2), score=4, by=lead)
    Evaluation.objects.create(triad=triads[2], held_on=D(2026, 5, 1), score=4, by=lead)
    Evaluation.objects.create(triad=triads[3], held_on=D(2026, 7, 1), score=4, by=lead)
    # Open on the last day: 5 under 2 days (2 urgent), 1 of 2–7 days, 7 over 7 days (one handled after it).
    t = triads[0]
    for i in range(5):
        request(t, lead, at(D(2026, 6, 29), 12), urgent=i < 2)
    request(t, lead, at(D(2026, 6, 25)))
    for _i in range(6):
        request(t, lead, at(D(2026, 6, 1)))
    request(t, lead, at(D(2026, 6, 1)), handled_at=at(D(2026, 7, 2)))
    request(t, lead, at(D(2026, 7, 1)), urgent=True)  # the day after: not yet
    # Handled in the period after 1, 2, 3, 4 and 10 hours; one handled before it.
    for hours in (1, 2, 3, 4, 10):
        request(t, lead, at(D(2026, 3, 1)), handled_at=at(D(2026, 3, 1)) + datetime.timedelta(hours=hours))
    request(t, lead, at(D(2025, 12, 30)), handled_at=at(D(2025, 12, 31)))
    # The other organisation: none of this may show for organisation A.
    (elsewhere,) = make_youth(1, by=stranger, organisation=other_organisation, team=None)
    with_lead([elsewhere], stranger)
    for _i in range(2):
        check_ins(make_triad(elsewhere, stranger, D(2026, 1, 1)))
    return triads


def page(client, **params):
    return client.get(reverse("admin:reports_followup"), {**PERIOD, **params})


def test_overdue_check_ins_per_lead_professional(dataset, login, coordinator, lead, colleague, stranger):
    html = without_tokens(page(login(coordinator)))
    expected = sorted([(name(lead), on_page(9)), (name(colleague), on_page(6))])
    assert table(html, OVERDUE_CAPTION) == [
        *expected,
        ("Achterstallige opvolgmomenten", on_page(15)),
    ]
    assert name(stranger) not in html


def test_open_fallback_requests_by_age_and_the_urgent_ones(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    # 5, 1, 7 of 13 (2 urgent): rounded, 5 (5–8) + 5 (5–8) beside 10 (9–13) leave the "< 5" 1–3.
    assert table(
        html, "Vragen aan de terugvalhulpverlener die op 30-06-2026 nog openstaan, per wachttijd"
    ) == [
        ("minder dan 2 dagen", on_page(5)),
        ("2–7 dagen", on_page(1)),
        ("meer dan 7 dagen", on_page(7)),
        ("Openstaande vragen", on_page(13)),
        ("waarvan dringend", on_page(2)),
    ]


def test_the_median_response_time(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    assert table(html, "Vragen aan de terugvalhulpverlener behandeld in de periode") == [
        ("Behandelde vragen", on_page(5)),
        ("Antwoordtijd in uren, mediaan", "3,0"),
    ]


def test_running_triads_without_a_recent_evaluation(dataset, login, coordinator):
    html = page(login(coordinator)).content.decode()
    assert table(html, "Lopende triades op 30-06-2026: een evaluatie in de laatste 60 dagen?") == [
        ("Geen evaluatie", "&lt; 5"),
        ("Geëvalueerd", "&lt; 5"),
        ("Lopende triades", on_page(5)),
    ]


def test_the_chart_and_the_csv(dataset, login, coordinator):
    client = login(coordinator)
    html = without_tokens(page(client))
    svg = re.search(
        r'<svg [^>]*aria-labelledby="chart-requests-title chart-requests-desc".*?</svg>', html, re.S
    ).group(0)
    assert (
        '<desc id="chart-requests-desc">minder dan 2 dagen: 5; 2–7 dagen: &lt; 5; meer dan 7 dagen: 5</desc>'
        in svg
    )
    body = client.get(reverse("admin:reports_followup_csv"), PERIOD).content
    assert body.startswith(b"\xef\xbb\xbfOnderdeel;Cijfer;Waarde;YIM-studie;Verschil\r\n")
    text = body.decode("utf-8-sig")
    assert ";Antwoordtijd in uren, mediaan;3,0;;\r\n" in text
    assert f";Achterstallige opvolgmomenten;{in_export(15)};;\r\n" in text
    for secret in (MESSAGE, "Zoëlle", "Jim Iemand"):
        assert secret not in text and secret not in html


def test_the_other_coordinator_sees_only_her_own_follow_up(dataset, login, other_coordinator, stranger, lead):
    html = without_tokens(page(login(other_coordinator)))
    assert table(html, OVERDUE_CAPTION) == [
        (name(stranger), on_page(6)),
        ("Achterstallige opvolgmomenten", on_page(6)),
    ]
    assert ("Openstaande vragen", "0") in table(
        html, "Vragen aan de terugvalhulpverlener die op 30-06-2026 nog openstaan, per wachttijd"
    )
    assert name(lead) not in html


#: The session, the user, the second factor, the roles, and the report's 4 queries; the page adds the
#: sidebar's permissions and the team and professional choices.
EXPORT_QUERIES = 4 + 4
PAGE_QUERIES = EXPORT_QUERIES + 4


@pytest.mark.parametrize("n", [5, 15])
def test_the_follow_up_report_runs_a_fixed_number_of_queries(
    n, make_youth, lead, login, coordinator, django_assert_num_queries
):
    youths = make_youth(n)
    with_lead(youths, lead)
    for youth in youths:
        triad = make_triad(youth, lead, D(2026, 1, 1))
        check_ins(triad)
        request(triad, lead, at(D(2026, 3, 1)), handled_at=at(D(2026, 3, 2)))
    client = login(coordinator)
    with django_assert_num_queries(PAGE_QUERIES):
        response = page(client)
    assert ("Lopende triades", on_page(n)) in table(
        response.content.decode(), "Lopende triades op 30-06-2026: een evaluatie in de laatste 60 dagen?"
    )
    with django_assert_num_queries(EXPORT_QUERIES):
        client.get(reverse("admin:reports_followup_csv"), PERIOD)


def test_a_moment_removed_from_the_plan_by_the_last_day_is_not_overdue(dataset, login, coordinator, lead):
    """Issue 14: a removed moment is kept (with who and when); it stops counting from its removal."""
    overdue = CheckIn.objects.filter(triad=dataset[0], due_on=D(2026, 6, 1), done_on__isnull=True)
    removed_in_time, removed_later = list(overdue)
    CheckIn.objects.filter(pk=removed_in_time.pk).update(removed_at=at(D(2026, 6, 30), 23), removed_by=lead)
    CheckIn.objects.filter(pk=removed_later.pk).update(removed_at=at(D(2026, 7, 1), 0), removed_by=lead)
    html = page(login(coordinator)).content.decode()
    rows = table(html, OVERDUE_CAPTION)
    assert (name(lead), on_page(8)) in rows and ("Achterstallige opvolgmomenten", on_page(14)) in rows
    assert on_page(8) == "5" and on_page(14) == "15"


def test_the_conversation_after_a_closure_counts_as_overdue_as_the_caseload_flags_it(make_youth, lead):
    """Issue 22: the caseload and the reminders flag the lead's conversation after a closure when it is overdue;
    the report counted only the moments of running triads (fails on c5dfc8a)."""
    (youth,) = make_youth()
    with_lead([youth], lead)
    ended = make_triad(youth, lead, D(2026, 1, 1), ended_on=D(2026, 5, 1))
    after = CheckIn.objects.create(triad=ended, kind=CheckIn.Kind.AFTER_CLOSURE, due_on=D(2026, 5, 29))
    filters = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 6, 30), organisation_id=youth.organisation_id)
    assert followup_figures(filters)["overdue_by_lead"] == [(name(lead), 1)]
    assert list(CheckIn.objects.overdue_on(D(2026, 6, 30))) == [after]
    assert not Triad.objects.running_on(D(2026, 6, 30)).exists()
