"""Coordinator screens for triads: status and dates only, never the agreement text; consent overrides."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jimcase.admin import OrganisationScopedAdmin, ReadOnlyAdmin

from . import services
from .models import ConsentOverride, Triad


@admin.register(Triad)
class TriadAdmin(OrganisationScopedAdmin, ReadOnlyAdmin):
    """Case metadata: who, which status, which dates. The agreement itself is not shown here."""

    list_display = [
        "case_number",
        "youth_first_name",
        "status",
        "trial_started_on",
        "trial_ends_on",
        "ended_on",
    ]
    list_filter = ["status"]
    search_fields = ["youth__case_number", "youth__first_name"]
    fields = [
        "case_number",
        "youth_first_name",
        "status",
        "lead",
        "fallback",
        "created_at",
        "trial_started_on",
        "trial_ends_on",
        "activated_on",
        "ended_on",
        "consent_withdrawn_flag",
    ]
    readonly_fields = fields
    organisation_field = "youth__organisation"
    list_select_related = ["youth"]
    show_full_result_count = False

    @admin.display(description=_("lead professional"))
    def lead(self, obj):
        return obj.lead

    @admin.display(description=_("case number"), ordering="youth__case_number")
    def case_number(self, obj):
        return obj.youth.case_number

    @admin.display(description=_("first name"), ordering="youth__first_name")
    def youth_first_name(self, obj):
        return obj.youth.first_name


class ConsentOverrideForm(forms.ModelForm):
    user = None  # set by the admin: the coordinator filling in the form

    class Meta:
        model = ConsentOverride
        fields = ["triad", "justification"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("triad"):
            try:
                services.consent_override_validate(
                    triad=cleaned["triad"], by=self.user, justification=cleaned.get("justification", "")
                )
            except ValidationError as error:
                self.add_error("justification" if hasattr(error, "error_dict") else None, error.messages)
        return cleaned


@admin.register(ConsentOverride)
class ConsentOverrideAdmin(OrganisationScopedAdmin):
    """A coordinator lets a minor's triad start without every parent's consent, with a written justification."""

    form = ConsentOverrideForm
    list_display = ["triad", "by", "at"]
    list_select_related = ["triad__youth", "triad__jim_profile", "by"]  # what the triad's name shows
    organisation_field = "triad__youth__organisation"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "triad":
            kwargs["queryset"] = self.scoped(
                request,
                Triad.objects.filter(status=Triad.Status.DRAFT, consent_override__isnull=True).select_related(
                    "youth"
                ),
                "youth__organisation",
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["triad", "justification", "by", "at"] if obj else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        created = services.consent_override_record(
            triad=obj.triad, by=request.user, justification=obj.justification
        )
        obj.pk, obj.by, obj.at = created.pk, created.by, created.at

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
