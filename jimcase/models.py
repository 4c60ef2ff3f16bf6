"""The case core: organisations, teams, users and youths, with per-youth object permissions.

Domain words: a *hulpverlener* is a professional; a *JIM* (Jouw Ingebrachte Mentor) is the informal
mentor a youth chooses from their own network.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .registry import access_log_label
from .rules import age_on, plain_text
from .validators import validate_birth_date, validate_event_date, validate_past_date, validate_trial_days


class Role(models.TextChoices):
    """The role groups, created by a data migration."""

    PROFESSIONAL = "hulpverlener", _("professional")
    JIM = "jim", _("JIM")
    COORDINATOR = "coordinator", _("coordinator")


class Organisation(models.Model):
    class Jurisdiction(models.TextChoices):
        FLANDERS = "flanders", _("Flanders")
        NETHERLANDS = "netherlands", _("Netherlands")

    # Names a coordinator types are plain text, like every typed text in JIM.
    name = models.CharField(_("name"), max_length=200, unique=True, validators=[plain_text])
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=20, choices=Jurisdiction.choices, default=Jurisdiction.FLANDERS
    )
    default_trial_days = models.PositiveIntegerField(
        _("default trial length (days)"),
        default=90,
        validators=[validate_trial_days],
        help_text=_("How long a triad's trial period lasts unless the agreement says otherwise."),
    )
    requires_criminal_record_extract = models.BooleanField(
        _("criminal-record extract required for a JIM"), default=False
    )
    second_factor_for_professionals = models.BooleanField(
        _("second factor required for professionals"),
        default=False,
        help_text=_(
            "Professionals must log in with a code from an authenticator app as well. "
            "Coordinators always must; JIMs may choose."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class TeamManager(models.Manager):
    def get_queryset(self):
        # A team is named with its organisation (__str__): fetch both at once, so no list or choice list of
        # teams runs a query per team.
        return super().get_queryset().select_related("organisation")


class Team(models.Model):
    """A team of professionals; membership is the team's auth group, so guardian can share with it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200, validators=[plain_text])
    group = models.OneToOneField(
        Group,
        on_delete=models.PROTECT,
        related_name="team",
        editable=False,
        verbose_name=_("permission group"),
    )

    objects = TeamManager()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_in_organisation")
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    @property
    def members(self):
        return User.objects.filter(groups=self.group_id)


class UserQuerySet(models.QuerySet):
    def in_role(self, role):
        return self.filter(groups__name=role)


class JimUserManager(UserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )

    objects = JimUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def _load_roles(self):
        """Read the account's roles and whether it has a JIM training, in one query, once per instance.

        The navigation asks for the roles on every page; the caseload's training hint rides along on the
        same query instead of costing one of its own. A row per group (team groups too, dropped here).
        """
        rows = list(
            User.objects.filter(pk=self.pk)
            .annotate(trained=models.Exists(Training.objects.filter(user=models.OuterRef("pk"))))
            .values_list("groups__name", "trained")
        )
        self._role_names = {name for name, _trained in rows if name in Role.values}
        self._has_training = bool(rows and rows[0][1])

    def has_role(self, role):
        # Cached per instance (see _load_roles); services drop the cache when they change roles.
        if not hasattr(self, "_role_names"):
            self._load_roles()
        return role in self._role_names

    @property
    def has_training(self):
        """True when a JIM training (the method's or the organisation's own) is recorded for this person."""
        if not hasattr(self, "_has_training"):
            self._load_roles()
        return self._has_training

    @property
    def is_professional(self):
        # A coordinator (or any admin account) never works as a professional, whatever groups it holds:
        # one person who is both uses two accounts.
        return self.has_role(Role.PROFESSIONAL) and not self.is_admin_account

    @property
    def is_admin_account(self):
        """True for accounts that reach the admin: coordinators, staff, superusers. They never see a youth."""
        return self.is_staff or self.is_superuser or self.has_role(Role.COORDINATOR)

    @property
    def is_jim(self):
        return self.has_role(Role.JIM)

    @property
    def is_coordinator(self):
        return self.is_staff and self.has_role(Role.COORDINATOR)

    @property
    def teams(self):
        return Team.objects.filter(group__user=self)

    @property
    def invitation_open(self):
        """True while the account was never used: never logged in, no password chosen.

        Until then the coordinator who invited it may correct its e-mail address and send a password
        link; after that the address and the password are the person's alone.
        """
        return self.last_login is None and not self.has_usable_password()


