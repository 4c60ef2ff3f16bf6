from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jimcase.forms import CrispyMixin, DateInput, EditVersionMixin, OnceFormMixin, PlainTextMixin
from jimcase.models import User
from jimcase.selectors import professionals_of
from jimcase.validators import TRIAL_DAYS_MAX, TRIAL_DAYS_MIN, validate_event_date, validate_trial_days

from .models import AGREEMENT_SECTIONS, Agreement, ConsentDecision


class TriadCreateForm(CrispyMixin, OnceFormMixin, forms.Form):
    fallback = forms.ModelChoiceField(
        label=_("Fallback professional"),
        queryset=User.objects.none(),
        help_text=_("The person the JIM can always fall back on. Usually the lead professional."),
    )

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        # The JIM only ever falls back on someone who works on the youth's file.
        self.fields["fallback"].queryset = professionals_of(youth.organisation_id).filter(
            assignments__youth=youth, assignments__ends_on__isnull=True
        )


class AgreementForm(CrispyMixin, EditVersionMixin, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [name for name, _heading in AGREEMENT_SECTIONS] + ["trial_days", "include_parents"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name, _heading in AGREEMENT_SECTIONS}
        labels = dict(AGREEMENT_SECTIONS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model field's range, checked here already so that every wrong number (also a negative one)
        # gets the same message.
        self.fields["trial_days"].validators = [validate_trial_days]
        self.fields["trial_days"].widget.attrs.update({"min": TRIAL_DAYS_MIN, "max": TRIAL_DAYS_MAX})


class SignInPersonForm(PlainTextMixin, CrispyMixin, forms.Form):
    plain_text_fields = ("typed_name",)

    signer = forms.ChoiceField(label=_("Who signs now?"))
    typed_name = forms.CharField(label=_("Full name of the person signing"), max_length=200)
    agree = forms.BooleanField(label=_("I have read this agreement and I agree with it."))
    witnessed = forms.BooleanField(
        label=_("I, the professional, saw this person sign."),
        required=False,
        help_text=_("Needed for everyone but yourself: they sign on your screen, in front of you."),
    )

    def __init__(self, *args, signers, **kwargs):
        super().__init__(*args, **kwargs)
        self.signers = {key: (party, parent) for key, party, parent, _label in signers}
        self.fields["signer"].choices = [(key, label) for key, _p, _pa, label in signers]


class SignForm(PlainTextMixin, CrispyMixin, forms.Form):
    """Signing as oneself: logged in, or through a personal link."""

    plain_text_fields = ("typed_name",)

    typed_name = forms.CharField(label=_("Your full name"), max_length=200)
    agree = forms.BooleanField(label=_("I have read this agreement and I agree with it."))


class SigningLinkForm(CrispyMixin, OnceFormMixin, forms.Form):
    recipient = forms.ChoiceField(label=_("Send a signing link to"))
    email = forms.EmailField(label=_("E-mail address"))

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipients = {key: (party, parent, email) for key, party, parent, email, _label in recipients}
        self.fields["recipient"].choices = [(key, label) for key, _p, _pa, _e, label in recipients]


class ConsentForm(PlainTextMixin, CrispyMixin, OnceFormMixin, forms.Form):
    plain_text_fields = ("note",)

    parent = forms.ModelChoiceField(label=_("Parent or guardian"), queryset=None)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (d.value, d.label) for d in ConsentDecision.Decision if d != ConsentDecision.Decision.PENDING
        ],
    )
    decided_on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[validate_event_date])
    method = forms.ChoiceField(label=_("How it was obtained"), choices=ConsentDecision.Method.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a reluctant yes, or why the family refuses."),
    )

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = youth.parents.filter(has_parental_authority=True)
        self.initial.setdefault("decided_on", timezone.localdate())


class JimInviteForm(CrispyMixin, forms.Form):
    email = forms.EmailField(label=_("The JIM's e-mail address"))
