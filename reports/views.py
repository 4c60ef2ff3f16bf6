"""The report pages in the admin: parse the filters, ask the report for its tables, render the page or the CSV.

Every report is one row of `REPORTS`; the admin's URLs, the index's links and the pages all come from it.
"""

import functools
from collections.abc import Callable
from typing import NamedTuple

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import charts
from . import export as exports
from . import report as reports
from .forms import ReportFilterForm


class ReportSpec(NamedTuple):
    """One report: its address (`path`/`path`csv/), its URL names (admin:reports_<slug>[_csv]), its title,
    the function that builds its tables, the one that draws its charts, and its template."""

    slug: str
    path: str
    title: str
    build: Callable
    draw: Callable

    @property
    def template(self):
        return f"admin/reports/{self.slug}.html"

    @property
    def url_name(self):
        return f"reports_{self.slug}"

    @property
    def csv_url_name(self):
        return f"reports_{self.slug}_csv"

    @property
    def xlsx_url_name(self):
        return f"reports_{self.slug}_xlsx"


REPORTS = [
    ReportSpec(
        "funnel",
        "wie-vraag",
        gettext_lazy("The wie-vraag: from referral to a JIM"),
        reports.funnel_report,
        charts.funnel_charts,
    ),
    ReportSpec(
        "triads",
        "triades",
        gettext_lazy("Triads: running, decisions, endings"),
        reports.triads_report,
        charts.triads_charts,
    ),
    ReportSpec(
        "outcomes",
        "uitkomsten",
        gettext_lazy("Outcomes: placement, living situation, goals"),
        reports.outcomes_report,
        charts.outcomes_charts,
    ),
    ReportSpec(
        "followup",
        "opvolging",
        gettext_lazy("Follow-up: check-ins, fallback requests, evaluations"),
        reports.followup_report,
        charts.followup_charts,
    ),
    ReportSpec(
        "consent",
        "toestemming",
        gettext_lazy("Consent: waiting, refused, withdrawn, overridden"),
        reports.consent_report,
        charts.consent_charts,
    ),
    ReportSpec(
        "capacity",
        "capaciteit",
        gettext_lazy("Capacity and fidelity: caseloads, training, JIMs, JIM network"),
        reports.capacity_report,
        charts.capacity_charts,
    ),
]


def coordinators_only(view):
    """Coordinators and superusers: the admin lets in other staff accounts too, who see no figures."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or request.user.is_coordinator):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _page(request, template, title, **context):
    return TemplateResponse(
        request,
        template,
        {**admin.site.each_context(request), "title": title, **context},
        status=400 if context.get("form") is not None and context["form"].errors else 200,
    )


@coordinators_only
def index(request):
    return _page(
        request,
        "admin/reports/index.html",
        _("Reports"),
        reports=[(spec.title, f"admin:{spec.url_name}") for spec in REPORTS],
    )


def filter_labels(form):
    """What the report was filtered on, as (label, value), for the export's header rows."""
    labels = []
    for name in ("organisation", "jurisdiction", "team", "professional"):
        value = form.cleaned_data.get(name)
        if value:
            field = form.fields[name]
            shown = dict(field.choices).get(value, value) if name == "jurisdiction" else value
            labels.append((str(field.label), str(shown)))
    return labels


@coordinators_only
def report(request, *, spec, export=None):
    """One report (`spec`): its page, or with `export` ("csv", "xlsx") the file."""
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, spec.template, spec.title, form=form)
    filters = form.filters()
    built = spec.build(filters)
    if export:
        built["filter_labels"] = filter_labels(form)
        write = exports.report_xlsx if export == "xlsx" else exports.report_csv
        return write(built, filters, name=spec.path)
    return _page(
        request,
        spec.template,
        spec.title,
        form=form,
        filters=filters,
        report=built,
        tables=built["by_key"],
        charts=spec.draw(built),
        source=reports.BENCHMARK_SOURCE,
        query=request.GET.urlencode(),
        csv_url=reverse(f"admin:{spec.csv_url_name}"),
        xlsx_url=reverse(f"admin:{spec.xlsx_url_name}"),
    )