class Training(models.Model):
    """A professional's JIM training: the method's own 2.5-day training or the organisation's, with its date.

    Fidelity to the method asks that professionals who work with JIMs are trained; a coordinator records
    it on the person's admin page, the caseload reminds an untrained professional and report 6 counts it.
    """

    class Kind(models.TextChoices):
        METHOD = "method", _("JIM training by the method's trainers (2.5 days)")
        OWN = "own", _("the organisation's own JIM training")

    user = models.ForeignKey(
        "User", on_delete=models.CASCADE, related_name="trainings", verbose_name=_("professional")
    )
    kind = models.CharField(_("kind of training"), max_length=10, choices=Kind.choices)
    completed_on = models.DateField(_("completed on"), validators=[validate_past_date])
    provider = models.CharField(
        _("given by"),
        max_length=200,
        validators=[plain_text],
        help_text=_("Who gave the training: the method's trainers, a colleague, an external trainer."),
    )
    recorded_by = models.ForeignKey(
        "User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = _("JIM training")
        verbose_name_plural = _("JIM trainings")
        indexes = [models.Index(fields=["user", "completed_on"], name="training_user_completed")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.completed_on:%d-%m-%Y})"


class EditVersioned(models.Model):
    """Something people edit in a form: each saved edit moves `edit_version` on, with who saved and when.

    The edit form carries the version it was loaded from; `jimcase.services.edit_save` refuses a save
    against a newer one, so a second person's save never silently overwrites the first.
    """

    edit_version = models.PositiveIntegerField(_("edit version"), default=0, editable=False)
    edited_at = models.DateTimeField(_("last saved at"), null=True, blank=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last saved by"),
    )

    class Meta:
        abstract = True


#: A case number is unique within an organisation (the constraint's message, and the youth form's).
CASE_NUMBER_TAKEN = _("There is already a youth with this case number in your organisation.")


class YouthQuerySet(models.QuerySet):
    def with_lead(self):
        """Attach the current lead professional's assignment as `current_leads` (one extra query)."""
        return self.prefetch_related(current_leads_prefetch())


def current_leads_prefetch(path="", today=None):
    """Prefetch the youth's current lead assignment as `youth.current_leads` (what `Youth.current_lead` reads).

    `path` leads from the queried model to the youth ("youth__" from a triad, "triad__youth__" from a check-in).
    """
    return models.Prefetch(
        f"{path}assignments",
        queryset=CaseAssignment.objects.current(today or timezone.localdate())
        .filter(role=CaseAssignment.Role.LEAD)
        .select_related("professional"),
        to_attr="current_leads",
    )


