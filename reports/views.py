"""The report pages in the admin: parse the filters, ask the selectors, render the page or the CSV."""

import functools

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import charts, export
from .forms import ReportFilterForm
from .report import BENCHMARK_SOURCE, followup_report, funnel_report, outcomes_report, triads_report


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
    return _page(request, "admin/reports/index.html", _("Reports"))


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


def _report(request, *, title, template, build, draw, name, export_csv, csv_url):
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, template, title, form=form)
    filters = form.filters()
    report = build(filters)
    if export_csv:
        report["filter_labels"] = filter_labels(form)
        return export.report_csv(report, filters, name=name)
    return _page(
        request,
        template,
        title,
        form=form,
        filters=filters,
        report=report,
        tables=report["by_key"],
        charts=draw(report),
        source=BENCHMARK_SOURCE,
        query=request.GET.urlencode(),
        csv_url=reverse(csv_url),
    )


@coordinators_only
def funnel(request, export_csv=False):
    return _report(
        request,
        title=_("The wie-vraag: from referral to a JIM"),
        template="admin/reports/funnel.html",
        build=funnel_report,
        draw=charts.funnel_charts,
        name="wie-vraag",
        export_csv=export_csv,
        csv_url="admin:reports_funnel_csv",
    )


@coordinators_only
def triads(request, export_csv=False):
    return _report(
        request,
        title=_("Triads: running, decisions, endings"),
        template="admin/reports/triads.html",
        build=triads_report,
        draw=charts.triads_charts,
        name="triades",
        export_csv=export_csv,
        csv_url="admin:reports_triads_csv",
    )


@coordinators_only
def outcomes(request, export_csv=False):
    return _report(
        request,
        title=_("Outcomes: placement, living situation, goals"),
        template="admin/reports/outcomes.html",
        build=outcomes_report,
        draw=charts.outcomes_charts,
        name="uitkomsten",
        export_csv=export_csv,
        csv_url="admin:reports_outcomes_csv",
    )


@coordinators_only
def followup(request, export_csv=False):
    return _report(
        request,
        title=_("Follow-up: check-ins, fallback requests, evaluations"),
        template="admin/reports/followup.html",
        build=followup_report,
        draw=charts.followup_charts,
        name="opvolging",
        export_csv=export_csv,
        csv_url="admin:reports_followup_csv",
    )
