import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CaseAssignment, Note, ParentGuardian, Role, Team, User, Youth

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


def no_markup(value):
    """Refuse HTML in plain-text fields: it never belongs in a name or number."""
    if value and ("<" in value or ">" in value):
        raise forms.ValidationError(_("Use plain text, without < or >."))
    return value


class YouthForm(CrispyMixin, OnceFormMixin, forms.ModelForm):
    """Register or edit a youth. The organisation is the professional's own."""

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

    def clean_first_name(self):
        return no_markup(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return no_markup(self.cleaned_data["last_name"])

    def clean_case_number(self):
        return no_markup(self.cleaned_data["case_number"])

    def clean_pronoun(self):
        return no_markup(self.cleaned_data["pronoun"])

    def clean_school_work(self):
        return no_markup(self.cleaned_data["school_work"])

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


class ParentForm(CrispyMixin, OnceFormMixin, forms.ModelForm):
    class Meta:
        model = ParentGuardian
        fields = ["name", "relation", "has_parental_authority", "phone", "email", "address", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self):
        return no_markup(self.cleaned_data["name"])

    def clean_phone(self):
        return no_markup(self.cleaned_data["phone"])

    def clean_address(self):
        return no_markup(self.cleaned_data["address"])


class AssignmentForm(CrispyMixin, OnceFormMixin, forms.Form):
    professional = forms.ModelChoiceField(label=_("professional"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=CaseAssignment.Role.choices)
    starts_on = forms.DateField(label=_("from"), widget=DateInput())

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        current = youth.assignments.filter(ends_on__isnull=True).values("professional")
        self.fields["professional"].queryset = (
            User.objects.in_role(Role.HULPVERLENER)
            .filter(organisation=youth.organisation_id, is_active=True)
            .exclude(pk__in=current)
            .order_by("display_name", "username")
        )
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


class NoteForm(CrispyMixin, OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Note
        fields = [
            "written_on",
            "text",
            "in_confidence",
            "third_party_only",
            "for_court",
            "withheld_for_youth",
            "shared_with_jim",
            "jim_share_agreed_on",
        ]
        widgets = {
            "written_on": DateInput(),
            "jim_share_agreed_on": DateInput(),
            "text": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "shared_with_jim": _("Only when the youth agreed to share this with their JIM."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("written_on", timezone.localdate())

    def clean_written_on(self):
        day = self.cleaned_data["written_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A note cannot be dated in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("shared_with_jim") and not cleaned.get("jim_share_agreed_on"):
            self.add_error(
                "jim_share_agreed_on",
                _("Record the date on which the youth agreed to share this with the JIM."),
            )
        if not cleaned.get("shared_with_jim"):
            cleaned["jim_share_agreed_on"] = None
        return cleaned


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or case number"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages"))] + list(Youth.Stage.choices)
    )
