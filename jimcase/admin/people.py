"""The people screens: organisations, teams, users (roles, trainings, mails not sent) and groups.

The accounts app adds its part to the user and team screens (accounts.admin): the record of every
change, the password link, unlocking a login and turning a second factor off.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox.models import OutgoingMail, topic_of

from .. import services
from ..admin_narrow import ChoiceListFilter, NarrowAdmin
from ..forms import CheckedModelMultipleChoiceField
from ..models import Organisation, Team, Training, User
from ..rules import role_conflict
from .base import OrganisationScopedAdmin

# Django's own screen for groups (superusers only), made as narrow as every other.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(NarrowAdmin, BaseGroupAdmin):
    list_display = ["name"]


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
            self.member_set(request, team=team, user=user, on=user in wanted)

    def member_set(self, request, *, team, user, on):
        """Add `user` to `team` or take them off (the accounts app records it on the person's page)."""
        if on:
            services.team_member_add(team=team, user=user)
        else:
            services.team_member_remove(team=team, user=user)


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
    an account and may correct it only until the account is first used (`User.invitation_open`); after
    that the person changes both themselves. A superuser may still correct an address. The accounts app
    registers this screen with its part added (accounts.admin): the record of every change, the
    password link, the old address told, unlocking and the second factor.
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
        return [TrainingInline] if obj is not None else []

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
        if not change and not request.user.is_superuser:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The groups field lists roles only: keep the team memberships it cannot show.
        team_groups = list(form.instance.groups.filter(team__isnull=False)) if change else []
        super().save_related(request, form, formsets, change)
        form.instance.groups.add(*team_groups)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Training:
            return super().save_formset(request, form, formset, change)
        trainings = formset.save(commit=False)
        for training in formset.deleted_objects:
            services.training_delete(training=training)
        for training in trainings:
            services.training_save(training=training, by=request.user)
