"""Account changes and password-reset requests, kept as records.

Both were the core's until the accounts got their own app: their tables keep the core's names
(`jimcase_accountchange`, `jimcase_passwordresetrequest`; see accounts/migrations/0001).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountChange(models.Model):
    """Append-only record of a change to a person's account: roles, teams, organisation, active state,
    e-mail address, login lock, second factor, and each password link sent to it."""

    class What(models.TextChoices):
        ROLES = "roles", _("roles")
        TEAMS = "teams", _("teams")
        ACTIVE = "active", _("active")
        ORGANISATION = "organisation", _("organisation")
        LOGIN_LOCK = "login_lock", _("login lock")
        SECOND_FACTOR = "second_factor", _("second factor")
        EMAIL = "email", _("e-mail address")
        #: A link to choose a password was queued for the address in `after`.
        PASSWORD_LINK = "password_link", _("link to choose a password")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_changes",
        verbose_name=_("account"),
    )
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    before = models.CharField(_("before"), max_length=500, blank=True)
    after = models.CharField(_("after"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        db_table = "jimcase_accountchange"
        ordering = ["-at", "-pk"]
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")

    def __str__(self):
        return f"{self.user} {self.what}: {self.before} → {self.after}"


class PasswordResetRequest(models.Model):
    """One request for a password-reset mail, kept an hour or so to limit how many are sent.

    The e-mail address is kept as a digest only: whoever typed it need not have an account.
    """

    email_digest = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "jimcase_passwordresetrequest"

    def __str__(self):
        return f"{self.ip_address} {self.at:%Y-%m-%d %H:%M}"
