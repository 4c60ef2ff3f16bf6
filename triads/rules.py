"""Read-only rules of the triad that both services and selectors need: no writes, no e-mail.

Whether a triad may start its trial is decided by `start_blockers`, and whether parental consent
allows it by `consent_rule_met` alone.
"""

import datetime
import re
import unicodedata

from django.db.models import Case, Exists, Min, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from jimcase.models import NobodyCanDecide, ParentGuardian, Youth
from jimcase.rules import ADULT_AGE, NO_DECIDER_MISSING, adult_on_q, nobody_can_decide_holds
from jimcase.validators import TRIAL_DAYS_MAX, TRIAL_DAYS_MIN

from .models import (
    AGREEMENT_SECTIONS,
    Agreement,
    CheckIn,
    ConsentDecision,
    ConsentOverride,
    EndReason,
    GoalsReached,
    Party,
    PlacementOutcome,
    Signature,
    Triad,
)
from .models.consent import end_of

#: The object permission a JIM's account holds on their own triad.
VIEW_TRIAD = "triads.view_triad"

#: The only allowed moves of a triad's status.
TRIAD_TRANSITIONS = {
    Triad.Status.DRAFT: (Triad.Status.TRIAL, Triad.Status.ENDED),
    Triad.Status.TRIAL: (Triad.Status.ACTIVE, Triad.Status.ENDED),
    Triad.Status.ACTIVE: (Triad.Status.ENDED,),
    Triad.Status.ENDED: (),
}

Decision = ConsentDecision.Decision
#: The only allowed moves of one parent's consent (a refusal or a withdrawal can become a yes).
CONSENT_TRANSITIONS = {
    Decision.PENDING: (Decision.GIVEN, Decision.REFUSED),
    Decision.GIVEN: (Decision.WITHDRAWN,),
    Decision.REFUSED: (Decision.GIVEN,),
    Decision.WITHDRAWN: (Decision.GIVEN,),
}

#: The fields of an agreement version that a new version copies.
AGREEMENT_FIELDS = [
    "meeting",
    "jim_role",
    "confidentiality",
    "fallback",
    "evaluation",
    "at_eighteen",
    "ending",
    "trial_days",
    "include_parents",
]

#: Days after the start of the trial for the first check-ins ("two in the first month"), then every month.
FIRST_CHECK_INS = (14, 28)
CHECK_IN_INTERVAL = 30
MIN_DAYS_BEFORE_EVALUATION = 14
#: Days after a triad ends for the lead's conversation with the youth: how is it going without the JIM?
AFTER_CLOSURE_DAYS = 28
#: Days a JIM still reads on their page that a triad of theirs ended.
FAREWELL_DAYS = 60
ACTIVE_SCHEDULE_MONTHS = 12


def consent_allows(current, decision):
    """True when one parent's consent may move from `current` (a ConsentDecision or None) to `decision`."""
    current_decision = current.decision if current else Decision.PENDING
    return decision in CONSENT_TRANSITIONS[current_decision]


_UNSET = object()

#: A triad's parental consent, one state each, in this order: the first that holds. A minor without a
#: parent with parental authority is in order only when the file records why nobody can decide.
CONSENT_STATES = (
    "adult",
    "overridden",
    "withdrawn",
    "refused",
    "waiting",
    "no_parents",
    "given",
    "nobody_decides",
)
#: The states in which consent allows the triad to start (`consent_rule_met`).
CONSENT_IN_ORDER = ("adult", "overridden", "given", "nobody_decides")
#: One parent's latest decision as a state (no decision yet: waiting).
_PARENT_STATE = {
    Decision.WITHDRAWN: "withdrawn",
    Decision.REFUSED: "refused",
    Decision.PENDING: "waiting",
    Decision.GIVEN: "given",
}