class Youth(EditVersioned):
    """A youth in care: the object every confidential record hangs from."""

    class LivingSituation(models.TextChoices):
        AT_HOME = "at_home", _("at home")
        RESIDENTIAL = "residential", _("residential care")
        FOSTER_CARE = "foster_care", _("foster care")
        INDEPENDENT = "independent", _("living independently")
        OTHER = "other", _("other")

    class PlacementConsidered(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        UNKNOWN = "unknown", _("not known")

    class Stage(models.TextChoices):
        """Where the youth is in the JIM trajectory; moved only by services."""

        REFERRED = "referred", _("referred")
        SEARCHING = "searching", _("wie-vraag: searching (help on hold)")
        JIM_FOUND = "jim_found", _("JIM found")
        SEARCH_STOPPED = "search_stopped", _("search stopped")
        IN_TRIAD = "in_triad", _("in a triad")
        TRIAD_ENDED = "triad_ended", _("triad ended")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="youths", verbose_name=_("organisation")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="youths", verbose_name=_("team")
    )
    shared_with_team = models.BooleanField(
        _("shared with the whole team"),
        default=False,
        help_text=_("Every member of the team may see and edit this youth's file."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, validators=[validate_birth_date])
    pronoun = models.CharField(_("pronoun / gender"), max_length=50, blank=True)
    case_number = models.CharField(_("case number"), max_length=50)
    living_situation = models.CharField(
        _("living situation"), max_length=20, choices=LivingSituation.choices, default=LivingSituation.AT_HOME
    )
    school_work = models.CharField(_("school / work"), max_length=200, blank=True)
    # At referral (issue 13): what the youth asks help for, and whether a placement out of home is being
    # considered: the outcome the research measures (was it avoided?).
    help_question = models.TextField(
        _("help question (wat-vraag)"),
        blank=True,
        max_length=2000,
        help_text=_("What does the youth want help with? The wat-vraag follows the wie-vraag."),
    )
    placement_considered = models.CharField(
        _("out-of-home placement considered at referral"),
        max_length=10,
        choices=PlacementConsidered.choices,
        default=PlacementConsidered.UNKNOWN,
    )
    referral_date = models.DateField(_("date of referral"), null=True, validators=[validate_event_date])
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.REFERRED)
    stage_since = models.DateField(_("in this stage since"), null=True)
    # Capacity (DRM art. 4 §2): from 12 a youth is presumed capable; a professional may record otherwise.
    deemed_incapable = models.BooleanField(_("judged not capable"), default=False)
    capacity_motivation = models.TextField(_("motivation"), blank=True)
    capacity_recorded_by = models.ForeignKey(
        "User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    capacity_recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = YouthQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("youth")
        verbose_name_plural = _("youths")
        indexes = [
            # The coordinator's youth list: one organisation, in name order, a page at a time.
            models.Index(
                fields=["organisation", "last_name", "first_name", "id"], name="youth_org_name_order"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case_number"],
                name="youth_case_number_unique_in_organisation",
                violation_error_message=CASE_NUMBER_TAKEN,
            )
        ]

    def __str__(self):
        # First name and case number only: this is what the admin, logs and choice lists show.
        return f"{self.first_name} ({self.case_number})"

    def age_on(self, day):
        return age_on(self.date_of_birth, day)

    @property
    def age(self):
        return self.age_on(timezone.localdate())

    @property
    def is_capable(self):
        """Presumed capable from 12 (DRM art. 4 §2) unless a professional recorded otherwise."""
        age = self.age
        return age is not None and age >= 12 and not self.deemed_incapable

    @property
    def days_in_stage(self):
        return (timezone.localdate() - self.stage_since).days if self.stage_since else None

    @property
    def current_lead(self):
        """The professional who leads the file now (from the open lead assignment), or None."""
        leads = getattr(self, "current_leads", None)
        if leads is None:
            leads = list(
                self.assignments.filter(ends_on__isnull=True, role=CaseAssignment.Role.LEAD).select_related(
                    "professional"
                )
            )
        return leads[0].professional if leads else None

    @property
    def help_on_hold(self):
        return self.stage == self.Stage.SEARCHING


class ParentGuardian(EditVersioned):
    """A parent or guardian of a youth; only some hold parental authority."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        GUARDIAN = "guardian", _("guardian")
        FOSTER_PARENT = "foster_parent", _("foster parent")
        OTHER = "other", _("other")

    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="parents", verbose_name=_("youth")
    )
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    has_parental_authority = models.BooleanField(_("holds parental authority"), default=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("parent or guardian")
        verbose_name_plural = _("parents and guardians")

    def __str__(self):
        return f"{self.name} ({self.get_relation_display()})"


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
    live triad, …; `rules.stage_from`), so the history and the stage never contradict those facts.
    """

    class Why(models.TextChoices):
        """The reasons the application itself records: stored as a code, shown in the reader's language."""

        REGISTERED = "registered", _("Registered")
        CORRECTED = "corrected", _("Corrected: the stage contradicted the open search or triad")
        SEARCH_STARTED = "search_started", _("Wie-vraag started")
        SEARCH_STOPPED = "search_stopped", _("Wie-vraag stopped")
        JIM_CHOSEN = "jim_chosen", _("JIM chosen")
        TRIAD_TRIAL = "triad_trial", _("Triad: trial period")
        TRIAD_ENDED = "triad_ended", _("Triad: ended")

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


class CaseAssignmentQuerySet(models.QuerySet):
    def current(self, today):
        return self.filter(starts_on__lte=today).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=today)
        )


