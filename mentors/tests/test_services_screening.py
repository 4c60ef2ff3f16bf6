import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from mentors import rules, services
from mentors.models import (
    Candidate,
    CriminalRecordCheck,
    FactorCheck,
    JimProfile,
    NetworkMember,
    Search,
    SuccessFactor,
)

from . import factories

Factor = SuccessFactor
Result = FactorCheck.Result
S = Candidate.Status
TODAY = timezone.localdate


def _refused(search, candidate, lead, fragment):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.jim_choose(search=search, candidate=candidate, by=lead)
    assert any(fragment in message for message in exc.value.messages), exc.value.messages
    search.refresh_from_db()
    assert search.status == Search.Status.OPEN
    assert not JimProfile.objects.exists()


def test_screening_records_each_factor_with_who_and_when(search, lead, colleague):
    candidate = factories.candidate(search, lead)
    checks = services.screening_record(candidate=candidate, results=factories.all_met(), by=lead)
    assert len(checks) == 7
    assert {c.factor for c in candidate.checks.all()} == set(Factor.values)
    assert all(c.checked_by == lead and c.checked_at for c in candidate.checks.all())
    # Saving again unchanged keeps who checked; a change is signed by the one who changed it.
    results = factories.all_met(parents_agree=(Result.NOT_MET, "Vader is tegen; besproken met moeder."))
    services.screening_record(candidate=candidate, results=results, by=colleague)
    by_factor = {c.factor: c for c in candidate.checks.all()}
    assert by_factor["parents_agree"].checked_by == colleague
    assert by_factor["parents_agree"].justification == "Vader is tegen; besproken met moeder."
    assert by_factor["adult"].checked_by == lead
    assert FactorCheck.objects.count() == 7


def test_age_cannot_be_justified_in_the_screening(search, lead):
    candidate = factories.candidate(search, lead)
    with pytest.raises(ValidationError) as exc:
        services.screening_record(
            candidate=candidate, results=factories.all_met(adult=(Result.NOT_MET, "Bijna 18.")), by=lead
        )
    assert "adult" in exc.value.message_dict
    assert not FactorCheck.objects.exists()


def test_screening_refuses_html_and_unknown_results(search, lead):
    candidate = factories.candidate(search, lead)
    with pytest.raises(ValidationError):
        services.screening_record(
            candidate=candidate, results=factories.all_met(same_roof=("maybe", "")), by=lead
        )
    with pytest.raises(ValidationError):
        services.screening_record(
            candidate=candidate,
            results=factories.all_met(not_same_roof=(Result.NOT_MET, "<script>alert(1)</script>")),
            by=lead,
        )
    assert not FactorCheck.objects.exists()


def test_suggestions_come_from_the_network_facts(youth, lead):
    member = factories.member(
        youth, lead, date_of_birth=None, is_adult=True, same_roof=True, is_biological_parent=True
    )
    suggested = rules.factor_suggestions(member)
    assert suggested[Factor.ADULT] == Result.MET
    assert suggested[Factor.NOT_SAME_ROOF] == Result.NOT_MET
    assert suggested[Factor.NOT_BIOLOGICAL_PARENT] == Result.NOT_MET
    assert suggested[Factor.NO_PAID_INVOLVEMENT] == Result.MET
    assert suggested[Factor.WILLING_TO_COOPERATE] == Result.UNKNOWN
    young = factories.member(youth, lead, date_of_birth=TODAY().replace(year=TODAY().year - 16, day=1))
    assert rules.factor_suggestions(young)[Factor.ADULT] == Result.NOT_MET


def test_a_candidate_who_meets_everything_can_be_chosen(search, lead):
    candidate = factories.ready(search, lead)
    assert rules.choice_blockers(candidate, youth=search.youth) == []
    services.jim_choose(search=search, candidate=candidate, by=lead)
    assert Search.objects.get().status == Search.Status.FOUND


# The way to each status other than "yes", along the allowed transitions (with a reason where needed).
PATH_TO = {
    S.NAMED: [],
    S.DISCUSSED: [S.DISCUSSED],
    S.ASKED: [S.DISCUSSED, S.ASKED],
    S.THINKING: [S.DISCUSSED, S.ASKED, S.THINKING],
    S.NO: [S.DISCUSSED, S.ASKED, S.YES, S.NO],
    S.NOT_SUITABLE: [S.DISCUSSED, S.NOT_SUITABLE],
}


def test_the_said_yes_rule_is_tried_for_every_other_status():
    # "Not chosen" is only ever a candidate of a closed search (test_search_close).
    assert set(PATH_TO) == set(S) - {S.YES, S.NOT_CHOSEN}


@pytest.mark.parametrize("status", PATH_TO)
def test_only_a_candidate_who_said_yes_can_be_chosen(search, lead, status):
    candidate = factories.candidate(search, lead, screening=factories.all_met(), record=True)
    for step in PATH_TO[status]:
        reason = "Past niet." if step in rules.REASON_REQUIRED else ""
        candidate = services.candidate_status_set(candidate=candidate, to=step, by=lead, reason=reason)
    assert candidate.status == status
    _refused(search, candidate, lead, "said yes")


def test_a_factor_not_met_without_justification_blocks_the_choice(search, lead):
    # The screening refuses it now (test_dead_ends); a row saved before that must still block the choice.
    candidate = factories.candidate(search, lead, status="yes", record=True)
    factories.screening_written(candidate, lead, factories.all_met(not_same_roof=(Result.NOT_MET, "")))
    _refused(search, candidate, lead, "not living under the same roof")


