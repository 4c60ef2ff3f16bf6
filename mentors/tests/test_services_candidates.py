import pytest
from django.core.exceptions import ValidationError

from mentors import rules, services
from mentors.models import Candidate, CandidateStatusChange, Search

from . import factories

Status = Candidate.Status
ALLOWED = {(frm, to) for frm, targets in rules.CANDIDATE_TRANSITIONS.items() for to in targets}
# "Not chosen" is only ever a candidate of a closed search, where nothing moves (test_search_close).
ALL_PAIRS = [(frm, to) for frm in Status for to in Status if frm != Status.NOT_CHOSEN]

# The shortest allowed way from "named" to each status.
PATH = {
    Status.NAMED: [],
    Status.DISCUSSED: [Status.DISCUSSED],
    Status.ASKED: [Status.DISCUSSED, Status.ASKED],
    Status.THINKING: [Status.DISCUSSED, Status.ASKED, Status.THINKING],
    Status.YES: [Status.DISCUSSED, Status.ASKED, Status.YES],
    Status.NO: [Status.DISCUSSED, Status.ASKED, Status.NO],
    Status.NOT_SUITABLE: [Status.NOT_SUITABLE],
}


def _at(search, lead, status):
    candidate = factories.candidate(search, lead)
    for step in PATH[status]:
        candidate = services.candidate_status_set(candidate=candidate, to=step, by=lead, reason="Reden.")
    return candidate


def test_transitions_are_defined_for_every_status():
    assert set(rules.CANDIDATE_TRANSITIONS) == set(Status)
    assert rules.CANDIDATE_TRANSITIONS[Status.NO] == ()
    assert rules.CANDIDATE_TRANSITIONS[Status.NOT_SUITABLE] == ()


@pytest.mark.parametrize(("frm", "to"), sorted(ALLOWED))
def test_allowed_transition_moves_and_is_recorded(search, lead, frm, to):
    candidate = _at(search, lead, frm)
    before = candidate.history.count()
    candidate = services.candidate_status_set(
        candidate=candidate, to=to, by=lead, reason="Ze heeft geen tijd."
    )
    candidate.refresh_from_db()
    assert candidate.status == to
    assert candidate.history.count() == before + 1
    change = candidate.history.last()
    assert (change.from_status, change.to_status, change.by) == (frm, to, lead)
    assert change.at is not None


@pytest.mark.parametrize(("frm", "to"), [pair for pair in ALL_PAIRS if pair not in ALLOWED])
def test_disallowed_transition_is_refused_and_not_recorded(search, lead, frm, to):
    candidate = _at(search, lead, frm)
    before = candidate.history.count()
    with pytest.raises(ValidationError) as exc:
        services.candidate_status_set(candidate=candidate, to=to, by=lead, reason="Reden.")
    assert "to" in exc.value.message_dict
    candidate.refresh_from_db()
    assert candidate.status == frm
    assert candidate.history.count() == before


def test_unknown_status_is_refused(search, lead):
    candidate = factories.candidate(search, lead)
    with pytest.raises(ValidationError):
        services.candidate_status_set(candidate=candidate, to="maybe", by=lead)


@pytest.mark.parametrize("to", [Status.NO, Status.NOT_SUITABLE])
def test_no_and_not_suitable_need_a_reason(search, lead, to):
    candidate = _at(search, lead, Status.ASKED)
    with pytest.raises(ValidationError) as exc:
        services.candidate_status_set(candidate=candidate, to=to, by=lead, reason="   ")
    assert "reason" in exc.value.message_dict
    candidate.refresh_from_db()
    assert candidate.status == Status.ASKED
    services.candidate_status_set(candidate=candidate, to=to, by=lead, reason="Woont te ver weg.")
    candidate.refresh_from_db()
    assert candidate.status_reason == "Woont te ver weg."
    assert candidate.history.last().reason == "Woont te ver weg."


def test_adding_a_candidate_writes_the_first_history_row(search, lead):
    candidate = factories.candidate(search, lead)
    change = CandidateStatusChange.objects.get(candidate=candidate)
    assert (change.from_status, change.to_status, change.by) == ("", Status.NAMED, lead)


def test_candidates_are_added_last_in_the_order_of_preference(search, lead):
    first, second, third = (factories.candidate(search, lead) for _i in range(3))
    assert [c.preference for c in (first, second, third)] == [1, 2, 3]


def test_a_person_is_a_candidate_only_once_per_search(search, lead):
    candidate = factories.candidate(search, lead)
    with pytest.raises(ValidationError) as exc:
        services.candidate_add(search=search, member=candidate.member, by=lead)
    assert "member" in exc.value.message_dict
    assert search.candidates.count() == 1


def test_a_candidate_comes_from_this_youths_network(search, lead, make_youth):
    (other_youth,) = make_youth()
    stranger_member = factories.member(other_youth, lead)
    with pytest.raises(ValidationError):
        services.candidate_add(search=search, member=stranger_member, by=lead)


def test_moving_up_and_down_keeps_the_youths_order(search, lead):
    a, b, c = (factories.candidate(search, lead, name) for name in ("Anna", "Bert", "Chris"))

    def order():
        return [x.member.name for x in search.candidates.order_by("preference", "pk")]

    services.candidate_move(candidate=c, direction="up", by=lead)
    assert order() == ["Anna", "Chris", "Bert"]
    services.candidate_move(candidate=a, direction="down", by=lead)
    assert order() == ["Chris", "Anna", "Bert"]
    services.candidate_move(candidate=c, direction="up", by=lead)  # already first: nothing changes
    assert order() == ["Chris", "Anna", "Bert"]
    with pytest.raises(ValidationError):
        services.candidate_move(candidate=c, direction="sideways", by=lead)


def test_nothing_changes_in_an_ended_search(search, lead):
    candidate = factories.candidate(search, lead)
    services.search_stop(search=search, reason=Search.StopReason.OTHER, next_step="Verder.", by=lead)
    with pytest.raises(ValidationError):
        services.candidate_status_set(candidate=candidate, to=Status.DISCUSSED, by=lead)
    with pytest.raises(ValidationError):
        services.candidate_add(search=search, member=factories.member(search.youth, lead), by=lead)
    with pytest.raises(ValidationError):
        services.candidate_move(candidate=candidate, direction="down", by=lead)