def consent_state(triad, today=None, *, parents=None, latest=None, overridden=None, latest_nobody=_UNSET):
    """The one place that decides a triad's consent state now (one of CONSENT_STATES); the reports say
    the same for any day in the database with `consent_state_on(day)`.

    A youth of 18 or older needs no parental consent. A coordinator's override with a written justification
    allows it. Otherwise every parent with parental authority counts with their latest decision, the
    furthest from "given" first (a withdrawal, a refusal, no answer yet); when no such parent is recorded,
    the file's statement of why nobody can decide (`jimcase.models.NobodyCanDecide`) is needed: an empty
    list of parents is never enough. A page that already read the parents, the latest decisions, the
    override or the latest "nobody can decide" row passes them in.
    """
    youth = triad.youth
    age = youth.age_on(today or timezone.localdate())
    if age is not None and age >= ADULT_AGE:
        return "adult"
    if overridden is None:
        overridden = ConsentOverride.objects.filter(triad=triad).exists()
    if overridden:
        return "overridden"
    if parents is None:
        parents = youth.parents.filter(has_parental_authority=True)
    parents = [p for p in parents if p.has_parental_authority]
    if not parents:
        if latest_nobody is _UNSET:
            latest_nobody = NobodyCanDecide.objects.filter(youth=youth).last()
        return "nobody_decides" if nobody_can_decide_holds(latest_nobody, parents) else "no_parents"
    if latest is None:
        latest = {d.parent_id: d for d in ConsentDecision.objects.filter(triad=triad).current()}
    states = [_PARENT_STATE[latest[p.pk].decision] if p.pk in latest else "waiting" for p in parents]
    return min(states, key=CONSENT_STATES.index)


def consent_rule_met(triad, today=None, **read):
    """Whether parental consent allows this triad to start: its `consent_state` is in order."""
    return consent_state(triad, today, **read) in CONSENT_IN_ORDER


def consent_state_on(day):
    """An expression on a Triad queryset: its consent state at the end of `day`, as its place in
    CONSENT_STATES (the database's `consent_state`, built from the same pieces: `adult_on_q`, the overrides,
    decisions and "nobody can decide" rows recorded by then, `ConsentDecision.objects.current(as_of=day)`).

    One expression, evaluated once per triad: a report groups on it instead of counting each state apart
    (six counts would evaluate the subqueries six times over).
    """
    by_then = end_of(day)
    index = CONSENT_STATES.index
    # Each parent's latest decision by then as its state's number; a triad's parents combine by MIN().
    latest = (
        ConsentDecision.objects.current(as_of=day)
        .filter(triad=OuterRef(OuterRef("pk")), parent=OuterRef("pk"))
        .annotate(state=Case(*(When(decision=d, then=Value(index(s))) for d, s in _PARENT_STATE.items())))
        .values("state")[:1]
    )
    authority = ParentGuardian.objects.filter(youth=OuterRef("youth"), has_parental_authority=True)
    furthest = (
        authority.order_by()
        .values("youth")
        .annotate(state=Min(Coalesce(Subquery(latest), Value(index("waiting")))))
        .values("state")
    )
    # The youth's latest "nobody can decide" row recorded by then, when it is a statement (not a lapse).
    nobody_latest = (
        NobodyCanDecide.objects.filter(youth=OuterRef(OuterRef("youth")), at__lt=by_then)
        .order_by("-at", "-pk")
        .values("pk")[:1]
    )
    nobody_stated = NobodyCanDecide.objects.filter(pk=Subquery(nobody_latest)).exclude(
        reason=NobodyCanDecide.Reason.LAPSED
    )
    return Case(
        When(adult_on_q(day, "youth__"), then=Value(index("adult"))),
        When(
            Exists(ConsentOverride.objects.filter(triad=OuterRef("pk"), at__lt=by_then)),
            then=Value(index("overridden")),
        ),
        When(Exists(authority), then=Subquery(furthest)),
        When(Exists(nobody_stated), then=Value(index("nobody_decides"))),
        default=Value(index("no_parents")),
    )


