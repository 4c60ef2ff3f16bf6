"""Coordinator screens. Every queryset is scoped to the coordinator's own organisation."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Organisation, Team, User, Youth


class OrganisationScopedAdmin(admin.ModelAdmin):
    """Show a coordinator only the rows of their own organisation; a superuser sees all.

    Every app's admin uses this: `organisation_field` is the lookup from the model to its organisation,
    and `scoped()` scopes any other queryset (a choice list) the same way.
    """

    organisation_field = "organisation"

    @staticmethod
    def scoped(request, queryset, organisation_field):
        """`queryset` limited to the coordinator's organisation (a superuser sees all)."""
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{organisation_field: request.user.organisation_id})

    def get_queryset(self, request):
        return self.scoped(request, super().get_queryset(request), self.organisation_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(pk=request.user.organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_field = "pk"
    list_display = ["name", "jurisdiction", "default_trial_days", "requires_criminal_record_extract"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class TeamForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("members"),
        queryset=User.objects.none(),
        required=False,
        widget=admin.widgets.FilteredSelectMultiple(_("members"), False),
    )

    class Meta:
        model = Team
        fields = ["organisation", "name"]


@admin.register(Team)
class TeamAdmin(OrganisationScopedAdmin):
    form = TeamForm
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        users = User.objects.filter(is_active=True)
        if not request.user.is_superuser:
            users = users.filter(organisation=request.user.organisation_id)
        form.base_fields["members"].queryset = users
        form.base_fields["members"].initial = list(obj.members.values_list("pk", flat=True)) if obj else []
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.team_create(organisation=obj.organisation, name=obj.name)
            obj.pk, obj.group = created.pk, created.group
        else:
            services.team_update(team=obj, name=obj.name)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        team = form.instance
        wanted = set(form.cleaned_data["members"])
        current = set(team.members)
        for user in wanted - current:
            services.team_member_add(team=team, user=user)
        for user in current - wanted:
            services.team_member_remove(team=team, user=user)


@admin.register(User)
class UserAdmin(OrganisationScopedAdmin, BaseUserAdmin):
    list_display = ["username", "display_name", "email", "organisation", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "email", "phone")}),
        (_("Organisation and roles"), {"fields": ("organisation", "groups", "is_active", "is_staff")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldsets = ((_("Technical permissions"), {"fields": ("is_superuser", "user_permissions")}),)
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "organisation", "email", "password1", "password2")},
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj and request.user.is_superuser:
            fieldsets = fieldsets + self.superuser_fieldsets
        return fieldsets

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # A coordinator never edits a superuser account.
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # Team groups are managed on the team screen; here only the roles.
            kwargs["queryset"] = Group.objects.filter(team__isnull=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # The groups field lists roles only: keep the team memberships it cannot show.
        team_groups = list(form.instance.groups.filter(team__isnull=False)) if change else []
        super().save_related(request, form, formsets, change)
        form.instance.groups.add(*team_groups)


@admin.register(Youth)
class YouthAdmin(OrganisationScopedAdmin):
    """Case metadata only: no confidential text is ever shown here."""

    list_display = ["case_number", "first_name", "stage", "stage_since", "team", "created_at"]
    list_filter = ["stage", "team"]
    search_fields = ["case_number", "first_name"]
    fields = [
        "case_number",
        "first_name",
        "organisation",
        "team",
        "stage",
        "stage_since",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
