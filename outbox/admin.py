"""The outbox's admin screen: superusers only (its rows name addresses across organisations).

Like every screen it derives from the core's narrow admin (jimcase.admin_narrow): the admin's
infrastructure is the one thing of jimcase the outbox imports.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jimcase.admin_narrow import NarrowAdmin

from . import services
from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(NarrowAdmin):
    """The outbox, for the technical administrator (superusers only): what went out, what waits, what failed.

    The text is never shown: it holds personal links (signing, password) that only the addressee may use.
    """

    list_display = ["created_at", "kind", "to", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to"]
    fields = [
        "kind",
        "topic",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
    ]
    readonly_fields = fields
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.action(description=_("Try again now"), permissions=["view"])
    def retry_now(self, request, queryset):
        count = services.retry_now(queryset)
        self.message_user(
            request, ngettext("%d e-mail queued again.", "%d e-mails queued again.", count) % count
        )
