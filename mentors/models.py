"""The wie-vraag: the youth's network, the search for a JIM, candidates and their screening.

Domain words: the *wie-vraag* ("who-question") asks the youth who in their own network could think
along with them, before asking what is wrong. The chosen informal mentor is the *JIM*.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from jimcase.models import EditVersioned, Organisation, Youth, why_label
from jimcase.rules import ADULT_AGE, age_on, plain_text
from jimcase.validators import validate_adult_birth_date, validate_event_date, validate_plan_date

#: The topics every organisation starts with (English msgids, translated on display; seeded by a migration).
DEFAULT_TOPICS = [
    gettext_noop("school"),
    gettext_noop("home"),
    gettext_noop("friends"),
    gettext_noop("health"),
    gettext_noop("free time"),
    gettext_noop("money"),
    gettext_noop("feelings"),
    gettext_noop("work"),
]


class TopicQuerySet(models.QuerySet):
    def for_organisation(self, organisation_id):
        """The defaults for everyone and the organisation's own topics."""
        return self.filter(models.Q(organisation__isnull=True) | models.Q(organisation_id=organisation_id))


class Topic(models.Model):
    """Something the youth would go to a person for ("wie voor wat": school, home, money, …).

    A topic without an organisation is a default for every organisation; coordinators add their own.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("organisation"),
        help_text=_("Empty: a default for every organisation."),
    )
    name = models.CharField(_("name"), max_length=60, validators=[plain_text])

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["organisation_id", "name", "pk"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="topic_once_per_organisation"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(organisation__isnull=True), name="default_topic_once"
            ),
        ]

    def __str__(self):
        # A default's name is an English msgid (DEFAULT_TOPICS); an organisation's own is shown as written.
        return gettext(self.name) if self.organisation_id is None else self.name


class NetworkMember(EditVersioned):
    """A person in the youth's network, with the facts the success factors need."""

    class Relation(models.TextChoices):
        GRANDPARENT = "grandparent", _("grandparent")
        AUNT_UNCLE = "aunt_uncle", _("aunt / uncle")
        NEIGHBOUR = "neighbour", _("neighbour")
        COACH = "coach", _("coach")
        TEACHER = "teacher", _("teacher")
        FAMILY_FRIEND = "family_friend", _("friend of the family")
        OLDER_FRIEND = "older_friend", _("older friend")
        SIBLING = "sibling", _("sibling")
        PARENT = "parent", _("parent")
        EX_PROFESSIONAL = "ex_professional", _("ex-professional")
        OTHER = "other", _("other")

    class Closeness(models.TextChoices):
        CLOSE = "close", _("close")
        MIDDLE = "middle", _("in between")
        FURTHER = "further", _("further away")

    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="network", verbose_name=_("youth")
    )
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    closeness = models.CharField(
        _("closeness (as the youth sees it)"),
        max_length=10,
        choices=Closeness.choices,
        default=Closeness.MIDDLE,
    )
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_adult_birth_date]
    )
    is_adult = models.BooleanField(_("adult (18+)"), null=True, blank=True)
    is_biological_parent = models.BooleanField(_("biological parent"), default=False)
    paid_involvement = models.BooleanField(
        _("paid involvement with the youth (now or earlier)"),
        default=False,
        help_text=_("A current or former professional of the youth."),
    )
    same_roof = models.BooleanField(_("lives under the same roof"), default=False)
    romantic_partner = models.BooleanField(_("romantic partner of the youth"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="members",
        verbose_name=_("who for what"),
        help_text=_("What the youth would go to this person for."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("network member")
        verbose_name_plural = _("network members")

    def __str__(self):
        return f"{self.name} ({self.get_relation_display()})"

    def adult_on(self, day):
        """True/False when known, None when unknown."""
        if self.date_of_birth:
            return age_on(self.date_of_birth, day) >= ADULT_AGE
        return self.is_adult


class SearchQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Search.Status.OPEN)

    def open_on(self, day):
        """The searches open at the end of `day` (`Search.open_on_q`); `open_on(today)` is `open()`."""
        return self.filter(Search.open_on_q(day))


class Search(models.Model):
    """One run of the wie-vraag for a youth: from start to a JIM found or a stop."""

    class Status(models.TextChoices):
        OPEN = "open", _("searching")
        FOUND = "found", _("JIM found")
        STOPPED = "stopped", _("stopped")

    class StopReason(models.TextChoices):
        NO_JIM_FOUND = "no_jim_found", _("no JIM found")
        YOUTH_WITHDREW = "youth_withdrew", _("youth withdrew")
        OTHER_HELP = "other_help", _("other help chosen")
        CASE_CLOSED = "case_closed", _("case closed")
        OTHER = "other", _("other")

    WARN_DAYS = 60
    LIMIT_DAYS = 90

    youth = models.ForeignKey(
        Youth, on_delete=models.CASCADE, related_name="searches", verbose_name=_("youth")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    started_on = models.DateField(_("started on"), validators=[validate_event_date])
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[validate_event_date])
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("ended by"),
    )
    stop_reason = models.CharField(_("reason"), max_length=20, choices=StopReason.choices, blank=True)
    next_step = models.TextField(_("next step"), blank=True, max_length=2000)
    chosen = models.OneToOneField(
        "Candidate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen JIM"),
    )
    days_to_nomination = models.PositiveIntegerField(_("days to nomination"), null=True, blank=True)
    jim_profile = models.ForeignKey(
        "JimProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="searches",
        verbose_name=_("JIM"),
    )

    objects = SearchQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("search")
        verbose_name_plural = _("searches")
        constraints = [
            models.UniqueConstraint(
                fields=["youth"], condition=models.Q(status="open"), name="one_open_search_per_youth"
            )
        ]

    def __str__(self):
        return f"{self.youth.case_number} {self.started_on}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_found(self):
        return self.status == self.Status.FOUND

    @property
    def is_stopped(self):
        return self.status == self.Status.STOPPED

    def days_open(self, today=None):
        end = self.ended_on or today or timezone.localdate()
        return (end - self.started_on).days

    @staticmethod
    def open_on_q(day):
        """A search open at the end of `day`: started by then and not ended by then."""
        return models.Q(started_on__lte=day) & (models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day))

    @classmethod
    def warning_level_q(cls, day):
        """{level: Q on the start}: the `warning_level` a search open on `day` had on that day."""
        warn = day - datetime.timedelta(days=cls.WARN_DAYS)
        limit = day - datetime.timedelta(days=cls.LIMIT_DAYS)
        return {
            "": models.Q(started_on__gt=warn),
            "warn": models.Q(started_on__lte=warn, started_on__gte=limit),
            "limit": models.Q(started_on__lt=limit),
        }

    def warning_level(self, today=None):
        """'limit' past LIMIT_DAYS days open, 'warn' from WARN_DAYS, '' otherwise (only while open)."""
        if not self.is_open:
            return ""
        days = self.days_open(today)
        if days > self.LIMIT_DAYS:
            return "limit"
        if days >= self.WARN_DAYS:
            return "warn"
        return ""


