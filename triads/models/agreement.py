"""The signed, versioned agreement: its sections, signatures and one-time signing links."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jimcase.models import EditVersioned, ParentGuardian
from jimcase.validators import validate_trial_days

from .triad import Triad


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
