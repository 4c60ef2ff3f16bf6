"""Read-only rules of the wie-vraag that both services and selectors need: no writes, no e-mail.

Whether a candidate may be chosen as JIM is decided by `choice_blockers` alone.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Candidate, CriminalRecordCheck, FactorCheck, NetworkMember, Search, SuccessFactor

Status = Candidate.Status
Result = FactorCheck.Result

#: The only allowed moves of a candidate's status (the youth's "no" and "not suitable" are final).
CANDIDATE_TRANSITIONS = {
    Status.NAMED: (Status.DISCUSSED, Status.NOT_SUITABLE),
    Status.DISCUSSED: (Status.ASKED, Status.NOT_SUITABLE),
    Status.ASKED: (Status.THINKING, Status.YES, Status.NO, Status.NOT_SUITABLE),
    Status.THINKING: (Status.YES, Status.NO, Status.NOT_SUITABLE),
    Status.YES: (Status.NO, Status.NOT_SUITABLE),
    Status.NO: (),
    Status.NOT_SUITABLE: (),
    Status.NOT_CHOSEN: (),
}

#: Where everyone still in the running ends when the search closes, found or stopped (never a button: the
#: application records it, with who closed the search, when and why).
CLOSED_SEARCH_STATUS = Status.NOT_CHOSEN

#: Moves that need a written reason.
REASON_REQUIRED = (Status.NO, Status.NOT_SUITABLE)

#: Candidates still in the running (shown as candidates on the network map).
ACTIVE_STATUSES = tuple(s for s in Status if s not in Candidate.OUT_STATUSES)


def _reached_from(start, without=None):
    """The statuses a candidate can reach from `start` along CANDIDATE_TRANSITIONS (avoiding `without`)."""
    reached, todo = set(), [start]
    while todo:
        status = todo.pop()
        if status in reached or status == without:
            continue
        reached.add(status)
        todo.extend(CANDIDATE_TRANSITIONS[status])
    return reached


#: A candidate counts as asked once they reached "asked" or a status only reachable through it ("not
#: suitable" is reachable without asking, so it does not count), derived from CANDIDATE_TRANSITIONS.
ASKED_OR_LATER = tuple(
    s for s in Status if s in _reached_from(Status.ASKED) - _reached_from(Status.NAMED, without=Status.ASKED)
)


def days_to_nomination(started_on, chosen_on):
    """The days from the start of a search to the day its JIM was chosen, as stored on the search."""
    return (chosen_on - started_on).days


def allowed_statuses(candidate, checks=None, today=None):
    """The statuses a candidate may move to from where it is now ("yes" never for someone under 18)."""
    moves = CANDIDATE_TRANSITIONS[Status(candidate.status)]
    if Status.YES in moves and hard_stop(candidate, checks, today):
        moves = tuple(status for status in moves if status != Status.YES)
    return moves


def factor_suggestions(member, today=None):
    """Suggest a result per success factor from what is known about the person (the professional decides)."""
    adult = member.adult_on(today or timezone.localdate())

    def flag(value):
        return Result.NOT_MET if value else Result.MET

    return {
        SuccessFactor.ADULT: Result.UNKNOWN if adult is None else flag(not adult),
        SuccessFactor.NOT_BIOLOGICAL_PARENT: flag(member.is_biological_parent),
        SuccessFactor.NO_PAID_INVOLVEMENT: flag(
            member.paid_involvement or member.relation == NetworkMember.Relation.EX_PROFESSIONAL
        ),
        SuccessFactor.NOT_SAME_ROOF: flag(member.same_roof),
        SuccessFactor.WILLING_TO_COOPERATE: Result.UNKNOWN,
        SuccessFactor.NOT_ROMANTIC_PARTNER: flag(member.romantic_partner),
        SuccessFactor.PARENTS_AGREE: Result.UNKNOWN,
    }


def record_check_of(candidate):
    """The candidate's criminal-record check, or None."""
    try:
        return candidate.record_check
    except CriminalRecordCheck.DoesNotExist:
        return None


