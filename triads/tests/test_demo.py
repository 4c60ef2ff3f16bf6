"""The triads demo data: the promised states, and a second run changes nothing."""

import pytest
from django.core.management import call_command

from jimcase.models import User
from triads import services
from triads.models import (
    Agreement,
    ConsentDecision,
    Signature,
    SigningLink,
    Triad,
    TriadStatusChange,
)


@pytest.fixture
def seeded(db, settings):
    settings.DEMO_SEEDERS = ["jimcase.demo.seed", "mentors.demo.seed", "triads.demo.seed"]
    call_command("seed_demo")


def snapshot():
    return {
        "triads": sorted(
            Triad.objects.values_list(
                "youth__first_name",
                "jim__name",
                "lead__username",
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
    }


def triad_of(first_name):
    return Triad.objects.select_related("jim__user", "lead", "youth").get(youth__first_name=first_name)


def test_seed_demo_twice_leaves_the_same_triads(seeded):
    first = snapshot()
    assert len(first["triads"]) == 3
    call_command("seed_demo")
    assert snapshot() == first


def test_wilma_and_lucas_are_in_their_trial_with_everything_signed(seeded):
    triad = triad_of("Lucas")
    assert triad.status == Triad.Status.TRIAL
    assert triad.lead.username == "hv.anna"
    assert triad.jim.user.username == "jim.wilma"
    agreement = triad.current_agreement
    assert agreement.status == Agreement.Status.SIGNED
    assert all(s.matches for s in agreement.signatures.all()) and agreement.signatures.count() == 3
    assert services.consent_rule_met(triad)
    assert {
        services.current_consents(triad)[p.pk].decision for p in services.parents_with_authority(triad.youth)
    } == {"given"}
    triad.youth.refresh_from_db()
    assert triad.youth.stage == "in_triad"
    wilma = User.objects.get(username="jim.wilma")
    assert wilma.has_perm("triads.view_triad", triad)


def test_a_second_triad_of_anna_is_a_draft_with_one_signature_and_a_refusal(seeded):
    triad = Triad.objects.get(lead__username="hv.anna", status=Triad.Status.DRAFT)
    assert triad.youth.first_name == "Noor"
    assert triad.current_agreement.signatures.count() == 1
    refused = [d for d in services.current_consents(triad).values() if d.decision == "refused"]
    assert len(refused) == 1 and refused[0].note
    assert not services.consent_rule_met(triad)


def test_karel_and_sanne_with_chris_wait_for_karels_signature(seeded):
    triad = triad_of("Sanne")
    assert triad.lead.username == "hv.chris"
    assert triad.jim.user.username == "jim.karel"
    assert triad.status in (Triad.Status.DRAFT, Triad.Status.TRIAL)
    assert [p for p, _parent in services.missing_signers(triad.current_agreement)] == ["jim"]
    karel = User.objects.get(username="jim.karel")
    assert karel.has_perm("triads.view_triad", triad)


def test_the_demo_jims_can_log_in_to_their_triad(seeded, client):
    from jimcase.demo import DEMO_PASSWORD

    assert client.login(username="jim.karel", password=DEMO_PASSWORD)
    page = client.get("/triads/mine/", follow=True)
    assert "Sanne" in page.content.decode()
    response = client.post(page.redirect_chain[-1][0], {"typed_name": "Karel Bakker", "agree": "on"})
    assert response.status_code == 302
    assert triad_of("Sanne").status == Triad.Status.TRIAL
