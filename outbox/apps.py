from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """The outbox: every e-mail the product sends, its text (outbox.mails) and its way out (outbox.services)."""

    name = "outbox"
    verbose_name = _("E-mail")
