from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JimcaseConfig(AppConfig):
    """The case core: users, organisations, teams and youths."""

    name = "jimcase"
    verbose_name = _("Case files")
