"""Parental consent: the one rule, the allowed decisions, the append-only history, withdrawal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jimcase.models import ParentGuardian
from jimcase.tests.mail import sent
from triads import rules, selectors, services
from triads.models import ConsentDecision, ConsentOverride, Triad
from triads.tests.conftest import give_all_consents, sign_all

Decision = ConsentDecision.Decision
JUSTIFICATION = "Vader is al twee jaar onbereikbaar; moeder stemt in. Besproken in het teamoverleg."


def decide(triad, parent, decision, by, **extra):
    return services.consent_record(
        triad=triad,
        parent=parent,
        decision=decision,
        decided_on=extra.pop("decided_on", timezone.localdate()),
        method=extra.pop("method", "orally"),
        by=by,
        **extra,
    )


def latest(triad, parent):
    return selectors.current_consents(triad)[parent.pk].decision


# --- The rule -----------------------------------------------------------------------------------


def test_minor_with_every_consent_meets_the_rule(triad, lead):
    give_all_consents(triad, lead)
    assert rules.consent_rule_met(triad)


def test_minor_with_one_consent_missing_does_not(triad, lead, parents):
    decide(triad, parents[0], Decision.GIVEN, lead)
    assert not rules.consent_rule_met(triad)
    assert latest(triad, parents[1]) == Decision.PENDING


def test_a_parent_without_parental_authority_is_not_needed(triad, lead, parents):
    foster = parents[2]
    assert not foster.has_parental_authority
    give_all_consents(triad, lead)
    assert foster.pk not in selectors.current_consents(triad)
    assert rules.consent_rule_met(triad)


def test_refusal_then_coordinator_override_meets_the_rule(triad, lead, parents, coordinator):
    decide(triad, parents[0], Decision.GIVEN, lead)
    decide(triad, parents[1], Decision.REFUSED, lead, note="Vader wil geen pottenkijkers.")
    assert not rules.consent_rule_met(triad)
    override = services.consent_override_record(triad=triad, by=coordinator, justification=JUSTIFICATION)
    assert override.by == coordinator and override.justification == JUSTIFICATION
    assert rules.consent_rule_met(triad)
    # The refusal itself stays on record.
    assert latest(triad, parents[1]) == Decision.REFUSED


def test_override_starts_the_trial_when_the_agreement_is_signed(triad, lead, parents, coordinator):
    sign_all(triad.current_agreement, lead)
    decide(triad, parents[1], Decision.REFUSED, lead)
    services.consent_override_record(triad=triad, by=coordinator, justification=JUSTIFICATION)
    triad.refresh_from_db()
    assert triad.status == Triad.Status.TRIAL
    assert triad.history.last().by == coordinator


@pytest.mark.parametrize("who", ["lead", "colleague", "other_coordinator", "jim"])
def test_only_a_coordinator_of_the_organisation_can_override(triad, cast, who):
    with pytest.raises(ValidationError):
        services.consent_override_record(triad=triad, by=cast[who], justification=JUSTIFICATION)
    assert not ConsentOverride.objects.exists()
    assert not rules.consent_rule_met(triad)


@pytest.mark.parametrize("justification", ["", "   ", "Mag van mij.", "x" * 19])
def test_an_override_needs_a_real_justification(triad, coordinator, justification):
    with pytest.raises(ValidationError) as exc:
        services.consent_override_record(triad=triad, by=coordinator, justification=justification)
    assert "justification" in exc.value.message_dict
    assert not ConsentOverride.objects.exists()


def test_an_adult_youth_needs_no_consent(triad, lead):
    youth = triad.youth
    today = timezone.localdate()
    youth.date_of_birth = today.replace(year=today.year - 19, day=1)
    youth.save()
    triad.refresh_from_db()
    assert rules.consent_rule_met(triad)
    sign_all(triad.current_agreement, lead)
    triad.refresh_from_db()
    assert triad.status == Triad.Status.TRIAL  # with every consent still pending


def test_a_youth_turning_18_tomorrow_still_needs_consent(triad, today):
    # `today` is the fixed test day (never 28 February, whose tomorrow has no 18th birthday in most years).
    youth = triad.youth
    tomorrow = today + datetime.timedelta(days=1)
    birthday = tomorrow.replace(year=tomorrow.year - 18)
    youth.date_of_birth = birthday
    youth.save()
    triad.refresh_from_db()
    assert not rules.consent_rule_met(triad)
    assert rules.consent_rule_met(triad, today=today + datetime.timedelta(days=1))


# --- Decisions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "steps",
    [
        [Decision.GIVEN],
        [Decision.REFUSED],
        [Decision.GIVEN, Decision.WITHDRAWN],
        [Decision.REFUSED, Decision.GIVEN],
        [Decision.GIVEN, Decision.WITHDRAWN, Decision.GIVEN],
    ],
)
def test_allowed_consent_decisions(triad, lead, parents, steps):
    for step in steps:
        decide(triad, parents[0], step, lead)
    assert latest(triad, parents[0]) == steps[-1]


@pytest.mark.parametrize(
    "steps,refused",
    [
        ([], Decision.WITHDRAWN),  # pending -> withdrawn
        ([Decision.GIVEN], Decision.GIVEN),
        ([Decision.GIVEN], Decision.REFUSED),
        ([Decision.REFUSED], Decision.WITHDRAWN),
        ([Decision.REFUSED], Decision.REFUSED),
        ([Decision.GIVEN, Decision.WITHDRAWN], Decision.REFUSED),
    ],
)
def test_refused_consent_decisions_record_nothing(triad, lead, parents, steps, refused):
    for step in steps:
        decide(triad, parents[0], step, lead)
    count = ConsentDecision.objects.count()
    with pytest.raises(ValidationError) as exc:
        decide(triad, parents[0], refused, lead)
    assert "decision" in exc.value.message_dict
    assert ConsentDecision.objects.count() == count


def test_each_decision_records_date_method_who_and_note(triad, lead, parents):
    day = timezone.localdate() - datetime.timedelta(days=3)
    record = decide(
        triad, parents[0], Decision.GIVEN, lead, decided_on=day, method="writing", note="Getekend briefje."
    )
    record.refresh_from_db()
    assert (record.decided_on, record.method, record.recorded_by, record.note) == (
        day,
        "writing",
        lead,
        "Getekend briefje.",
    )
    assert record.recorded_at is not None


def test_history_is_append_only(triad, lead, parents):
    first = ConsentDecision.objects.get(triad=triad, parent=parents[0])
    decide(triad, parents[0], Decision.GIVEN, lead)
    decide(triad, parents[0], Decision.WITHDRAWN, lead, note="Moeder twijfelt.")
    decide(triad, parents[0], Decision.GIVEN, lead)
    history = list(ConsentDecision.objects.filter(triad=triad, parent=parents[0]))
    assert [d.decision for d in history] == ["pending", "given", "withdrawn", "given"]
    first_again = history[0]
    assert (first_again.pk, first_again.decision, first_again.recorded_at) == (
        first.pk,
        "pending",
        first.recorded_at,
    )


def test_a_decision_in_the_future_is_refused(triad, lead, parents):
    with pytest.raises(ValidationError) as exc:
        decide(
            triad,
            parents[0],
            Decision.GIVEN,
            lead,
            decided_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "decided_on" in exc.value.message_dict
    assert latest(triad, parents[0]) == Decision.PENDING


def test_a_parent_without_authority_cannot_decide(triad, lead, parents):
    with pytest.raises(ValidationError) as exc:
        decide(triad, parents[2], Decision.GIVEN, lead)
    assert "parent" in exc.value.message_dict
    assert not ConsentDecision.objects.filter(parent=parents[2]).exists()


def test_a_parent_of_another_youth_cannot_decide(triad, lead, make_youth):
    (other,) = make_youth()
    stranger_parent = ParentGuardian.objects.create(youth=other, name="Ander Ouder", relation="mother")
    with pytest.raises(ValidationError) as exc:
        decide(triad, stranger_parent, Decision.GIVEN, lead)
    assert "parent" in exc.value.message_dict
    assert not ConsentDecision.objects.filter(parent=stranger_parent).exists()


# --- Withdrawal during the triad ----------------------------------------------------------------


def test_withdrawal_during_the_trial_flags_it_and_mails_the_lead_once(
    started_triad, lead, parents, mailoutbox
):
    sent().clear()
    decide(started_triad, parents[1], Decision.WITHDRAWN, lead, note="Vader trekt zijn toestemming in.")
    started_triad.refresh_from_db()
    assert started_triad.status == Triad.Status.TRIAL  # not ended
    assert started_triad.consent_withdrawn_flag
    assert len(sent()) == 1
    message = sent()[0]
    assert message.to == [lead.email]
    assert f"/triads/{started_triad.pk}/" in message.body
    assert "Lotte" in message.subject
    assert "Vermeulen" not in message.subject + message.body  # first name only in an e-mail


def test_withdrawal_while_still_a_draft_sends_nothing(triad, lead, parents, mailoutbox):
    decide(triad, parents[0], Decision.GIVEN, lead)
    sent().clear()
    decide(triad, parents[0], Decision.WITHDRAWN, lead)
    triad.refresh_from_db()
    assert not triad.consent_withdrawn_flag
    assert sent() == []
    assert not rules.consent_rule_met(triad)
