"""The JIM's forms: few fields, warm words, and always a way to leave things empty that may be empty."""

from crispy_forms.layout import Field, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jimcase.forms import CrispyMixin, DateInput, OnceFormMixin, PlainTextMixin
from jimcase.stale import StoredStateMixin
from jimcase.validators import validate_event_date

from .models import EvaluationView, FallbackRequest, JimLogEntry


class FallbackRequestForm(PlainTextMixin, CrispyMixin, OnceFormMixin, forms.Form):
    """ "Denk even mee": a short message to the fallback professional."""

    plain_text_fields = ("message",)

    message = forms.CharField(
        label=_("What would you like to think over?"),
        max_length=FallbackRequest._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a few words, so they know what it is about.")},
        help_text=_("A few sentences are enough. They will contact you."),
    )
    urgent = forms.BooleanField(label=_("It is urgent"), required=False)


class JimLogForm(PlainTextMixin, CrispyMixin, OnceFormMixin, forms.Form):
    """A log entry in three taps: the kind (pre-selected), the date (today), a few words (may stay empty)."""

    plain_text_fields = ("text",)

    kind = forms.ChoiceField(
        label=_("What did you do?"),
        choices=JimLogEntry.Kind.choices,
        initial=JimLogEntry.Kind.MET,
        widget=forms.RadioSelect,
    )
    happened_on = forms.DateField(label=_("When?"), widget=DateInput(), validators=[validate_event_date])
    text = forms.CharField(
        label=_("A few words (you may leave this empty)"),
        max_length=JimLogEntry._meta.get_field("text").max_length,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("happened_on", timezone.localdate())
        self.helper.layout = Layout(
            Field("kind", template="triads/jim_big_radios.html"),
            "happened_on",
            "text",
            "submission_token",
        )

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future. Pick today or a day before."))
        return day


class EvaluationViewForm(PlainTextMixin, CrispyMixin, StoredStateMixin, forms.Form):
    """Three short questions before an evaluation, in plain words (B1): for the JIM, and for the youth.

    The JIM answers on their phone; the professional writes down the youth's answers in the youth's words.
    Both change stored answers, so the form carries what it was opened on (triads.stale.evaluation_view_state).
    """

    plain_text_fields = ("goes_well", "would_help")

    score = forms.TypedChoiceField(
        label=_("How is it going for you two? (1 = not good, 5 = very good)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "jim-scale"}),
        error_messages={
            "required": _("Choose a number from 1 to 5."),
            "invalid_choice": _("Choose a number from 1 to 5."),
        },
    )
    goes_well = forms.CharField(
        label=_("What goes well?"),
        required=False,
        max_length=EvaluationView.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    would_help = forms.CharField(
        label=_("What would help?"),
        required=False,
        max_length=EvaluationView.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few words are enough. You may leave this empty."),
    )

    def __init__(self, *args, view=None, **kwargs):
        super().__init__(*args, **kwargs)
        if view is not None:
            self.initial.update(score=view.score, goes_well=view.goes_well, would_help=view.would_help)
        self.helper.layout = Layout(
            "stored_state", Field("score", template="triads/jim_big_radios.html"), "goes_well", "would_help"
        )

    def answers(self):
        """The answers as the service takes them."""
        return {name: self.cleaned_data[name] for name in ("score", "goes_well", "would_help")}


class LogShareForm(CrispyMixin, forms.Form):
    """Share one log entry with the professional, only when the youth agrees."""

    youth_agrees = forms.BooleanField(
        label=_("The youth is fine with me sharing this"),
        error_messages={"required": _("Only share this when the youth is fine with it. Then tick the box.")},
    )


class YesNoForm(forms.Form):
    """One button press: join or leave the peer network, come or not come to a meeting."""

    answer = forms.ChoiceField(choices=[("yes", _("yes")), ("no", _("no"))])

    @property
    def yes(self):
        return self.cleaned_data["answer"] == "yes"
