"""What the research measures is recorded as facts: the referral's question and placement risk, the
closure's outcome, and where the youth lives over time (issue 13)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jimcase import services as case_services
from jimcase.models import LivingSituationChange, Youth
from jimcase.tests import clock
from triads import services
from triads.models import Closure, EndReason
from triads.tests.conftest import OUTCOME
from triads.tests.triad_pages import field_error

TODAY = clock.TODAY  # the day the autouse `today` fixture travels to


def situations(youth):
    return [(c.from_situation, c.to_situation) for c in LivingSituationChange.objects.filter(youth=youth)]


def test_registering_keeps_the_help_question_the_placement_risk_and_where_the_youth_lives(login, lead):
    client = login(lead)
    form = client.get(reverse("jimcase:youth_create")).content.decode()
    assert 'name="help_question"' in form and 'name="placement_considered"' in form
    response = client.post(
        reverse("jimcase:youth_create"),
        {
            "first_name": "Sara",
            "last_name": "Peeters",
            "date_of_birth": "2011-04-02",
            "case_number": "BRUG-NEW-1",
            "living_situation": "foster_care",
            "referral_date": TODAY.isoformat(),
            "help_question": "Weer naar school gaan.",
            "placement_considered": "yes",
        },
    )
    assert response.status_code == 302
    youth = Youth.objects.get(case_number="BRUG-NEW-1")
    assert (youth.help_question, youth.placement_considered) == ("Weer naar school gaan.", "yes")
    (start,) = LivingSituationChange.objects.filter(youth=youth)
    assert (start.from_situation, start.to_situation, start.on, start.by) == ("", "foster_care", TODAY, lead)
    page = client.get(reverse("jimcase:youth_detail", args=[youth.pk])).content.decode()
    assert "Weer naar school gaan." in page
    assert "Uithuisplaatsing overwogen bij aanmelding" in page


def test_a_new_living_situation_is_kept_in_the_history(youth, lead):
    case_services.youth_update(youth=youth, by=lead, living_situation="residential")
    case_services.youth_update(youth=youth, by=lead, school_work="Atheneum")  # nothing about living
    assert situations(youth) == [("", "at_home"), ("at_home", "residential")]


def test_the_placement_risk_accepts_only_its_choices(login, lead):
    response = login(lead).post(
        reverse("jimcase:youth_create"),
        {
            "first_name": "Sara",
            "last_name": "Peeters",
            "date_of_birth": "2011-04-02",
            "case_number": "BRUG-NEW-2",
            "living_situation": "at_home",
            "referral_date": TODAY.isoformat(),
            "placement_considered": "maybe",
        },
    )
    assert response.status_code == 200
    assert "geldige keuze" in response.content.decode()
    assert not Youth.objects.filter(case_number="BRUG-NEW-2").exists()


def test_closing_records_the_outcome_and_where_the_youth_lives_now(login, started_triad, lead):
    youth = started_triad.youth
    client = login(lead)
    form = client.get(reverse("triads:close", args=[started_triad.pk])).content.decode()
    for name in ("living_situation", "placement_outcome", "goals_reached"):
        assert f'name="{name}"' in form
    response = client.post(
        reverse("triads:close", args=[started_triad.pk]),
        {
            "reason": EndReason.GOAL_REACHED,
            "ended_on": TODAY.isoformat(),
            "after_plan": "Verder met Anna.",
            "living_situation": "independent",
            "placement_outcome": "avoided",
            "goals_reached": "partly",
        },
    )
    assert response.status_code == 302
    closure = Closure.objects.get(triad=started_triad)
    assert (closure.living_situation, closure.placement_outcome, closure.goals_reached) == (
        "independent",
        "avoided",
        "partly",
    )
    youth.refresh_from_db()
    assert youth.living_situation == "independent"
    assert situations(youth)[-1] == ("at_home", "independent")
    assert LivingSituationChange.objects.filter(youth=youth).last().on == TODAY
    page = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "Uithuisplaatsing" in page and "uithuisplaatsing vermeden" in page and "Doelen bereikt" in page


@pytest.mark.parametrize("field", ["living_situation", "placement_outcome", "goals_reached"])
def test_the_outcome_is_required_in_dutch_beside_the_field_and_nothing_is_saved(
    login, started_triad, lead, field
):
    data = {
        "reason": EndReason.GOAL_REACHED,
        "ended_on": TODAY.isoformat(),
        "after_plan": "Verder met Anna.",
        **OUTCOME,
        field: "",
    }
    response = login(lead).post(reverse("triads:close", args=[started_triad.pk]), data)
    assert response.status_code == 200
    assert "verplicht" in field_error(response, field)  # beside the field it is about
    started_triad.refresh_from_db()
    assert started_triad.status == "trial" and not Closure.objects.exists()


@pytest.mark.parametrize("field", ["living_situation", "placement_outcome", "goals_reached"])
def test_the_service_refuses_an_outcome_outside_its_choices(started_triad, lead, field):
    with pytest.raises(ValidationError) as error:
        services.triad_close(
            triad=started_triad,
            by=lead,
            reason=EndReason.OTHER,
            after_plan="Verder.",
            **{**OUTCOME, field: "bored"},
        )
    assert field in error.value.message_dict
    started_triad.refresh_from_db()
    assert started_triad.status == "trial" and not Closure.objects.exists()


def test_a_closure_on_an_earlier_day_dates_the_new_living_situation_that_day(started_triad, lead):
    day = TODAY - datetime.timedelta(days=1)
    services.triad_close(
        triad=started_triad,
        by=lead,
        reason=EndReason.MOVED_AWAY,
        after_plan="Verhuisd.",
        ended_on=day,
        **{**OUTCOME, "living_situation": "residential"},
    )
    assert LivingSituationChange.objects.filter(youth=started_triad.youth).last().on == day


def test_the_living_situation_history_cannot_be_changed(youth):
    change = LivingSituationChange.objects.get(youth=youth)
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        LivingSituationChange.objects.filter(youth=youth).delete()


def test_the_migration_starts_the_living_situation_history_of_youths_that_have_none(youth, make_youth):
    from importlib import import_module

    from django.apps import apps

    (other,) = make_youth(1)
    LivingSituationChange.objects.all()._raw_delete(LivingSituationChange.objects.db)
    Youth.objects.filter(pk=other.pk).update(
        living_situation="residential", referral_date=TODAY - datetime.timedelta(days=9)
    )
    migration = import_module("jimcase.migrations.0020_living_situation_history_start")

    migration.start_history(apps, None)

    rows = {
        c.youth_id: (c.from_situation, c.to_situation, c.on, c.by)
        for c in LivingSituationChange.objects.all()
    }
    assert rows == {
        youth.pk: ("", "at_home", youth.referral_date, None),
        other.pk: ("", "residential", TODAY - datetime.timedelta(days=9), None),
    }
