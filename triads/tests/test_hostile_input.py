"""Hostile or mistyped input is refused beside its field, and never leaves an action half done (issue 11)."""

import datetime
import html
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from jimcase import validators
from jimcase.models import Organisation, Youth
from jimcase.services import note_add
from jimcase.tests import clock
from triads import rules, services
from triads.models import Agreement, CheckIn, ConsentDecision, FallbackRequest, Triad, TriadStatusChange
from triads.tests.conftest import give_all_consents, sign_all
from triads.tests.test_no_server_error import forms_on
from triads.tests.test_permission_matrix import client_for, snapshot, url_for, world  # noqa: F401 (a fixture)

# --- `next` after marking a fallback request handled ----------------------------------------------


@pytest.fixture
def fallback_request(started_triad):
    return services.fallback_request_send(
        triad=started_triad, by=started_triad.jim_profile.user, message="Bellen?"
    )


def handle_url(request):
    return reverse("triads:fallback_handle", args=[request.triad_id, request.pk])


@pytest.mark.parametrize(
    "target",
    [
        "foo",
        "triads:mine",
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_marking_handled_follows_only_a_path_on_this_site(login, lead, fallback_request, target):
    client = login(lead)
    client.raise_request_exception = False
    response = client.post(handle_url(fallback_request), {"next": target, "answer": "Gebeld."})
    assert response.status_code == 302
    assert response["Location"] == reverse("triads:detail", args=[fallback_request.triad_id])
    fallback_request.refresh_from_db()
    assert fallback_request.status == FallbackRequest.Status.HANDLED


def test_marking_handled_goes_back_to_the_page_it_came_from(login, lead, fallback_request):
    back = reverse("jimcase:youth_detail", args=[fallback_request.triad.youth_id]) + "?tab=triad"
    response = login(lead).post(handle_url(fallback_request), {"next": back, "answer": "Gebeld."})
    assert response["Location"] == back


# --- The trial length -----------------------------------------------------------------------------


def test_a_trial_length_saved_before_the_range_does_not_stop_a_new_triad(found_search, lead, parents):
    Organisation.objects.filter(pk=found_search.youth.organisation_id).update(default_trial_days=999_999_999)
    triad = services.triad_create(search=found_search, by=lead)
    assert triad.current_agreement.trial_days == validators.TRIAL_DAYS_MAX


def test_a_signed_agreement_with_an_impossible_trial_keeps_the_consent_and_waits(triad, lead, parents):
    """The finding: 999 999 999 days made the start overflow and the consent just recorded was lost."""
    Agreement.objects.filter(pk=triad.current_agreement.pk).update(trial_days=999_999_999)
    sign_all(triad.current_agreement, lead)
    give_all_consents(triad, lead)  # the last consent would start the trial

    triad.refresh_from_db()
    assert triad.status == Triad.Status.DRAFT
    given = ConsentDecision.objects.filter(triad=triad, decision=ConsentDecision.Decision.GIVEN)
    assert given.count() == 2
    assert any("14" in b and "365" in b for b in rules.start_blockers(triad))


def test_a_start_that_fails_half_way_leaves_nothing_half_done(triad, lead, parents, monkeypatch):
    """Consent and start are one transaction: all of it is saved, or none of it."""
    sign_all(triad.current_agreement, lead)
    first, second = parents[:2]
    services.consent_record(
        triad=triad,
        parent=first,
        decision="given",
        decided_on=timezone.localdate(),
        method="writing",
        by=lead,
    )

    def broken(**kwargs):
        raise RuntimeError("the plan cannot be made")

    monkeypatch.setattr("triads.services.status.schedule_for", broken)
    with pytest.raises(RuntimeError):
        services.consent_record(
            triad=triad,
            parent=second,
            decision="given",
            decided_on=timezone.localdate(),
            method="writing",
            by=lead,
        )
    triad.refresh_from_db()
    assert triad.status == Triad.Status.DRAFT and triad.trial_started_on is None
    assert not TriadStatusChange.objects.filter(triad=triad, to_status=Triad.Status.TRIAL).exists()
    assert not CheckIn.objects.filter(triad=triad).exists()
    assert triad.youth.stage != Youth.Stage.IN_TRIAD
    # The second consent went with the failed start; the user is told and records it again.
    assert not ConsentDecision.objects.filter(triad=triad, parent=second, decision="given").exists()


@pytest.mark.parametrize("days", ["999999999", "13", "366", "-5", "9" * 30])
def test_the_agreement_form_refuses_a_trial_length_out_of_range(login, triad, lead, days):
    agreement = triad.current_agreement
    client = login(lead)
    url = reverse("triads:agreement_edit", args=[triad.pk])
    ((_action, fields),) = [(a, f) for a, f in forms_on(client, url) if a == url]
    response = client.post(url, {**fields, "trial_days": days})
    assert response.status_code == 200
    assert field_error(response, "trial_days")
    agreement.refresh_from_db()
    assert agreement.trial_days == 90


# --- Numbers and dates: every field a user fills in has a range -------------------------------------

#: Numbers and dates the application sets itself (never typed by a user), by "app_label.Model.field".
SET_BY_THE_APPLICATION = {
    "jimcase.User.last_login",
    "jimcase.User.date_joined",
    "jimcase.Youth.stage_since",
    "jimcase.StageChange.on",  # the day of the fact that moved the stage (its own range checked there)
    "jimcase.LivingSituationChange.on",  # the referral, edit or closure date, each checked where entered
    "jimcase.NobodyCanDecide.on",  # the day "nobody can decide" was recorded: today, set by the service
    "jimcase.Youth.capacity_recorded_at",
    "mentors.Search.days_to_nomination",
    "mentors.Candidate.preference",
    "mentors.JimProfile.onboarding_read_on",  # the day the JIM confirmed reading the guide
    "triads.Triad.trial_started_on",
    "triads.Triad.trial_ends_on",
    "triads.Triad.activated_on",
    "triads.Triad.ended_on",
    "triads.Agreement.version",
    "triads.Agreement.superseded_at",
    "triads.SigningLink.expires_at",
    "triads.SigningLink.used_at",
    "triads.FallbackRequest.handled_at",
    "mentors.CriminalRecordCheck.age_exception_at",
    "triads.CheckIn.removed_at",
    "triads.CheckInMove.was_due_on",  # a copy of the date it had, checked when it was planned
    "triads.CheckInMove.due_on",  # checked by the move form (validate_plan_date on CheckIn.due_on)
    "triads.JimLogEntry.shared_at",
    "outbox.OutgoingMail.attempts",
    "outbox.OutgoingMail.next_attempt_at",
    "outbox.OutgoingMail.sent_at",
}
#: Field names that are always bookkeeping: when something happened, how often it was tried, versions.
BOOKKEEPING_NAMES = {
    "at",
    "recorded_at",
    "created_at",
    "signed_at",
    "checked_at",
    "edit_version",
    "edited_at",
}
RANGE_VALIDATORS = (
    validators.validate_event_date,
    validators.validate_plan_date,
    validators.validate_birth_date,
    validators.validate_adult_birth_date,
    validators.validate_past_date,
    validators.validate_trial_days,
)


def numbers_and_dates():
    for label in ("jimcase", "mentors", "triads"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.AutoField) or not isinstance(
                    field, models.DateField | models.IntegerField
                ):
                    continue
                yield f"{model._meta.label}.{field.name}", field


def test_every_number_and_date_a_user_fills_in_has_a_range():
    missing = [
        name
        for name, field in numbers_and_dates()
        if name not in SET_BY_THE_APPLICATION
        and field.name not in BOOKKEEPING_NAMES
        and not getattr(field, "auto_now_add", False)
        and not field.choices
        and not any(validator in RANGE_VALIDATORS for validator in field.validators)
    ]
    assert missing == []


def field_error(response, field):
    """The error crispy shows beside `field` ('' when there is none)."""
    body = response.content.decode()
    found = re.findall(rf'<[^>]+id="error_\d+_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', body, re.S)
    return html.unescape(" ".join(found))


TOO_EARLY = "0001-01-01"
THREE_YEARS_AHEAD = (clock.TODAY + datetime.timedelta(days=3 * 365)).isoformat()

#: (URL name, who fills it in, the date field)
DATE_FORMS = [
    ("jimcase:youth_create", "lead", "referral_date"),
    ("jimcase:youth_create", "lead", "date_of_birth"),
    ("jimcase:youth_edit", "lead", "referral_date"),
    ("jimcase:note_add", "lead", "written_on"),
    ("jimcase:assignment_add", "lead", "starts_on"),
    ("mentors:member_add", "lead", "date_of_birth"),
    ("mentors:member_edit", "lead", "date_of_birth"),
    ("mentors:search_stop", "lead", "ended_on"),
    ("mentors:candidate_record_check", "lead", "issued_on"),
    ("mentors:candidate_record_check", "lead", "checked_on"),
    ("triads:consent_record", "lead", "decided_on"),
    ("triads:evaluation_add", "lead", "held_on"),
    ("triads:check_in_add", "lead", "due_on"),
    ("triads:close", "lead", "ended_on"),
    ("triads:note_share", "lead", "agreed_on"),
    ("triads:jim_log", "jim", "happened_on"),
]


@pytest.mark.parametrize("value", [TOO_EARLY, THREE_YEARS_AHEAD])
@pytest.mark.parametrize(("name", "member", "field"), DATE_FORMS)
def test_an_implausible_date_is_refused_beside_its_field(world, name, member, field, value):  # noqa: F811 (the imported fixture)
    if name == "triads:note_share":
        # The world's one note is shared already: a second one to share.
        note_add(
            youth=world["youth"],
            author=world["users"]["lead"],
            written_on=timezone.localdate(),
            text="Nieuw.",
        )
    client = client_for(member, world)
    url = url_for(name, world)
    forms = [fields for action, fields in forms_on(client, url) if action == url and field in fields]
    assert forms, f"no form with {field} on {url}"
    before = snapshot()
    response = client.post(url, {**forms[0], field: value})
    assert response.status_code == 200, "the form is shown again"
    assert field_error(response, field), f"{field} = {value} was accepted on {url}"
    assert snapshot() == before, "nothing was saved"