def start_blockers(triad, today=None, *, agreement=_UNSET, consent_ok=None, deciders_missing=None):
    """What still stands between this triad and its trial; empty when it can start.

    A page that already read the current agreement, the consent rule and whether the minor's file lacks
    anyone who can decide (`jimcase.selectors.consent_deciders(…).missing`) passes them in.
    """
    blockers = []
    if agreement is _UNSET:
        agreement = triad.current_agreement
    if agreement is None or agreement.status != Agreement.Status.SIGNED:
        blockers.append(_("The current agreement is not yet signed by everyone."))
    elif not TRIAL_DAYS_MIN <= agreement.trial_days <= TRIAL_DAYS_MAX:
        # Only an agreement signed before the range was enforced can get here: its trial cannot start.
        blockers.append(
            _("The trial period must last between %(min)d and %(max)d days: change it in a new version.")
            % {"min": TRIAL_DAYS_MIN, "max": TRIAL_DAYS_MAX}
        )
    if consent_ok is None:
        consent_ok = consent_rule_met(triad, today=today)
    if not consent_ok:
        if deciders_missing is None:
            # Consent not in order and nobody with parental authority: the rule found no statement either.
            deciders_missing = not triad.youth.parents.filter(has_parental_authority=True).exists()
        if deciders_missing:
            blockers.append(str(NO_DECIDER_MISSING))
        else:
            blockers.append(
                _("Not every parent with parental authority has given consent (and there is no override).")
            )
    return blockers


def required_signers(agreement, parents=None):
    """(party, parent) pairs that must sign this version; `parents`: the youth's parents, if read."""
    signers = [(Party.YOUTH, None), (Party.JIM, None), (Party.PROFESSIONAL, None)]
    if agreement.include_parents:
        if parents is None:
            parents = agreement.triad.youth.parents.filter(has_parental_authority=True)
        parents = sorted((p for p in parents if p.has_parental_authority), key=lambda p: p.pk)
        signers += [(Party.PARENT, parent) for parent in parents]
    return signers


def missing_signers(agreement, parents=None):
    """(party, parent) pairs that still have to sign this version."""
    signed = {(s.party, s.parent_id) for s in agreement.signatures.all()}
    return [
        (party, parent)
        for party, parent in required_signers(agreement, parents)
        if (party, getattr(parent, "pk", None)) not in signed
    ]


