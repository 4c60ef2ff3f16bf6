"""Forms for the professional's follow-up of a triad: the plan, evaluations and the closure."""

import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from jimcase.forms import CrispyMixin, DateInput, NoteFlagsMixin, OnceFormMixin, PlainTextMixin
from jimcase.models import Note, Youth
from jimcase.stale import StoredStateMixin
from jimcase.validators import validate_event_date, validate_not_in_future
from outbox import text

from .models import CheckIn, Closure, EndReason, Evaluation, GoalsReached, PlacementOutcome

#: How far ahead a moment can be planned: further is almost certainly a typo in the year.
PLAN_HORIZON_DAYS = 2 * 365
TEXT_MAX = 4000
NOTE_MAX = Note._meta.get_field("text").max_length


def _plannable(day):
    today = timezone.localdate()
    if day < today:
        raise forms.ValidationError(_("Choose today or a later date."))
    if day > today + datetime.timedelta(days=PLAN_HORIZON_DAYS):
        raise forms.ValidationError(_("Choose a date within the next two years."))
    return day


class CheckInPlanForm(CrispyMixin, OnceFormMixin, forms.Form):
    """Add a moment to the plan: a check-in or an evaluation (the trial evaluation is planned by itself)."""

    due_on = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in CheckIn.Kind if k != CheckIn.Kind.TRIAL_EVALUATION],
        initial=CheckIn.Kind.CHECK_IN,
    )

    def clean_due_on(self):
        return _plannable(self.cleaned_data["due_on"])


class CheckInMoveForm(CrispyMixin, StoredStateMixin, forms.Form):
    """Move a planned moment; carries the date it was opened on (triads.stale.check_in_state)."""

    due_on = forms.DateField(label=_("New date"), widget=DateInput())

    def clean_due_on(self):
        return _plannable(self.cleaned_data["due_on"])