class Candidate(models.Model):
    """A network member the youth named as a possible JIM in a search."""

    class Status(models.TextChoices):
        NAMED = "named", _("named by the youth")
        DISCUSSED = "discussed", _("discussed with the youth")
        ASKED = "asked", _("asked")
        THINKING = "thinking", _("thinking it over")
        YES = "yes", _("said yes")
        NO = "no", _("said no")
        NOT_SUITABLE = "not_suitable", _("not suitable")
        #: Set by the application when the search closes (found or stopped) for everyone still in the running.
        NOT_CHOSEN = "not_chosen", _("not chosen")

    search = models.ForeignKey(
        Search, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("search")
    )
    member = models.ForeignKey(
        NetworkMember, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("network member")
    )
    preference = models.PositiveIntegerField(_("youth's preference"), default=1)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.NAMED)
    status_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["preference", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(fields=["search", "member"], name="candidate_once_per_search"),
        ]

    def __str__(self):
        return str(self.member)

    #: Out of the running for good: said no, not suitable, or not chosen when the search closed.
    OUT_STATUSES = (Status.NO, Status.NOT_SUITABLE, Status.NOT_CHOSEN)

    @property
    def said_yes(self):
        return self.status == self.Status.YES

    @property
    def is_out(self):
        return self.status in self.OUT_STATUSES

    @property
    def status_reason_text(self):
        """The reason in the reader's language: a code the application records, or the text as written."""
        return why_label(CandidateStatusChange.Why, self.status_reason)


class CandidateStatusChange(models.Model):
    """Append-only history of a candidate's status."""

    class Why(models.TextChoices):
        """The reasons the application itself records: stored as a code, shown in the reader's language."""

        SEARCH_FOUND = "search_found", _("The search closed: the youth chose a JIM.")
        SEARCH_STOPPED = "search_stopped", _("The search was stopped.")

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="history", verbose_name=_("candidate")
    )
    from_status = models.CharField(
        max_length=15, choices=Candidate.Status.choices, blank=True, verbose_name=_("previous status")
    )
    to_status = models.CharField(
        max_length=15, choices=Candidate.Status.choices, verbose_name=_("new status")
    )
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"

    @property
    def reason_text(self):
        """The reason in the reader's language: a code's label, or the text as written."""
        return why_label(self.Why, self.reason)


