"""Coordinator screens. Every queryset is scoped to the coordinator's own organisation."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Exists, Func, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import outbox, services
from .accounts import services as account_services
from .admin_narrow import ChoiceListFilter, NarrowAdmin
from .forms import CheckedModelMultipleChoiceField
from .models import (
    AccountChange,
    CaseAssignment,
    LivingSituationChange,
    Organisation,
    OutgoingMail,
    StageChange,
    Team,
    Training,
    User,
    Youth,
)
from .rules import role_conflict, topic_of
from .selectors import professionals_of
from .web import form_errors_from

# django-otp's own device screens would show the secrets: a coordinator turns a second factor off on
# the user screen instead (the action below).
admin.site.unregister([TOTPDevice, StaticDevice])


# Django's own screen for groups (superusers only), made as narrow as every other.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(NarrowAdmin, BaseGroupAdmin):
    list_display = ["name"]


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


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_field = "pk"
    list_display = [
        "name",
        "jurisdiction",
        "default_trial_days",
        "requires_criminal_record_extract",
        "second_factor_for_professionals",
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class TeamForm(forms.ModelForm):
    members = CheckedModelMultipleChoiceField(
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
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    ordering = ["name"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Nobody changes their own team memberships: the coordinator is not on the list.
        users = User.objects.filter(is_active=True).exclude(pk=request.user.pk)
        if not request.user.is_superuser:
            users = users.filter(organisation=request.user.organisation_id)
        form.base_fields["members"].queryset = users
        form.base_fields["members"].initial = (
            list(obj.members.exclude(pk=request.user.pk).values_list("pk", flat=True)) if obj else []
        )
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
        wanted = set(form.cleaned_data["members"]) - {request.user}
        current = set(team.members) - {request.user}
        for user in wanted ^ current:
            before = services.account_snapshot(user)
            if user in wanted:
                services.team_member_add(team=team, user=user)
            else:
                services.team_member_remove(team=team, user=user)
            services.account_changes_record(user=user, before=before, by=request.user)


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


class AccountChangeInline(HistoryInline):
    """Who changed this person's roles, teams, organisation, active state or e-mail address, when, from
    what to what; and each password link sent to them."""

    model = AccountChange
    fk_name = "user"
    fields = ["at", "by", "what", "before", "after"]
    verbose_name_plural = _("changes to roles, teams, access and e-mail address")


class TrainingInline(admin.TabularInline):
    """The person's JIM trainings (the method's 2.5-day training or the organisation's own): a coordinator
    records them on the person's page, only for people of her organisation (the page itself is scoped).

    Like the history inlines, being a coordinator is the permission: a model permission would take a data
    migration. The save goes through `services.training_save` (UserAdmin.save_formset), which keeps who
    recorded it.
    """

    model = Training
    fk_name = "user"
    extra = 0
    fields = ["kind", "completed_on", "provider", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    def _is_coordinator(self, request):
        return request.user.is_superuser or request.user.is_coordinator

    def has_view_permission(self, request, obj=None):
        return self._is_coordinator(request)

    def has_add_permission(self, request, obj=None):
        return self._is_coordinator(request)

    def has_change_permission(self, request, obj=None):
        return self._is_coordinator(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_coordinator(request)


def trained():
    """True for a user with a JIM training recorded (as a column or a filter of the user list)."""
    return Exists(Training.objects.filter(user=OuterRef("pk")))


class TrainedFilter(ChoiceListFilter):
    """Who has a JIM training recorded, and who not yet."""

    title = _("JIM training")
    parameter_name = "trained"

    def lookups(self, request, model_admin):
        return [("yes", _("trained")), ("no", _("not trained"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(trained())
        if self.value() == "no":
            return queryset.exclude(trained())
        return queryset


#: What an outgoing mail to a person is, as their admin page names it.
MAIL_KINDS = {
    "password_link": _("link to choose a password"),
    "password_reset": _("forgot password"),
    "email_change_confirm": _("link to confirm a new e-mail address"),
    "email_change_notice": _("notice of a new e-mail address"),
    "email_changed_notice": _("notice of a changed e-mail address"),
}


class RolesChangeForm(UserChangeForm):
    """The admin's user form: a coordinator holds no other role (see jimcase.rules.role_conflict)."""

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        conflict = role_conflict(group.name for group in groups)
        if conflict:
            raise ValidationError(conflict)
        return groups


