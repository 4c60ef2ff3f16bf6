"""The parents' consent per triad, and the coordinator's override."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jimcase.models import ParentGuardian
from jimcase.validators import validate_event_date

from .triad import Triad


def end_of(day):
    """The first moment after `day` in the project's time zone: "by the end of `day`" is before it."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


class ConsentDecisionQuerySet(models.QuerySet):
    def current(self, as_of=None):
        """Only the latest decision per triad and parent (by `recorded_at`, then id), chosen in the database.

        With `as_of` (a day): the latest recorded by the end of that day, as it stood then.
        """
        decisions, later = (
            self,
            ConsentDecision.objects.filter(
                triad_id=models.OuterRef("triad_id"), parent_id=models.OuterRef("parent_id")
            ).filter(
                models.Q(recorded_at__gt=models.OuterRef("recorded_at"))
                | models.Q(recorded_at=models.OuterRef("recorded_at"), pk__gt=models.OuterRef("pk"))
            ),
        )
        if as_of is not None:
            by_then = models.Q(recorded_at__lt=end_of(as_of))
            decisions, later = decisions.filter(by_then), later.filter(by_then)
        return decisions.filter(~models.Exists(later))


class ConsentDecision(models.Model):
    """One parental-consent decision. Append-only: the latest per parent is the current one."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        GIVEN = "given", _("given")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Method(models.TextChoices):
        WRITING = "writing", _("in writing")
        ORALLY = "orally", _("orally")
        LINK = "link", _("signing link")

    triad = models.ForeignKey(
        Triad, on_delete=models.PROTECT, related_name="consents", verbose_name=_("triad")
    )
    parent = models.ForeignKey(
        ParentGuardian,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("parent or guardian"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_on = models.DateField(_("date"), validators=[validate_event_date])
    method = models.CharField(_("obtained"), max_length=10, choices=Method.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded at"))

    objects = ConsentDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("consent decision")
        verbose_name_plural = _("consent decisions")

    def __str__(self):
        return f"{self.parent}: {self.get_decision_display()}"

    @property
    def is_refused(self):
        return self.decision == self.Decision.REFUSED


class ConsentOverride(models.Model):
    """A coordinator lets a triad start without every parent's consent, with a written justification."""

    triad = models.OneToOneField(
        Triad, on_delete=models.PROTECT, related_name="consent_override", verbose_name=_("triad")
    )
    justification = models.TextField(_("justification"), max_length=5000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("consent override")
        verbose_name_plural = _("consent overrides")

    def __str__(self):
        # What the admin's messages and history keep: the case number, never the youth's or JIM's name.
        return f"{self.triad.youth.case_number}: {self.by}"
