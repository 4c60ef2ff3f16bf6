"""The reports' demo history: coord.dana's reports show figures with the default filters, hv.anna's caseload is
the one the browser tests know, the stages agree with the facts, and a second run changes nothing."""

import pytest
from django.core.management import call_command

from jimcase.models import StageChange, User, Youth
from jimcase.selectors import youths_visible_to
from jimcase.services import youth_stages_reconcile
from mentors.models import CandidateStatusChange, JimProfile, PeerMeeting, Search
from reports import report
from reports.forms import ReportFilterForm
from reports.rules import THRESHOLD
from triads.models import (
    CheckIn,
    Closure,
    ConsentDecision,
    ConsentOverride,
    Evaluation,
    FallbackRequest,
    Triad,
    TriadUserObjectPermission,
)

WITHOUT_HISTORY = ["jimcase.demo.seed", "mentors.demo.seed", "triads.demo.seed"]


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def dana_filters():
    """The filters coord.dana's report pages start with: her organisation, the last 12 months."""
    form = ReportFilterForm({}, user=User.objects.get(username="coord.dana"))
    assert form.is_valid(), form.errors
    return form.filters()


def real(value):
    """A count the report shows as a number of at least 5 (not "< 5", not "x", not 0)."""
    return isinstance(value, int) and value >= THRESHOLD


def test_funnel_shows_every_step_and_the_share_beside_the_study(seeded):
    tables = report.funnel_report(dana_filters())["by_key"]
    funnel = [row.shown for row in tables["funnel"].rows]
    assert all(real(value) for value in funnel), funnel  # referred, started, asked, found, trial, active
    outcome = tables["outcome"].rows
    assert real(outcome[0].shown) and real(outcome[1].shown)  # ended with a JIM, stopped
    assert outcome[3].shown.endswith("%") and outcome[4].shown != "—"  # the share and the mean days
    assert sum(real(row.shown) for row in tables["days"].rows) >= 5
    assert all(real(row.shown) for row in tables["open"].rows)  # under 60, 60–90, over 90 days, total
    assert len(tables["open"].extra["over_90"]) >= THRESHOLD


def test_triads_report_shows_states_decisions_reasons_and_durations(seeded):
    tables = report.triads_report(dana_filters())["by_key"]
    assert all(real(row.shown) for row in tables["status"].rows)
    assert all(real(row.shown) for row in tables["decisions"].rows)  # continue, adjust, end, total
    reasons = tables["reasons"].rows
    assert sum(real(row.shown) for row in reasons[:-1]) >= 3 and real(reasons[-1].shown)
    assert all(real(row.shown) for row in tables["informally"].rows)
    duration = [row.shown for row in tables["duration"].rows]
    assert all(real(value) for value in duration[:4]), duration  # < 3, 3–12, >= 12 months, total
    assert duration[4].endswith("%") and duration[5] != "—"


def test_outcomes_report_shows_the_closures_in_every_table(seeded):
    tables = report.outcomes_report(dana_filters())["by_key"]
    placement = tables["placement"]
    assert real(placement.extra["closed"].shown)
    assert all(real(total.shown) for _label, _cells, total in placement.extra["matrix"])
    for key in ("living", "goals"):
        assert real(tables[key].rows[-1].shown)
    visible = [row for row in tables["living"].rows[:-1] if row.shown]
    assert visible and all(real(row.shown) for row in visible)  # nothing at the start hidden


def test_followup_report_shows_overdue_check_ins_and_fallback_requests(seeded):
    tables = report.followup_report(dana_filters())["by_key"]
    assert real(tables["overdue"].rows[-1].shown)
    requests = [row.shown for row in tables["requests"].rows]
    assert all(real(value) for value in requests), requests  # by age, total, urgent
    response = tables["response"].rows
    assert real(response[0].shown) and response[1].shown != "—"
    assert all(real(row.shown) for row in tables["evaluations"].rows)


