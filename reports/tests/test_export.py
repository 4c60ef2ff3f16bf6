"""Every report, from the table of specs: its page, its CSV and its XLSX, with the same rows in both files."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.tests.helpers import make_triad, with_lead
from reports.views import REPORTS

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}


def xlsx_rows(body):
    sheet = load_workbook(io.BytesIO(body)).active
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("spec", REPORTS, ids=[spec.slug for spec in REPORTS])
def test_each_report_has_a_page_a_csv_and_an_xlsx_with_the_same_rows(
    spec, make_youth, lead, login, coordinator
):
    youths = make_youth(6)
    with_lead(youths, lead)
    for youth in youths:
        make_triad(youth, lead, datetime.date(2026, 1, 1), ended_on=datetime.date(2026, 5, 1))
    client = login(coordinator)
    page = client.get(reverse(f"admin:{spec.url_name}"), PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        f'href="{reverse(f"admin:{spec.xlsx_url_name}")}?date_from=2026-01-01&amp;date_to=2026-06-30"' in html
    )

    csv_response = client.get(reverse(f"admin:{spec.csv_url_name}"), PERIOD)
    xlsx_response = client.get(reverse(f"admin:{spec.xlsx_url_name}"), PERIOD)
    assert (
        xlsx_response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert (
        xlsx_response["Content-Disposition"]
        == f'attachment; filename="jim-{spec.path}-20260101-20260630.xlsx"'
    )
    from_csv = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    from_xlsx = xlsx_rows(xlsx_response.content)
    assert len(from_csv) > 3
    assert [[str(value) for value in row] for row in from_xlsx] == from_csv
    assert from_xlsx[0] == ["Onderdeel", "Cijfer", "Waarde", "YIM-studie", "Verschil"]


def test_counts_are_numbers_in_the_xlsx_and_hidden_ones_text(make_youth, lead, login, coordinator):
    youths = make_youth(7)
    with_lead(youths, lead)
    for youth in youths[:6]:
        make_triad(youth, lead, datetime.date(2026, 1, 1), activated_on=datetime.date(2026, 3, 1))
    make_triad(youths[6], lead, datetime.date(2026, 1, 1))
    body = login(coordinator).get(reverse("admin:reports_triads_xlsx"), PERIOD).content
    values = {row[1]: row[2] for row in xlsx_rows(body)}
    assert values["Actief"] == 5  # 6, rounded
    assert values["In proefperiode"] == "< 5"
    assert values["Beëindigd in de periode"] == 0
