"""Closure and the planned moments (check-ins) of a running triad."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jimcase.models import Youth
from jimcase.validators import validate_event_date, validate_plan_date

from .triad import EndReason, Triad, running_on_q


class PlacementOutcome(models.TextChoices):
    AVOIDED = "avoided", _("out-of-home placement avoided")
    HAPPENED = "happened", _("out-of-home placement happened")
    NOT_APPLICABLE = "not_applicable", _("not applicable (no placement was considered)")


class GoalsReached(models.TextChoices):
    YES = "yes", _("yes")
    PARTLY = "partly", _("partly")
    NO = "no", _("no")


class Closure(models.Model):
    """How a triad ended: reason, outcome, exit conversations, and the plan for the youth afterwards.

    The outcome (living situation, placement, goals) is structured so that reports can count it; it is
    empty only on closures recorded before it was asked.
    """

    triad = models.OneToOneField(
        Triad, on_delete=models.PROTECT, related_name="closure", verbose_name=_("triad")
    )
    reason = models.CharField(_("reason"), max_length=25, choices=EndReason.choices)
    ended_on = models.DateField(_("ended on"), validators=[validate_event_date])
    exit_youth = models.TextField(_("exit conversation with the youth"), blank=True, max_length=4000)
    exit_jim = models.TextField(_("exit conversation with the JIM"), blank=True, max_length=4000)
    exit_professional = models.TextField(
        _("exit conversation with the professional"), blank=True, max_length=4000
    )
    continues_informally = models.BooleanField(_("the relationship goes on informally"), default=False)
    living_situation = models.CharField(
        _("living situation at the end"), max_length=20, choices=Youth.LivingSituation.choices, blank=True
    )
    placement_outcome = models.CharField(
        _("out-of-home placement"), max_length=20, choices=PlacementOutcome.choices, blank=True
    )
    goals_reached = models.CharField(
        _("goals reached"), max_length=10, choices=GoalsReached.choices, blank=True
    )
    # Needed when the answers above seem to contradict each other (triads.rules.closure_contradictions).
    outcome_explanation = models.TextField(_("explanation of the outcome"), blank=True, max_length=4000)
    after_plan = models.TextField(_("plan for the youth afterwards"), max_length=4000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    recorded_at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self):
        return f"{self.triad}: {self.get_reason_display()}"


class CheckInQuerySet(models.QuerySet):
    def kept(self):
        """Not removed from the plan: a removed moment is kept only to show who removed it, and when."""
        return self.filter(removed_at__isnull=True)

    def open(self):
        """Still to take place: not done and not removed."""
        return self.kept().filter(done_on__isnull=True)

    def overdue_on(self, day):
        """The moments overdue on `day`: the one rule of the caseload's flag, the triad page, the reminders
        and the follow-up report.

        A moment is overdue on day D when it was planned before D, was not done by D and not removed from
        the plan by the end of D, and the professional still followed it up on D: its triad ran on D
        (`running_on_q`), or it is the conversation with the youth after the triad's closure (on or
        before D). `CheckIn.is_overdue_on` says the same of one moment already read.
        """
        end_of_day = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
        )
        followed_up = running_on_q(day, "triad__") | models.Q(
            kind=CheckIn.Kind.AFTER_CLOSURE, triad__ended_on__lte=day
        )
        return self.filter(
            followed_up,
            models.Q(done_on__isnull=True) | models.Q(done_on__gt=day),
            models.Q(removed_at__isnull=True) | models.Q(removed_at__gte=end_of_day),
            due_on__lt=day,
        )

    def overdue(self, today=None):
        """The moments overdue today (`overdue_on`)."""
        return self.overdue_on(today or timezone.localdate())


class CheckIn(models.Model):
    """A planned moment to see how the triad goes: a check-in, or the evaluation at the end of the trial."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("check-in")
        TRIAL_EVALUATION = "trial_evaluation", _("evaluation at the end of the trial")
        EVALUATION = "evaluation", _("evaluation")
        AFTER_CLOSURE = "after_closure", _("after the closure: how is it going without the JIM?")

    triad = models.ForeignKey(
        Triad, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("triad")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CHECK_IN)
    due_on = models.DateField(_("planned on"), validators=[validate_plan_date])
    done_on = models.DateField(_("done on"), null=True, blank=True, validators=[validate_event_date])
    # A moment removed from the plan stays, so the triad page can say who removed it and when; every
    # question about the plan (open, overdue, reminders, reports) leaves it out (`kept()`, `open()`).
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True) | models.Q(done_on__isnull=True),
                name="check_in_done_or_removed_not_both",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on}"

    #: The kinds of moment that look back together (and so ask the JIM's and the youth's view first).
    EVALUATION_KINDS = (Kind.TRIAL_EVALUATION, Kind.EVALUATION)

    @property
    def is_trial_evaluation(self):
        return self.kind == self.Kind.TRIAL_EVALUATION

    @property
    def is_after_closure(self):
        return self.kind == self.Kind.AFTER_CLOSURE

    @property
    def is_evaluation(self):
        return self.kind in self.EVALUATION_KINDS

    @property
    def is_removed(self):
        return self.removed_at is not None

    def is_overdue_on(self, day):
        """`CheckInQuerySet.overdue_on` for this one moment, read from it and its triad (no query)."""
        triad = self.triad
        followed_up = triad.runs_on(day) or (
            self.is_after_closure and triad.ended_on is not None and triad.ended_on <= day
        )
        removed = self.removed_at is not None and timezone.localtime(self.removed_at).date() <= day
        return (
            followed_up and self.due_on < day and not removed and (self.done_on is None or self.done_on > day)
        )


class CheckInMove(models.Model):
    """Append-only history of a planned moment's date: who moved it, when, from which day to which."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="moves")
    was_due_on = models.DateField(_("was planned on"))
    due_on = models.DateField(_("moved to"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("move of a check-in")
        verbose_name_plural = _("moves of check-ins")

    def __str__(self):
        return f"{self.was_due_on} → {self.due_on}"
