"""The follow-up pages' evaluations, decisions and closure: bad input, double submits, where each decision leads."""

import re

import pytest
from django.urls import reverse

from jimcase.models import Note
from jimcase.tests.html import select
from triads import rules, services
from triads.models import (
    Agreement,
    CheckIn,
    Closure,
    EndReason,
    Evaluation,
    Triad,
)
from triads.tests.followup_pages import closure_data, days, evaluation_data, iso, state, today
from triads.tests.triad_pages import HTML, LONG, field_error, token

Kind = CheckIn.Kind

# --- Evaluations --------------------------------------------------------------------------------


def test_an_evaluation_from_the_page_marks_the_moment_and_keeps_the_text_as_a_note(
    login, started_triad, lead
):
    client = login(lead)
    moment = started_triad.check_ins.order_by("due_on").first()
    url = reverse("triads:evaluation_add", args=[started_triad.pk])
    form = client.get(url, {"check_in": moment.pk})
    assert re.search(rf'<option value="{moment.pk}" selected', form.content.decode())
    response = client.post(
        url,
        evaluation_data(
            check_in=str(moment.pk),
            with_parents="on",
            with_jim=None,
            third_party_only="on",
            submission_token=token(form),
        ),
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.score, evaluation.check_in, evaluation.by) == (4, moment, lead)
    assert evaluation.with_parents and evaluation.with_youth and not evaluation.with_jim
    note = evaluation.note
    assert note.text == "Lotte en Wilma zien elkaar graag." and note.third_party_only
    assert not note.for_court and not note.in_confidence
    moment.refresh_from_db()
    assert moment.done_on == today()
    page = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "Lotte en Wilma zien elkaar graag." in page and "over een derde" in page


def test_double_submit_of_the_evaluation_records_one(login, started_triad, lead):
    client = login(lead)
    url = reverse("triads:evaluation_add", args=[started_triad.pk])
    data = evaluation_data(submission_token=token(client.get(url)))
    client.post(url, data)
    client.post(url, data)
    assert Evaluation.objects.count() == 1
    assert Note.objects.filter(text="Lotte en Wilma zien elkaar graag.").count() == 1


@pytest.mark.parametrize(
    "overrides,field,expected",
    [
        ({"held_on": ""}, "held_on", "verplicht"),
        ({"held_on": "future"}, "held_on", "toekomst"),
        ({"held_on": "morgen"}, "held_on", "geldige datum"),
        ({"score": ""}, "score", "verplicht"),
        ({"score": "0"}, "score", "Kies een score van 1 tot 5."),
        ({"score": "6"}, "score", "Kies een score van 1 tot 5."),
        ({"score": "vijf"}, "score", "Kies een score van 1 tot 5."),
        ({"text": ""}, "text", "verplicht"),
        ({"text": "   "}, "text", "verplicht"),
        ({"text": LONG}, "text", "8000"),
        ({"text": HTML}, "text", "zonder HTML"),
        ({"shared_with_jim": "on"}, "jim_share_agreed_on", "Noteer de datum"),
        ({"shared_with_jim": "on", "jim_share_agreed_on": "future"}, "jim_share_agreed_on", "toekomst"),
        (
            {"shared_with_jim": "on", "jim_share_agreed_on": "today", "for_court": "on"},
            "shared_with_jim",
            "nooit",
        ),
        ({"decision": "stop"}, "decision", "geldige keuze"),
        ({"check_in": "999999"}, "check_in", "geldige keuze"),
        ({"check_in": "trial"}, "decision", "Beslis op het einde van de proefperiode"),
    ],
)
def test_evaluation_form_refuses_bad_input_in_dutch(login, started_triad, lead, overrides, field, expected):
    future = iso(today() + days(1))
    days_for = {"future": future, "today": iso(today())}
    overrides = {k: days_for.get(v, v) for k, v in overrides.items()}
    if overrides.get("check_in") == "trial":
        overrides["check_in"] = str(started_triad.check_ins.get(kind=Kind.TRIAL_EVALUATION).pk)
    before = state(started_triad)
    response = login(lead).post(
        reverse("triads:evaluation_add", args=[started_triad.pk]), evaluation_data(**overrides)
    )
    assert response.status_code == 200
    assert expected in field_error(response, field)
    assert state(started_triad) == before


def test_the_decision_is_offered_only_during_the_trial(login, started_triad, lead):
    client = login(lead)
    url = reverse("triads:evaluation_add", args=[started_triad.pk])
    assert 'name="decision"' in client.get(url).content.decode()
    services.evaluation_record(
        triad=started_triad,
        by=lead,
        held_on=today(),
        score=5,
        decision=Evaluation.Decision.CONTINUE,
        early_reason="Het loopt goed.",
    )
    assert select(client.get(url), '[name="decision"]') == []
    # A decision posted anyway is ignored: the triad stays active.
    client.post(url, evaluation_data(decision="end"))
    started_triad.refresh_from_db()
    assert started_triad.status == Triad.Status.ACTIVE
    assert Evaluation.objects.filter(decision="").count() == 1


