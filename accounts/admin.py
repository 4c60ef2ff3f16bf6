"""The accounts' part of the people screens: the core's user and team screens, registered again with it.

On a person's page: the record of every change to the account (roles, teams, organisation, active
state, e-mail address, login lock, second factor, password links), the link to choose a password
sent when a coordinator invites an account, the notice to the old address when a superuser changes
it, and the actions to unlock a login and turn a second factor off. On a team's page: each member
added or taken off is recorded on that person's page.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from jimcase.admin import HistoryInline
from jimcase.admin import TeamAdmin as CoreTeamAdmin
from jimcase.admin import UserAdmin as CoreUserAdmin
from jimcase.models import Team, User

from . import services
from .models import AccountChange

# django-otp's own device screens would show the secrets: a coordinator turns a second factor off on
# the user screen instead (the action below).
admin.site.unregister([TOTPDevice, StaticDevice])


class AccountChangeInline(HistoryInline):
    """Who changed this person's roles, teams, organisation, active state or e-mail address, when, from
    what to what; and each password link sent to them."""

    model = AccountChange
    fk_name = "user"
    fields = ["at", "by", "what", "before", "after"]
    verbose_name_plural = _("changes to roles, teams, access and e-mail address")


admin.site.unregister(Team)


@admin.register(Team)
class TeamAdmin(CoreTeamAdmin):
    def member_set(self, request, *, team, user, on):
        before = services.account_snapshot(user)
        super().member_set(request, team=team, user=user, on=on)
        services.account_changes_record(user=user, before=before, by=request.user)


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(CoreUserAdmin):
    """The core's user screen (jimcase.admin.UserAdmin) with the account's record, links and actions."""

    actions = ["send_password_link", "unlock_login", "remove_second_factor"]

    def get_inlines(self, request, obj):
        return [AccountChangeInline, *super().get_inlines(request, obj)]

    def save_model(self, request, obj, form, change):
        request._account_before = services.account_snapshot(User.objects.get(pk=obj.pk) if change else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.account_changes_record(user=form.instance, before=request._account_before, by=request.user)
        # A coordinator's new account has no password: the person chooses it through the link.
        if not change and not request.user.is_superuser:
            services.password_link_send(user=form.instance, by=request.user)

    @admin.action(description=_("Send a link to choose a password"))
    def send_password_link(self, request, queryset):
        # Only to accounts that never chose a password (services.password_link_send says why).
        queued = 0
        for user in queryset:
            try:
                services.password_link_send(user=user, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{user}: {' '.join(error.messages)}", messages.WARNING)
            else:
                queued += 1
        if queued:
            # Queued in the outbox, not sent yet: whether it went out shows on the person's page.
            self.message_user(
                request,
                ngettext(
                    "%(count)d link queued to be sent. A mail that does not go out is shown on the person's page.",
                    "%(count)d links queued to be sent. A mail that does not go out is shown on the person's page.",
                    queued,
                )
                % {"count": queued},
            )

    @admin.action(description=_("Unlock login (after too many failed attempts)"))
    def unlock_login(self, request, queryset):
        unlocked = [user for user in queryset if services.login_unlock(user=user, by=request.user)]
        self.message_user(
            request,
            ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", len(unlocked))
            % {"count": len(unlocked)},
        )

    @admin.action(description=_("Turn the second factor off (lost phone): set it up again at next login"))
    def remove_second_factor(self, request, queryset):
        # Nobody changes their own access here.
        removed = [
            user
            for user in queryset.exclude(pk=request.user.pk)
            if services.second_factor_remove(user=user, by=request.user)
        ]
        self.message_user(
            request,
            ngettext(
                "The second factor of %(count)d account was turned off.",
                "The second factor of %(count)d accounts was turned off.",
                len(removed),
            )
            % {"count": len(removed)},
        )
