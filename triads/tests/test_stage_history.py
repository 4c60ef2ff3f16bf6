"""The youth's stage follows from the facts in one rule, and every change is kept (issue 13)."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from jimcase import services as case_services
from jimcase.models import StageChange, Youth
from jimcase.stages import STAGE_PRECEDENCE, StageFact, stage_from
from jimcase.tests import clock
from mentors import services as search_services
from triads import services
from triads.tests.conftest import OUTCOME, give_all_consents, sign_all

TODAY = clock.TODAY  # the day the autouse `today` fixture travels to
DAY = datetime.timedelta(days=1)
Stage = Youth.Stage


def history(youth):
    return [(c.from_stage, c.to_stage) for c in StageChange.objects.filter(youth=youth)]


# --- The rule ------------------------------------------------------------------------------------


def test_the_rule_knows_every_stage():
    assert set(STAGE_PRECEDENCE) | {"referred"} == set(Stage.values)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ([], (Stage.REFERRED, None)),
        ([StageFact(Stage.SEARCHING, TODAY - 5 * DAY, ongoing=True)], (Stage.SEARCHING, TODAY - 5 * DAY)),
        # A search during a running triad is a search for a second JIM: the youth stays in the triad.
        (
            [
                StageFact(Stage.JIM_FOUND, TODAY - 90 * DAY),
                StageFact(Stage.IN_TRIAD, TODAY - 80 * DAY, ongoing=True),
                StageFact(Stage.SEARCHING, TODAY - DAY, ongoing=True),
            ],
            (Stage.IN_TRIAD, TODAY - 80 * DAY),
        ),
        # Nothing going on: the latest event decides.
        (
            [StageFact(Stage.JIM_FOUND, TODAY - 90 * DAY), StageFact(Stage.TRIAD_ENDED, TODAY - 3 * DAY)],
            (Stage.TRIAD_ENDED, TODAY - 3 * DAY),
        ),
        (
            [
                StageFact(Stage.TRIAD_ENDED, TODAY - 30 * DAY),
                StageFact(Stage.SEARCH_STOPPED, TODAY - 2 * DAY),
            ],
            (Stage.SEARCH_STOPPED, TODAY - 2 * DAY),
        ),
        (
            [StageFact(Stage.TRIAD_ENDED, TODAY - 30 * DAY), StageFact(Stage.JIM_FOUND, TODAY - 2 * DAY)],
            (Stage.JIM_FOUND, TODAY - 2 * DAY),
        ),
        # The same day: the triad's end outranks the search that led to it.
        (
            [StageFact(Stage.JIM_FOUND, TODAY), StageFact(Stage.TRIAD_ENDED, TODAY)],
            (Stage.TRIAD_ENDED, TODAY),
        ),
    ],
    ids=["nothing", "searching", "second-search-in-triad", "ended", "stopped-after-end", "new-jim", "tie"],
)
def test_stage_from_the_facts(facts, expected):
    assert stage_from(facts) == expected


# --- The services record the history -------------------------------------------------------------


def test_registering_starts_the_history(youth, lead):
    (change,) = StageChange.objects.filter(youth=youth)
    assert (change.from_stage, change.to_stage, change.by, change.on) == ("", Stage.REFERRED, lead, TODAY)


def test_the_whole_path_is_kept_with_who_when_and_why(youth, lead, triad):
    # `triad` comes from a search the fixture stored directly (no service): the trial start derives it.
    sign_all(triad.current_agreement, lead)
    give_all_consents(triad, lead)
    youth.refresh_from_db()
    assert youth.stage == Stage.IN_TRIAD and youth.stage_since == TODAY
    services.triad_close(
        **OUTCOME, triad=triad, by=lead, reason="goal_reached", after_plan="Verder met de school."
    )
    youth.refresh_from_db()
    assert youth.stage == Stage.TRIAD_ENDED
    assert history(youth) == [
        ("", Stage.REFERRED),
        (Stage.REFERRED, Stage.IN_TRIAD),
        (Stage.IN_TRIAD, Stage.TRIAD_ENDED),
    ]
    last = StageChange.objects.filter(youth=youth).last()
    assert (last.by, last.on) == (lead, TODAY)
    assert last.why == StageChange.Why.TRIAD_ENDED


def test_search_start_stop_and_a_new_search_are_kept(youth, lead):
    started = TODAY - 10 * DAY
    search = search_services.search_start(youth=youth, by=lead, started_on=started)
    youth.refresh_from_db()
    assert (youth.stage, youth.stage_since) == (Stage.SEARCHING, started)
    search_services.search_stop(search=search, reason="no_jim_found", next_step="Andere hulp.", by=lead)
    search_services.search_start(youth=youth, by=lead)
    assert history(youth) == [
        ("", Stage.REFERRED),
        (Stage.REFERRED, Stage.SEARCHING),
        (Stage.SEARCHING, Stage.SEARCH_STOPPED),
        (Stage.SEARCH_STOPPED, Stage.SEARCHING),
    ]
    first_start = StageChange.objects.filter(youth=youth)[1]
    assert (first_start.on, first_start.by) == (started, lead)


def test_a_second_search_during_the_trial_keeps_the_youth_in_the_triad(login, youth, lead, started_triad):
    """The reported defect: the youth became "searching (help on hold)" while the triad ran."""
    youth.refresh_from_db()
    assert youth.stage == Stage.IN_TRIAD
    before = history(youth)

    search_services.search_start(youth=youth, by=lead)

    youth.refresh_from_db()
    assert youth.stage == Stage.IN_TRIAD and not youth.help_on_hold
    assert history(youth) == before
    # The file and the search page say what this search is.
    client = login(lead)
    file = client.get(reverse("jimcase:youth_detail", args=[youth.pk])).content.decode()
    assert "tweede JIM" in file
    page = client.get(reverse("mentors:search", args=[youth.pk])).content.decode()
    assert "tweede JIM" in page


def test_when_the_triad_ends_during_an_open_search_the_youth_is_searching_since_the_search_began(
    youth, lead, started_triad
):
    started = TODAY - 4 * DAY
    search_services.search_start(youth=youth, by=lead, started_on=started)
    services.triad_close(
        **OUTCOME, triad=started_triad, by=lead, reason="jim_stops", after_plan="Een nieuwe JIM zoeken."
    )
    youth.refresh_from_db()
    assert (youth.stage, youth.stage_since) == (Stage.SEARCHING, started)
    last = StageChange.objects.filter(youth=youth).last()
    assert (last.from_stage, last.to_stage, last.on) == (Stage.IN_TRIAD, Stage.SEARCHING, TODAY)


def test_the_history_cannot_be_changed_or_deleted(youth):
    change = StageChange.objects.get(youth=youth)
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        change.delete()
    with pytest.raises(PermissionError):
        StageChange.objects.filter(youth=youth).update(why="x")
    with pytest.raises(PermissionError):
        StageChange.objects.filter(youth=youth).delete()


# --- Upgrading: existing youths ------------------------------------------------------------------


def test_a_stage_that_contradicts_the_facts_is_found_and_corrected(youth, lead, started_triad, capsys):
    # What the old code left behind: a second search made the youth "searching" during the trial.
    Youth.objects.filter(pk=youth.pk).update(stage=Stage.SEARCHING)

    call_command("youth_stages")
    assert "1 stages contradict the facts" in capsys.readouterr().out
    assert Youth.objects.get(pk=youth.pk).stage == Stage.SEARCHING

    call_command("youth_stages", "--fix")
    assert "1 stages corrected" in capsys.readouterr().out
    youth.refresh_from_db()
    assert youth.stage == Stage.IN_TRIAD
    last = StageChange.objects.filter(youth=youth).last()
    assert (last.from_stage, last.to_stage, last.by) == (Stage.SEARCHING, Stage.IN_TRIAD, None)
    call_command("youth_stages")
    assert "agrees with the facts" in capsys.readouterr().out


def test_the_migration_starts_the_history_of_youths_that_have_none(youth, make_youth):
    from importlib import import_module

    (other,) = make_youth(1)
    StageChange.objects.all()._raw_delete(StageChange.objects.db)
    Youth.objects.filter(pk=other.pk).update(stage=Stage.JIM_FOUND, stage_since=TODAY - 3 * DAY)
    migration = import_module("jimcase.migrations.0018_stage_history_start")

    migration.start_history(apps, None)

    rows = {c.youth_id: (c.from_stage, c.to_stage, c.on, c.by) for c in StageChange.objects.all()}
    assert rows == {
        youth.pk: ("", Stage.REFERRED, TODAY, None),
        other.pk: ("", Stage.JIM_FOUND, TODAY - 3 * DAY, None),
    }


def test_a_refresh_that_changes_nothing_records_nothing(youth):
    case_services.youth_stage_refresh(youth=youth, by=None)
    assert history(youth) == [("", Stage.REFERRED)]


def test_the_coordinator_reads_the_stage_history_on_the_youths_admin_page(cast, login, youth, lead):
    search_services.search_start(youth=youth, by=lead, started_on=TODAY - 2 * DAY)
    page = login(cast["coordinator"]).get(reverse("admin:jimcase_youth_change", args=[youth.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fasegeschiedenis" in html
    assert "Wie-vraag gestart" in html and "Ingeschreven" in html
    assert "Woonsituatie: geschiedenis" in html
