"""Coordinator screens for triads: status and dates only, never the agreement text; consent overrides;
evaluations, closures and fallback requests as figures and dates, never their text; and the JIM profiles
with their running triads and whether they are in the JIM network (which the triads decide)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from jimcase.admin import CaseMetadataAdmin, OrganisationScopedAdmin, count_of
from mentors.models import JimProfile

from . import services
from .models import Closure, ConsentOverride, Evaluation, FallbackRequest, Triad
from .selectors import in_peer_network_q


@admin.register(Triad)
class TriadAdmin(CaseMetadataAdmin):
    """Case metadata: who, which status, which dates. The agreement itself is not shown here, nor the
    JIM's name (the triad's own name holds it): a triad is named by the youth's case number."""

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
    list_select_related = ["youth"]
    # The model's own order is by creation, which this list does not show.
    ordering = ["-pk"]

    @admin.display(description=_("lead professional"))
    def lead(self, obj):
        return obj.lead

    @admin.display(description=_("first name"), ordering="youth__first_name")
    def youth_first_name(self, obj):
        return obj.youth.first_name


class TriadByCaseNumberField(forms.ModelChoiceField):
    """A triad to choose, named by the youth's case number: its own name holds the youth's and JIM's names."""

    def label_from_instance(self, obj):
        return _("%(case)s (triad of %(date)s)") % {
            "case": obj.youth.case_number,
            "date": date_format(timezone.localdate(obj.created_at), "SHORT_DATE_FORMAT"),
        }


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
    list_display = ["case_number", "by", "at"]
    list_select_related = ["triad__youth", "by"]
    organisation_field = "triad__youth__organisation"

    @admin.display(description=_("case number"), ordering="triad__youth__case_number")
    def case_number(self, obj):
        return obj.triad.youth.case_number

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "triad":
            kwargs["form_class"] = TriadByCaseNumberField
            kwargs["queryset"] = self.scoped(
                request,
                Triad.objects.filter(status=Triad.Status.DRAFT, consent_override__isnull=True).select_related(
                    "youth"
                ),
                "youth__organisation",
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["case_number", "justification", "by", "at"] if obj else []

    def get_fields(self, request, obj=None):
        return ["case_number", "justification", "by", "at"] if obj else ["triad", "justification"]

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


class TriadCaseMetadataAdmin(CaseMetadataAdmin):
    """Something of one triad, named by the youth's case number (the triad's own name holds first names)."""

    organisation_field = "triad__youth__organisation"
    list_select_related = ["triad__youth"]
    search_fields = ["triad__youth__case_number"]

    def youth_of(self, obj):
        return obj.triad.youth

    @admin.display(description=_("case number"), ordering="triad__youth__case_number")
    def case_number(self, obj):
        return super().case_number(obj)

    @admin.display(description=_("recorded by"))
    def recorded_by(self, obj):
        return obj.by


@admin.register(Evaluation)
class EvaluationAdmin(TriadCaseMetadataAdmin):
    """When a triad was evaluated, how it goes and what was decided; the written part (a note) is not shown."""

    list_display = ["held_on", "case_number", "score", "decision"]
    list_filter = ["held_on", "score", "decision"]
    fields = [
        "case_number",
        "held_on",
        "score",
        "decision",
        "with_youth",
        "with_jim",
        "with_professional",
        "with_parents",
        "recorded_by",
    ]
    readonly_fields = fields

    def object_label(self, obj):
        return f"{obj.triad.youth.case_number} ({obj.held_on:%d-%m-%Y})"


@admin.register(Closure)
class ClosureAdmin(TriadCaseMetadataAdmin):
    """How triads ended: date, reason, outcome, whether it goes on informally. The exit talks and
    after-plan are not shown."""

    list_display = [
        "ended_on",
        "case_number",
        "reason",
        "placement_outcome",
        "goals_reached",
        "living_situation",
        "duration",
        "continues_informally",
    ]
    list_filter = ["ended_on", "reason", "placement_outcome", "goals_reached", "continues_informally"]
    fields = [
        "case_number",
        "ended_on",
        "reason",
        "placement_outcome",
        "goals_reached",
        "living_situation",
        "duration",
        "continues_informally",
        "recorded_by",
        "recorded",
    ]
    readonly_fields = fields

    @admin.display(description=_("recorded at"))
    def recorded(self, obj):
        return obj.recorded_at

    @admin.display(description=_("days from the start of the trial to the end"))
    def duration(self, obj):
        started = obj.triad.trial_started_on
        return (obj.ended_on - started).days if started else "—"


class SentOnFilter(admin.DateFieldListFilter):
    """By the day a request was sent (the field itself has no translated name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("sent at")


@admin.register(FallbackRequest)
class FallbackRequestAdmin(TriadCaseMetadataAdmin):
    """The JIMs' "Denk even mee" requests: when, how urgent, when handled. The message is not shown, nor
    the JIM who sent it (a person of the youth's network)."""

    list_display = ["sent", "case_number", "urgent", "status", "age", "handled", "handled_by_name"]
    list_select_related = ["triad__youth", "handled_by"]
    list_filter = ["status", "urgent", ("created_at", SentOnFilter)]
    fields = ["case_number", "sent", "urgent", "status", "age", "handled", "handled_by_name"]
    readonly_fields = fields

    @admin.display(description=_("sent at"), ordering="created_at")
    def sent(self, obj):
        return obj.created_at

    # An open request has neither: "—" as in the list (a read-only field on the page would show "None").
    @admin.display(description=_("handled at"), ordering="handled_at")
    def handled(self, obj):
        return obj.handled_at or "—"

    @admin.display(description=_("handled by"))
    def handled_by_name(self, obj):
        return obj.handled_by or "—"

    def object_label(self, obj):
        return f"{obj.triad.youth.case_number} ({timezone.localtime(obj.created_at):%d-%m-%Y})"

    @admin.display(description=_("days waiting"))
    def age(self, obj):
        if obj.is_handled:
            return "—"
        return (timezone.localdate() - timezone.localdate(obj.created_at)).days


@admin.register(JimProfile)
class JimProfileAdmin(OrganisationScopedAdmin):
    """The JIMs of the organisation: names and peer-network membership only, nothing of a youth."""

    list_display = [
        "name",
        "running_triads",
        "in_peer_network",
        "peer_network_opt_in",
        "peer_network_alumni",
        "onboarding_read_on",
        "created_at",
    ]
    list_filter = ["peer_network_opt_in", "peer_network_alumni"]
    search_fields = ["name"]
    show_full_result_count = False
    fields = ["name", "peer_network_opt_in", "peer_network_alumni", "onboarding_read_on"]
    readonly_fields = ["name", "peer_network_opt_in", "onboarding_read_on"]

    def get_queryset(self, request):
        today = timezone.localdate()
        running = Triad.objects.running_on(today).filter(jim_profile=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                running_count=count_of(running),
                in_network=ExpressionWrapper(in_peer_network_q(today), output_field=BooleanField()),
            )
        )

    @admin.display(description=_("triads in trial or active"), ordering="running_count")
    def running_triads(self, obj):
        return obj.running_count

    @admin.display(description=_("in the JIM network now"), boolean=True)
    def in_peer_network(self, obj):
        return obj.in_network

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.is_coordinator

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.is_coordinator
