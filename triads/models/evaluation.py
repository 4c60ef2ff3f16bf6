"""Evaluations with the three voices, fallback requests and the JIM's log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jimcase.rules import plain_text
from jimcase.validators import validate_event_date

from .agreement import Party
from .followup import CheckIn
from .triad import Triad


class Evaluation(models.Model):
    """How the triad goes, as discussed together; at the end of the trial it carries a decision."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("continue: the triad becomes active")
        ADJUST = "adjust", _("adjust: a new version of the agreement, the trial goes on")
        END = "end", _("end the triad")

    SCORES = [(1, _("1 – not good")), (2, _("2")), (3, _("3 – so-so")), (4, _("4")), (5, _("5 – very good"))]

    triad = models.ForeignKey(
        Triad, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("triad")
    )
    check_in = models.OneToOneField(
        CheckIn,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation",
        verbose_name=_("check-in"),
    )
    held_on = models.DateField(_("date"), validators=[validate_event_date])
    with_youth = models.BooleanField(_("the youth took part"), default=True)
    with_jim = models.BooleanField(_("the JIM took part"), default=True)
    with_professional = models.BooleanField(_("the professional took part"), default=True)
    with_parents = models.BooleanField(_("the parents took part"), default=False)
    score = models.PositiveSmallIntegerField(_("how it goes"), choices=SCORES)
    # The written part is a note on the youth's file, so it follows the notes' visibility flags.
    note = models.OneToOneField(
        "jimcase.Note",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation",
        verbose_name=_("note"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    # A decision taken before the trial's end needs a written reason (services.evaluation_record).
    early_reason = models.TextField(
        _("why decide before the end of the trial"),
        blank=True,
        max_length=2000,
        validators=[plain_text],
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.triad} {self.held_on}"


class EvaluationView(models.Model):
    """The JIM's or the youth's own view before a planned evaluation: how it goes, what goes well, what would help.

    The JIM answers on their own page; the professional writes down the youth's answers. One view per
    party and moment, which may change until the evaluation of that moment is recorded.
    """

    PARTIES = [(Party.JIM.value, Party.JIM.label), (Party.YOUTH.value, Party.YOUTH.label)]
    TEXT_MAX = 1000

    check_in = models.ForeignKey(
        CheckIn, on_delete=models.CASCADE, related_name="views", verbose_name=_("planned evaluation")
    )
    party = models.CharField(_("whose view"), max_length=15, choices=PARTIES)
    score = models.PositiveSmallIntegerField(_("how it goes"), choices=Evaluation.SCORES)
    goes_well = models.TextField(
        _("what goes well"), blank=True, max_length=TEXT_MAX, validators=[plain_text]
    )
    would_help = models.TextField(
        _("what would help"), blank=True, max_length=TEXT_MAX, validators=[plain_text]
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["check_in", "party"]
        verbose_name = _("view before an evaluation")
        verbose_name_plural = _("views before an evaluation")
        constraints = [
            models.UniqueConstraint(fields=["check_in", "party"], name="one_view_per_party_and_evaluation")
        ]

    def __str__(self):
        return f"{self.check_in}: {self.get_party_display()}"


class FallbackRequest(models.Model):
    """ "Denk even mee": the JIM asks the fallback professional to think along."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for the professional")
        HANDLED = "handled", _("handled")

    triad = models.ForeignKey(
        Triad, on_delete=models.CASCADE, related_name="fallback_requests", verbose_name=_("triad")
    )
    message = models.TextField(_("message"), max_length=1000)
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("handled at"))
    # What was agreed, in a few words, written when it is handled: read by the professionals and the JIM,
    # never by the admin (confidential, like the message).
    answer = models.TextField(_("answer"), blank=True, max_length=1000, validators=[plain_text])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("fallback request")
        verbose_name_plural = _("fallback requests")
        indexes = [
            # Every caseload asks for the urgent questions still open: a few rows among all ever sent.
            models.Index(
                fields=["triad"],
                condition=models.Q(status="open", urgent=True),
                name="fallback_request_open_urgent",
            )
        ]

    def __str__(self):
        return f"{self.triad} {self.created_at:%Y-%m-%d}"

    @property
    def is_handled(self):
        return self.status == self.Status.HANDLED


class JimLogEntry(models.Model):
    """The JIM's private log: visible only to the JIM, unless they share one entry with the professional."""

    class Kind(models.TextChoices):
        MET = "met", _("we met")
        CALL = "call", _("phone call")
        MESSAGE = "message", _("message")
        OTHER = "other", _("other")

    triad = models.ForeignKey(
        Triad, on_delete=models.CASCADE, related_name="jim_log", verbose_name=_("triad")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jim_log", verbose_name=_("author")
    )
    happened_on = models.DateField(_("date"), validators=[validate_event_date])
    kind = models.CharField(_("kind of contact"), max_length=10, choices=Kind.choices, default=Kind.MET)
    text = models.CharField(_("a few words"), max_length=500, blank=True)
    shared_at = models.DateTimeField(_("shared with the professional at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("JIM log entry")
        verbose_name_plural = _("JIM log entries")

    def __str__(self):
        return f"{self.happened_on} {self.kind}"