class CaseAssignment(models.Model):
    """Which professional works on which youth, as lead or backup, from–to. Grants the file's permissions."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        BACKUP = "backup", _("backup")

    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("youth")
    )
    professional = models.ForeignKey(
        "User", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("professional")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    starts_on = models.DateField(_("from"), validators=[validate_event_date])
    ends_on = models.DateField(_("until"), null=True, blank=True, validators=[validate_event_date])
    created_by = models.ForeignKey(
        "User", on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("created by")
    )
    ended_by = models.ForeignKey(
        "User", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("ended by")
    )

    objects = CaseAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("case assignment")
        verbose_name_plural = _("case assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "professional"],
                condition=models.Q(ends_on__isnull=True),
                name="one_open_assignment_per_professional",
            ),
            models.UniqueConstraint(
                fields=["youth"],
                condition=models.Q(ends_on__isnull=True, role="lead"),
                name="one_open_lead_per_youth",
            ),
        ]

    def __str__(self):
        return f"{self.professional} – {self.youth} ({self.get_role_display()})"

    @property
    def is_open(self):
        return self.ends_on is None

    @property
    def is_lead(self):
        return self.role == self.Role.LEAD


class NoteQuerySet(models.QuerySet):
    def shareable_with_jim(self):
        """Notes that may ever reach a JIM: none given in confidence, about a third party, for the court or withheld."""
        return self.filter(**dict.fromkeys(Note.NEVER_FOR_JIM, False))


class Note(models.Model):
    """A dossier entry. Its flags, agreed with the youth, decide who may later read it."""

    #: A note with any of these flags never reaches a JIM, whatever else was agreed.
    NEVER_FOR_JIM = ("in_confidence", "third_party_only", "for_court", "withheld_for_youth")

    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="notes", verbose_name=_("youth"))
    author = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    written_on = models.DateField(_("date"), validators=[validate_event_date])
    text = models.TextField(_("text"), max_length=8000)
    in_confidence = models.BooleanField(_("given in confidence"), default=False)
    third_party_only = models.BooleanField(_("only about a third party"), default=False)
    for_court = models.BooleanField(_("for the court"), default=False)
    withheld_for_youth = models.BooleanField(
        _("withheld for the youth's own good (agogische exceptie)"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-written_on", "-pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return f"{self.youth.case_number} {self.written_on}"

    @property
    def may_reach_jim(self):
        return not any(getattr(self, flag) for flag in self.NEVER_FOR_JIM)


#: The core's page codes in the access log; the other apps register theirs (settings.ACCESS_LOG_PAGES).
ACCESS_LOG_PAGES = {
    "jimcase:youth_detail": _("file"),
    "jimcase:youth_edit": _("file: details"),
    "jimcase:parent_add": _("parents: add"),
    "jimcase:parent_edit": _("parents: edit"),
    "jimcase:nobody_can_decide": _("parents: nobody can decide"),
    "jimcase:assignment_add": _("professionals: assign"),
    "jimcase:assignment_end": _("professionals: end an assignment"),
    "jimcase:lead_hand_over": _("professionals: hand over the lead"),
    "jimcase:capacity_edit": _("capacity"),
    "jimcase:note_add": _("notes: add"),
    "jimcase:dossier_access": _("file produced for someone who asked to read it"),
    "register": _("registered"),
    "lead-handover": _("lead handed over by a coordinator"),
}


class AccessLogQuerySet(models.QuerySet):
    """The access log is append-only: rows are never changed or deleted through the app."""

    def update(self, **kwargs):
        raise PermissionError("The access log cannot be changed.")

    def delete(self):
        raise PermissionError("The access log cannot be deleted.")


class AccessLog(models.Model):
    """Who saw or changed which youth's file, when, on which page (NEN 7513). Append-only.

    Written in one place, `jimcase.middleware.AccessLogMiddleware`, for every page of a youth that
    answered (a refused request writes nothing), and by services for what has no page of its own.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CHANGE = "change", _("changed")

    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="access_log", verbose_name=_("youth")
    )
    user = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+", verbose_name=_("user"))
    on_behalf_of = models.ForeignKey(
        "User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    page = models.CharField(_("page"), max_length=100)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.VIEW)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access-log entry")
        verbose_name_plural = _("access log")
        indexes = [
            # "The last 20 on the file" reads them in this order without sorting all of a youth's visits.
            models.Index(fields=["youth", "-at", "-id"], name="accesslog_youth_latest"),
        ]

    def __str__(self):
        return f"{self.user} {self.page} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log cannot be deleted.")

    @property
    def page_label(self):
        return access_log_label(self.page)


class YouthUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key table for per-youth user permissions (fast joins, real FK integrity)."""

    content_object = models.ForeignKey(Youth, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class YouthGroupObjectPermission(GroupObjectPermissionBase):
    """Direct foreign-key table for per-youth group (team) permissions."""

    content_object = models.ForeignKey(Youth, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass


class AccountChange(models.Model):
    """Append-only record of a change to a person's account: roles, teams, organisation, active state,
    e-mail address, login lock, second factor, and each password link sent to it."""

    class What(models.TextChoices):
        ROLES = "roles", _("roles")
        TEAMS = "teams", _("teams")
        ACTIVE = "active", _("active")
        ORGANISATION = "organisation", _("organisation")
        LOGIN_LOCK = "login_lock", _("login lock")
        SECOND_FACTOR = "second_factor", _("second factor")
        EMAIL = "email", _("e-mail address")
        #: A link to choose a password was queued for the address in `after`.
        PASSWORD_LINK = "password_link", _("link to choose a password")

    user = models.ForeignKey(
        "User", on_delete=models.CASCADE, related_name="account_changes", verbose_name=_("account")
    )
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    before = models.CharField(_("before"), max_length=500, blank=True)
    after = models.CharField(_("after"), max_length=500, blank=True)
    by = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")

    def __str__(self):
        return f"{self.user} {self.what}: {self.before} → {self.after}"


class PasswordResetRequest(models.Model):
    """One request for a password-reset mail, kept an hour or so to limit how many are sent.

    The e-mail address is kept as a digest only: whoever typed it need not have an account.
    """

    email_digest = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.ip_address} {self.at:%Y-%m-%d %H:%M}"


class DossierAccess(models.Model):
    """One production of a youth's file for someone who asked to read it (inzage). Append-only."""

    class Requester(models.TextChoices):
        YOUTH = "youth", _("the youth")
        VERTROUWENSPERSOON = "vertrouwenspersoon", _("a vertrouwenspersoon (person of trust)")
        PARENT = "parent", _("a parent of a youth who is not capable")

    class Format(models.TextChoices):
        PAGE = "page", _("printable page")
        JSON = "json", _("JSON download")

    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="dossier_accesses", verbose_name=_("youth")
    )
    requester_type = models.CharField(_("who asks"), max_length=20, choices=Requester.choices)
    requester_name = models.CharField(_("name of the person who asks"), max_length=200)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    by = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+", verbose_name=_("produced by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("dossier access")
        verbose_name_plural = _("dossier accesses")

    def __str__(self):
        return f"{self.youth} {self.requester_type} {self.at:%Y-%m-%d}"


class FormSubmission(models.Model):
    """A used one-time form token: a second submit of the same form creates nothing."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.token)


class ReminderSent(models.Model):
    """A reminder e-mail that went out; its key makes `send_reminders` send each reminder once."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return self.key


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Messages waiting to go out whose next try is now or past."""
        return self.filter(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now or timezone.now())

    def undelivered(self, topics):
        """What could not be sent (yet) about these topics: a failed try, or given up."""
        return self.filter(topic__in=topics).filter(
            models.Q(status=OutgoingMail.Status.QUEUED, attempts__gt=0)
            | models.Q(status=OutgoingMail.Status.FAILED)
        )


class OutgoingMail(models.Model):
    """One e-mail in the outbox: written in the transaction of what caused it, sent after commit.

    `jimcase.outbox` queues and delivers. The body holds links with tokens, so it is emptied once the
    mail went out; what stays is who, what, when and how it went.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")

    kind = models.CharField(_("kind"), max_length=40)
    #: What the mail is about, as "<model>:<pk>" (e.g. "triad:12"), so the page of that object can say
    #: that its mail did not go out. The core names no model of the apps above it.
    topic = models.CharField(_("about"), max_length=60, blank=True, db_index=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.kind} → {self.to}"
