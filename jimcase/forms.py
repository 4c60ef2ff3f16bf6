import datetime
import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    CASE_NUMBER_TAKEN,
    CaseAssignment,
    DossierAccess,
    NobodyCanDecide,
    Note,
    ParentGuardian,
    Team,
    User,
    Youth,
)
from .rules import plain_text
from .selectors import professionals_of
from .stale import StoredStateMixin
from .validators import validate_event_date

#: The method's target group (DESIGN.md): outside it the form warns but saves.
AGE_MIN, AGE_MAX = 12, 23


class CrispyMixin:
    """Give a form a crispy helper that renders fields only; the template owns <form> and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class DateInput(forms.DateInput):
    """A native date picker; the browser sends ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OnceFormMixin(forms.Form):
    """Add a hidden one-time token; the view claims it with services.submission_claim."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_token"] = uuid.uuid4()


class EditVersionMixin(forms.Form):
    """Carry the edit version the object was loaded at (models.EditVersioned); an add form has none.

    The service refuses a save against a newer version (services.StaleEdit); `stale_edit_show` then
    shows what is saved now and moves the hidden version on, so the user's next save goes through.
    """

    OUT_OF_DATE = _("This form is out of date. Open the page again to see what is saved now.")

    # Not required here: a hidden field's own error would not show, so `clean` reports it on top.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["edit_version"]
        elif not self.is_bound:
            self.initial["edit_version"] = self.instance.edit_version

    def clean(self):
        cleaned = super().clean()
        if "edit_version" in self.fields and cleaned.get("edit_version") is None:
            raise forms.ValidationError(self.OUT_OF_DATE, code="no_version")
        return cleaned

    def stale_edit_show(self, current):
        """Refuse the save: say who saved what since, keep the user's input, take the current version."""
        data = self.data.copy()
        data[self.add_prefix("edit_version")] = current.edit_version
        self.data = data
        changes = [
            (self.fields[name].label, shown_value(current, name))
            for name in self._meta.fields
            if name in self.cleaned_data and not same_value(self.cleaned_data[name], getattr(current, name))
        ]
        message = render_to_string(
            "jimcase/stale_edit.html",
            {"by": current.edited_by, "at": current.edited_at, "changes": changes},
        )
        self.add_error(None, forms.ValidationError(message, code="stale"))  # a rendered template: safe HTML


def same_value(entered, stored):
    """Whether a form's cleaned value equals what is stored (line endings and outer spaces aside)."""
    if isinstance(entered, str) and isinstance(stored, str):
        return entered.replace("\r\n", "\n").strip() == stored.replace("\r\n", "\n").strip()
    return entered == stored


def shown_value(obj, name):
    """A field's stored value as a user reads it: the label of a choice, yes or no, a local date."""
    value = getattr(obj, name)
    if obj._meta.get_field(name).choices:
        return getattr(obj, f"get_{name}_display")()
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


class PlainTextMixin:
    """Refuse HTML in the fields named in `plain_text_fields`: the error shows beside the field."""

    plain_text_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.plain_text_fields:
            self.fields[name].validators.append(plain_text)


class NoteFlagsMixin(forms.Form):
    """The visibility flags of a note, agreed with the youth; they decide who may later read it.

    Used by every form whose text becomes a note on the youth's file (a note, an evaluation).
    """

    NOTE_FLAGS = Note.NEVER_FOR_JIM

    in_confidence = forms.BooleanField(
        label=Note._meta.get_field("in_confidence").verbose_name, required=False
    )
    third_party_only = forms.BooleanField(
        label=Note._meta.get_field("third_party_only").verbose_name, required=False
    )
    for_court = forms.BooleanField(label=Note._meta.get_field("for_court").verbose_name, required=False)
    withheld_for_youth = forms.BooleanField(
        label=Note._meta.get_field("withheld_for_youth").verbose_name, required=False
    )

    def note_flags(self):
        """The flags as keyword arguments for `jimcase.services.note_add`."""
        return {name: self.cleaned_data[name] for name in self.NOTE_FLAGS}


