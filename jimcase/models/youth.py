"""The youth's file: the youth, parents, case assignments and the per-youth object permissions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from ..rules import age_on
from ..stages import Stage
from ..validators import validate_birth_date, validate_event_date
from .people import Organisation, Team


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

    #: Where the youth is in the method (jimcase.stages); moved only by services.
    Stage = Stage

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

    @property
    def in_triad(self):
        return self.stage == self.Stage.IN_TRIAD


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