class EvaluationForm(NoteFlagsMixin, PlainTextMixin, CrispyMixin, OnceFormMixin, forms.Form):
    """How the triad goes. The text becomes a note on the youth's file, with the notes' visibility flags."""

    plain_text_fields = ("text", "early_reason")

    held_on = forms.DateField(
        label=_("Date"), widget=DateInput(), validators=[validate_not_in_future, validate_event_date]
    )
    check_in = forms.ModelChoiceField(
        label=_("Planned moment"),
        queryset=CheckIn.objects.none(),
        required=False,
        empty_label=_("— not a planned moment —"),
    )
    with_youth = forms.BooleanField(label=_("The youth took part"), required=False, initial=True)
    with_jim = forms.BooleanField(label=_("The JIM took part"), required=False, initial=True)
    with_professional = forms.BooleanField(
        label=_("The professional took part"), required=False, initial=True
    )
    with_parents = forms.BooleanField(label=_("The parents took part"), required=False)
    score = forms.TypedChoiceField(
        label=_("How does it go?"),
        choices=Evaluation.SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a score from 1 to 5.")},
    )
    text = forms.CharField(
        label=_("What was said"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Kept as a note on the youth's file, with the visibility below."),
    )
    shared_with_jim = forms.BooleanField(
        label=_("Share this with the JIM"),
        required=False,
        help_text=_("Only when the youth agreed. Never for a note with one of the flags above."),
    )
    jim_share_agreed_on = forms.DateField(
        label=_("The youth agreed to share this on"),
        required=False,
        widget=DateInput(),
        validators=[validate_not_in_future, validate_event_date],
    )
    decision = forms.ChoiceField(
        label=_("Decision at the end of the trial"),
        required=False,
        choices=[("", _("— no decision yet —")), *Evaluation.Decision.choices],
        widget=forms.RadioSelect,
    )
    early_reason = forms.CharField(
        label=_("Why decide now, before the end of the trial?"),
        required=False,
        max_length=Evaluation._meta.get_field("early_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    PARTICIPANTS = ["with_youth", "with_jim", "with_professional", "with_parents"]
    field_order = [
        "held_on",
        "check_in",
        *PARTICIPANTS,
        "score",
        "text",
        *NoteFlagsMixin.NOTE_FLAGS,
        "decision",
        "early_reason",
    ]

    def __init__(self, *args, triad, **kwargs):
        super().__init__(*args, **kwargs)
        self.triad = triad
        self.fields["check_in"].queryset = CheckIn.objects.open().filter(triad=triad)
        self.fields["check_in"].label_from_instance = lambda c: (
            f"{c.get_kind_display()} · {c.due_on:%d-%m-%Y}"
        )
        if not triad.is_in_trial:
            # A decision belongs to the trial only.
            del self.fields["decision"]
            del self.fields["early_reason"]
        elif triad.trial_ends_on:
            self.fields["early_reason"].help_text = _(
                "Required for a decision before %(day)s, the end of the trial period."
            ) % {"day": formats.date_format(triad.trial_ends_on, "SHORT_DATE_FORMAT")}
        self.initial.setdefault("held_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("shared_with_jim"):
            if any(cleaned.get(flag) for flag in NoteFlagsMixin.NOTE_FLAGS):
                self.add_error(
                    "shared_with_jim",
                    _(
                        "A note given in confidence, only about a third party, for the court or withheld "
                        "for the youth's own good is never shared with a JIM."
                    ),
                )
            elif not cleaned.get("jim_share_agreed_on") and "jim_share_agreed_on" not in self.errors:
                self.add_error(
                    "jim_share_agreed_on",
                    _("Record the date on which the youth agreed to share this with the JIM."),
                )
        check_in = cleaned.get("check_in")
        if (
            "decision" in self.fields
            and check_in is not None
            and check_in.is_trial_evaluation
            and not cleaned.get("decision")
        ):
            self.add_error("decision", _("At the end of the trial, decide how the triad goes on."))
        return cleaned

    def share_with_jim_on(self):
        """The day the youth agreed to share the text with the JIM, or None when it is not shared."""
        return self.cleaned_data["jim_share_agreed_on"] if self.cleaned_data.get("shared_with_jim") else None

    def participants(self):
        return {name: self.cleaned_data[name] for name in self.PARTICIPANTS}


class ClosureForm(PlainTextMixin, CrispyMixin, OnceFormMixin, forms.Form):
    """End a triad: the reason, the exit conversations and, above all, what happens next for the youth."""

    plain_text_fields = ("exit_youth", "exit_jim", "exit_professional", "outcome_explanation", "after_plan")

    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *EndReason.choices])
    ended_on = forms.DateField(
        label=_("Ended on"), widget=DateInput(), validators=[validate_not_in_future, validate_event_date]
    )
    exit_youth = forms.CharField(
        label=Closure._meta.get_field("exit_youth").verbose_name,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    exit_jim = forms.CharField(
        label=Closure._meta.get_field("exit_jim").verbose_name,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    exit_professional = forms.CharField(
        label=Closure._meta.get_field("exit_professional").verbose_name,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    continues_informally = forms.BooleanField(
        label=Closure._meta.get_field("continues_informally").verbose_name,
        required=False,
        help_text=_("The youth and the JIM keep in touch on their own, without the organisation."),
    )
    living_situation = forms.ChoiceField(
        label=Closure._meta.get_field("living_situation").verbose_name,
        choices=[("", "—"), *Youth.LivingSituation.choices],
    )
    placement_outcome = forms.ChoiceField(
        label=_("Was an out-of-home placement avoided?"),
        choices=[("", "—"), *PlacementOutcome.choices],
    )
    goals_reached = forms.ChoiceField(
        label=_("Were the goals of the triad reached?"),
        choices=[("", "—"), *GoalsReached.choices],
    )
    outcome_explanation = forms.CharField(
        label=Closure._meta.get_field("outcome_explanation").verbose_name,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed when the answers above seem to contradict each other or the intake; the form says so."
        ),
    )
    after_plan = forms.CharField(
        label=_("What happens next for the youth?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required: the youth loses the JIM as part of the help. Who or what takes over?"),
    )

    def __init__(self, *args, triad, **kwargs):
        super().__init__(*args, **kwargs)
        self.triad = triad
        self.initial.setdefault("ended_on", timezone.localdate())
        self.initial.setdefault("living_situation", triad.youth.living_situation)

    def clean_ended_on(self):
        day = self.cleaned_data["ended_on"]
        started = timezone.localdate(self.triad.created_at)
        if day < started:
            raise forms.ValidationError(
                _("A triad cannot end before it was made (%(day)s).") % {"day": text.day(started)}
            )
        return day

    def clean_after_plan(self):
        plan = self.cleaned_data["after_plan"].strip()
        if not plan:
            raise forms.ValidationError(_("Write down what happens next for the youth."))
        return plan


class NoteShareForm(CrispyMixin, OnceFormMixin, forms.Form):
    """Share one of the youth's notes with the JIM of this triad, as the youth agreed."""

    note = forms.ModelChoiceField(label=_("Note"), queryset=Note.objects.none(), widget=forms.RadioSelect)
    agreed_on = forms.DateField(
        label=_("The youth agreed to share this on"),
        widget=DateInput(),
        validators=[validate_not_in_future, validate_event_date],
    )

    def __init__(self, *args, notes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].queryset = notes
        self.fields["note"].label_from_instance = lambda n: f"{n.written_on:%d-%m-%Y} · {n.text[:120]}"
        self.initial.setdefault("agreed_on", timezone.localdate())


class FallbackHandleForm(PlainTextMixin, CrispyMixin, forms.Form):
    """What was agreed with the JIM, in a few words, when their "Denk even mee" is handled."""

    plain_text_fields = ("answer",)

    answer = forms.CharField(
        label=_("What did you agree?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write in a few words what you agreed.")},
        help_text=_("The JIM reads this on their page, for example: “We call on Thursday, together.”"),
    )
