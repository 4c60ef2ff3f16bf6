"""The consent gate (issue 21): a minor's triad starts only when every parent with parental authority gave
consent, or the file records why nobody can decide, or a coordinator overrides. An empty list of parents is
never "in order"."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jimcase import services as case_services
from jimcase.models import NobodyCanDecide, ParentGuardian
from jimcase.tests.html import without_tokens
from triads import rules, services
from triads.models import ConsentDecision, Triad
from triads.sections import consent_state_lines
from triads.tests.conftest import sign_all

IN_ORDER = "De toestemming is in orde om te starten"
MISSING = (
    "Er zijn nog geen ouders of voogd met ouderlijk gezag ingevuld — voeg ze toe of noteer waarom niemand "
    "kan beslissen."
)
SIGNED_MISSING = "De huidige afspraken zijn nog niet door iedereen ondertekend."
JUSTIFICATION = "Geen ouders bekend; de voogdij wordt nog geregeld door de jeugdrechter."


@pytest.fixture
def bare_triad(found_search, lead):
    """The cast's 15-year-old Lotte, with no parent or guardian recorded, in a draft triad."""
    assert not found_search.youth.parents.exists()
    return services.triad_create(search=found_search, by=lead)


def nobody(youth, by, reason=NobodyCanDecide.Reason.DECEASED, explanation="Moeder overleden in 2023."):
    return case_services.nobody_can_decide_record(youth=youth, reason=reason, explanation=explanation, by=by)


def add_parent(youth, by, authority=True, name="Els Wouters"):
    return case_services.parent_save(
        parent=ParentGuardian(youth=youth, name=name, relation="mother", has_parental_authority=authority),
        by=by,
    )


def test_a_minor_without_any_parent_is_not_in_order(bare_triad):
    assert not rules.consent_rule_met(bare_triad)
    assert rules.start_blockers(bare_triad, agreement=None)[-1] == MISSING


def test_a_signed_triad_of_a_minor_without_parents_stays_in_draft(bare_triad, lead):
    sign_all(bare_triad.current_agreement, lead)
    bare_triad.refresh_from_db()
    assert bare_triad.status == Triad.Status.DRAFT
    with pytest.raises(ValidationError) as exc:
        services.triad_transition(triad=bare_triad, to=Triad.Status.TRIAL, by=lead)
    assert MISSING in exc.value.messages


def test_the_triad_page_says_what_is_missing_and_never_in_order(login, bare_triad, lead):
    body = without_tokens(login(lead).get(reverse("triads:detail", args=[bare_triad.pk])))
    assert IN_ORDER not in body
    assert MISSING in body
    youth = bare_triad.youth
    assert reverse("jimcase:nobody_can_decide", args=[youth.pk]) in body
    assert reverse("jimcase:parent_add", args=[youth.pk]) in body


def test_only_parents_without_parental_authority_are_not_enough(bare_triad, lead):
    add_parent(bare_triad.youth, lead, authority=False, name="Greet Pleeg")
    assert not rules.consent_rule_met(bare_triad)
    assert rules.start_blockers(bare_triad, agreement=None)[-1] == MISSING


@pytest.mark.parametrize("reason", NobodyCanDecide.STATED)
def test_nobody_can_decide_recorded_is_in_order(bare_triad, lead, reason):
    nobody(bare_triad.youth, lead, reason=reason)
    assert rules.consent_rule_met(bare_triad)
    assert rules.start_blockers(bare_triad) == [SIGNED_MISSING]


def test_recording_nobody_can_decide_starts_a_signed_triad(bare_triad, lead):
    sign_all(bare_triad.current_agreement, lead)
    nobody(bare_triad.youth, lead, reason=NobodyCanDecide.Reason.UNKNOWN, explanation="Vader onbekend.")
    bare_triad.refresh_from_db()
    assert bare_triad.status == Triad.Status.TRIAL
    assert bare_triad.history.last().by == lead


def test_the_triad_page_shows_who_recorded_why_nobody_can_decide(login, bare_triad, lead):
    nobody(bare_triad.youth, lead, explanation="Beide ouders overleden bij een ongeval.")
    body = without_tokens(login(lead).get(reverse("triads:detail", args=[bare_triad.pk])))
    assert MISSING not in body
    assert "Beide ouders overleden bij een ongeval." in body and "de ouders zijn overleden" in body
    assert f"genoteerd door {lead}" in body
    assert IN_ORDER in body


