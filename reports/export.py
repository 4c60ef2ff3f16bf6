"""A report as a file: CSV in UTF-8 with a byte-order mark and semicolons, so Excel set to nl-BE opens it right,
or XLSX (openpyxl) with the counts as numbers. Both hold the same rows, in the same order."""

import csv
import io

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_rows(report, filters):
    """The header, the filters the report was made with, then one row per figure: (section, figure, value,
    YIM study, difference). A value is what the page shows: a number, or "< 5", "x", "—"."""
    yield [_("Section"), _("Figure"), _("Value"), _("YIM study"), _("Difference")]
    period = (
        f"{date_format(filters.date_from, 'SHORT_DATE_FORMAT')} – "
        f"{date_format(filters.date_to, 'SHORT_DATE_FORMAT')}"
    )
    yield [_("Filters"), _("Period"), period, "", ""]
    for label, value in report.get("filter_labels", []):
        yield [_("Filters"), label, value, "", ""]
    for table in report["tables"]:
        if table.key == "trend":
            for row in table.rows:
                yield [table.title, f"{row.label}: {_('Searches started')}", row.shown, "", ""]
                yield [table.title, f"{row.label}: {_('JIM found')}", row.second, "", ""]
            continue
        if "pair" in table.extra:
            first, second = table.extra["pair"]
            for row in table.rows:
                yield [table.title, f"{row.label}: {first}", row.shown, "", ""]
                yield [table.title, f"{row.label}: {second}", row.second, "", ""]
            continue
        for row in table.rows:
            yield [table.title, row.label, row.shown, row.benchmark, row.difference]


def _attachment(response, filters, name, extension):
    stamp = f"{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="jim-{name}-{stamp}.{extension}"'
    return response


def report_csv(report, filters, *, name):
    """The report as CSV: the rows of `report_rows`, numbers with a decimal comma as on the page."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(report_rows(report, filters))
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, filters, name, "csv")


def report_xlsx(report, filters, *, name):
    """The report as an Excel workbook of one sheet: the same rows, each count a number a spreadsheet can add
    (a hidden count stays text: "< 5", "x"), the header in bold."""
    book = Workbook()
    sheet = book.active
    sheet.title = name[:31]
    for index, row in enumerate(report_rows(report, filters)):
        sheet.append([str(value) if not isinstance(value, int) else value for value in row])
        if index == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (60, 60, 14, 14, 20), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX_TYPE), filters, name, "xlsx")
