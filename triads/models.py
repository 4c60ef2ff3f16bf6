"""Triads: youth, JIM and professional under a signed, versioned agreement, with parental consent.

Domain words: a *triade* is the youth (with family), the professional (hulpverlener) and the JIM working
together; the *terugvalhulpverlener* (fallback professional) is who the JIM can always fall back on.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from jimcase.models import EditVersioned, ParentGuardian, Youth, why_label
from jimcase.rules import plain_text
from jimcase.validators import validate_event_date, validate_plan_date, validate_trial_days
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
        return self.agreements.exclude(status=Agreement.Status.SUPERSEDED).order_by("-version").first()


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


class Party(models.TextChoices):
    YOUTH = "youth", _("youth")
    JIM = "jim", _("JIM")
    PROFESSIONAL = "professional", _("professional")
    PARENT = "parent", _("parent")


#: The agreement's sections, in order: (field name, heading). The canonical text is built from these.
AGREEMENT_SECTIONS = [
    ("meeting", _("How often and how the youth and the JIM meet")),
    ("jim_role", _("What the JIM does and does not do")),
    ("confidentiality", _("What stays between the youth and the JIM, and what the JIM shares")),
    ("fallback", _("When and how the JIM falls back on the professional")),
    ("evaluation", _("Evaluation moments")),
    ("at_eighteen", _("What happens when the youth turns 18")),
    ("ending", _("How either of us can end it")),
]


class Agreement(EditVersioned):
    """One version of a triad's agreement. Once anyone signed, its text never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNING = "signing", _("being signed")
        SIGNED = "signed", _("fully signed")
        SUPERSEDED = "superseded", _("superseded")

    triad = models.ForeignKey(
        Triad, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("triad")
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Snapshots: the signed text names the people as they were when this version was made.
    youth_name = models.CharField(_("youth"), max_length=200)
    jim_name = models.CharField(_("JIM"), max_length=200)
    fallback_name = models.CharField(_("fallback professional"), max_length=200)
    fallback_phone = models.CharField(_("fallback professional's phone"), max_length=40, blank=True)
    meeting = models.TextField(_("meeting"), max_length=4000)
    jim_role = models.TextField(_("role of the JIM"), max_length=4000)
    confidentiality = models.TextField(_("confidentiality"), max_length=4000)
    fallback = models.TextField(_("falling back on the professional"), max_length=4000)
    evaluation = models.TextField(_("evaluation"), max_length=4000)
    at_eighteen = models.TextField(_("at 18"), max_length=4000)
    ending = models.TextField(_("ending"), max_length=4000)
    trial_days = models.PositiveIntegerField(_("trial period (days)"), validators=[validate_trial_days])
    include_parents = models.BooleanField(_("parents with parental authority sign too"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    superseded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("superseded at"))

    class Meta:
        ordering = ["-version"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [models.UniqueConstraint(fields=["triad", "version"], name="agreement_version_unique")]

    def __str__(self):
        return f"{self.triad} v{self.version}"

    def canonical_text(self):
        """The exact text that is signed: version, parties, sections and trial length, normalised."""
        lines = [
            f"JIM agreement triad={self.triad_id} version={self.version}",
            f"youth={self.youth_name}",
            f"jim={self.jim_name}",
            f"fallback={self.fallback_name} {self.fallback_phone}",
            f"trial_days={self.trial_days}",
            f"include_parents={self.include_parents}",
        ]
        for field, _heading in AGREEMENT_SECTIONS:
            body = "\n".join(
                line.rstrip() for line in getattr(self, field).replace("\r\n", "\n").strip().split("\n")
            )
            lines.append(f"[{field}]\n{body}")
        return "\n".join(lines)

    def text_hash(self):
        return hashlib.sha256(self.canonical_text().encode("utf-8")).hexdigest()

    @property
    def is_frozen(self):
        return self.status != self.Status.DRAFT


class Signature(models.Model):
    """A signature bound to the exact text signed by its SHA-256 hash."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("in person, on the professional's device")
        LOGGED_IN = "logged_in", _("logged in")
        LINK = "link", _("personal signing link")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("agreement")
    )
    party = models.CharField(_("party"), max_length=15, choices=Party.choices)
    parent = models.ForeignKey(
        ParentGuardian,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent or guardian"),
    )
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    typed_name = models.CharField(_("full name as typed"), max_length=200)
    text_hash = models.CharField(_("hash signed"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The logged-in user who signed or handed over the screen."),
        verbose_name=_("account"),
    )
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seen signing by"),
        help_text=_("For a signature in person: the professional who saw the person sign."),
    )

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party"],
                condition=models.Q(parent__isnull=True),
                name="one_signature_per_party",
            ),
            models.UniqueConstraint(
                fields=["agreement", "parent"],
                condition=models.Q(parent__isnull=False),
                name="one_signature_per_parent",
            ),
        ]

    def __str__(self):
        return f"{self.typed_name} ({self.get_party_display()})"

    @property
    def matches(self):
        return self.text_hash == self.agreement.text_hash()


class SigningLink(models.Model):
    """A personal, expiring, single-use link to sign one agreement version as one party."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="links")
    party = models.CharField(max_length=15, choices=Party.choices)
    parent = models.ForeignKey(
        ParentGuardian, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    nonce = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.agreement} {self.party} {self.email}"


class ConsentDecisionQuerySet(models.QuerySet):
    def current(self):
        """Only the latest decision per triad and parent (by `recorded_at`, then id), chosen in the database."""
        later = ConsentDecision.objects.filter(
            triad_id=models.OuterRef("triad_id"), parent_id=models.OuterRef("parent_id")
        ).filter(
            models.Q(recorded_at__gt=models.OuterRef("recorded_at"))
            | models.Q(recorded_at=models.OuterRef("recorded_at"), pk__gt=models.OuterRef("pk"))
        )
        return self.filter(~models.Exists(later))


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


# --- Follow-up: check-ins, evaluations, fallback requests, the JIM's log -------------------------


class EndReason(models.TextChoices):
    GOAL_REACHED = "goal_reached", _("goal reached")
    YOUTH_CHOICE = "youth_choice", _("the youth's choice")
    JIM_STOPS = "jim_stops", _("the JIM stops")
    MOVED_AWAY = "moved_away", _("moved away")
    CONFLICT_PROFESSIONAL = "conflict_professional", _("conflict with the professional")
    CONFLICT_FAMILY = "conflict_family", _("conflict with the family")
    OTHER = "other", _("other")


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

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)

    def followed_up(self):
        """The moments the professional still follows up: those of running triads, and the conversation with
        the youth some weeks after a triad ended."""
        return self.filter(
            models.Q(triad__status__in=Triad.RUNNING) | models.Q(kind=CheckIn.Kind.AFTER_CLOSURE)
        )


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
