"""The youth's append-only history: stage, living situation, and why nobody can decide for a minor."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..rules import plain_text
from ..stages import StageChangeWhy
from .youth import Youth


class HistoryQuerySet(models.QuerySet):
    """A youth's history (stages, living situations) is append-only: rows are never changed or deleted."""

    def update(self, **kwargs):
        raise PermissionError("A history cannot be changed.")

    def delete(self):
        raise PermissionError("A history cannot be deleted.")


def why_label(choices, why):
    """The label of `why` when it is one of `choices`' codes, else `why` itself (a text someone wrote)."""
    return choices(why).label if why in choices.values else why


class YouthHistory(models.Model):
    """One append-only row of a youth's history: the day it counts from, when and by whom it was recorded.

    Ordered by recording time; a row is written once and never changed or deleted.
    """

    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    objects = HistoryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A history cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A history cannot be deleted.")


class StageChange(YouthHistory):
    """One move of a youth's stage: from, to, on which day, recorded when and by whom, and why.

    Written only by `services.youth_stage_refresh`, which derives the stage from the facts (open search,
    live triad, …; `stages.stage_from`), so the history and the stage never contradict those facts.
    """

    #: The reasons the application itself records (jimcase.stages).
    Why = StageChangeWhy

    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("youth")
    )
    from_stage = models.CharField(_("previous stage"), max_length=20, choices=Youth.Stage.choices, blank=True)
    to_stage = models.CharField(_("new stage"), max_length=20, choices=Youth.Stage.choices)
    #: A `Why` code, or (from older rows and other callers) a text as it was written.
    why = models.CharField(_("why"), max_length=200, blank=True)

    class Meta(YouthHistory.Meta):
        indexes = [models.Index(fields=["youth", "at"], name="stagechange_youth_at")]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage history")

    def __str__(self):
        return f"{self.get_from_stage_display() or '—'} → {self.get_to_stage_display()} ({self.on})"

    @property
    def why_text(self):
        """The reason in the reader's language: a code's label, or the text as it was written."""
        return why_label(self.Why, self.why)


class LivingSituationChange(YouthHistory):
    """One change of where the youth lives: from, to, on which day, by whom.

    Written by the services that register or change a youth and by the closure of a triad, so the
    reports can compare the living situation at the start and at the end.
    """

    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="living_situation_changes", verbose_name=_("youth")
    )
    from_situation = models.CharField(
        _("previous living situation"), max_length=20, choices=Youth.LivingSituation.choices, blank=True
    )
    to_situation = models.CharField(
        _("new living situation"), max_length=20, choices=Youth.LivingSituation.choices
    )

    class Meta(YouthHistory.Meta):
        indexes = [models.Index(fields=["youth", "at"], name="livingchange_youth_at")]
        verbose_name = _("living-situation change")
        verbose_name_plural = _("living-situation history")

    def __str__(self):
        return f"{self.get_from_situation_display() or '—'} → {self.get_to_situation_display()} ({self.on})"


class NobodyCanDecide(YouthHistory):
    """Why no parent or guardian can decide on parental consent for a minor ("niemand kan beslissen").

    Append-only: the latest row of a youth is the current one. A statement (deceased, authority removed,
    unknown or unreachable) holds until a parent or guardian with parental authority is recorded: then
    `services.parent_save` appends a row with reason `LAPSED`, so it does not come back by itself.
    Whether it counts is decided by `rules.nobody_can_decide_holds`.
    """

    class Reason(models.TextChoices):
        DECEASED = "deceased", _("the parents have died")
        AUTHORITY_REMOVED = "authority_removed", _("parental authority was withdrawn or removed")
        UNKNOWN = "unknown", _("the parents are unknown or cannot be reached")
        LAPSED = "lapsed", _("no longer applies: a parent or guardian with parental authority was added")

    #: The reasons a professional may record (`LAPSED` is written by the app).
    STATED = (Reason.DECEASED, Reason.AUTHORITY_REMOVED, Reason.UNKNOWN)

    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="nobody_can_decide", verbose_name=_("youth")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    explanation = models.TextField(_("explanation"), max_length=2000, blank=True, validators=[plain_text])

    class Meta(YouthHistory.Meta):
        verbose_name = _("nobody can decide on consent")
        verbose_name_plural = _("nobody can decide on consent")

    def __str__(self):
        return f"{self.get_reason_display()} ({self.on})"

    @property
    def is_statement(self):
        return self.reason != self.Reason.LAPSED