def test_a_factor_not_met_with_a_justification_may_be_chosen(search, lead):
    results = factories.all_met(
        not_same_roof=(Result.NOT_MET, "Woont tijdelijk in, verhuist volgende maand.")
    )
    candidate = factories.candidate(search, lead, status="yes", screening=results, record=True)
    services.jim_choose(search=search, candidate=candidate, by=lead)
    search.refresh_from_db()
    assert search.status == Search.Status.FOUND
    kept = candidate.checks.get(factor=Factor.NOT_SAME_ROOF)
    assert kept.justification == "Woont tijdelijk in, verhuist volgende maand."


def test_not_adult_is_a_hard_stop_even_with_a_justification(search, lead):
    candidate = factories.candidate(search, lead, status="yes", screening=factories.all_met(), record=True)
    # The screening form refuses it; write it directly to prove the choice still refuses.
    FactorCheck.objects.filter(candidate=candidate, factor=Factor.ADULT).update(
        result=Result.NOT_MET, justification="Wordt volgende maand 18, heel betrokken."
    )
    assert rules.hard_stop(candidate)
    _refused(search, candidate, lead, "always an adult")


def test_a_member_known_to_be_under_18_is_a_hard_stop_even_if_screened_as_met(search, lead):
    sixteen = TODAY().replace(year=TODAY().year - 16, day=1)
    candidate = factories.candidate(search, lead, status="yes", record=True)
    # Screened as an adult, then the network learnt the date of birth (the screening refuses it the
    # other way round).
    services.screening_record(candidate=candidate, results=factories.all_met(), by=lead)
    member = candidate.member
    member.date_of_birth = sixteen
    services.member_save(member=member, by=lead, edit_version=member.edit_version)
    _refused(search, candidate, lead, "always an adult")


def test_a_member_marked_not_adult_is_a_hard_stop(search, lead):
    candidate = factories.candidate(
        search, lead, status="yes", record=True, date_of_birth=None, is_adult=True
    )
    factories.screening_written(candidate, lead, factories.all_met())
    # Learnt after the "yes" (a minor cannot be moved to "yes", test_dead_ends).
    NetworkMember.objects.filter(pk=candidate.member_id).update(is_adult=False)
    candidate.member.refresh_from_db()
    _refused(search, candidate, lead, "always an adult")


def test_unknown_age_must_be_confirmed(search, lead):
    candidate = factories.candidate(
        search,
        lead,
        status="yes",
        screening=factories.all_met(adult=(Result.UNKNOWN, "")),
        record=True,
        date_of_birth=None,
    )
    _refused(search, candidate, lead, "Confirm that the candidate is 18 or older")


def test_the_screening_must_cover_all_seven_factors(search, lead):
    candidate = factories.candidate(search, lead, status="yes", record=True)
    services.screening_record(candidate=candidate, results={"adult": (Result.MET, "")}, by=lead)
    _refused(search, candidate, lead, "all seven")


def test_record_check_is_required_when_the_organisation_requires_it(search, lead, organisation):
    organisation.requires_criminal_record_extract = True
    organisation.save()
    candidate = factories.candidate(search, lead, status="yes", screening=factories.all_met())
    _refused(search, candidate, lead, "criminal-record extract")
    services.record_check_save(
        candidate=candidate,
        kind=CriminalRecordCheck.Kind.VOG,
        issued_on=TODAY() - datetime.timedelta(days=3),
        by=lead,
    )
    services.jim_choose(search=search, candidate=candidate, by=lead)
    assert Search.objects.get().status == Search.Status.FOUND


def test_record_check_is_not_needed_when_the_organisation_does_not_require_it(search, lead, organisation):
    assert not organisation.requires_criminal_record_extract
    candidate = factories.candidate(search, lead, status="yes", screening=factories.all_met())
    services.jim_choose(search=search, candidate=candidate, by=lead)
    assert Search.objects.get().status == Search.Status.FOUND


def test_record_check_keeps_only_type_and_dates(search, lead):
    candidate = factories.candidate(search, lead)
    check = services.record_check_save(
        candidate=candidate, kind=CriminalRecordCheck.Kind.FLEMISH_MODEL_2, issued_on=TODAY(), by=lead
    )
    assert (check.checked_by, check.checked_on) == (lead, TODAY())
    assert {f.name for f in CriminalRecordCheck._meta.fields} == {
        "id",
        "candidate",
        "kind",
        "issued_on",
        "checked_by",
        "checked_on",
        # A reasoned exception to the organisation's maximum age (issue 21): who, when, why; never the document.
        "age_exception_reason",
        "age_exception_by",
        "age_exception_at",
        # When it was saved, for the refusal of a stale save (issue 21: who saved and when).
        "recorded_at",
    }
    with pytest.raises(ValidationError):
        services.record_check_save(
            candidate=candidate,
            kind=CriminalRecordCheck.Kind.VOG,
            issued_on=TODAY() + datetime.timedelta(days=1),
            by=lead,
        )
    # Recording again updates the one check.
    services.record_check_save(
        candidate=candidate, kind=CriminalRecordCheck.Kind.VOG, issued_on=TODAY(), by=lead
    )
    assert CriminalRecordCheck.objects.get().kind == CriminalRecordCheck.Kind.VOG