def test_continue_from_the_page_makes_the_triad_active(login, started_triad, lead):
    moment = started_triad.check_ins.get(kind=Kind.TRIAL_EVALUATION)
    response = login(lead).post(
        reverse("triads:evaluation_add", args=[started_triad.pk]),
        evaluation_data(check_in=str(moment.pk), decision="continue", early_reason="Het loopt goed."),
        follow=True,
    )
    started_triad.refresh_from_db()
    assert started_triad.status == Triad.Status.ACTIVE
    assert "De triade is nu actief." in response.content.decode()
    assert started_triad.check_ins.open().count() == rules.ACTIVE_SCHEDULE_MONTHS


def test_adjust_from_the_page_leads_to_the_new_agreement_version(login, started_triad, lead):
    response = login(lead).post(
        reverse("triads:evaluation_add", args=[started_triad.pk]),
        evaluation_data(decision="adjust", early_reason="De afspraken passen niet."),
    )
    assert response["Location"] == reverse("triads:agreement_edit", args=[started_triad.pk])
    started_triad.refresh_from_db()
    assert started_triad.status == Triad.Status.TRIAL
    assert started_triad.current_agreement.version == 2
    assert started_triad.current_agreement.status == Agreement.Status.DRAFT


def test_end_from_the_page_goes_on_to_the_closure_form(login, started_triad, lead):
    client = login(lead)
    response = client.post(
        reverse("triads:evaluation_add", args=[started_triad.pk]),
        evaluation_data(decision="end", early_reason="Lotte wil stoppen."),
    )
    assert response["Location"] == reverse("triads:close", args=[started_triad.pk])
    response = client.post(response["Location"], closure_data(reason=EndReason.YOUTH_CHOICE))
    started_triad.refresh_from_db()
    assert started_triad.status == Triad.Status.ENDED
    assert started_triad.closure.reason == EndReason.YOUTH_CHOICE


# --- Closure ------------------------------------------------------------------------------------


def test_closing_from_the_page_shows_the_closure_and_shuts_the_jim_out(login, started_triad, lead, jim):
    client = login(lead)
    url = reverse("triads:close", args=[started_triad.pk])
    form = client.get(url)
    response = client.post(url, closure_data(continues_informally="on", submission_token=token(form)))
    assert response.status_code == 302
    closure = Closure.objects.get()
    assert closure.continues_informally and closure.by == lead and closure.ended_on == today()
    page = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "doel bereikt" in page and "Lotte gaat verder met Anna" in page
    assert "Lotte is tevreden." in page
    assert "proefperiode → beëindigd" in page  # the status history
    assert login(jim).get(reverse("triads:jim_triad", args=[started_triad.pk])).status_code == 404


def test_double_submit_of_the_closure_closes_once(login, started_triad, lead):
    client = login(lead)
    url = reverse("triads:close", args=[started_triad.pk])
    data = closure_data(submission_token=token(client.get(url)))
    client.post(url, data)
    response = client.post(url, data)
    assert response.status_code == 302
    assert Closure.objects.count() == 1 and started_triad.history.filter(to_status="ended").count() == 1


@pytest.mark.parametrize(
    "overrides,field,expected",
    [
        ({"after_plan": ""}, "after_plan", "verplicht"),
        ({"after_plan": "   "}, "after_plan", "verplicht"),
        ({"after_plan": LONG}, "after_plan", "4000"),
        ({"after_plan": HTML}, "after_plan", "zonder HTML"),
        ({"exit_youth": LONG}, "exit_youth", "4000"),
        ({"exit_jim": HTML}, "exit_jim", "zonder HTML"),
        ({"exit_professional": LONG}, "exit_professional", "4000"),
        ({"reason": ""}, "reason", "verplicht"),
        ({"reason": "bored"}, "reason", "geldige keuze"),
        ({"ended_on": ""}, "ended_on", "verplicht"),
        ({"ended_on": "future"}, "ended_on", "toekomst"),
        ({"ended_on": "2001-01-01"}, "ended_on", "voor ze gemaakt werd"),
    ],
)
def test_closure_form_refuses_bad_input_in_dutch(login, started_triad, lead, jim, overrides, field, expected):
    overrides = {k: iso(today() + days(1)) if v == "future" else v for k, v in overrides.items()}
    before = state(started_triad)
    response = login(lead).post(reverse("triads:close", args=[started_triad.pk]), closure_data(**overrides))
    assert response.status_code == 200
    assert expected in field_error(response, field)
    assert state(started_triad) == before
    assert jim.has_perm("triads.view_triad", started_triad)
