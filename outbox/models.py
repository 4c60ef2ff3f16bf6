"""The outbox's mails: one row per e-mail, from queued to sent or given up."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

    `outbox.services` queues and delivers. The body holds links with tokens, so it is emptied once the
    mail went out; what stays is who, what, when and how it went.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")

    kind = models.CharField(_("kind"), max_length=40)
    #: What the mail is about, as "<model>:<pk>" (e.g. "triad:12"), so the page of that object can say
    #: that its mail did not go out. The outbox names no model of the apps that send mail.
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
        # The table kept the name it had when the model lived in jimcase (migration outbox 0001).
        db_table = "jimcase_outgoingmail"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.kind} → {self.to}"


def topic_of(obj):
    """The outbox's name for what a mail is about: "<model>:<pk>", e.g. "triad:12"."""
    return f"{obj._meta.model_name}:{obj.pk}"
