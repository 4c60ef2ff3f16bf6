"""Varied histories for the reports-versus-pages test, built through the services at the dates they describe.

`build(seed, on_checkpoint)` registers youths of two organisations and plays each youth's story (a generator
that yields the next moment it acts at) interleaved in time order, every service call under
`time_machine.travel(moment, tick=False)`: the wie-vraag (searches open, found and stopped at every age, a
second search after a stop, candidates asked, thinking, yes and no), triads in draft, trial, active and ended
(every end reason, from a draft too, informal contact after it), parental consent given, pending, refused,
given after a refusal and withdrawn, coordinators' overrides, minors without parents with and without the
file's "nobody can decide" (recorded before the triad, or later, which starts its trial), adults, youths
turning 18 within the period (one born on 29 February), check-ins done and overdue, evaluations (continue,
adjust, end), the conversation after a closure, "denk even mee" requests open and handled, JIMs shared by two
youths, the peer network's opt-in, lead hand-overs and the professionals' training.

At each checkpoint day the callback runs at the last moment of that day, with the clock there: what the
pages say then is read by the caller (the test), and compared later with what the reports say about it.
"""

import datetime
import heapq
import random
from dataclasses import dataclass, field

import time_machine
from django.utils import timezone

from jimcase import services as case_services
from jimcase.models import NobodyCanDecide, ParentGuardian, Role, Training, Youth
from jimcase.tests.factories import OrganisationFactory, UserFactory
from mentors import services as mentor_services
from mentors.models import CriminalRecordCheck, NetworkMember, Search, SuccessFactor
from triads import services as triad_services

from .history_triads import TriadChapters

D = datetime.date
#: The first registrations; the checkpoints (a period ending mid-history, one on a 29-February birthday's
#: eve, and the period's end); the last story moment; the day the reports are asked for.
FIRST_DAY = D(2025, 7, 1)
CHECKPOINTS = (D(2025, 12, 31), D(2026, 2, 28), D(2026, 6, 30))
LAST_DAY = D(2026, 7, 10)
REPORT_DAY = D(2026, 7, 15)


def moment(day, hour=10, minute=0):
    """A moment on `day` in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def last_moment(day):
    """The last moment of `day`: what the pages say at the end of that day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


@dataclass
class Cast:
    organisation: object
    professionals: list
    coordinator: object
    teams: list
    shared_emails: list = field(default_factory=list)


@dataclass
class History:
    seed: int
    casts: list
    youths: list = field(default_factory=list)
    #: What happened to each youth, in words (case number: [..]), printed when a figure differs.
    story: dict = field(default_factory=dict)


def _cast(rng, name, n_professionals, requires_extract):
    organisation = OrganisationFactory(name=name, requires_criminal_record_extract=requires_extract)
    teams = [case_services.team_create(organisation=organisation, name=f"{name} team {t}") for t in "AB"]
    professionals = []
    for i in range(n_professionals):
        user = UserFactory(
            username=f"{name.lower()}-p{i}",
            first_name=f"Prof{i}",
            last_name=name,
            display_name=f"Prof{i} {name}",
            organisation=organisation,
            role=Role.PROFESSIONAL,
        )
        case_services.team_member_add(team=teams[i % 2], user=user)
        professionals.append(user)
    coordinator = UserFactory(
        username=f"{name.lower()}-coord",
        display_name=f"Coord {name}",
        organisation=organisation,
        role=Role.COORDINATOR,
    )
    return Cast(
        organisation,
        professionals,
        coordinator,
        teams,
        [f"shared{k}@{name.lower()}.example" for k in range(2)],
    )


