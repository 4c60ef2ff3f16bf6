"""Writes for the wie-vraag: the network, the search, candidates, screening and choosing the JIM.

Every status move of a candidate goes through `candidate_status_set`, along `CANDIDATE_TRANSITIONS`,
and leaves a `CandidateStatusChange` row (the allowed moves are in `mentors.rules`). The rules for choosing a JIM live in `mentors.rules.choice_blockers`.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jimcase.models import StageChange
from jimcase.rules import ADULT_AGE, age_on, plain_text
from jimcase.services import clean_save, edit_save, youth_stage_refresh
from jimcase.stale import stale_check
from jimcase.validators import not_in_future

from .models import (
    Candidate,
    CandidateStatusChange,
    CriminalRecordCheck,
    FactorCheck,
    JimProfile,
    PeerMeeting,
    Search,
    SuccessFactor,
)
from .rules import (
    ACTIVE_STATUSES,
    CANDIDATE_TRANSITIONS,
    CLOSED_SEARCH_STATUS,
    REASON_REQUIRED,
    choice_blockers,
    days_to_nomination,
    hard_stop,
    record_check_too_old,
    screening_problems,
)
from .stale import record_check_state, screening_state


def _today():
    return timezone.localdate()


def _plain(field, text):
    """The text, stripped; refused (beside `field`) when it looks like HTML."""
    try:
        plain_text(text)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    return (text or "").strip()


# --- Network ------------------------------------------------------------------------------------


@transaction.atomic
def member_save(*, member, by, edit_version=None, topics=None):
    """Add or change a person in the youth's network (a change is refused if saved since `edit_version`).

    `topics` (who for what), when given, replaces the person's topics: defaults or the organisation's own.
    """
    _plain("name", member.name)
    member.name = member.name.strip()
    not_in_future("date_of_birth", member.date_of_birth)
    if member.date_of_birth and member.is_adult is not None:
        by_birth = age_on(member.date_of_birth, _today()) >= ADULT_AGE
        if by_birth != member.is_adult:
            raise ValidationError({"is_adult": _("This does not match the date of birth.")})
    if topics is not None:
        organisation_id = member.youth.organisation_id
        if any(topic.organisation_id not in (None, organisation_id) for topic in topics):
            raise ValidationError({"topics": _("Choose topics of your own organisation.")})
    member = edit_save(member, by=by, edit_version=edit_version)
    if topics is not None:
        member.topics.set(topics)
    return member


# --- The search ---------------------------------------------------------------------------------


def _locked_search(search):
    return (
        Search.objects.select_for_update(of=("self",)).select_related("youth__organisation").get(pk=search.pk)
    )


def _require_open(search):
    if search.status != Search.Status.OPEN:
        raise ValidationError(_("This search has ended; nothing can be changed in it any more."))


@transaction.atomic
def search_start(*, youth, by, started_on=None):
    """Start the wie-vraag: record the date and put the help trajectory on hold."""
    started_on = started_on or _today()
    not_in_future("started_on", started_on)
    if Search.objects.open().filter(youth=youth).exists():
        raise ValidationError(_("There is already an open search for this youth. Finish or stop it first."))
    search = Search(youth=youth, started_on=started_on, started_by=by)
    search.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            search.save()
    except IntegrityError:
        # Two starts at the same moment: the database constraint lets only one through.
        raise ValidationError(
            _("There is already an open search for this youth. Finish or stop it first.")
        ) from None
    youth_stage_refresh(youth=youth, by=by, why=StageChange.Why.SEARCH_STARTED, on=started_on)
    return search


@transaction.atomic
def search_stop(*, search, reason, next_step, by, on=None):
    """Stop a search without a JIM, with a reason and the next step for the youth."""
    search = _locked_search(search)
    _require_open(search)
    on = on or _today()
    not_in_future("ended_on", on)
    if on < search.started_on:
        raise ValidationError({"ended_on": _("A search cannot end before it started.")})
    if reason not in Search.StopReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    next_step = _plain("next_step", next_step)
    if not next_step:
        raise ValidationError({"next_step": _("Write down what happens next for the youth.")})
    search.status = Search.Status.STOPPED
    search.stop_reason = reason
    search.next_step = next_step
    search.ended_on = on
    search.ended_by = by
    clean_save(search)
    _candidates_not_chosen(search=search, by=by, why=CandidateStatusChange.Why.SEARCH_STOPPED)
    youth_stage_refresh(youth=search.youth, by=by, why=StageChange.Why.SEARCH_STOPPED, on=on)
    return search


# --- Candidates ---------------------------------------------------------------------------------


@transaction.atomic
def candidate_add(*, search, member, by, at=None):
    """Put a network member forward as a candidate, last in the youth's order of preference."""
    search = _locked_search(search)
    _require_open(search)
    if member.youth_id != search.youth_id:
        raise ValidationError({"member": _("Choose someone from this youth's network.")})
    if search.candidates.filter(member=member).exists():
        raise ValidationError({"member": _("This person is already a candidate in this search.")})
    last = search.candidates.aggregate(last=Max("preference"))["last"] or 0
    candidate = clean_save(Candidate(search=search, member=member, preference=last + 1))
    CandidateStatusChange.objects.create(
        candidate=candidate, from_status="", to_status=candidate.status, by=by, at=at or timezone.now()
    )
    return candidate


