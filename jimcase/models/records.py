"""What the file keeps about its use: notes, the access log, productions for inzage, form and reminder receipts."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..registry import access_log_label
from ..validators import validate_event_date
from .youth import Youth


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
