"""The outbox screen (moves to the outbox app)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox import services as outbox
from outbox.models import OutgoingMail

from .base import ReadOnlyAdmin


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
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

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.action(description=_("Try again now"), permissions=["view"])
    def retry_now(self, request, queryset):
        count = outbox.retry_now(queryset)
        self.message_user(
            request, ngettext("%d e-mail queued again.", "%d e-mails queued again.", count) % count
        )