def test_the_history_has_every_kind_of_fact(seeded):
    brug = User.objects.get(username="coord.dana").organisation
    history = Youth.objects.filter(organisation=brug, case_number__contains="-H")
    assert 60 <= history.count() <= 80
    assert set(history.values_list("team__name", flat=True)) == {"Team A", "Team B"}
    assert set(history.values_list("placement_considered", flat=True)) == {"yes", "no", "unknown"}
    assert {c.decision for c in ConsentDecision.objects.filter(triad__youth__in=history)} == {
        "given",
        "pending",
        "refused",
        "withdrawn",
    }
    assert ConsentOverride.objects.filter(triad__youth__in=history, by__username="coord.dana").count() >= 3
    assert Triad.objects.filter(youth__in=history, consent_withdrawn_flag=True).exists()
    # JIMs from the youth's own network, and three who mentor two youths (named in each one's network).
    profiles = JimProfile.objects.filter(triads__youth__in=history).distinct()
    triads = Triad.objects.filter(youth__in=history).select_related("jim_profile__member")
    assert sum(t.jim_profile.member.youth_id == t.youth_id for t in triads) == triads.count() - 3
    assert sum(p.triads.count() == 2 for p in profiles) == 3
    assert PeerMeeting.objects.filter(organisation=brug, attendees__isnull=False).distinct().count() >= 6
    assert not TriadUserObjectPermission.objects.filter(content_object__youth__in=history).exists()
    # Each youth's stage history ends in the stage it has; the triads' JIMs have no account.
    for youth in history.prefetch_related("stage_changes"):
        last = max(youth.stage_changes.all(), key=lambda change: (change.at, change.pk))
        assert last.to_stage == youth.stage
    assert not profiles.filter(user__isnull=False).exists()


def test_the_stages_agree_with_the_facts(seeded):
    assert youth_stages_reconcile() == []


def test_the_history_is_not_on_anna_s_or_bram_s_caseload(db, settings):
    settings.DEMO_SEEDERS = WITHOUT_HISTORY
    call_command("seed_demo", verbosity=0)
    people = User.objects.filter(username__in=["hv.anna", "hv.bram"]).order_by("username")
    before = {
        user.username: set(youths_visible_to(user).values_list("case_number", flat=True)) for user in people
    }
    settings.DEMO_SEEDERS = [*WITHOUT_HISTORY, "reports.demo.seed"]
    call_command("seed_demo", verbosity=0)
    assert Youth.objects.filter(case_number__contains="-H").count() > 60
    after = {
        user.username: set(youths_visible_to(user).values_list("case_number", flat=True)) for user in people
    }
    assert after == before
    eva = User.objects.get(username="hv.eva")
    assert youths_visible_to(eva).filter(case_number__contains="-H").count() >= 20


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Youth,
            StageChange,
            Search,
            CandidateStatusChange,
            JimProfile,
            Triad,
            Closure,
            CheckIn,
            Evaluation,
            FallbackRequest,
            ConsentDecision,
            PeerMeeting,
        )
    }


def test_seeding_twice_keeps_the_counts_and_the_figures(seeded):
    first, figures = _counts(), report.funnel_report(dana_filters())["by_key"]["funnel"].rows
    call_command("seed_demo", verbosity=0)
    assert _counts() == first
    assert [r.shown for r in report.funnel_report(dana_filters())["by_key"]["funnel"].rows] == [
        r.shown for r in figures
    ]


def test_no_demo_triad_of_a_minor_started_without_anyone_who_can_decide(seeded):
    """Issue 21: a demo minor without a parent with parental authority has the reason why nobody can decide
    recorded before the trial, so the consent report counts no triad as 'no parent recorded'."""
    from jimcase.models import NobodyCanDecide
    from jimcase.rules import ADULT_AGE
    from reports import selectors

    assert selectors.consent_figures(dana_filters())["state_no_parents"] == 0
    started = Triad.objects.filter(trial_started_on__isnull=False).exclude(
        youth__parents__has_parental_authority=True
    )
    minors = [t for t in started.select_related("youth") if t.youth.age_on(t.trial_started_on) < ADULT_AGE]
    assert minors, "the demo has a minor without a parent with parental authority"
    for triad in minors:
        statement = NobodyCanDecide.objects.filter(youth=triad.youth).last()
        assert statement.is_statement and statement.on < triad.trial_started_on