@transaction.atomic
def candidate_status_set(*, candidate, to, by, reason="", at=None):
    """Move a candidate along the allowed transitions and record who did it, when and why."""
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("search", "member")
        .get(pk=candidate.pk)
    )
    _require_open(candidate.search)
    if to == Candidate.Status.YES and hard_stop(candidate):
        raise ValidationError(
            {
                "to": _(
                    "%(name)s is younger than 18 (or screened as not an adult): a JIM is always an adult, "
                    "so this person cannot be moved to “said yes”."
                )
                % {"name": candidate.member.name}
            }
        )
    if to not in Candidate.Status.values or to not in CANDIDATE_TRANSITIONS[candidate.status]:
        raise ValidationError(
            {
                "to": _("A candidate cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": candidate.get_status_display(),
                    "to": Candidate.Status(to).label if to in Candidate.Status.values else to,
                }
            }
        )
    reason = _plain("reason", reason)
    if to in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Write down the reason.")})
    previous = candidate.status
    candidate.status = to
    candidate.status_reason = reason
    clean_save(candidate)
    CandidateStatusChange.objects.create(
        candidate=candidate, from_status=previous, to_status=to, reason=reason, by=by, at=at or timezone.now()
    )
    return candidate


def _candidates_not_chosen(*, search, by, why):
    """At the search's close, everyone still in the running but the chosen JIM ends as "not chosen" (recorded)."""
    at = timezone.now()
    closing = (
        search.candidates.select_for_update(of=("self",))
        .filter(status__in=ACTIVE_STATUSES)
        .exclude(pk=search.chosen_id or 0)
    )
    for candidate in closing:
        previous = candidate.status
        candidate.status = CLOSED_SEARCH_STATUS
        candidate.status_reason = why
        candidate.save(update_fields=["status", "status_reason"])
        CandidateStatusChange.objects.create(
            candidate=candidate, from_status=previous, to_status=candidate.status, reason=why, by=by, at=at
        )