class AccountCreationForm(forms.ModelForm):
    """A coordinator makes an account without a password: the person chooses it through an e-mailed link."""

    class Meta:
        model = User
        fields = ["username", "display_name", "email", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True


@admin.register(User)
class UserAdmin(OrganisationScopedAdmin, BaseUserAdmin):
    """People of the coordinator's organisation. Nobody edits their own roles, teams or access here.

    A person's e-mail address and password are theirs: a coordinator sets the address when she invites
    an account and may correct it (and send a password link) only until the account is first used
    (`User.invitation_open`); after that the person changes both themselves. A superuser may still
    correct an address; the old address is told. Every change is on the person's page.
    """

    form = RolesChangeForm
    list_display = [
        "username",
        "display_name",
        "email",
        "organisation",
        "is_active",
        "is_staff",
        "is_trained",
    ]
    list_select_related = ["organisation"]  # may be empty: the admin's select_related() would skip it
    list_filter = ["is_active", "is_staff", TrainedFilter]
    # Only what the list shows: a search in a hidden field would tell it one guess at a time.
    search_fields = ["username", "display_name", "email"]
    actions = ["send_password_link", "unlock_login", "remove_second_factor"]
    inlines = [AccountChangeInline]
    fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "email", "phone")}),
        (_("Organisation and roles"), {"fields": ("organisation", "groups", "is_active", "is_staff")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        (None, {"fields": ("password",)}),
        (_("Technical permissions"), {"fields": ("is_superuser", "user_permissions")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "display_name", "email", "organisation")}),
    )
    superuser_add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "organisation", "email", "password1", "password2")},
        ),
    )
    readonly_fields = ["last_login", "date_joined", "undelivered_mail"]
    #: What no one may change on their own account.
    SELF_LOCKED = ["organisation", "groups", "is_active", "is_staff", "is_superuser", "user_permissions"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.superuser_add_fieldsets if request.user.is_superuser else self.add_fieldsets
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            fieldsets = fieldsets + self.superuser_fieldsets
        if self._undelivered(obj):
            fieldsets = ((_("E-mail that did not go out"), {"fields": ("undelivered_mail",)}), *fieldsets)
        return fieldsets

    def _undelivered(self, obj):
        """The person's mails that could not be sent (yet): read once per page."""
        if not hasattr(obj, "_undelivered_mails"):
            obj._undelivered_mails = list(OutgoingMail.objects.undelivered([topic_of(obj)]))
        return obj._undelivered_mails

    @admin.display(description=_("not sent yet"))
    def undelivered_mail(self, obj):
        # What, when and how it went; never the text (it holds the person's links) nor the address.
        return format_html_join(
            "",
            "<p>{} · {} · <strong>{}</strong> ({})</p>",
            (
                (
                    MAIL_KINDS.get(mail.kind, mail.kind),
                    date_format(localtime(mail.created_at), "SHORT_DATETIME_FORMAT"),
                    mail.get_status_display(),
                    ngettext("%(count)d attempt", "%(count)d attempts", mail.attempts)
                    % {"count": mail.attempts},
                )
                for mail in self._undelivered(obj)
            ),
        )

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = AccountCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj):
        # Trainings are recorded on an existing person's page, not on the short form that makes the account.
        return [AccountChangeInline, TrainingInline] if obj is not None else [AccountChangeInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += self.SELF_LOCKED
        # Once used, the address is the person's: a coordinator who could change it could have the
        # password link (and the account) sent to herself.
        if obj is not None and not request.user.is_superuser and not obj.invitation_open:
            fields.append("email")
        return fields

    def get_queryset(self, request):
        qs = super().get_queryset(request).annotate(trained=trained())
        # A coordinator never edits a superuser account.
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    @admin.display(description=_("JIM training"), boolean=True, ordering="trained")
    def is_trained(self, obj):
        return obj.trained

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # Team groups are managed on the team screen; here only the roles.
            kwargs["queryset"] = Group.objects.filter(team__isnull=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        # Only a superuser sets a password here; a coordinator sends a link (the action below).
        if not request.user.is_superuser:
            raise Http404
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        request._account_before = (
            services.account_snapshot(User.objects.get(pk=obj.pk))
            if change
            else services.account_snapshot(None)
        )
        if not change and not request.user.is_superuser:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The groups field lists roles only: keep the team memberships it cannot show.
        team_groups = list(form.instance.groups.filter(team__isnull=False)) if change else []
        super().save_related(request, form, formsets, change)
        form.instance.groups.add(*team_groups)
        services.account_changes_record(user=form.instance, before=request._account_before, by=request.user)
        if not change and not request.user.is_superuser:
            services.password_link_send(user=form.instance, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Training:
            return super().save_formset(request, form, formset, change)
        trainings = formset.save(commit=False)
        for training in formset.deleted_objects:
            services.training_delete(training=training)
        for training in trainings:
            services.training_save(training=training, by=request.user)

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
        unlocked = [user for user in queryset if account_services.login_unlock(user=user, by=request.user)]
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
            if account_services.second_factor_remove(user=user, by=request.user)
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


class LeadHandOverForm(forms.Form):
    professional = forms.ModelChoiceField(label=_("new lead professional"), queryset=User.objects.none())

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals_of(youth.organisation_id)


class OwnTeamsFilter(admin.RelatedFieldListFilter):
    """The teams of the coordinator's organisation (a superuser: all), read from the team table.

    Django's RelatedOnlyFieldListFilter collects the teams from every youth row first: a scan of the
    whole organisation's youths on each page of the list.
    """

    def field_choices(self, field, request, model_admin):
        teams = OrganisationScopedAdmin.scoped(request, Team.objects.all(), "organisation")
        return [(team.pk, str(team)) for team in teams]


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
