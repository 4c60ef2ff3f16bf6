"""The youth screens: files (read-only, with the lead hand-over) and case assignments."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import services
from ..admin_narrow import ChoiceListFilter
from ..models import (
    CaseAssignment,
    LivingSituationChange,
    StageChange,
    Team,
    User,
    Youth,
)
from ..selectors import professionals_of
from ..web import form_errors_from
from .base import (
    CaseMetadataAdmin,
    HistoryInline,
    OrganisationScopedAdmin,
    OwnTeamsFilter,
    ReadOnlyAdmin,
    count_of,
)


class LeadHandOverForm(forms.Form):
    professional = forms.ModelChoiceField(label=_("new lead professional"), queryset=User.objects.none())

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals_of(youth.organisation_id)


class StageChangeInline(HistoryInline):
    """The youth's stage history on the youth's admin page: from, to, date, by, why (never a note)."""

    model = StageChange
    fields = ["on", "from_stage", "to_stage", "by", "why_shown", "at"]

    @admin.display(description=_("why"))
    def why_shown(self, obj):
        return obj.why_text


class LivingSituationChangeInline(HistoryInline):
    """Where the youth lived over time (at referral, changes on the file, at a triad's closure)."""

    model = LivingSituationChange
    fields = ["on", "from_situation", "to_situation", "by", "at"]


@admin.register(Youth)
class YouthAdmin(OrganisationScopedAdmin, ReadOnlyAdmin):
    """Case metadata only: no confidential text is ever shown here.

    A coordinator hands a file whose professional leaves to another professional ("hand over the
    lead") without ever reaching the file herself.
    """

    list_display = ["case_number", "first_name", "stage", "stage_since", "team", "created_at"]
    # The team may be empty, so the admin's own select_related() would skip it: one query per row, and
    # one more for the team's organisation in its name.
    list_select_related = ["team__organisation"]
    # An organisation holds tens of thousands of youths: count them once (the filtered count), not twice.
    show_full_result_count = False
    # Only the teams of the coordinator's own organisation: never another organisation's.
    list_filter = ["stage", ("team", OwnTeamsFilter)]
    search_fields = ["case_number", "first_name"]
    # The model's own order starts with the last name, which this list never shows.
    ordering = ["case_number"]
    fields = [
        "case_number",
        "first_name",
        "organisation",
        "team",
        "stage",
        "stage_since",
        "created_at",
        "lead",
    ]
    readonly_fields = fields
    inlines = [StageChangeInline, LivingSituationChangeInline]

    @admin.display(description=_("lead professional"))
    def lead(self, obj):
        url = reverse("admin:jimcase_youth_lead", args=[obj.pk])
        return format_html('{} · <a href="{}">{}</a>', obj.current_lead or "—", url, _("hand over the lead"))

    def get_urls(self):
        return [
            path("<int:pk>/lead/", self.admin_site.admin_view(self.lead_view), name="jimcase_youth_lead"),
            *super().get_urls(),
        ]

    def lead_view(self, request, pk):
        youth = get_object_or_404(self.get_queryset(request), pk=pk)
        form = LeadHandOverForm(request.POST or None, youth=youth)
        if request.method == "POST" and form.is_valid():
            try:
                services.lead_hand_over(youth=youth, to=form.cleaned_data["professional"], by=request.user)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                self.message_user(
                    request,
                    _("%(name)s is now the lead professional of %(youth)s.")
                    % {"name": form.cleaned_data["professional"], "youth": youth.first_name},
                )
                return redirect("admin:jimcase_youth_change", youth.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Hand over the lead of %(youth)s (%(case)s)")
            % {"youth": youth.first_name, "case": youth.case_number},
            "form": form,
            "youth": youth,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/jimcase/youth_lead.html", context)


class AssignmentStateFilter(ChoiceListFilter):
    title = _("open or ended")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("open")), ("ended", _("ended"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(ends_on__isnull=True)
        if self.value() == "ended":
            return queryset.filter(ends_on__isnull=False)
        return queryset


class ProfessionalTeamFilter(ChoiceListFilter):
    """The professional's team (not the youth's): whose workload is it."""

    title = _("team of the professional")
    parameter_name = "professional_team"

    def lookups(self, request, model_admin):
        teams = OrganisationScopedAdmin.scoped(request, Team.objects.all(), "organisation")
        return [(str(team.pk), str(team)) for team in teams]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(professional__groups__team=self.value())
        return queryset


@admin.register(CaseAssignment)
class CaseAssignmentAdmin(CaseMetadataAdmin):
    """Who works on which file, as lead or backup, since when: a coordinator sees the workload.

    The youth is named by case number only. A lead is handed over on the youth's own admin page.
    """

    list_display = [
        "case_number",
        "professional_name",
        "role",
        "starts_on",
        "ends_on",
        "open_files",
        "hand_over",
    ]
    list_select_related = ["youth", "professional"]
    list_filter = ["role", AssignmentStateFilter, ProfessionalTeamFilter]
    search_fields = ["youth__case_number", "professional__display_name"]
    fields = ["case_number", "professional_name", "role", "starts_on", "ends_on", "open_files"]
    readonly_fields = fields

    def get_queryset(self, request):
        open_files = CaseAssignment.objects.filter(
            professional=OuterRef("professional"), ends_on__isnull=True
        )
        return super().get_queryset(request).annotate(open_files_count=count_of(open_files))

    def object_label(self, obj):
        return f"{obj.youth.case_number} – {obj.professional} ({obj.get_role_display()})"

    @admin.display(description=_("professional"), ordering="professional__display_name")
    def professional_name(self, obj):
        return obj.professional

    @admin.display(description=_("open files of the professional"), ordering="open_files_count")
    def open_files(self, obj):
        return obj.open_files_count

    @admin.display(description=_("hand over"))
    def hand_over(self, obj):
        if not (obj.is_lead and obj.is_open):
            return "—"
        url = reverse("admin:jimcase_youth_lead", args=[obj.youth_id])
        return format_html('<a href="{}">{}</a>', url, _("hand over the lead"))
