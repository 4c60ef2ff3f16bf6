"""The triad itself: its status and status history, what is shared with the JIM, and its object permissions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from jimcase.models import Youth, why_label
from jimcase.validators import validate_event_date
from mentors.models import JimProfile, Search


class TriadQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status=Triad.Status.ENDED)

    def running(self):
        """In trial or active: the triads that have a plan and a JIM at work."""
        return self.filter(status__in=Triad.RUNNING)


class Triad(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        TRIAL = "trial", _("trial period")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    youth = models.ForeignKey(Youth, on_delete=models.PROTECT, related_name="triads", verbose_name=_("youth"))
    jim_profile = models.ForeignKey(
        JimProfile, on_delete=models.PROTECT, related_name="triads", verbose_name=_("JIM")
    )
    search = models.ForeignKey(
        Search,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="triads",
        verbose_name=_("search"),
    )
    fallback = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="triads_fallback",
        verbose_name=_("fallback professional"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    trial_started_on = models.DateField(_("trial started on"), null=True, blank=True)
    trial_ends_on = models.DateField(_("trial ends on"), null=True, blank=True)
    activated_on = models.DateField(_("active since"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    consent_withdrawn_flag = models.BooleanField(_("consent withdrawn during the triad"), default=False)

    objects = TriadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("triad")
        verbose_name_plural = _("triads")
        indexes = [
            # The coordinator's triad list, newest first, a page at a time.
            models.Index(fields=["-created_at", "-id"], name="triad_newest_first"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "jim_profile"],
                condition=~models.Q(status="ended"),
                name="one_live_triad_per_youth_and_jim",
            )
        ]

    #: The statuses in which the triad runs: it has a plan, and the JIM sees what is shared with it.
    RUNNING = (Status.TRIAL, Status.ACTIVE)

    def __str__(self):
        return f"{self.youth.first_name} – {self.jim_profile}"

    @property
    def lead(self):
        """The youth's lead professional now, from the case assignments (never a copy that goes stale)."""
        return self.youth.current_lead

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_in_trial(self):
        return self.status == self.Status.TRIAL

    @property
    def is_running(self):
        return self.status in self.RUNNING

    @property
    def has_ended(self):
        return self.status == self.Status.ENDED

    @property
    def current_agreement(self):
        from .agreement import Agreement  # the agreement module builds on the triad

        return self.agreements.exclude(status=Agreement.Status.SUPERSEDED).order_by("-version").first()


class EndReason(models.TextChoices):
    GOAL_REACHED = "goal_reached", _("goal reached")
    YOUTH_CHOICE = "youth_choice", _("the youth's choice")
    JIM_STOPS = "jim_stops", _("the JIM stops")
    MOVED_AWAY = "moved_away", _("moved away")
    CONFLICT_PROFESSIONAL = "conflict_professional", _("conflict with the professional")
    CONFLICT_FAMILY = "conflict_family", _("conflict with the family")
    OTHER = "other", _("other")


class TriadStatusChange(models.Model):
    """Append-only history of a triad's status: who moved it, when, from, to, why."""

    class Why(models.TextChoices):
        """The reasons the application itself records: stored as a code, shown in the reader's language.

        A closure stores its `EndReason` code; other callers may still pass a text as it was written.
        """

        JIM_CHOSEN = "jim_chosen", _("JIM chosen")
        SIGNED = "signed", _("Agreement signed and consent in order.")
        STARTED_BY_PROFESSIONAL = "started_by_professional", _("Started by the professional.")
        TRIAL_CONTINUED = "trial_continued", _("Trial evaluation: continue.")

    triad = models.ForeignKey(
        Triad, on_delete=models.CASCADE, related_name="history", verbose_name=_("triad")
    )
    from_status = models.CharField(
        _("previous status"), max_length=10, choices=Triad.Status.choices, blank=True
    )
    to_status = models.CharField(_("new status"), max_length=10, choices=Triad.Status.choices)
    why = models.TextField(_("why"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("by")
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"

    @property
    def why_text(self):
        """The reason in the reader's language: a code's label (an end reason's too), or the text as written."""
        if self.why in EndReason.values:
            return EndReason(self.why).label
        return why_label(self.Why, self.why)


class NoteShare(models.Model):
    """A note of the youth's file that the youth agreed to share with the JIM of one triad.

    The JIM of that triad sees it while the triad is in its trial or active; no other JIM ever does,
    and a note with a confidentiality flag (`Note.NEVER_FOR_JIM`) is never shared.
    """

    note = models.OneToOneField(
        "jimcase.Note", on_delete=models.CASCADE, related_name="jim_share", verbose_name=_("note")
    )
    triad = models.ForeignKey(
        Triad, on_delete=models.CASCADE, related_name="note_shares", verbose_name=_("triad")
    )
    agreed_on = models.DateField(_("youth agreed to share with the JIM on"), validators=[validate_event_date])
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("shared at"))

    class Meta:
        ordering = ["-note__written_on", "-pk"]
        verbose_name = _("note shared with the JIM")
        verbose_name_plural = _("notes shared with the JIM")

    def __str__(self):
        return f"{self.note} → {self.triad}"


class TriadUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key table for per-triad permissions (the JIM's view of their own triad)."""

    content_object = models.ForeignKey(Triad, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class TriadGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Triad, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass
