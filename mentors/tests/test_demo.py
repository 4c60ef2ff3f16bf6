import pytest
from django.core.management import call_command

from jimcase.models import Youth
from mentors.models import (
    Candidate,
    CandidateStatusChange,
    CriminalRecordCheck,
    FactorCheck,
    JimProfile,
    NetworkMember,
    Search,
)


@pytest.fixture(autouse=True)
def _mentors_layer_only(settings):
    # These tests check what the mentors seeder leaves; the triad seeder moves some youths on.
    settings.DEMO_SEEDERS = ["jimcase.demo.seed", "mentors.demo.seed"]


def _snapshot():
    return {
        "members": sorted(
            NetworkMember.objects.values_list("youth__first_name", "name", "relation", "closeness")
        ),
        "searches": sorted(
            Search.objects.values_list(
                "youth__first_name", "status", "started_on", "ended_on", "days_to_nomination"
            )
        ),
        "candidates": sorted(Candidate.objects.values_list("member__name", "status", "preference")),
        "history": CandidateStatusChange.objects.count(),
        "checks": FactorCheck.objects.count(),
        "record_checks": CriminalRecordCheck.objects.count(),
        "jims": sorted(JimProfile.objects.values_list("name", "user__username")),
        "stages": sorted(Youth.objects.values_list("first_name", "stage", "stage_since")),
    }


def test_seed_demo_twice_leaves_the_same_mentors_data(db):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first


def test_demo_youths_are_at_their_stages(db):
    call_command("seed_demo")
    stages = dict(Youth.objects.values_list("first_name", "stage"))
    assert stages == {
        "Noor": "referred",
        "Milan": "searching",
        "Yasmine": "searching",
        "Lucas": "jim_found",
        "Daan": "searching",
        "Sanne": "jim_found",
    }
    sizes = {y.first_name: y.network.count() for y in Youth.objects.all()}
    assert sizes == {"Noor": 6, "Milan": 8, "Yasmine": 7, "Lucas": 9, "Daan": 6, "Sanne": 6}
    assert not Search.objects.filter(youth__first_name="Noor").exists()
    yasmine = Search.objects.get(youth__first_name="Yasmine")
    assert yasmine.warning_level() == "limit"
    assert yasmine.candidates.filter(status="no").exclude(status_reason="").count() == 1
    assert Search.objects.get(youth__first_name="Milan").candidates.count() == 3


def test_lucas_has_wilma_as_jim_with_a_justified_factor_and_a_model_2_check(db):
    call_command("seed_demo")
    search = Search.objects.get(youth__first_name="Lucas")
    assert search.status == "found"
    assert search.days_to_nomination == 33
    assert search.chosen.member.name == "Wilma Janssens"
    assert search.jim_profile.user.username == "jim.wilma"
    checks = {c.factor: c for c in search.chosen.checks.all()}
    assert len(checks) == 7
    not_met = [c for c in checks.values() if c.result == "not_met"]
    assert len(not_met) == 1 and not_met[0].justification
    assert checks["not_same_roof"].result == "met"
    assert search.chosen.record_check.kind == "model_2"
    assert Search.objects.get(youth__first_name="Sanne").jim_profile.user.username == "jim.karel"


def test_the_demo_networks_say_who_for_what(db):
    call_command("seed_demo")
    maria = NetworkMember.objects.get(name="Maria Wouters")
    assert sorted(t.name for t in maria.topics.all()) == ["feelings", "home"]
