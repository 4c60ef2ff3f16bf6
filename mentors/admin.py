"""Coordinator screens for the wie-vraag side: the JIM peer network's meetings."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from jimcase.admin import OrganisationScopedAdmin

from .models import PeerMeeting


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
