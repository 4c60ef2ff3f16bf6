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

#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value):
    """True for text a spreadsheet would run as a formula: a team named '=HYPERLINK(…)', a name '@SUM(…)'.

    Both exports ask it: the CSV prefixes such text with a single quote, the XLSX writes it as a string cell
    marked as text. Names come from what people typed; a report's own texts ("+3,0 days") are treated alike.
    """
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_value(value):
    """A value as the CSV writes it: text that looks like a formula gets a leading single quote."""
    return f"'{value}" if formula_like(value) else value


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
    writer.writerows([csv_value(value) for value in row] for row in report_rows(report, filters))
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, filters, name, "csv")


def report_xlsx(report, filters, *, name):
    """The report as an Excel workbook of one sheet: the same rows, each count a number a spreadsheet can add
    (a hidden count stays text: "< 5", "x"), every text a string cell, never a formula; the header in bold."""
    book = Workbook()
    sheet = book.active
    sheet.title = name[:31]
    for row_number, row in enumerate(report_rows(report, filters), start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, int):
                cell.value = value
                continue
            # openpyxl makes any text that starts with "=" a formula: the type is set back to a string,
            # and Excel is told to keep it text even when the cell is edited.
            cell.value = str(value)
            cell.data_type = "s"
            cell.quotePrefix = formula_like(cell.value)
            if row_number == 1:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (60, 60, 14, 14, 20), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX_TYPE), filters, name, "xlsx")