def test_a_parent_with_authority_added_later_ends_nobody_can_decide(bare_triad, lead):
    """Decided: the statement lapses for good once a parent with parental authority is recorded (a row
    in the history says so); that parent decides now, and removing their authority again does not bring
    the old statement back: the professional records anew."""
    youth = bare_triad.youth
    nobody(youth, lead, reason=NobodyCanDecide.Reason.UNKNOWN, explanation="Vader onbekend, moeder weg.")
    assert rules.consent_rule_met(bare_triad)
    mother = add_parent(youth, lead, name="Els Wouters")
    assert not rules.consent_rule_met(bare_triad)
    lapsed = NobodyCanDecide.objects.filter(youth=youth).last()
    assert lapsed.reason == NobodyCanDecide.Reason.LAPSED and lapsed.by == lead
    assert NobodyCanDecide.objects.filter(youth=youth).count() == 2  # the statement itself stays on record
    assert "Els Wouters" in rules.start_blockers(bare_triad, agreement=None)[-1] or rules.start_blockers(
        bare_triad, agreement=None
    )[-1].startswith("Niet elke ouder")
    # The mother's authority is removed again: the old statement does not come back by itself.
    mother.has_parental_authority = False
    case_services.parent_save(parent=mother, by=lead, edit_version=mother.edit_version)
    assert not rules.consent_rule_met(bare_triad)
    assert rules.start_blockers(bare_triad, agreement=None)[-1] == MISSING
    nobody(youth, lead, reason=NobodyCanDecide.Reason.AUTHORITY_REMOVED, explanation="Gezag ontnomen.")
    assert rules.consent_rule_met(bare_triad)


def test_a_parent_without_authority_does_not_end_nobody_can_decide(bare_triad, lead):
    nobody(bare_triad.youth, lead)
    add_parent(bare_triad.youth, lead, authority=False, name="Greet Pleeg")
    assert NobodyCanDecide.objects.filter(youth=bare_triad.youth).count() == 1
    assert rules.consent_rule_met(bare_triad)


def test_nobody_can_decide_is_refused_while_a_parent_with_authority_is_recorded(triad, lead):
    with pytest.raises(ValidationError):
        nobody(triad.youth, lead)
    assert not NobodyCanDecide.objects.exists()


@pytest.mark.parametrize(
    ("reason", "explanation", "field"),
    [("lapsed", "Iets.", "reason"), ("other", "Iets.", "reason"), ("deceased", "   ", "explanation")],
)
def test_nobody_can_decide_needs_a_stated_reason_and_an_explanation(youth, lead, reason, explanation, field):
    with pytest.raises(ValidationError) as exc:
        case_services.nobody_can_decide_record(youth=youth, reason=reason, explanation=explanation, by=lead)
    assert field in exc.value.message_dict
    assert not NobodyCanDecide.objects.exists()


def test_the_nobody_can_decide_history_is_append_only(youth, lead):
    record = nobody(youth, lead)
    record.explanation = "Anders."
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        NobodyCanDecide.objects.filter(youth=youth).update(explanation="Anders.")
    assert NobodyCanDecide.objects.get().explanation == "Moeder overleden in 2023."


def test_a_refusal_or_withdrawal_holds_the_start_as_before(triad, lead, parents):
    """Only "given" counts; a refusal or a withdrawal holds the start until a coordinator overrides."""
    decide = {"decided_on": timezone.localdate(), "method": "orally", "by": lead, "triad": triad}
    services.consent_record(parent=parents[0], decision="given", **decide)
    services.consent_record(parent=parents[1], decision="refused", **decide)
    assert not rules.consent_rule_met(triad)
    services.consent_record(parent=parents[1], decision="given", **decide)
    assert rules.consent_rule_met(triad)
    services.consent_record(parent=parents[0], decision="withdrawn", **decide)
    assert not rules.consent_rule_met(triad)


def test_an_override_still_lets_a_minor_without_parents_start(bare_triad, coordinator):
    services.consent_override_record(triad=bare_triad, by=coordinator, justification=JUSTIFICATION)
    assert rules.consent_rule_met(bare_triad)


def test_an_adult_without_parents_needs_nobody(bare_triad):
    youth = bare_triad.youth
    today = timezone.localdate()
    youth.date_of_birth = today.replace(year=today.year - 18) - datetime.timedelta(days=1)
    youth.save()
    bare_triad.refresh_from_db()
    assert rules.consent_rule_met(bare_triad)
    assert rules.start_blockers(bare_triad, agreement=None) == [SIGNED_MISSING]


def test_consent_state_lines_say_each_parents_decision_per_live_triad(triad, lead, parents):
    services.consent_record(
        triad=triad,
        parent=parents[0],
        decision="refused",
        decided_on=timezone.localdate(),
        method="orally",
        by=lead,
    )
    (line,) = consent_state_lines(triad.youth)
    assert "Wilma Janssens" in line
    assert line.endswith("Els Wouters: geweigerd; Tom Wouters: nog niet beslist")
    assert "Greet Pleeg" not in line  # no parental authority
    assert ConsentDecision.objects.filter(triad=triad).count() == 3


def test_the_screening_reads_the_triads_decisions_through_the_registry(triad, lead, parents):
    """mentors never imports triads: the screening asks jimcase.registry, which settings point at triads."""
    from jimcase.registry import consent_state_lines as registered_lines

    services.consent_record(
        triad=triad,
        parent=parents[1],
        decision="given",
        decided_on=timezone.localdate(),
        method="orally",
        by=lead,
    )
    assert registered_lines(triad.youth) == consent_state_lines(triad.youth)
    assert "Tom Wouters: gegeven" in registered_lines(triad.youth)[0]
