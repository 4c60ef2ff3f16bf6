"""Forms for the wie-vraag. Fields only: the templates write <form>, the token and the buttons."""

from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jimcase.forms import (
    CheckedModelMultipleChoiceField,
    CrispyMixin,
    DateInput,
    EditVersionMixin,
    OnceFormMixin,
)
from jimcase.rules import plain_text
from jimcase.stale import StoredStateMixin
from jimcase.validators import validate_event_date, validate_not_in_future

from .models import CriminalRecordCheck, FactorCheck, NetworkMember, Search, SuccessFactor, Topic


class NetworkMemberForm(CrispyMixin, EditVersionMixin, forms.ModelForm):
    class Meta:
        model = NetworkMember
        fields = [
            "name",
            "relation",
            "closeness",
            "date_of_birth",
            "is_adult",
            "is_biological_parent",
            "paid_involvement",
            "same_roof",
            "romantic_partner",
            "phone",
            "email",
            "topics",
        ]
        field_classes = {
            "topics": CheckedModelMultipleChoiceField
        }  # an id past the database's range: an error
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "date_of_birth": DateInput(),
            "is_adult": forms.NullBooleanSelect(),
        }
        help_texts = {
            "date_of_birth": _("If you do not know it, say below whether the person is an adult."),
            "closeness": _("How close the youth feels to this person."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "phone"):
            self.fields[name].validators.append(plain_text)
        self.fields["date_of_birth"].validators.append(validate_not_in_future)
        self.fields["topics"].queryset = Topic.objects.for_organisation(self.instance.youth.organisation_id)
        self.helper.layout = Layout(
            Fieldset(_("Who is it?"), "name", "relation", "closeness"),
            Fieldset(
                _("Facts for the success factors"),
                Div(
                    Div("date_of_birth", css_class="col-sm-6"),
                    Div("is_adult", css_class="col-sm-6"),
                    css_class="row",
                ),
                "is_biological_parent",
                "paid_involvement",
                "same_roof",
                "romantic_partner",
            ),
            Fieldset(_("Who for what"), "topics"),
            Fieldset(_("Contact details"), "phone", "email"),
        )
        self.helper.render_hidden_fields = True  # the one-time token of the add form


class NetworkMemberAddForm(OnceFormMixin, NetworkMemberForm):
    pass


class SearchStartForm(OnceFormMixin, CrispyMixin, forms.Form):
    started_on = forms.DateField(
        label=_("Start of the search"),
        widget=DateInput(),
        validators=[validate_not_in_future, validate_event_date],
        help_text=_("Usually today: the day the wie-vraag was asked."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("started_on", timezone.localdate())


class CandidateAddForm(OnceFormMixin, CrispyMixin, forms.Form):
    member = forms.ModelChoiceField(
        label=_("Who did the youth name?"), queryset=NetworkMember.objects.none(), empty_label=None
    )

    def __init__(self, *args, search, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = NetworkMember.objects.filter(youth_id=search.youth_id).exclude(
            candidacies__search=search
        )


class CandidateStatusForm(OnceFormMixin, CrispyMixin, forms.Form):
    to = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[plain_text],
        help_text=_("Needed when the person said no or is not suitable."),
    )

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s.value, s.label) for s in allowed]


class ScreeningForm(CrispyMixin, StoredStateMixin, forms.Form):
    """One result per success factor, and a justification for a factor that is not met (not for age)."""

    def __init__(self, *args, checks, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        for factor in SuccessFactor:
            check = checks.get(factor)
            result_name = f"{factor.value}_result"
            self.fields[result_name] = forms.ChoiceField(
                label=_("Result"),
                choices=FactorCheck.Result.choices,
                widget=forms.RadioSelect,
                initial=check.result if check else suggestions.get(factor, FactorCheck.Result.UNKNOWN),
                help_text=None if check else _("Suggested from what is known about the person; check it."),
            )
            if factor != SuccessFactor.ADULT:
                justification_name = f"{factor.value}_justification"
                self.fields[justification_name] = forms.CharField(
                    label=_("Justification (needed when not met)"),
                    required=False,
                    max_length=5000,
                    validators=[plain_text],
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=check.justification if check else "",
                )

    def results(self):
        data = self.cleaned_data
        return {
            factor.value: (data[f"{factor.value}_result"], data.get(f"{factor.value}_justification", ""))
            for factor in SuccessFactor
        }

    def field_for(self, key):
        """The form field a service error about `key` (a factor) belongs to."""
        for name in (f"{key}_justification", f"{key}_result", key):
            if name in self.fields:
                return name
        return None


class RecordCheckForm(CrispyMixin, StoredStateMixin, forms.ModelForm):
    """The extract seen for a candidate; carries what it was opened on (mentors.stale.record_check_state)."""

    class Meta:
        model = CriminalRecordCheck
        fields = ["kind", "issued_on", "checked_on"]
        widgets = {"issued_on": DateInput(), "checked_on": DateInput(), "kind": forms.RadioSelect}
        help_texts = {"checked_on": _("The day you saw the extract. Do not keep a copy.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("checked_on") is None:  # a new check: the instance's empty day is in `initial`
            self.initial["checked_on"] = timezone.localdate()
        # The model field has no default, so Django adds a blank "---------" radio (checked on a new check):
        # offer the two real kinds only, none chosen; the field stays required.
        self.fields["kind"].choices = CriminalRecordCheck.Kind.choices
        for name in ("issued_on", "checked_on"):
            self.fields[name].validators.append(validate_not_in_future)


class RecordCheckExceptionForm(OnceFormMixin, CrispyMixin, forms.Form):
    """Why an extract older than the organisation's maximum may stand (kept with who and when)."""

    reason = forms.CharField(
        label=_("Why may this extract stand?"),
        max_length=2000,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a new extract was requested and takes weeks; nothing changed since."),
    )


class ChooseForm(OnceFormMixin, CrispyMixin, forms.Form):
    chosen_on = forms.DateField(
        label=_("Date of the choice"),
        widget=DateInput(),
        validators=[validate_not_in_future, validate_event_date],
    )
    confirm = forms.BooleanField(
        label=_("The youth chose this person, and this person said yes."), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("chosen_on", timezone.localdate())


class SearchStopForm(OnceFormMixin, CrispyMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Why does the search stop?"), choices=Search.StopReason.choices)
    next_step = forms.CharField(
        label=_("Next step for the youth"),
        max_length=2000,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happens now for the youth? The help that was on hold starts again."),
    )
    ended_on = forms.DateField(
        label=_("Date"), widget=DateInput(), validators=[validate_not_in_future, validate_event_date]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("ended_on", timezone.localdate())
