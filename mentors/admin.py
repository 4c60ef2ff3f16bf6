"""Coordinator screens for the wie-vraag side: the JIM peer network's meetings."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from jimcase.admin import OrganisationScopedAdmin

from .models import JimProfile, PeerMeeting


@admin.register(JimProfile)
class JimProfileAdmin(OrganisationScopedAdmin):
    """The JIMs of the organisation: names and peer-network membership only, nothing of a youth."""

    list_display = ["name", "peer_network_opt_in", "peer_network_alumni", "created_at"]
    list_filter = ["peer_network_opt_in", "peer_network_alumni"]
    search_fields = ["name"]
    fields = ["name", "peer_network_opt_in", "peer_network_alumni"]
    readonly_fields = ["name", "peer_network_opt_in"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.is_coordinator

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.is_coordinator


@admin.register(PeerMeeting)
class PeerMeetingAdmin(OrganisationScopedAdmin):
    """Coordinators plan the meetings of their organisation's JIM peer network."""

    list_display = ["starts_at", "topic", "place", "coming"]
    fields = ["organisation", "starts_at", "place", "topic"]
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(coming_count=Count("attendees"))

    @admin.display(description=_("coming"), ordering="coming_count")
    def coming(self, obj):
        return obj.coming_count