class SuccessFactor(models.TextChoices):
    """The seven success factors of the JIM method (DESIGN.md, method point 2)."""

    ADULT = "adult", _("18 or older")
    NOT_BIOLOGICAL_PARENT = "not_biological_parent", _("not a biological parent")
    NO_PAID_INVOLVEMENT = (
        "no_paid_involvement",
        _("no paid involvement (not a current or former professional)"),
    )
    NOT_SAME_ROOF = "not_same_roof", _("not living under the same roof")
    WILLING_TO_COOPERATE = "willing_to_cooperate", _("willing to work with the professional")
    NOT_ROMANTIC_PARTNER = "not_romantic_partner", _("not a romantic partner")
    PARENTS_AGREE = "parents_agree", _("the parents agree")


class FactorCheck(models.Model):
    """One success factor checked for one candidate; a factor not met needs a written justification."""

    class Result(models.TextChoices):
        MET = "met", _("met")
        NOT_MET = "not_met", _("not met")
        UNKNOWN = "unknown", _("unknown")

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="checks", verbose_name=_("candidate")
    )
    factor = models.CharField(_("success factor"), max_length=30, choices=SuccessFactor.choices)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.UNKNOWN)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    justification = models.TextField(_("justification"), blank=True, max_length=5000)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("success-factor check")
        verbose_name_plural = _("success-factor checks")
        constraints = [models.UniqueConstraint(fields=["candidate", "factor"], name="one_check_per_factor")]

    def __str__(self):
        return f"{self.candidate} {self.factor}: {self.result}"


class CriminalRecordCheck(models.Model):
    """That a criminal-record extract was seen. The document itself is never uploaded or stored."""

    class Kind(models.TextChoices):
        FLEMISH_MODEL_2 = "model_2", _("extract from the criminal record, model 2 (Flanders)")
        VOG = "vog", _("certificate of conduct, VOG (Netherlands)")

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="record_check", verbose_name=_("candidate")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    issued_on = models.DateField(_("issue date"), validators=[validate_event_date])
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    checked_on = models.DateField(_("checked on"), validators=[validate_event_date])
    # When it was last saved (`checked_on` is the day the extract was seen, which may lie before): a save
    # made on an older form is refused naming who saved last and when (mentors.stale). Empty on older checks.
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    # An extract older than the organisation's maximum blocks the choice, unless a professional records why
    # it may stand (who, when, why). A new extract replaces it, and drops the exception with the old one.
    age_exception_reason = models.TextField(
        _("why the older extract is accepted"), blank=True, max_length=2000, validators=[plain_text]
    )
    age_exception_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exception recorded by"),
    )
    age_exception_at = models.DateTimeField(_("exception recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("criminal-record check")
        verbose_name_plural = _("criminal-record checks")

    def __str__(self):
        return f"{self.get_kind_display()} {self.issued_on}"


class JimProfile(models.Model):
    """The JIM: a person from the youth's network who said yes and was chosen by the youth."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="jims", verbose_name=_("organisation")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jim_profile",
        verbose_name=_("account"),
    )
    member = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jim_profiles",
        verbose_name=_("network member"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    peer_network_opt_in = models.BooleanField(_("takes part in the JIM network"), default=False)
    peer_network_alumni = models.BooleanField(
        _("stays in the JIM network as an alumnus"),
        default=False,
        help_text=_(
            "A JIM reaches the JIM network while one of their triads is in its trial or active. "
            "Tick this to keep an experienced JIM in the network after their triads ended."
        ),
    )
    onboarding_read_on = models.DateField(
        _("read the JIM's guide on"),
        null=True,
        blank=True,
        help_text=_("The JIM confirmed reading what a JIM does and what is asked of them."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("JIM profile")
        verbose_name_plural = _("JIM profiles")

    def __str__(self):
        return self.name


class PeerMeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """The meetings still to come at `now` (default: this moment): those starting then or later."""
        return self.filter(starts_at__gte=now or timezone.now())


class PeerMeeting(models.Model):
    """A meeting of the organisation's JIM peer network."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="peer_meetings", verbose_name=_("organisation")
    )
    starts_at = models.DateTimeField(_("date and time"), validators=[validate_plan_date])
    place = models.CharField(_("place"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    attendees = models.ManyToManyField(
        JimProfile, blank=True, related_name="peer_meetings", verbose_name=_("coming")
    )

    objects = PeerMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("JIM network meeting")
        verbose_name_plural = _("JIM network meetings")

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d} {self.topic}"
