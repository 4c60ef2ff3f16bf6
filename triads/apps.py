from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriadsConfig(AppConfig):
    """Triads: youth, JIM and professional under a signed agreement."""

    name = "triads"
    verbose_name = _("Triads")