def record_check_too_old(check, today=None):
    """Whether the extract is older than the organisation's maximum (settings.CRIMINAL_RECORD_MAX_AGE_DAYS)."""
    if check is None or check.issued_on is None:
        return False
    today = today or timezone.localdate()
    return (today - check.issued_on).days > settings.CRIMINAL_RECORD_MAX_AGE_DAYS


def record_check_warning(check, today=None):
    """A warning when the extract is older than settings.CRIMINAL_RECORD_MAX_AGE_DAYS, else ""."""
    if not record_check_too_old(check, today):
        return ""
    limit = settings.CRIMINAL_RECORD_MAX_AGE_DAYS
    return _(
        "This extract was issued on %(date)s: older than the %(days)s days your organisation accepts. "
        "Ask for a recent one."
    ) % {"date": date_format(check.issued_on, "SHORT_DATE_FORMAT"), "days": limit}


def hard_stop(candidate, checks=None, today=None):
    """True when the candidate is not (or not known to be) an adult: never a JIM, whatever is written."""
    today = today or timezone.localdate()
    checks = checks if checks is not None else {c.factor: c for c in candidate.checks.all()}
    adult_check = checks.get(SuccessFactor.ADULT)
    return (adult_check is not None and adult_check.result == Result.NOT_MET) or (
        candidate.member.adult_on(today) is False
    )


def screening_problems(member, results, today=None):
    """What a screening may not say, per factor ({factor: message}); `results` is {factor: (result, text)}.

    The screening refuses these when it is saved, and `choice_blockers` refuses a choice on them: a factor
    not met without a written justification, and "18 or older: met" for a person recorded as under 18.
    """
    today = today or timezone.localdate()
    problems = {}
    for factor, (result, justification) in results.items():
        if factor == SuccessFactor.ADULT:
            if result == Result.MET and member.adult_on(today) is False:
                problems[factor] = _(
                    "According to the network this person is younger than 18: a JIM is always an adult. "
                    "Correct the date of birth in the network if it is wrong."
                )
        elif result == Result.NOT_MET and not (justification or "").strip():
            problems[factor] = _("“%(factor)s” is not met: a professional must justify this in writing.") % {
                "factor": SuccessFactor(factor).label
            }
    return problems


def choice_blockers(candidate, *, youth, today=None):
    """Everything that stands between this candidate and being chosen as JIM (empty: may be chosen)."""
    today = today or timezone.localdate()
    blockers = []
    checks = {c.factor: c for c in candidate.checks.all()}
    if candidate.search.status != Search.Status.OPEN:
        blockers.append(_("The search has ended."))
    if not candidate.said_yes:
        blockers.append(_("Only a candidate who said yes can be chosen."))
    if hard_stop(candidate, checks, today):
        blockers.append(_("Not 18 or older: a JIM is always an adult. This cannot be justified."))
    elif SuccessFactor.ADULT in checks and checks[SuccessFactor.ADULT].result != Result.MET:
        blockers.append(_("Confirm that the candidate is 18 or older."))
    missing = [f for f in SuccessFactor if f not in checks]
    if missing:
        blockers.append(_("Screen all seven success factors first."))
    problems = screening_problems(
        candidate.member, {f: (c.result, c.justification) for f, c in checks.items()}, today
    )
    problems.pop(SuccessFactor.ADULT, None)  # said above, by the hard stop
    blockers.extend(problems.values())
    if youth.organisation.requires_criminal_record_extract:
        check = record_check_of(candidate)
        if check is None:
            blockers.append(_("The organisation requires a criminal-record extract: record that you saw it."))
        elif record_check_too_old(check, today) and not check.age_exception_reason:
            blockers.append(
                _(
                    "The criminal-record extract is older than the %(days)s days your organisation accepts: "
                    "record a recent one, or an exception with its reason."
                )
                % {"days": settings.CRIMINAL_RECORD_MAX_AGE_DAYS}
            )
    return blockers