class Story(TriadChapters):
    """One youth's story: `at(day, hour)` moves its clock forward (the scheduler resumes it there)."""

    def __init__(self, history, cast, rng, number):
        self.history, self.cast, self.rng, self.number = history, cast, rng, number
        self.day = FIRST_DAY + datetime.timedelta(days=rng.randint(0, 300))
        self.hour = 8
        self.now = moment(self.day, self.hour)
        self.case_number = f"S{history.seed}-{cast.organisation.name[:1]}{number:03d}"
        self.lead = rng.choice(cast.professionals)
        self.log = history.story.setdefault(self.case_number, [])

    def later(self, days=0, hours=1):
        """The next moment of this story: `days` later (at 8 o'clock then), or `hours` later the same day."""
        if days:
            self.day += datetime.timedelta(days=days)
            self.hour = 8 + self.rng.randint(0, 3)
        else:
            self.hour += hours
            if self.hour > 18:
                self.day += datetime.timedelta(days=1)
                self.hour = 8
        self.now = max(self.now, moment(self.day, self.hour, self.rng.choice((0, 15, 30))))
        return self.now

    def note(self, text):
        self.log.append(f"{self.day}: {text}")

    @property
    def over(self):
        return self.day > LAST_DAY

    def run(self):
        rng = self.rng
        yield self.later()
        youth = self.register()
        self.history.youths.append(youth)
        if rng.random() < 0.05:
            return  # referred, no search yet
        yield self.later(days=rng.randint(0, 20))
        while True:
            search = mentor_services.search_start(youth=youth, by=self.lead, started_on=self.day)
            self.note("search started")
            outcome = rng.choices(("open", "stopped", "found"), (2, 2, 9))[0]
            candidates = yield from self.candidates(search, someone_says_yes=outcome == "found")
            if outcome == "open" or not candidates:
                return
            yield self.later(days=rng.choice((3, 10, 25, 45, 59, 60, 61, 75, 89, 90, 91, 120)))
            if self.over:
                return
            if outcome == "stopped":
                mentor_services.search_stop(
                    search=search,
                    reason=rng.choice(Search.StopReason.values),
                    next_step="Verder zonder JIM",
                    by=self.lead,
                )
                self.note("search stopped")
                if rng.random() < 0.5:
                    return
                yield self.later(days=rng.randint(1, 30))
                if self.over:
                    return
                continue
            yield from self.found(youth, search, candidates)
            return

    def register(self):
        rng = self.rng
        kind = rng.choices(("adult", "minor", "turns_18", "leap"), (3, 4, 2, 1))[0]
        if kind == "adult":
            born = self.day.replace(year=self.day.year - 19) - datetime.timedelta(days=rng.randint(0, 300))
        elif kind == "minor":
            born = self.day.replace(year=self.day.year - 15) - datetime.timedelta(days=rng.randint(0, 300))
        elif kind == "turns_18":
            # 18 on a day between the registration (or the first checkpoint) and the last checkpoint.
            first = max(self.day, CHECKPOINTS[0] - datetime.timedelta(days=30))
            birthday = first + datetime.timedelta(days=rng.randint(1, (CHECKPOINTS[-1] - first).days))
            born = birthday.replace(year=birthday.year - 18)
        else:
            born = D(2008, 2, 29)
        youth = case_services.youth_register(
            by=self.lead,
            organisation=self.cast.organisation,
            team=rng.choice([*self.cast.teams, None]),
            first_name=f"Jongere{self.number}",
            last_name="Verhaal",
            case_number=self.case_number,
            date_of_birth=born,
            referral_date=self.day,
            placement_considered=rng.choice(Youth.PlacementConsidered.values),
            living_situation=rng.choice(Youth.LivingSituation.values),
        )
        self.note(f"registered ({kind}, born {born})")
        parents = rng.choices((0, 1, 2), (2, 2, 3))[0]
        for p in range(parents):
            case_services.parent_save(
                parent=ParentGuardian(
                    youth=youth,
                    name=f"Ouder{p} Verhaal{self.number}",
                    relation=("mother", "father")[p],
                    email="",
                ),
                by=self.lead,
            )
        if rng.random() < 0.3:
            case_services.parent_save(
                parent=ParentGuardian(
                    youth=youth,
                    name=f"Pleeg Verhaal{self.number}",
                    relation="foster_parent",
                    has_parental_authority=False,
                ),
                by=self.lead,
            )
        self.parents = parents
        self.minor = kind != "adult"
        # A minor without parents: the file says why nobody can decide now, later (after the triad is made), or never.
        self.nobody = rng.choice(("now", "later", "never")) if not parents else "never"
        if self.nobody == "now":
            self.nobody_can_decide(youth)
        self.note(f"{parents} parent(s) with authority; nobody can decide: {self.nobody}")
        return youth

    def nobody_can_decide(self, youth):
        case_services.nobody_can_decide_record(
            youth=youth,
            reason=self.rng.choice(NobodyCanDecide.STATED),
            explanation="Zo vernomen",
            by=self.lead,
        )
        self.note("nobody can decide recorded")

    def candidates(self, search, someone_says_yes):
        """Put 1–3 people forward and move them along; returns those who said yes (yields moments)."""
        rng = self.rng
        yes = []
        n = rng.randint(1, 3)
        for c in range(n):
            email = (
                rng.choice(self.cast.shared_emails)
                if rng.random() < 0.2
                else f"{self.case_number}-{search.pk}-{c}@x.example"
            )
            member = mentor_services.member_save(
                member=NetworkMember(
                    youth=search.youth,
                    name=f"Kandidaat{c} {self.case_number}",
                    relation=rng.choice(NetworkMember.Relation.values[:8]),
                    closeness="close",
                    is_adult=True,
                    email=email,
                ),
                by=self.lead,
            )
            candidate = mentor_services.candidate_add(search=search, member=member, by=self.lead)
            path = rng.choice(
                (
                    [],
                    ["discussed"],
                    ["not_suitable"],
                    ["discussed", "asked"],
                    ["discussed", "asked", "thinking"],
                    ["discussed", "asked", "no"],
                    ["discussed", "asked", "thinking", "no"],
                    ["discussed", "asked", "yes"],
                    ["discussed", "asked", "thinking", "yes"],
                    ["discussed", "asked", "yes"],
                )
            )
            if someone_says_yes and c == n - 1 and not yes:
                path = ["discussed", "asked", "yes"]
            for status in path:
                yield self.later(days=rng.randint(0, 6))
                if self.over:
                    return yes
                reason = "Past niet" if status in ("no", "not_suitable") else ""
                mentor_services.candidate_status_set(
                    candidate=candidate, to=status, by=self.lead, reason=reason
                )
            self.note(f"candidate {c}: {' > '.join(path) or 'named'}")
            if path and path[-1] == "yes":
                yes.append(candidate)
        return yes

    def found(self, youth, search, candidates):
        rng = self.rng
        candidate = rng.choice(candidates)
        mentor_services.screening_record(
            candidate=candidate, results=dict.fromkeys(SuccessFactor.values, ("met", "")), by=self.lead
        )
        mentor_services.record_check_save(
            candidate=candidate,
            kind=CriminalRecordCheck.Kind.FLEMISH_MODEL_2,
            issued_on=self.day - datetime.timedelta(days=10),
            by=self.lead,
        )
        search = mentor_services.jim_choose(search=search, candidate=candidate, by=self.lead)
        self.note(f"JIM chosen after {search.days_to_nomination} days")
        if rng.random() < 0.05:
            return  # no triad yet
        yield self.later(days=rng.randint(0, 3))
        if self.over:
            return
        triad = triad_services.triad_create(search=search, by=self.lead)
        self.note("triad made (draft)")
        yield from self.triad(youth, triad)


