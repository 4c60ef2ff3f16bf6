import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CaseAssignment, DossierAccess, Note, ParentGuardian, Team, User, Youth
from .rules import plain_text
from .selectors import professionals_of

#: The method's target group (DESIGN.md): outside it the form warns but saves.
AGE_MIN, AGE_MAX = 12, 23


class CrispyMixin:
    """Give a form a crispy helper that renders fields only; the template owns <form> and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class LoginForm(CrispyMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(CrispyMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(CrispyMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(CrispyMixin, auth_forms.SetPasswordForm):
    pass


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


class PlainTextMixin:
    """Refuse HTML in the fields named in `plain_text_fields`: the error shows beside the field."""

    plain_text_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.plain_text_fields:
            self.fields[name].validators.append(plain_text)


def not_in_future(day):
    """Validator: refuse a date after today."""
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("This date cannot be in the future."), code="future")


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


class YouthForm(PlainTextMixin, CrispyMixin, OnceFormMixin, forms.ModelForm):
    """Register or edit a youth. The organisation is the professional's own."""

    plain_text_fields = ("first_name", "last_name", "case_number", "pronoun", "school_work")

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
        ]
        widgets = {"date_of_birth": DateInput(), "referral_date": DateInput()}

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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("shared_with_team") and not cleaned.get("team"):
            self.add_error("team", _("Choose the team to share this youth with."))
        return cleaned


class ParentForm(PlainTextMixin, CrispyMixin, OnceFormMixin, forms.ModelForm):
    plain_text_fields = ("name", "phone", "address")

    class Meta:
        model = ParentGuardian
        fields = ["name", "relation", "has_parental_authority", "phone", "email", "address", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class AssignmentForm(CrispyMixin, OnceFormMixin, forms.Form):
    professional = forms.ModelChoiceField(label=_("professional"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=CaseAssignment.Role.choices)
    starts_on = forms.DateField(label=_("from"), widget=DateInput())

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        current = youth.assignments.filter(ends_on__isnull=True).values("professional")
        self.fields["professional"].queryset = professionals_of(youth.organisation_id).exclude(pk__in=current)
        self.initial.setdefault("starts_on", timezone.localdate())
        self.initial.setdefault("role", CaseAssignment.Role.BACKUP)


class CapacityForm(CrispyMixin, forms.Form):
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
