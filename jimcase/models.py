"""The case core: organisations, teams, users and youths, with per-youth object permissions.

Domain words: a *hulpverlener* is a professional; a *JIM* (Jouw Ingebrachte Mentor) is the informal
mentor a youth chooses from their own network.
"""

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class Role(models.TextChoices):
    """The role groups, created by a data migration."""

    HULPVERLENER = "hulpverlener", _("professional")
    JIM = "jim", _("JIM")
    COORDINATOR = "coordinator", _("coordinator")


class Organisation(models.Model):
    class Jurisdiction(models.TextChoices):
        FLANDERS = "flanders", _("Flanders")
        NETHERLANDS = "netherlands", _("Netherlands")

    name = models.CharField(_("name"), max_length=200, unique=True)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=20, choices=Jurisdiction.choices, default=Jurisdiction.FLANDERS
    )
    default_trial_days = models.PositiveIntegerField(
        _("default trial length (days)"),
        default=90,
        help_text=_("How long a triad's trial period lasts unless the agreement says otherwise."),
    )
    requires_criminal_record_extract = models.BooleanField(
        _("criminal-record extract required for a JIM"), default=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Team(models.Model):
    """A team of professionals; membership is the team's auth group, so guardian can share with it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="team", editable=False)

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

    def has_role(self, role):
        # Cached per instance: the navigation asks this on every page.
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.filter(name__in=Role.values).values_list("name", flat=True))
        return role in self._role_names

    @property
    def is_hulpverlener(self):
        return self.has_role(Role.HULPVERLENER)

    @property
    def is_jim(self):
        return self.has_role(Role.JIM)

    @property
    def is_coordinator(self):
        return self.is_staff and self.has_role(Role.COORDINATOR)

    @property
    def teams(self):
        return Team.objects.filter(group__user=self)


class Youth(models.Model):
    """A youth in care: the object every confidential record hangs from."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="youths", verbose_name=_("organisation")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    case_number = models.CharField(_("case number"), max_length=50)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("youth")
        verbose_name_plural = _("youths")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case_number"], name="youth_case_number_unique_in_organisation"
            )
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.case_number})"


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