def _joins(cast, day):
    """A professional who joins mid-history (not one of the professionals on an earlier day)."""
    yield moment(day, 9)
    cast.professionals.append(
        UserFactory(
            username=f"{cast.organisation.name.lower()}-late",
            display_name=f"Laat {cast.organisation.name}",
            organisation=cast.organisation,
            role=Role.PROFESSIONAL,
        )
    )


def _trainings(history, rng):
    """Stories of the professionals' training (the method's or the organisation's), each recorded on its day."""

    def record(cast, user, kind, day):
        yield moment(day, 17)
        case_services.training_save(
            training=Training(user=user, kind=kind, completed_on=day, provider="Opleiding"),
            by=cast.coordinator,
        )
        history.story.setdefault(user.username, []).append(f"{day}: training {kind}")

    for cast in history.casts:
        for user in cast.professionals:
            for kind in rng.sample(Training.Kind.values, rng.randint(0, 2)):
                joined = timezone.localdate(user.date_joined)
                yield record(
                    cast, user, kind, min(joined + datetime.timedelta(days=rng.randint(1, 360)), LAST_DAY)
                )


def build(seed, on_checkpoint, youths=(20, 5)):
    """Build the history of `seed` (youths per organisation), calling `on_checkpoint(day, history)` at the
    last moment of each checkpoint day, with the clock there."""
    rng = random.Random(seed)
    with time_machine.travel(moment(FIRST_DAY - datetime.timedelta(days=30)), tick=False):
        history = History(seed, [_cast(rng, "Brug", 4, True), _cast(rng, "Elders", 2, False)])
    queue = [_joins(history.casts[0], D(2026, 1, 20)), *_trainings(history, rng)]
    for cast, n in zip(history.casts, youths, strict=True):
        for number in range(n):
            story = Story(history, cast, random.Random(rng.random()), number)
            queue.append(story.run())

    def checkpoint(day):
        yield last_moment(day)
        on_checkpoint(day, history)

    queue += [checkpoint(day) for day in CHECKPOINTS]
    heap = []
    for order, story in enumerate(queue):
        heapq.heappush(heap, (next(story), order, story))
    while heap:
        when, order, story = heapq.heappop(heap)
        with time_machine.travel(when, tick=False):
            try:
                following = story.send(None)
            except StopIteration:
                continue
        assert following >= when, (when, following)
        heapq.heappush(heap, (following, order, story))
    return history
