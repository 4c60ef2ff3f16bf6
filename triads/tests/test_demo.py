"""The triads demo data: the promised states, and a second run changes nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jimcase.demo import DEMO_PASSWORD
from jimcase.models import Note, User, Youth
from jimcase.tests.html import without_tokens
from mentors.models import JimProfile, PeerMeeting
from triads import rules, selectors
from triads.models import (
    Agreement,
    CheckIn,
    Closure,
    ConsentDecision,
    Evaluation,
    EvaluationView,
    FallbackRequest,
    JimLogEntry,
    Signature,
    SigningLink,
    Triad,
    TriadStatusChange,
)
from triads.selectors import overdue_since


@pytest.fixture
def seeded(db, settings):
    settings.DEMO_SEEDERS = ["jimcase.demo.seed", "mentors.demo.seed", "triads.demo.seed"]
    call_command("seed_demo")


def snapshot():
    return {
        "triads": sorted(
            Triad.objects.values_list(
                "youth__first_name",
                "jim_profile__name",
                "fallback__username",
                "fallback__username",
                "status",
                "trial_ends_on",
            )
        ),
        "agreements": sorted(
            Agreement.objects.values_list("triad__youth__first_name", "version", "status", "meeting")
        ),
        "signatures": sorted(
            Signature.objects.values_list("agreement__triad__youth__first_name", "party", "text_hash")
        ),
        "consents": sorted(
            ConsentDecision.objects.values_list(
                "triad__youth__first_name", "parent__name", "decision", "note"
            )
        ),
        "history": sorted(
            TriadStatusChange.objects.values_list("triad__youth__first_name", "from_status", "to_status")
        ),
        "links": SigningLink.objects.count(),
        "users": sorted(User.objects.values_list("username", flat=True)),
        "check_ins": sorted(
            CheckIn.objects.values_list("triad__youth__first_name", "kind", "due_on", "done_on")
        ),
        "evaluations": sorted(
            Evaluation.objects.values_list("triad__youth__first_name", "held_on", "score", "decision")
        ),
        "requests": sorted(FallbackRequest.objects.values_list("triad__youth__first_name", "status")),
        "log": sorted(JimLogEntry.objects.values_list("triad__youth__first_name", "text")),
        "closures": sorted(Closure.objects.values_list("triad__youth__first_name", "reason", "ended_on")),
        "meetings": sorted(PeerMeeting.objects.values_list("organisation__name", "starts_at", "topic")),
        "youths": sorted(Youth.objects.values_list("case_number", "stage")),
        "overdue": overdue_since(Youth.objects.values_list("pk", flat=True), today()),
        "notes": Note.objects.count(),
    }


def triad_of(first_name):
    return Triad.objects.select_related("jim_profile__user", "youth").get(youth__first_name=first_name)


def test_seed_demo_twice_leaves_the_same_triads(seeded):
    first = snapshot()
    assert len(first["triads"]) == 4
    call_command("seed_demo")
    assert snapshot() == first


def test_wilma_and_lucas_are_in_their_trial_with_everything_signed(seeded):
    triad = triad_of("Lucas")
    assert triad.status == Triad.Status.TRIAL
    assert triad.lead.username == "hv.anna"
    assert triad.jim_profile.user.username == "jim.wilma"
    agreement = triad.current_agreement
    assert agreement.status == Agreement.Status.SIGNED
    assert all(s.matches for s in agreement.signatures.all()) and agreement.signatures.count() == 3
    assert rules.consent_rule_met(triad)
    assert {
        selectors.current_consents(triad)[p.pk].decision
        for p in triad.youth.parents.filter(has_parental_authority=True)
    } == {"given"}
    triad.youth.refresh_from_db()
    assert triad.youth.stage == "in_triad"
    wilma = User.objects.get(username="jim.wilma")
    assert wilma.has_perm("triads.view_triad", triad)


def test_a_second_triad_of_anna_is_a_draft_with_one_signature_and_a_refusal(seeded):
    triad = Triad.objects.get(
        youth__assignments__professional__username="hv.anna",
        youth__assignments__role="lead",
        youth__assignments__ends_on__isnull=True,
        status=Triad.Status.DRAFT,
    )
    assert triad.youth.first_name == "Noor"
    assert triad.current_agreement.signatures.count() == 1
    refused = [d for d in selectors.current_consents(triad).values() if d.decision == "refused"]
    assert len(refused) == 1 and refused[0].note
    assert not rules.consent_rule_met(triad)


def test_karel_and_sanne_with_chris_wait_for_karels_signature(seeded):
    triad = triad_of("Sanne")
    assert triad.lead.username == "hv.chris"
    assert triad.jim_profile.user.username == "jim.karel"
    assert triad.status in (Triad.Status.DRAFT, Triad.Status.TRIAL)
    assert [p for p, _parent in rules.missing_signers(triad.current_agreement)] == ["jim"]
    karel = User.objects.get(username="jim.karel")
    assert karel.has_perm("triads.view_triad", triad)


def test_the_demo_jims_can_log_in_to_their_triad(seeded, client):
    assert client.login(username="jim.karel", password=DEMO_PASSWORD)
    page = client.get("/triads/mine/", follow=True)
    assert "Sanne" in page.content.decode()
    response = client.post(page.redirect_chain[-1][0], {"typed_name": "Karel Bakker", "agree": "on"})
    assert response.status_code == 302
    assert triad_of("Sanne").status == Triad.Status.TRIAL


def today():
    return timezone.localdate()


def test_lucas_is_40_days_into_his_trial_with_one_check_in_done_and_one_overdue(seeded):
    triad = triad_of("Lucas")
    assert triad.trial_started_on == today() - datetime.timedelta(days=40)
    done = list(triad.check_ins.filter(done_on__isnull=False))
    assert len(done) == 1 and done[0].evaluation.score == 4
    assert done[0].evaluation.note.jim_share.triad == triad
    overdue = list(CheckIn.objects.overdue(today()).filter(triad=triad))
    assert len(overdue) == 1
    assert overdue_since([triad.youth_id], today()) == {triad.youth_id: overdue[0].due_on}
    assert triad.check_ins.get(kind="trial_evaluation").due_on == triad.trial_ends_on > today()


def test_wilma_asks_anna_to_think_along_and_shared_one_log_entry(seeded):
    triad = triad_of("Lucas")
    request = triad.fallback_requests.get()
    assert request.status == FallbackRequest.Status.OPEN and request.created_by.username == "jim.wilma"
    assert triad.jim_log.count() == 2 and triad.jim_log.filter(shared_at__isnull=False).count() == 1


def test_wilma_answered_the_three_questions_before_lucass_trial_evaluation(seeded):
    view = EvaluationView.objects.get(check_in__triad=triad_of("Lucas"))
    assert (view.party, view.by.username, view.check_in.kind) == ("jim", "jim.wilma", "trial_evaluation")
    assert view.check_in.done_on is None  # she can still change her answers
    assert triad_of("Ines").evaluations.get().early_reason  # continue before the trial's end, with a reason


def test_ines_has_an_ended_triad_with_an_after_plan_and_the_full_history(seeded):
    triad = triad_of("Ines")
    assert triad.status == Triad.Status.ENDED and triad.lead.username == "hv.anna"
    closure = triad.closure
    assert closure.reason == "goal_reached" and closure.after_plan and closure.continues_informally
    assert closure.ended_on == triad.ended_on == today() - datetime.timedelta(days=60)
    assert triad.trial_started_on < triad.activated_on < triad.ended_on
    assert [h.to_status for h in triad.history.all()] == ["draft", "trial", "active", "ended"]
    assert not triad.check_ins.open().exists()
    # Nothing of the plan after the end (removed on the day it ended, as the service keeps removed moments),
    # but the lead's conversation with Ines four weeks later (held).
    removed = triad.check_ins.filter(removed_at__isnull=False)
    assert removed and all(timezone.localdate(c.removed_at) == triad.ended_on for c in removed)
    assert not removed.filter(due_on__lte=triad.ended_on).exists()
    (after,) = triad.check_ins.filter(due_on__gt=triad.ended_on, removed_at__isnull=True)
    assert after.is_after_closure and after.done_on == triad.ended_on + datetime.timedelta(days=28)
    assert triad.evaluations.get().decision == "continue"
    youth = triad.youth
    assert youth.stage == "triad_ended" and overdue_since([youth.pk], today()) == {}
    assert triad.jim_profile.user is None


def test_a_peer_meeting_in_two_weeks_with_wilma_in_the_network(seeded):
    meeting = PeerMeeting.objects.get()
    assert meeting.organisation.name.startswith("Jeugdhulp De Brug")
    assert timezone.localdate(meeting.starts_at) == today() + datetime.timedelta(days=14)
    assert JimProfile.objects.get(user__username="jim.wilma").peer_network_opt_in


def test_anna_sees_the_follow_up_on_the_pages(seeded, client):
    assert client.login(username="hv.anna", password=DEMO_PASSWORD)
    lucas = triad_of("Lucas")
    page = without_tokens(client.get(reverse("triads:detail", args=[lucas.pk])))
    assert "fallback-request-open" in page and "check-in-overdue-flag" in page
    assert "Samen gezwommen" in page and "Alleen voor mezelf" not in page
    ines = triad_of("Ines")
    page = without_tokens(client.get(reverse("triads:detail", args=[ines.pk])))
    assert "doel bereikt" in page and "studentenvoorziening" in page
    file = client.get(reverse("jimcase:youth_detail", args=[lucas.youth_id])).content.decode()
    assert "fallback-request-open" in file and "check-in-overdue-flag" in file