#: What keyboards type for the plain forms in a name: typographic apostrophes (and accents typed as one),
#: quotes and dashes. Spaces of every kind need no entry: NFKD makes them plain and `name_key` drops them.
_NAME_VARIANTS = str.maketrans(
    {
        **dict.fromkeys("\u2019\u2018\u201b\u02bc\u02bb\u2032\u00b4`", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63", "-"),
    }
)
#: Letters NFKD leaves whole that people type without their stroke: "Søren" as "Soren".
_LETTER_VARIANTS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe"})
#: Left out of the comparison: spaces, apostrophes, quotes and hyphens, which people type, skip or swap
#: ("sem dhooghe", "Jean Pierre" for "Jean-Pierre"). Every letter and any other character still counts.
_NAME_JOINERS = str.maketrans(dict.fromkeys(" '\"-"))


def name_key(name):
    """The one form in which a typed and a recorded name are compared: "Sem D’Hooghe" → "semdhooghe".

    Case and accents aside, typographic apostrophes, quotes, dashes and spaces (non-breaking, narrow,
    thin, several) read as their plain forms, and those joiners themselves are left out.
    """
    plain = unicodedata.normalize("NFKD", (name or "").translate(_NAME_VARIANTS))
    letters = "".join(c for c in plain if not unicodedata.combining(c)).casefold().translate(_LETTER_VARIANTS)
    return "".join(letters.split()).translate(_NAME_JOINERS)


def professional_name(user):
    """The name a professional types to sign: their first and last name, else their display name."""
    return user.get_full_name() or str(user)


def recorded_name(agreement, party, parent=None, user=None):
    """The full name a party must type to sign this version: the professional's is that of `user`."""
    triad = agreement.triad
    if party == Party.YOUTH:
        return f"{triad.youth.first_name} {triad.youth.last_name}"
    if party == Party.JIM:
        return triad.jim_profile.name
    if party == Party.PARENT and parent is not None:
        return parent.name
    if party == Party.PROFESSIONAL and user is not None:
        return professional_name(user)
    return None


def typed_name_matches(typed, recorded):
    """True when the typed name is the recorded one, as `name_key` compares them; never without a name."""
    return recorded is not None and name_key(typed) == name_key(recorded)


#: How people write a length of time: "90 dagen", "drie maanden", "12 weeks".
_NUMBER_WORDS = {
    word: n
    for n, words in enumerate(
        [
            ("een", "één", "one", "a"),
            ("twee", "two"),
            ("drie", "three"),
            ("vier", "four"),
            ("vijf", "five"),
            ("zes", "six"),
            ("zeven", "seven"),
            ("acht", "eight"),
            ("negen", "nine"),
            ("tien", "ten"),
            ("elf", "eleven"),
            ("twaalf", "twelve"),
        ],
        1,
    )
    for word in words
}
_UNITS = r"dag(?:en)?|days?|weken|weeks?|maand(?:en)?|months?|jaar|jaren|years?"
_DURATION = re.compile(rf"\b(\d+|{'|'.join(_NUMBER_WORDS)})\s*({_UNITS})\b", re.IGNORECASE)
_TRIAL_WORD = re.compile(r"\W*(?:proef|trial)", re.IGNORECASE)
#: A length belongs to the trial when "proef…"/"trial…" is among the four words before it in its sentence
#: ("proefperiode van 90 dagen"), or the two after it ("12 weken op proef").
_WORDS_BEFORE, _WORDS_AFTER = 4, 2


def trial_lengths_named(text):
    """Each length of the trial period a text names, as (its words, the days, or None when not in days)."""
    named = []
    for match in _DURATION.finditer(text or ""):
        before = re.split(r"[.!?\n]", text[: match.start()])[-1].split()[-_WORDS_BEFORE:]
        after = re.split(r"[.!?\n]", text[match.end() :])[0].split()[:_WORDS_AFTER]
        if not any(_TRIAL_WORD.match(word) for word in before + after):
            continue
        number, unit = match.group(1), match.group(2).casefold()
        in_days = unit.startswith(("dag", "day"))
        days = int(number) if number.isdigit() else _NUMBER_WORDS[number.casefold()]
        named.append((f"{number} {unit}", days if in_days else None))
    return named


def agreement_contradictions(agreement):
    """{section field: the words} for each section that names a trial length other than the field's.

    The trial's length lives in one field, printed with the text; a section may leave it out or repeat
    exactly that number of days, never say another ("proefperiode van 90 dagen" beside a 60-day trial).
    """
    wrong = {}
    for field, _heading in AGREEMENT_SECTIONS:
        for words, days in trial_lengths_named(getattr(agreement, field)):
            if days != agreement.trial_days:
                wrong.setdefault(field, words)
    return wrong


#: End reasons that say the triad stopped against someone's wish: "goals reached" then needs a word.
_REASONS_AGAINST_GOALS = (EndReason.CONFLICT_PROFESSIONAL, EndReason.CONFLICT_FAMILY, EndReason.YOUTH_CHOICE)


def closure_contradictions(
    *, placement_considered, reason, placement_outcome, goals_reached, living_situation
):
    """The closure's answers that contradict each other or the intake, as two {field: why} dicts.

    The first cannot both be true and are refused (a placement considered at referral, and "not applicable
    (no placement was considered)"); the second can be, but only with a written explanation (goals
    reached while the triad ends in a conflict). Both point at the field to look at again.
    """
    refused, to_explain = {}, {}
    if (
        placement_considered == Youth.PlacementConsidered.YES
        and placement_outcome == PlacementOutcome.NOT_APPLICABLE
    ):
        refused["placement_outcome"] = _(
            "At referral an out-of-home placement was being considered (see the youth's file): "
            "say whether it was avoided or happened."
        )
    if reason == EndReason.GOAL_REACHED and goals_reached == GoalsReached.NO:
        refused["goals_reached"] = _("The reason is “%(reason)s”: the goals cannot then be “%(no)s”.") % {
            "reason": EndReason.GOAL_REACHED.label,
            "no": GoalsReached.NO.label,
        }
    if goals_reached == GoalsReached.YES and reason in _REASONS_AGAINST_GOALS:
        to_explain["goals_reached"] = _(
            "The goals were reached, while the triad ends with “%(reason)s”: explain this below, or correct it."
        ) % {"reason": EndReason(reason).label}
    if placement_considered == Youth.PlacementConsidered.NO and placement_outcome == PlacementOutcome.AVOIDED:
        to_explain["placement_outcome"] = _(
            "At referral no out-of-home placement was being considered: explain below when it came up, "
            "or correct it."
        )
    elif placement_outcome == PlacementOutcome.AVOIDED and living_situation in (
        Youth.LivingSituation.RESIDENTIAL,
        Youth.LivingSituation.FOSTER_CARE,
    ):
        to_explain["placement_outcome"] = _(
            "A placement was avoided, while the youth now lives in “%(living)s”: explain this below, or correct it."
        ) % {"living": Youth.LivingSituation(living_situation).label}
    return refused, to_explain


def signing_method_for(party):
    """How a party signs on the professional's screen: the professional as themself, anyone else in person."""
    return Signature.Method.LOGGED_IN if party == Party.PROFESSIONAL else Signature.Method.IN_PERSON


def trial_days_for(organisation, asked=None):
    """The length in days of a new triad's trial: `asked` (a length already chosen), else the organisation's
    default, held within TRIAL_DAYS_MIN to TRIAL_DAYS_MAX (a default saved before the range was enforced
    must not stop a new triad)."""
    days = organisation.default_trial_days if asked is None else asked
    return min(max(days, TRIAL_DAYS_MIN), TRIAL_DAYS_MAX)


def trial_end(start, days):
    """The day a trial of `days` days that starts on `start` ends: its evaluation is planned then."""
    return start + datetime.timedelta(days=days)


def trial_extended_end(trial_ends_on, held_on):
    """The trial's end after an evaluation on `held_on` decided to adjust and go on: at least a month later
    (CHECK_IN_INTERVAL days), never earlier than it was."""
    return max(trial_ends_on, held_on + datetime.timedelta(days=CHECK_IN_INTERVAL))


def schedule_for(*, start, trial_ends_on):
    """The default plan as (kind, date) pairs: two check-ins in the first month, then monthly, and the trial evaluation."""
    plan = [(CheckIn.Kind.CHECK_IN, start + datetime.timedelta(days=d)) for d in FIRST_CHECK_INS]
    day = start + datetime.timedelta(days=FIRST_CHECK_INS[-1] + CHECK_IN_INTERVAL)
    # A monthly check-in only when it is not crowded out by the evaluation at the trial's end.
    while day <= trial_ends_on - datetime.timedelta(days=MIN_DAYS_BEFORE_EVALUATION):
        plan.append((CheckIn.Kind.CHECK_IN, day))
        day += datetime.timedelta(days=CHECK_IN_INTERVAL)
    plan = [(kind, d) for kind, d in plan if d < trial_ends_on]
    plan.append((CheckIn.Kind.TRIAL_EVALUATION, trial_ends_on))
    return plan


def active_schedule(start):
    """The plan of an active triad as (kind, date) pairs: monthly, an evaluation every third month."""
    return [
        (
            CheckIn.Kind.EVALUATION if month % 3 == 0 else CheckIn.Kind.CHECK_IN,
            start + datetime.timedelta(days=CHECK_IN_INTERVAL * month),
        )
        for month in range(1, ACTIVE_SCHEDULE_MONTHS + 1)
    ]
