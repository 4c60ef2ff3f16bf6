from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in safely and the accounts' history: login throttling, the second factor, session
    timeouts, the person's own e-mail address and password, and every change to an account."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import signals

        signals.connect()
