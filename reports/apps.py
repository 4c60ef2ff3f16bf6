from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The coordinators' reports: figures across the organisation, computed in the database, never a name."""

    name = "reports"
    verbose_name = _("Reports")