@transaction.atomic
def candidate_move(*, candidate, direction, by):
    """Move a candidate one place up or down in the youth's own order of preference."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Unknown direction."))
    search = _locked_search(candidate.search)
    _require_open(search)
    ordered = list(search.candidates.order_by("preference", "pk"))
    index = next(i for i, c in enumerate(ordered) if c.pk == candidate.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.preference != position:
            item.preference = position
            item.save(update_fields=["preference"])
    return next(c for c in ordered if c.pk == candidate.pk)


# --- Screening ----------------------------------------------------------------------------------


@transaction.atomic
def screening_record(*, candidate, results, by, at=None, stored_state=None):
    """Record the check of the success factors: {factor: (result, justification)}; who and when per change.

    `stored_state` is what the screening form was opened on (mentors.stale): a save made on checks a
    colleague has changed since is refused (StaleEdit) instead of overwriting them.
    """
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("search", "member")
        .get(pk=candidate.pk)
    )
    _require_open(candidate.search)
    at = at or timezone.now()
    existing = {check.factor: check for check in candidate.checks.select_related("checked_by")}
    stale_check(opened=stored_state, state=screening_state(existing.values()))
    errors = {}
    cleaned = {}
    for factor, (result, justification) in results.items():
        if factor not in SuccessFactor.values:
            errors[factor] = _("Unknown success factor.")
            continue
        if result not in FactorCheck.Result.values:
            errors[factor] = _("Choose met, not met or unknown.")
            continue
        try:
            justification = _plain(factor, justification)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if factor == SuccessFactor.ADULT and justification:
            errors[factor] = _("A JIM is always an adult: this cannot be justified.")
            continue
        cleaned[factor] = (result, justification)
    # What the choice would refuse later is refused now, beside its field (mentors.rules).
    errors.update(screening_problems(candidate.member, cleaned, timezone.localdate(at)))
    if errors:
        raise ValidationError(errors)
    saved = []
    for factor, (result, justification) in cleaned.items():
        check = existing.get(factor)
        if check is None:
            check = FactorCheck(candidate=candidate, factor=factor)
        elif check.result == result and check.justification == justification:
            saved.append(check)
            continue
        check.result = result
        check.justification = justification
        check.checked_by = by
        check.checked_at = at
        saved.append(clean_save(check))
    return saved


@transaction.atomic
def record_check_save(*, candidate, kind, issued_on, by, checked_on=None, stored_state=None):
    """Record that a criminal-record extract was seen (type and issue date; never the document).

    `stored_state` is what the extract form was opened on (mentors.stale): a save made on an extract a
    colleague has recorded since is refused (StaleEdit) instead of overwriting it.
    """
    candidate = (
        Candidate.objects.select_for_update(of=("self",)).select_related("search").get(pk=candidate.pk)
    )
    _require_open(candidate.search)
    stored = (
        CriminalRecordCheck.objects.select_for_update(of=("self",))
        .select_related("checked_by")
        .filter(candidate=candidate)
        .first()
    )
    stale_check(opened=stored_state, state=record_check_state(stored))
    checked_on = checked_on or _today()
    not_in_future("issued_on", issued_on)
    not_in_future("checked_on", checked_on)
    if issued_on and issued_on > checked_on:
        raise ValidationError({"issued_on": _("The extract cannot be issued after the day it was seen.")})
    check = stored or CriminalRecordCheck(candidate=candidate)
    if check.pk and check.issued_on != issued_on:
        # Another extract: an exception made for the old one does not carry over.
        check.age_exception_reason, check.age_exception_by, check.age_exception_at = "", None, None
    check.kind = kind
    check.issued_on = issued_on
    check.checked_by = by
    check.checked_on = checked_on
    check.recorded_at = timezone.now()
    return clean_save(check)


@transaction.atomic
def record_check_exception_record(*, candidate, reason, by):
    """Accept an extract older than the organisation's maximum, with a professional's written reason (who, when).

    The organisation's policy decides how old an extract may be; a professional on the file may make a
    reasoned exception for one extract (a new extract drops it), shown wherever the choice is made.
    """
    candidate = (
        Candidate.objects.select_for_update(of=("self",)).select_related("search").get(pk=candidate.pk)
    )
    _require_open(candidate.search)
    check = CriminalRecordCheck.objects.select_for_update().filter(candidate=candidate).first()
    if check is None or not record_check_too_old(check):
        raise ValidationError(_("The extract is recent enough: no exception is needed."))
    if check.age_exception_reason:
        # Once per extract, never overwritten: a new extract is the way to change it.
        raise ValidationError(_("An exception is already recorded for this extract."))
    reason = _plain("reason", reason)
    if not reason:
        raise ValidationError({"reason": _("Write down why the older extract may stand.")})
    check.age_exception_reason = reason
    check.age_exception_by = by
    check.age_exception_at = timezone.now()
    return clean_save(check)


# --- Choosing the JIM ---------------------------------------------------------------------------


def _jim_profile_for(member, organisation):
    """One profile per person: the organisation's JIM with the member's e-mail address (on the profile or on
    the JIM's account), so an aunt chosen by two cousins is one JIM with two triads; else a new profile."""
    if member.email:
        existing = (
            JimProfile.objects.filter(organisation=organisation)
            .filter(Q(email__iexact=member.email) | Q(user__email__iexact=member.email))
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing
    return clean_save(
        JimProfile(
            organisation=organisation,
            member=member,
            name=member.name,
            email=member.email,
            phone=member.phone,
        )
    )


@transaction.atomic
def jim_choose(*, search, candidate, by, on=None):
    """Record the youth's choice: close the search as found, create the JIM's profile, move the youth on."""
    search = _locked_search(search)
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("member", "record_check")
        .get(pk=candidate.pk)
    )
    if candidate.search_id != search.pk:
        raise ValidationError(_("This candidate belongs to another search."))
    candidate.search = search
    on = on or _today()
    not_in_future("chosen_on", on)
    if on < search.started_on:
        raise ValidationError({"chosen_on": _("A search cannot end before it started.")})
    blockers = choice_blockers(candidate, youth=search.youth, today=on)
    if blockers:
        raise ValidationError(blockers)
    profile = _jim_profile_for(candidate.member, search.youth.organisation)
    search.status = Search.Status.FOUND
    search.ended_on = on
    search.ended_by = by
    search.chosen = candidate
    search.days_to_nomination = days_to_nomination(search.started_on, on)
    search.jim_profile = profile
    clean_save(search)
    _candidates_not_chosen(search=search, by=by, why=CandidateStatusChange.Why.SEARCH_FOUND)
    youth_stage_refresh(youth=search.youth, by=by, why=StageChange.Why.JIM_CHOSEN, on=on)
    return search


# --- The JIM peer network -----------------------------------------------------------------------


@transaction.atomic
def peer_network_opt(*, jim_profile, on, by):
    """The JIM joins or leaves the organisation's JIM peer network."""
    if jim_profile.user_id != by.pk:
        raise ValidationError(_("Only the JIM can change this."))
    jim_profile.peer_network_opt_in = on
    jim_profile.save(update_fields=["peer_network_opt_in"])
    if not on:
        # Leaving the network also takes them off the meetings still to come.
        for meeting in jim_profile.peer_meetings.upcoming():
            meeting.attendees.remove(jim_profile)
    return jim_profile


@transaction.atomic
def jim_onboarding_confirm(*, jim_profile, by):
    """The JIM confirms reading the JIM's guide; the first date is kept."""
    if jim_profile.user_id != by.pk:
        raise ValidationError(_("Only the JIM can change this."))
    if jim_profile.onboarding_read_on is None:
        jim_profile.onboarding_read_on = _today()
        jim_profile.save(update_fields=["onboarding_read_on"])
    return jim_profile


@transaction.atomic
def peer_meeting_attend(*, meeting, jim_profile, by, coming=True):
    """Say you will come to a peer meeting still to come (or not)."""
    if (
        jim_profile.user_id != by.pk
        or not jim_profile.peer_network_opt_in
        or meeting.organisation_id != jim_profile.organisation_id
    ):
        raise ValidationError(_("Join the JIM network of your organisation first."))
    if not PeerMeeting.objects.upcoming().filter(pk=meeting.pk).exists():
        raise ValidationError(_("This meeting has already taken place."))
    if coming:
        meeting.attendees.add(jim_profile)
    else:
        meeting.attendees.remove(jim_profile)
    return meeting
