"""`seed_demo --scale N` makes consistent data: what the services would have written, in proportion."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from jimcase.models import CaseAssignment, Note, Organisation, ParentGuardian, Role, User, Youth
from jimcase.scale import SCALE_ORGANISATION_SUFFIX
from jimcase.selectors import CHANGE_YOUTH, youths_visible_to
from jimcase.services import youth_stages_reconcile
from jimcase.tests.demo_walk import dates_agree
from mentors.models import NetworkMember, Search
from triads.models import Agreement, ConsentDecision, Signature, Triad
from triads.selectors import triads_of_mentor

N = 50


@pytest.fixture
def scale_data(db):
    call_command("seed_demo", scale=N)


def scale_youths():
    return Youth.objects.filter(case_number__regex=r"^S\d+-")


def test_scale_adds_n_youths_across_ten_organisations(scale_data):
    assert scale_youths().count() == N
    assert Organisation.objects.count() == 10
    assert Organisation.objects.filter(name__endswith=SCALE_ORGANISATION_SUFFIX).count() == 8
    assert User.objects.in_role(Role.PROFESSIONAL).filter(username__startswith="scale.").count() == 10


def test_every_scale_youth_is_visible_to_its_lead_and_to_nobody_outside_its_organisation(scale_data):
    leads = CaseAssignment.objects.filter(
        youth__in=scale_youths(), role=CaseAssignment.Role.LEAD, ends_on__isnull=True
    ).select_related("professional", "youth")
    assert leads.count() == N
    for assignment in leads:
        visible = youths_visible_to(assignment.professional, CHANGE_YOUTH)
        assert visible.filter(pk=assignment.youth_id).exists()
        assert not visible.exclude(organisation=assignment.professional.organisation_id).exists()


def test_a_youth_shared_with_the_team_is_visible_to_a_team_member_who_is_not_assigned(scale_data):
    shared = scale_youths().filter(shared_with_team=True).select_related("team__group")
    assert shared.exists()
    for youth in shared:
        member = User.objects.filter(groups=youth.team.group).exclude(assignments__youth=youth).first()
        if member is not None:
            assert youths_visible_to(member).filter(pk=youth.pk).exists()


def test_hv_anna_leads_about_forty_youths(db):
    call_command("seed_demo", scale=1000)
    anna = User.objects.get(username="hv.anna")
    assert youths_visible_to(anna).count() >= 40
    assert CaseAssignment.objects.filter(professional=anna, role="lead", ends_on__isnull=True).count() == 40


def test_each_jim_account_sees_exactly_its_own_running_triad(scale_data):
    jims = User.objects.in_role(Role.JIM).filter(username__startswith="scale.")
    assert jims.exists()
    for jim in jims:
        triads = list(triads_of_mentor(jim))
        assert len(triads) == 1
        assert triads[0].jim_profile.user_id == jim.pk
        assert triads[0].is_running


def test_the_proportions_hold(scale_data):
    youths = scale_youths()
    triads = Triad.objects.filter(youth__in=youths)
    assert triads.count() == N // 5  # 20 % of the youths have a triad
    assert triads.filter(status=Triad.Status.ENDED).exists()
    assert set(Search.objects.filter(youth__in=youths).values_list("status", flat=True)) == set(
        Search.Status.values
    )
    sizes = NetworkMember.objects.filter(youth__in=youths).values("youth").annotate(n=Count("pk"))
    assert {row["n"] for row in sizes} <= set(range(5, 11))
    assert len(sizes) == N
    assert Note.objects.filter(youth__in=youths).count() >= N
    assert ParentGuardian.objects.filter(youth__in=youths).count() >= N
    for search in Search.objects.filter(youth__in=youths, status=Search.Status.FOUND).select_related(
        "chosen"
    ):
        assert search.chosen.status == "yes"
        assert search.chosen.member_id == search.jim_profile.member_id


def test_every_scale_triad_has_a_signed_agreement_whose_signatures_match_and_consents(scale_data):
    for triad in Triad.objects.filter(youth__in=scale_youths()):
        agreement = triad.agreements.get()
        assert agreement.status == Agreement.Status.SIGNED
        signatures = list(Signature.objects.filter(agreement=agreement).select_related("agreement"))
        assert len(signatures) == 3
        assert all(signature.matches for signature in signatures)
        with_authority = ParentGuardian.objects.filter(youth=triad.youth, has_parental_authority=True).count()
        assert ConsentDecision.objects.filter(triad=triad, decision="given").count() == with_authority


def test_scale_is_refused_twice_and_in_production(scale_data, settings):
    with pytest.raises(CommandError, match="already holds scale data"):
        call_command("seed_demo", scale=N)
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", scale=N)


def test_the_demo_still_runs_on_top_of_scale_data(scale_data):
    call_command("seed_demo")  # the scale accounts count as demo accounts: no --force needed
    assert scale_youths().count() == N
    assert (
        not Youth.objects.filter(~Q(case_number__regex=r"^S\d+-")).filter(assignments__isnull=True).exists()
    )


def test_the_scale_data_dates_agree_with_each_other(scale_data):
    """The walk of the demo's dates (issue 22) finds nothing in the scale data either: every youth's stage
    history moves as the services would have written it (registered, wie-vraag started, 'JIM gekozen' on the
    day the search ended, then the trial), and nothing happened after now."""
    wrong = dates_agree()
    assert wrong == [], "\n".join(wrong[:40])
    assert youth_stages_reconcile() == []  # every stage is what the facts derive
    history = list(
        scale_youths()
        .filter(stage=Youth.Stage.IN_TRIAD)
        .values_list("stage_changes__to_stage", flat=True)
        .order_by("pk", "stage_changes__on", "stage_changes__at")
    )
    assert history[:4] == [
        Youth.Stage.REFERRED,
        Youth.Stage.SEARCHING,
        Youth.Stage.JIM_FOUND,
        Youth.Stage.IN_TRIAD,
    ]
