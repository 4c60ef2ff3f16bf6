"""The organisation and its people: organisations, teams, users (professionals, JIMs, coordinators) and the JIMs' trainings."""

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..rules import plain_text
from ..validators import TRIAL_DAYS_DEFAULT, validate_past_date, validate_trial_days


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
        default=TRIAL_DAYS_DEFAULT,
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
