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
            *(
                url
                for spec in views.REPORTS
                for url in (
                    path(f"{spec.path}/", page(views.report, spec=spec), name=spec.url_name),
                    path(
                        f"{spec.path}/csv/",
                        page(views.report, spec=spec, export="csv"),
                        name=spec.csv_url_name,
                    ),
                    path(
                        f"{spec.path}/xlsx/",
                        page(views.report, spec=spec, export="xlsx"),
                        name=spec.xlsx_url_name,
                    ),
                )
            ),
        ],
        links=[(spec.title, f"admin:{spec.url_name}") for spec in views.REPORTS],
        may_see=lambda request: (
            request.user.is_authenticated and (request.user.is_superuser or request.user.is_coordinator)
        ),
    )
