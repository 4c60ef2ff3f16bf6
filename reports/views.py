"""The report pages in the admin: parse the filters, ask the selectors, render the page or the CSV."""

import functools

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import charts, export
from .forms import ReportFilterForm
from .report import BENCHMARK_SOURCE, funnel_report


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


@coordinators_only
def funnel(request, export_csv=False):
    form = ReportFilterForm(request.GET, user=request.user)
    title = _("The wie-vraag: from referral to a JIM")
    if not form.is_valid():
        return _page(request, "admin/reports/funnel.html", title, form=form)
    filters = form.filters()
    report = funnel_report(filters)
    if export_csv:
        report["filter_labels"] = filter_labels(form)
        return export.report_csv(report, filters, name="wie-vraag")
    return _page(
        request,
        "admin/reports/funnel.html",
        title,
        form=form,
        filters=filters,
        report=report,
        tables=report["by_key"],
        charts=charts.funnel_charts(report),
        source=BENCHMARK_SOURCE,
        query=request.GET.urlencode(),
    )
