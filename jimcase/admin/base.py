"""What every coordinator screen builds on: read-only and organisation-scoped screens, history inlines, the team filter."""

from django.contrib import admin
from django.db.models import Func, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ..admin_narrow import NarrowAdmin
from ..forms import CheckedModelMultipleChoiceField
from ..models import (
    Organisation,
    Team,
)


class ReadOnlyAdmin(NarrowAdmin):
    """An admin screen to look at, never to add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrganisationScopedAdmin(NarrowAdmin):
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

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # An object outside the coordinator's organisation does not exist for her: 404, like everywhere.
        raise Http404

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(pk=request.user.organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def count_of(queryset):
    """The number of rows of `queryset` (filtered on an `OuterRef`), as a column of each listed row.

    A correlated subquery, not a join with GROUP BY: the database counts for the rows of the page only,
    instead of grouping the organisation's whole table before it can sort and cut a page.
    """
    return Subquery(queryset.order_by().values(count=Func("pk", function="COUNT")))


class CaseMetadataAdmin(OrganisationScopedAdmin, ReadOnlyAdmin):
    """A coordinator's read-only list of case metadata: dates, statuses and counts, never a name or a text.

    Being a coordinator is the permission to look (a model permission would take a data migration); the
    scoping decides which rows. A youth is named by case number only, and a page names its object by
    `object_label()`, never by the model's `__str__`, which may carry the youth's first name or the JIM's.
    """

    organisation_field = "youth__organisation"
    search_fields = ["youth__case_number"]
    show_full_result_count = False
    change_form_template = "admin/case_metadata/change_form.html"
    object_history_template = "admin/case_metadata/object_history.html"

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.is_coordinator

    def youth_of(self, obj):
        return obj.youth

    def object_label(self, obj):
        return self.youth_of(obj).case_number

    @admin.display(description=_("case number"), ordering="youth__case_number")
    def case_number(self, obj):
        return self.youth_of(obj).case_number

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["object_label"] = context["subtitle"] = self.object_label(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None) or {}
        if context.get("object") is not None:
            context["object_label"] = self.object_label(context["object"])
            context["title"] = _("Change history: %s") % context["object_label"]
        return response


class HistoryInline(admin.TabularInline):
    """An append-only history on its object's admin page: read by whoever may open the page, never edited.

    It has no model permission of its own: a coordinator (or superuser) who may open the person's or the
    youth's page sees what changed on it. Subclasses name the model and `fields`.
    """

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.is_coordinator

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OwnTeamsFilter(admin.RelatedFieldListFilter):
    """The teams of the coordinator's organisation (a superuser: all), read from the team table.

    Django's RelatedOnlyFieldListFilter collects the teams from every youth row first: a scan of the
    whole organisation's youths on each page of the list.
    """

    def field_choices(self, field, request, model_admin):
        teams = OrganisationScopedAdmin.scoped(request, Team.objects.all(), "organisation")
        return [(team.pk, str(team)) for team in teams]
