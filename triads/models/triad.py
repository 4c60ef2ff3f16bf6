"""The triad itself: its status and status history, what is shared with the JIM, and its object permissions."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from jimcase.models import Youth, why_label
from jimcase.validators import validate_event_date
from mentors.models import JimProfile, Search


def _on(prefix, **lookups):
    return models.Q(**{f"{prefix}{name}": value for name, value in lookups.items()})


def _not_ended_by(day, prefix):
    return _on(prefix, ended_on__isnull=True) | _on(prefix, ended_on__gt=day)


def running_on_q(day, prefix=""):
    """A Q on a triad (reached by `prefix`): it runs on `day`, i.e. its trial started that day or before
    and it had not ended by then (a triad runs no more on the day it ends).

    By the dates its status moves stamp (`triad_transition`: the trial's start on entering the trial, the
    end on ending), so that a report can ask it of any day. For every triad whose dates are the ones its
    moves stamped it says on today what `running()` says by status; the two differ only for a row whose
    dates were written past the services (a seeder that stamps a trial without its start, or an end date
    on a triad that is not ended), which is why the seeders write both together.
    """
    return _on(prefix, trial_started_on__lte=day) & _not_ended_by(day, prefix)


def in_trial_on_q(day, prefix=""):
    """A Q on a triad (reached by `prefix`): running on `day` and not yet active then."""
    return running_on_q(day, prefix) & (
        _on(prefix, activated_on__isnull=True) | _on(prefix, activated_on__gt=day)
    )


def active_on_q(day, prefix=""):
    """A Q on a triad (reached by `prefix`): running on `day` and active by then (past its trial)."""
    return running_on_q(day, prefix) & _on(prefix, activated_on__lte=day)


def running_during_q(first, last, prefix=""):
    """A Q on a triad (reached by `prefix`): it ran at some moment of the days `first` to `last`: its trial
    started by the last day and it had not ended before the first (ending on the first day, it ran that
    morning). Every triad `running_on_q` holds for on one of those days satisfies it."""
    return _on(prefix, trial_started_on__lte=last) & (
        _on(prefix, ended_on__isnull=True) | _on(prefix, ended_on__gte=first)
    )


def live_on_q(day, prefix=""):
    """A Q on a triad (reached by `prefix`): made by the end of `day` and not ended by then (draft or
    running), as `live()` says by status today."""
    end_of_day = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    return _on(prefix, created_at__lt=end_of_day) & _not_ended_by(day, prefix)


class TriadQuerySet(models.QuerySet):
    def live(self):
        """Not ended (draft, in trial or active), by status now; `live_on(day)` is the same by the dates."""
        return self.exclude(status=Triad.Status.ENDED)

    def live_on(self, day):
        return self.filter(live_on_q(day))

    def running(self):
        """In trial or active now, by status: the triads that have a plan and a JIM at work.

        `running_on(day)` says it by the dates for any day (see `running_on_q`); on today the two agree.
        """
        return self.filter(status__in=Triad.RUNNING)

    def running_on(self, day):
        """The triads that run on `day` (see `running_on_q`): what the reports count."""
        return self.filter(running_on_q(day))


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

    def runs_on(self, day):
        """`running_on_q` for this one triad, read from its dates (a page that has the triad asks no query)."""
        started = self.trial_started_on is not None and self.trial_started_on <= day
        return started and (self.ended_on is None or self.ended_on > day)

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
