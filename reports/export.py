"""A report as CSV: UTF-8 with a byte-order mark and semicolons, so Excel set to nl-BE opens it right."""

import csv
import io

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def report_csv(report, filters, *, name):
    """The report's tables, one row per figure, with the filters it was made with on top."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Section"), _("Figure"), _("Value"), _("YIM study"), _("Difference")])
    period = f"{date_format(filters.date_from, 'SHORT_DATE_FORMAT')} – {date_format(filters.date_to, 'SHORT_DATE_FORMAT')}"
    writer.writerow([_("Filters"), _("Period"), period, "", ""])
    for label, value in report.get("filter_labels", []):
        writer.writerow([_("Filters"), label, value, "", ""])
    for table in report["tables"]:
        if table.key == "trend":
            for row in table.rows:
                writer.writerow([table.title, f"{row.label}: {_('Searches started')}", row.shown, "", ""])
                writer.writerow([table.title, f"{row.label}: {_('JIM found')}", row.second, "", ""])
            continue
        if "pair" in table.extra:
            first, second = table.extra["pair"]
            for row in table.rows:
                writer.writerow([table.title, f"{row.label}: {first}", row.shown, "", ""])
                writer.writerow([table.title, f"{row.label}: {second}", row.second, "", ""])
            continue
        for row in table.rows:
            writer.writerow([table.title, row.label, row.shown, row.benchmark, row.difference])
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    stamp = f"{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="jim-{name}-{stamp}.csv"'
    return response
