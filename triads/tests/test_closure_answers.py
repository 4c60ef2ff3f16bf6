"""A closure whose answers agree with themselves and with the intake (issue 21).

"Niet van toepassing (geen uithuisplaatsing overwogen)" was accepted for a youth whose intake recorded that
a placement was considered. Answers that cannot both be true are refused beside the field; answers that
can, but look contradictory (goals reached while the triad ends in a conflict), need a written explanation.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jimcase.models import Youth
from jimcase.tests import clock
from triads import rules, services
from triads.models import Closure, EndReason, GoalsReached, PlacementOutcome
from triads.tests.triad_pages import field_error

TODAY = clock.TODAY  # the day the autouse `today` fixture travels to
YES, NO, UNKNOWN = (
    Youth.PlacementConsidered.YES,
    Youth.PlacementConsidered.NO,
    Youth.PlacementConsidered.UNKNOWN,
)


def considered(triad, value):
    Youth.objects.filter(pk=triad.youth_id).update(placement_considered=value)
    triad.youth.refresh_from_db()


def close(triad, lead, **answers):
    fields = {
        "reason": EndReason.MOVED_AWAY,
        "after_plan": "Verder met Anna.",
        "living_situation": Youth.LivingSituation.AT_HOME,
        "placement_outcome": PlacementOutcome.AVOIDED,
        "goals_reached": GoalsReached.PARTLY,
        **answers,
    }
    return services.triad_close(triad=triad, by=lead, **fields)


def post(client, triad, **answers):
    data = {
        "reason": EndReason.MOVED_AWAY,
        "ended_on": TODAY.isoformat(),
        "after_plan": "Verder met Anna.",
        "living_situation": "at_home",
        "placement_outcome": "avoided",
        "goals_reached": "partly",
        **answers,
    }
    return client.post(reverse("triads:close", args=[triad.pk]), data)


def assert_not_closed(triad):
    triad.refresh_from_db()
    assert triad.status == "trial" and not Closure.objects.exists()


# --- Refused: cannot both be true -----------------------------------------------------------------


def test_not_applicable_is_refused_when_the_intake_considered_a_placement(started_triad, lead):
    considered(started_triad, YES)
    with pytest.raises(ValidationError) as error:
        close(started_triad, lead, placement_outcome=PlacementOutcome.NOT_APPLICABLE)
    assert "placement_outcome" in error.value.message_dict
    assert_not_closed(started_triad)


def test_an_explanation_does_not_make_not_applicable_true(started_triad, lead):
    considered(started_triad, YES)
    with pytest.raises(ValidationError):
        close(
            started_triad,
            lead,
            placement_outcome=PlacementOutcome.NOT_APPLICABLE,
            outcome_explanation="Toch niet overwogen.",
        )
    assert_not_closed(started_triad)


def test_not_applicable_is_refused_in_dutch_beside_the_field(started_triad, lead, login):
    considered(started_triad, YES)
    response = post(login(lead), started_triad, placement_outcome="not_applicable")
    assert response.status_code == 200
    assert field_error(response, "placement_outcome") == (
        "Bij de aanmelding werd een uithuisplaatsing overwogen (zie het dossier van de jongere): "
        "zeg of ze vermeden werd of toch gebeurde."
    )
    assert_not_closed(started_triad)


@pytest.mark.parametrize("value", [NO, UNKNOWN])
def test_not_applicable_stays_possible_when_no_placement_was_considered(started_triad, lead, value):
    considered(started_triad, value)
    closure = close(started_triad, lead, placement_outcome=PlacementOutcome.NOT_APPLICABLE)
    assert closure.placement_outcome == PlacementOutcome.NOT_APPLICABLE


def test_goal_reached_as_the_reason_with_goals_not_reached_is_refused(started_triad, lead, login):
    response = post(login(lead), started_triad, reason="goal_reached", goals_reached="no")
    assert response.status_code == 200
    assert (
        field_error(response, "goals_reached")
        == "De reden is “doel bereikt”: dan kunnen de doelen niet “nee” zijn."
    )
    assert_not_closed(started_triad)


# --- Needs a written explanation ------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason", [EndReason.CONFLICT_FAMILY, EndReason.CONFLICT_PROFESSIONAL, EndReason.YOUTH_CHOICE]
)
def test_goals_reached_in_a_conflict_needs_an_explanation(started_triad, lead, reason):
    with pytest.raises(ValidationError) as error:
        close(started_triad, lead, reason=reason, goals_reached=GoalsReached.YES)
    assert set(error.value.message_dict) == {"goals_reached", "outcome_explanation"}
    assert_not_closed(started_triad)
    closure = close(
        started_triad,
        lead,
        reason=reason,
        goals_reached=GoalsReached.YES,
        outcome_explanation="De doelen waren bereikt; de ruzie ging over iets anders.",
    )
    assert closure.outcome_explanation == "De doelen waren bereikt; de ruzie ging over iets anders."


def test_avoided_without_a_placement_considered_at_referral_needs_an_explanation(started_triad, lead, login):
    considered(started_triad, NO)
    client = login(lead)
    response = post(client, started_triad, placement_outcome="avoided")
    assert response.status_code == 200
    assert field_error(response, "placement_outcome").startswith(
        "Bij de aanmelding werd geen uithuisplaatsing overwogen"
    )
    assert field_error(response, "outcome_explanation") == "Leg uit waarom deze antwoorden samengaan."
    assert_not_closed(started_triad)
    response = post(
        client,
        started_triad,
        placement_outcome="avoided",
        outcome_explanation="Na drie maanden dreigde een opname; dat is vermeden.",
    )
    assert response.status_code == 302
    page = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "Na drie maanden dreigde een opname; dat is vermeden." in page


def test_avoided_while_living_in_residential_care_needs_an_explanation(started_triad, lead):
    considered(started_triad, YES)
    with pytest.raises(ValidationError) as error:
        close(started_triad, lead, living_situation=Youth.LivingSituation.RESIDENTIAL)
    assert "placement_outcome" in error.value.message_dict
    assert_not_closed(started_triad)


def test_answers_that_agree_need_no_explanation(started_triad, lead):
    considered(started_triad, YES)
    closure = close(
        started_triad,
        lead,
        reason=EndReason.GOAL_REACHED,
        goals_reached=GoalsReached.YES,
        placement_outcome=PlacementOutcome.AVOIDED,
    )
    assert closure.outcome_explanation == ""


def test_the_rule_lists_every_contradiction_at_once():
    refused, to_explain = rules.closure_contradictions(
        placement_considered=YES,
        reason=EndReason.GOAL_REACHED,
        placement_outcome=PlacementOutcome.NOT_APPLICABLE,
        goals_reached=GoalsReached.NO,
        living_situation=Youth.LivingSituation.AT_HOME,
    )
    assert set(refused) == {"placement_outcome", "goals_reached"} and to_explain == {}
