"""Coordinator screens for the wie-vraag side: searches and the peer network's meetings.

The JIM profiles' screen is in triads.admin: it shows their running triads and who is in the JIM network,
which the triads decide."""

from django.contrib import admin
from django.db.models import Count, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jimcase.admin import CaseMetadataAdmin, OrganisationScopedAdmin, OwnTeamsFilter, count_of

from .models import Candidate, PeerMeeting, Search, Topic


@admin.register(Search)
class SearchAdmin(CaseMetadataAdmin):
    """The wie-vraag runs of the organisation: dates, status, days and how many candidates, never a name."""

    list_display = [
        "case_number",
        "status",
        "started_on",
        "ended_on",
        "days_open",
        "days_to_nomination",
        "stop_reason",
        "candidate_count",
        "started_by_name",
    ]
    list_select_related = ["youth", "started_by"]
    list_filter = ["status", "started_on", ("youth__team", OwnTeamsFilter), "stop_reason"]
    fields = [
        "case_number",
        "status",
        "started_on",
        "started_by_name",
        "ended_on",
        "ended_by_name",
        "days_open",
        "days_to_nomination",
        "stop_reason",
        "candidate_count",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # Candidates are counted, never listed: their names are the youth's network.
        candidates = Candidate.objects.filter(search=OuterRef("pk"))
        return super().get_queryset(request).annotate(candidates_count=count_of(candidates))

    def object_label(self, obj):
        return f"{obj.youth.case_number} ({obj.started_on:%d-%m-%Y})"

    @admin.display(description=_("started by"), ordering="started_by__display_name")
    def started_by_name(self, obj):
        return obj.started_by

    @admin.display(description=_("ended by"))
    def ended_by_name(self, obj):
        return obj.ended_by or "—"

    @admin.display(description=_("days open"))
    def days_open(self, obj):
        # A found search is measured by its days to nomination (the next column).
        return "—" if obj.is_found else obj.days_open(timezone.localdate())

    @admin.display(description=_("candidates"), ordering="candidates_count")
    def candidate_count(self, obj):
        return obj.candidates_count


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


@admin.register(Topic)
class TopicAdmin(OrganisationScopedAdmin):
    """Coordinators add their organisation's own topics ("wie voor wat") to the defaults everyone has."""

    list_display = ["name", "organisation"]
    fields = ["organisation", "name"]
    search_fields = ["name"]
    ordering = ["name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organisation" and not request.user.is_superuser:
            # Only a superuser makes a default for every organisation (a topic without one).
            field.required = True
            field.empty_label = None
        return field

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.is_coordinator

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission
