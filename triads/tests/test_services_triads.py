"""Triad creation and status moves: allowed and refused transitions, each one recorded."""

import datetime
import pathlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from jimcase import services as case_services
from jimcase.models import Youth
from jimcase.tests.mail import sent
from outbox import services as outbox
from outbox.models import OutgoingMail
from triads import services
from triads.models import Agreement, ConsentDecision, Triad, TriadStatusChange
from triads.tests.conftest import assign_backup, give_all_consents, sign_all

Status = Triad.Status


def moves(triad):
    return list(TriadStatusChange.objects.filter(triad=triad).values_list("from_status", "to_status"))


def set_status(triad, status):
    """Put a triad in `status` the way the product does: through the service, step by step."""
    path = {
        Status.DRAFT: [],
        Status.TRIAL: [Status.TRIAL],
        Status.ACTIVE: [Status.TRIAL, Status.ACTIVE],
        Status.ENDED: [Status.ENDED],
    }[status]
    for step in path:
        if step == Status.TRIAL:
            sign_all(triad.current_agreement, triad.lead)
            give_all_consents(triad, triad.lead)
        else:
            services.triad_transition(triad=triad, to=step, by=triad.lead, why="test")
    triad.refresh_from_db()
    assert triad.status == status
    return triad


# --- Creation -----------------------------------------------------------------------------------


def test_create_makes_a_draft_with_a_first_agreement_and_pending_consents(triad, lead, parents, jim):
    assert triad.status == Status.DRAFT
    assert triad.lead == lead
    assert triad.fallback == lead  # defaults to the lead
    agreement = triad.current_agreement
    assert agreement.version == 1 and agreement.status == Agreement.Status.DRAFT
    assert agreement.trial_days == 90  # the organisation's default
    assert agreement.youth_name == "Lotte Vermeulen"
    assert "Lead" in agreement.fallback
    pending = ConsentDecision.objects.filter(triad=triad)
    # Only the two parents with parental authority, not the foster parent.
    assert sorted(pending.values_list("parent__name", flat=True)) == ["Els Wouters", "Tom Wouters"]
    assert set(pending.values_list("decision", flat=True)) == {"pending"}
    assert moves(triad) == [("", "draft")]
    assert triad.history.get().by == lead
    assert jim.has_perm("triads.view_triad", triad)


def test_fallback_can_be_another_professional_of_the_organisation(found_search, lead, colleague, parents):
    assign_backup(found_search.youth, colleague, lead)
    triad = services.triad_create(search=found_search, by=lead, fallback=colleague)
    assert triad.fallback == colleague
    assert triad.current_agreement.fallback_name == str(colleague)


def test_fallback_of_another_organisation_or_a_jim_is_refused(found_search, lead, stranger, other_jim):
    for wrong in (stranger, other_jim):
        with pytest.raises(ValidationError) as exc:
            services.triad_create(search=found_search, by=lead, fallback=wrong)
        assert "fallback" in exc.value.message_dict
    assert not Triad.objects.exists()


def test_a_second_triad_for_the_same_choice_is_refused(triad, found_search, lead):
    with pytest.raises(ValidationError):
        services.triad_create(search=found_search, by=lead)
    assert Triad.objects.count() == 1


def test_a_search_without_a_chosen_jim_cannot_make_a_triad(found_search, lead):
    found_search.status = "open"
    found_search.save()
    with pytest.raises(ValidationError):
        services.triad_create(search=found_search, by=lead)
    assert not Triad.objects.exists()


# --- Allowed transitions ------------------------------------------------------------------------


def test_draft_to_trial_is_blocked_until_signed_and_consented(triad, lead):
    with pytest.raises(ValidationError) as exc:
        services.triad_transition(triad=triad, to=Status.TRIAL, by=lead)
    assert len(exc.value.messages) == 2  # not signed, no consent
    sign_all(triad.current_agreement, lead)
    with pytest.raises(ValidationError) as exc:
        services.triad_transition(triad=triad, to=Status.TRIAL, by=lead)
    assert len(exc.value.messages) == 1  # still no consent
    triad.refresh_from_db()
    assert triad.status == Status.DRAFT
    assert moves(triad) == [("", "draft")]


def test_draft_to_trial_when_signed_and_consented_records_who_and_dates(triad, lead):
    sign_all(triad.current_agreement, lead)
    give_all_consents(triad, lead)  # the last consent starts the trial
    triad.refresh_from_db()
    today = timezone.localdate()
    assert triad.status == Status.TRIAL
    assert triad.trial_started_on == today
    assert triad.trial_ends_on == today + datetime.timedelta(days=90)
    change = triad.history.last()
    assert (change.from_status, change.to_status, change.by) == ("draft", "trial", lead)
    assert change.why
    triad.youth.refresh_from_db()
    assert triad.youth.stage == Youth.Stage.IN_TRIAD
    assert triad.youth.stage_since == today


def test_trial_length_comes_from_the_agreement(triad, lead):
    services.agreement_update(agreement=triad.current_agreement, by=lead, trial_days=60)
    set_status(triad, Status.TRIAL)
    assert triad.trial_ends_on - triad.trial_started_on == datetime.timedelta(days=60)


def test_an_override_lets_the_last_signature_start_the_trial(triad, lead, coordinator):
    # An override recorded before the agreement is signed: the last signature starts the trial.
    services.consent_override_record(
        triad=triad, by=coordinator, justification="De ouders zijn onbereikbaar; het team besprak dit."
    )
    sign_all(triad.current_agreement, lead)
    triad.refresh_from_db()
    assert triad.status == Status.TRIAL


@pytest.mark.parametrize(
    "start,to",
    [
        (Status.TRIAL, Status.ACTIVE),
        (Status.TRIAL, Status.ENDED),
        (Status.ACTIVE, Status.ENDED),
        (Status.DRAFT, Status.ENDED),
    ],
)
def test_allowed_transitions_are_recorded(triad, lead, start, to):
    set_status(triad, start)
    before = triad.history.count()
    services.triad_transition(triad=triad, to=to, by=lead, why="Evaluatie besproken")
    triad.refresh_from_db()
    assert triad.status == to
    assert triad.history.count() == before + 1
    change = triad.history.last()
    assert (change.from_status, change.to_status, change.by, change.why) == (
        start,
        to,
        lead,
        "Evaluatie besproken",
    )
    assert change.at is not None
    today = timezone.localdate()
    if to == Status.ACTIVE:
        assert triad.activated_on == today
    if to == Status.ENDED:
        assert triad.ended_on == today
        triad.youth.refresh_from_db()
        assert triad.youth.stage == Youth.Stage.TRIAD_ENDED


def test_ending_takes_the_jims_view_away(triad, lead, jim):
    assert jim.has_perm("triads.view_triad", triad)
    services.triad_transition(triad=triad, to=Status.ENDED, by=lead, why="De jongere wil stoppen")
    jim = type(jim).objects.get(pk=jim.pk)  # fresh permission cache
    assert not jim.has_perm("triads.view_triad", triad)


# --- Refused transitions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start,to",
    [
        (Status.DRAFT, Status.ACTIVE),
        (Status.ACTIVE, Status.TRIAL),
        (Status.TRIAL, Status.DRAFT),
        (Status.ACTIVE, Status.DRAFT),
        (Status.ENDED, Status.DRAFT),
        (Status.ENDED, Status.TRIAL),
        (Status.ENDED, Status.ACTIVE),
        (Status.ENDED, Status.ENDED),
        (Status.TRIAL, Status.TRIAL),
    ],
)
def test_refused_transitions_change_and_record_nothing(triad, lead, start, to):
    set_status(triad, start)
    before = moves(triad)
    with pytest.raises(ValidationError):
        services.triad_transition(triad=triad, to=to, by=lead, why="probeer")
    triad.refresh_from_db()
    assert triad.status == start
    assert moves(triad) == before


def test_the_refusal_message_names_both_statuses(triad, lead):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.triad_transition(triad=triad, to=Status.ACTIVE, by=lead)
    assert exc.value.messages == ["A triad cannot go from “draft” to “active”."]


def test_every_status_move_has_a_history_row(triad, lead):
    set_status(triad, Status.TRIAL)
    services.triad_transition(triad=triad, to=Status.ACTIVE, by=lead, why="Proefperiode goed geëvalueerd")
    services.triad_transition(triad=triad, to=Status.ENDED, by=lead, why="Jongere verhuist")
    assert moves(triad) == [("", "draft"), ("draft", "trial"), ("trial", "active"), ("active", "ended")]


def test_status_field_has_no_other_writer():
    """The status changes in one place: no module of the app but the status service assigns Triad.status."""
    root = pathlib.Path(services.__file__).parent.parent
    writers = sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if "tests" not in path.parts and re.search(r"\btriad\.status\s*=[^=]", path.read_text())
    )
    assert writers == ["services/status.py"]


def test_a_new_version_during_the_trial_keeps_the_trial(triad, lead):
    set_status(triad, Status.TRIAL)
    services.agreement_new_version(triad=triad, by=lead, meeting="Elke week op woensdag.")
    triad.refresh_from_db()
    assert triad.status == Status.TRIAL
    assert triad.current_agreement.version == 2


# --- Handovers: the triad follows the case assignments --------------------------------------------


def test_the_triads_lead_follows_a_handover(triad, lead, colleague, mailoutbox):
    assign_backup(triad.youth, colleague, lead)
    case_services.lead_hand_over(youth=triad.youth, to=colleague, by=lead)
    triad = Triad.objects.get(pk=triad.pk)
    assert triad.lead == colleague


def test_when_the_fallback_leaves_the_lead_is_fallback_at_once_told_and_a_new_version_awaits(
    started_triad, lead, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    triad = started_triad
    assignment = assign_backup(triad.youth, colleague, lead)
    services.triad_fallback_set(triad=triad, fallback=colleague, by=lead)
    sign_all(triad.current_agreement, lead)
    signed = triad.current_agreement
    assert signed.fallback_name == str(colleague) and signed.status == Agreement.Status.SIGNED
    sent().clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.assignment_end(assignment=assignment, by=lead)
    triad = Triad.objects.get(pk=triad.pk)
    assert triad.fallback == lead
    current = triad.current_agreement
    assert current.version == signed.version + 1 and current.fallback_name == str(lead)
    assert str(colleague) not in current.fallback and str(lead) in current.fallback
    signed.refresh_from_db()
    assert signed.fallback_name == str(colleague) and signed.status == Agreement.Status.SUPERSEDED
    assert [m.to for m in sent()] == [[lead.email]]
    assert triad.youth.first_name in sent()[0].subject


def test_the_jim_asks_the_new_fallback_never_the_one_who_left(
    started_triad, lead, colleague, jim, mailoutbox
):
    assignment = assign_backup(started_triad.youth, colleague, lead)
    services.triad_fallback_set(triad=started_triad, fallback=colleague, by=lead)
    case_services.assignment_end(assignment=assignment, by=lead)
    sent().clear()
    services.fallback_request_send(
        triad=Triad.objects.get(pk=started_triad.pk), by=jim, message="Even bellen?"
    )
    assert [m.to for m in sent()] == [[lead.email]]


def test_after_a_handover_the_consent_withdrawal_reaches_the_new_lead(
    started_triad, lead, colleague, parents, mailoutbox
):
    assign_backup(started_triad.youth, colleague, lead)
    case_services.lead_hand_over(youth=started_triad.youth, to=colleague, by=lead)
    sent().clear()
    services.consent_record(
        triad=started_triad,
        parent=parents[0],
        decision=ConsentDecision.Decision.WITHDRAWN,
        decided_on=timezone.localdate(),
        method=ConsentDecision.Method.ORALLY,
        by=colleague,
    )
    assert [m.to for m in sent()] == [[colleague.email]]


def test_the_fallback_must_work_on_the_youths_file(triad, lead, colleague):
    with pytest.raises(ValidationError):
        services.triad_fallback_set(triad=triad, fallback=colleague, by=lead)
    assert Triad.objects.get(pk=triad.pk).fallback == lead


def test_a_mail_server_that_is_down_never_undoes_the_end_of_an_assignment(
    started_triad, lead, colleague, mail_server_down, django_capture_on_commit_callbacks
):
    assignment = assign_backup(started_triad.youth, colleague, lead)
    services.triad_fallback_set(triad=started_triad, fallback=colleague, by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.assignment_end(assignment=assignment, by=lead)
    outbox.deliver_due()  # the worker tries the mail to the lead, and it fails quietly
    mail = OutgoingMail.objects.get(kind="fallback_handover")
    assert (mail.to, mail.status, mail.attempts) == (lead.email, OutgoingMail.Status.QUEUED, 1)
    assignment.refresh_from_db()
    assert assignment.ends_on is not None
    assert Triad.objects.get(pk=started_triad.pk).fallback == lead
