"""Words the application writes itself: history reasons kept as codes, and "het opvolgmoment"."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from jimcase.models import StageChange
from triads.models import CheckIn, EndReason, TriadStatusChange

TRIAD_MIGRATION = importlib.import_module("triads.migrations.0018_status_change_reason_codes")
STAGE_MIGRATION = importlib.import_module("jimcase.migrations.0022_stage_change_reason_codes")


def apps_at(app, migration):
    """The models as a migration sees them (a youth's history refuses updates only in the app's own code)."""
    return MigrationLoader(connection).project_state((app, migration)).apps


@pytest.mark.parametrize(
    "msgid",
    [
        "Move the %(kind)s of %(day)s",
        "Overdue: the %(kind)s with %(jim)s planned on %(day)s has not taken place yet.",
        "The %(kind)s planned on %(day)s for %(name)s (%(case)s) has not taken place yet. See: %(url)s",
    ],
)
def test_every_kind_of_planned_moment_gets_a_right_article(msgid):
    # "opvolgmoment" is a het-word, "evaluatie" a de-word: the sentences name "het moment" instead.
    values = {"day": "01-12-2026", "jim": "Wilma", "name": "Lucas", "case": "B-1", "url": "/"}
    with translation.override("nl-be"):
        texts = [translation.gettext(msgid) % {**values, "kind": label} for label in CheckIn.Kind.labels]
    assert "opvolgmoment" in texts[0]
    assert not [text for text in texts if "de opvolgmoment" in text.lower()]


def test_old_reasons_become_codes_and_a_typed_reason_stays(triad, lead):
    rows = [
        TriadStatusChange.objects.create(triad=triad, to_status="draft", by=lead, why=why)
        for why in ("JIM gekozen", "doel bereikt", "Trial evaluation: continue.", "De jongere wil stoppen")
    ]
    TRIAD_MIGRATION.to_codes(apps_at("triads", "0018_status_change_reason_codes"), None)
    stored = [TriadStatusChange.objects.get(pk=row.pk) for row in rows]
    assert [row.why for row in stored] == [
        "jim_chosen",
        "goal_reached",
        "trial_continued",
        "De jongere wil stoppen",
    ]
    with translation.override("en"):
        assert [row.why_text for row in stored] == [
            "JIM chosen",
            "goal reached",
            "Trial evaluation: continue.",
            "De jongere wil stoppen",
        ]
    with translation.override("nl-be"):
        assert stored[1].why_text == "doel bereikt" == str(EndReason.GOAL_REACHED.label)
    TRIAD_MIGRATION.to_texts(apps_at("triads", "0018_status_change_reason_codes"), None)
    assert TriadStatusChange.objects.get(pk=rows[0].pk).why == "JIM gekozen"


def test_old_stage_reasons_become_codes_and_a_typed_reason_stays(youth, lead):
    on = datetime.date(2026, 1, 5)
    rows = [
        StageChange.objects.create(youth=youth, to_stage=youth.stage, on=on, by=lead, why=why)
        for why in ("Triade: proefperiode", "Triad: ended", "Wie-vraag gestart", "na overleg met het team")
    ]
    STAGE_MIGRATION.to_codes(apps_at("jimcase", "0022_stage_change_reason_codes"), None)
    stored = [StageChange.objects.get(pk=row.pk) for row in rows]
    assert [row.why for row in stored] == [
        "triad_trial",
        "triad_ended",
        "search_started",
        "na overleg met het team",
    ]
    with translation.override("en"):
        assert [row.why_text for row in stored] == [
            "Triad: trial period",
            "Triad: ended",
            "Wie-vraag started",
            "na overleg met het team",
        ]


def test_the_services_store_codes(started_triad, youth):
    assert set(started_triad.history.values_list("why", flat=True)) <= set(TriadStatusChange.Why.values)
    assert set(youth.stage_changes.values_list("why", flat=True)) <= set(StageChange.Why.values)
    assert StageChange.Why.TRIAD_TRIAL in set(youth.stage_changes.values_list("why", flat=True))
