"""The reports' place in the admin: pages under admin/reports/, and a "Reports" entry on the admin's index."""

import functools

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from jimcase.registry import AdminSection

from . import views


def section(site):
    """The reports as an admin section (settings.ADMIN_SECTIONS): what the admin requires, and coordinators only."""

    def page(view, **kwargs):
        return site.admin_view(require_GET(functools.partial(view, **kwargs) if kwargs else view))

    return AdminSection(
        slug="reports",
        label=_("Reports"),
        index="admin:reports_index",
        urls=[
            path("", page(views.index), name="reports_index"),
            path("wie-vraag/", page(views.funnel), name="reports_funnel"),
            path("wie-vraag/csv/", page(views.funnel, export_csv=True), name="reports_funnel_csv"),
            path("triades/", page(views.triads), name="reports_triads"),
            path("triades/csv/", page(views.triads, export_csv=True), name="reports_triads_csv"),
            path("uitkomsten/", page(views.outcomes), name="reports_outcomes"),
            path("uitkomsten/csv/", page(views.outcomes, export_csv=True), name="reports_outcomes_csv"),
            path("opvolging/", page(views.followup), name="reports_followup"),
            path("opvolging/csv/", page(views.followup, export_csv=True), name="reports_followup_csv"),
        ],
        links=[
            (_("The wie-vraag: from referral to a JIM"), "admin:reports_funnel"),
            (_("Triads: running, decisions, endings"), "admin:reports_triads"),
            (_("Outcomes: placement, living situation, goals"), "admin:reports_outcomes"),
            (_("Follow-up: check-ins, fallback requests, evaluations"), "admin:reports_followup"),
        ],
        may_see=lambda request: request.user.is_superuser or request.user.is_coordinator,
    )