class YouthForm(PlainTextMixin, CrispyMixin, OnceFormMixin, EditVersionMixin, forms.ModelForm):
    """Register or edit a youth. The organisation is the professional's own."""

    plain_text_fields = ("first_name", "last_name", "case_number", "pronoun", "school_work", "help_question")

    class Meta:
        model = Youth
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "pronoun",
            "case_number",
            "living_situation",
            "school_work",
            "team",
            "shared_with_team",
            "referral_date",
            "help_question",
            "placement_considered",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "referral_date": DateInput(),
            "help_question": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = self.instance.organisation if self.instance.pk else user.organisation
        self.instance.organisation = self.organisation
        self.fields["team"].queryset = Team.objects.filter(organisation=self.organisation)
        self.fields["date_of_birth"].required = True
        self.fields["referral_date"].required = True
        if not self.instance.pk:
            self.initial.setdefault("referral_date", timezone.localdate())
        self.age_warning = None

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(_("A date of birth cannot be in the future."))
        age = Youth(date_of_birth=born).age_on(today)
        if age > 30:
            raise forms.ValidationError(_("This date of birth is more than 30 years ago. Check the year."))
        if not AGE_MIN <= age <= AGE_MAX:
            # Outside the method's target group: warn, but save.
            self.age_warning = _(
                "%(name)s is %(age)s years old. JIM is meant for youths from %(min)s to %(max)s: check whether JIM fits."
            ) % {"name": self.cleaned_data.get("first_name", ""), "age": age, "min": AGE_MIN, "max": AGE_MAX}
        return born

    def clean_referral_date(self):
        referral = self.cleaned_data["referral_date"]
        if referral > timezone.localdate():
            raise forms.ValidationError(_("The date of referral cannot be in the future."))
        return referral

    def clean_case_number(self):
        # The form sets the organisation itself, and Django skips a constraint on a field the form does
        # not show: check it here, so that the message stands beside the field.
        number = self.cleaned_data["case_number"]
        others = Youth.objects.filter(organisation=self.organisation, case_number=number).exclude(
            pk=self.instance.pk
        )
        if others.exists():
            raise forms.ValidationError(CASE_NUMBER_TAKEN, code="case_number_taken")
        return number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("shared_with_team") and not cleaned.get("team"):
            self.add_error("team", _("Choose the team to share this youth with."))
        return cleaned


class ParentForm(PlainTextMixin, CrispyMixin, OnceFormMixin, EditVersionMixin, forms.ModelForm):
    plain_text_fields = ("name", "phone", "address")

    class Meta:
        model = ParentGuardian
        fields = ["name", "relation", "has_parental_authority", "phone", "email", "address", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class AssignmentForm(CrispyMixin, OnceFormMixin, forms.Form):
    professional = forms.ModelChoiceField(label=_("professional"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=CaseAssignment.Role.choices)
    starts_on = forms.DateField(label=_("from"), widget=DateInput(), validators=[validate_event_date])

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        current = youth.assignments.filter(ends_on__isnull=True).values("professional")
        self.fields["professional"].queryset = professionals_of(youth.organisation_id).exclude(pk__in=current)
        self.initial.setdefault("starts_on", timezone.localdate())
        self.initial.setdefault("role", CaseAssignment.Role.BACKUP)


class CapacityForm(CrispyMixin, StoredStateMixin, forms.Form):
    deemed_incapable = forms.BooleanField(
        label=_("This youth is judged not capable of exercising their rights independently"), required=False
    )
    capacity_motivation = forms.CharField(
        label=_("Motivation"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deemed_incapable") and not cleaned.get("capacity_motivation", "").strip():
            self.add_error("capacity_motivation", _("Write down why the youth is judged not capable."))
        return cleaned


class NoteForm(NoteFlagsMixin, PlainTextMixin, CrispyMixin, OnceFormMixin, forms.ModelForm):
    plain_text_fields = ("text",)

    class Meta:
        model = Note
        fields = ["written_on", "text", *NoteFlagsMixin.NOTE_FLAGS]
        widgets = {"written_on": DateInput(), "text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("written_on", timezone.localdate())

    def clean_written_on(self):
        day = self.cleaned_data["written_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A note cannot be dated in the future."))
        return day


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or case number"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages"))] + list(Youth.Stage.choices)
    )


class DossierAccessForm(PlainTextMixin, CrispyMixin, forms.Form):
    """Who asks to read the youth's file, and in which form they get it."""

    plain_text_fields = ("requester_name",)

    requester_type = forms.ChoiceField(
        label=_("Who asks to read the file?"),
        choices=DossierAccess.Requester.choices,
        widget=forms.RadioSelect,
    )
    requester_name = forms.CharField(label=_("Name of the person who asks"), max_length=200)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=DossierAccess.Format.choices,
        initial=DossierAccess.Format.PAGE,
        widget=forms.RadioSelect,
    )


class NobodyCanDecideForm(PlainTextMixin, CrispyMixin, OnceFormMixin, forms.Form):
    """Why no parent or guardian can decide on the youth's consent; each save adds a row to the history."""

    plain_text_fields = ("explanation",)

    reason = forms.ChoiceField(
        label=_("Why can nobody decide?"),
        choices=[(reason.value, reason.label) for reason in NobodyCanDecide.STATED],
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        help_text=_("In a few words: how do you know, and since when? For example: “Mother died in 2023.”"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of objects that refuses an id too large for the database as an invalid choice.

    Django looks the chosen ids up with one `IN` query; SQLite cannot even bind an integer beyond 64
    bits and raises OverflowError, which became a server error.
    """

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": "…"}
            ) from None
