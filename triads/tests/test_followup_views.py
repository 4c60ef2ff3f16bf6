"""The professional's follow-up pages: who may use them, bad input, decisions, closure, requests, queries."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from jimcase.models import CaseAssignment, Note, Youth
from jimcase.services import assignment_add, youth_update
from jimcase.tests.html import select, visible_text, without_tokens
from jimcase.tests.stale import opened
from triads import rules, selectors, services
from triads.models import (
    Agreement,
    CheckIn,
    CheckInMove,
    Closure,
    EndReason,
    Evaluation,
    FallbackRequest,
    JimLogEntry,
    Party,
    Triad,
)
from triads.sections import triad_section
from triads.tests.conftest import OUTCOME, assign_backup
from triads.tests.test_views_triads import HTML, LONG, OUTSIDERS, field_error, token

Kind = CheckIn.Kind


def days(n):
    return datetime.timedelta(days=n)


def today():
    return timezone.localdate()


def iso(day):
    return day.isoformat()


def followup_urls(triad):
    """Every follow-up page of a triad, with the method that reaches it."""
    moment = triad.check_ins.open().order_by("due_on").first()
    request = services.fallback_request_send(triad=triad, by=triad.jim_profile.user, message="Even bellen?")
    return [
        ("get", reverse("triads:check_in_add", args=[triad.pk])),
        ("get", reverse("triads:check_in_move", args=[triad.pk, moment.pk])),
        ("get", reverse("triads:check_in_cancel", args=[triad.pk, moment.pk])),
        ("get", reverse("triads:evaluation_add", args=[triad.pk])),
        ("get", reverse("triads:close", args=[triad.pk])),
        ("get", reverse("triads:fallback_handle", args=[triad.pk, request.pk])),
    ]


def evaluation_data(**overrides):
    data = {
        "held_on": iso(today()),
        "check_in": "",
        "with_youth": "on",
        "with_jim": "on",
        "with_professional": "on",
        "score": "4",
        "text": "Lotte en Wilma zien elkaar graag.",
        "decision": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def closure_data(**overrides):
    data = {
        "reason": EndReason.GOAL_REACHED,
        "ended_on": iso(today()),
        "exit_youth": "Lotte is tevreden.",
        "exit_jim": "",
        "exit_professional": "",
        "after_plan": "Lotte gaat verder met Anna; over drie maanden een opvolggesprek.",
        **OUTCOME,
    }
    data.update(overrides)
    return data


def state(triad):
    """What a refused form must leave untouched."""
    triad.refresh_from_db()
    return (
        triad.status,
        list(triad.check_ins.values_list("pk", "due_on", "done_on", "removed_at")),
        CheckInMove.objects.count(),
        Evaluation.objects.count(),
        Note.objects.count(),
        Closure.objects.count(),
        triad.agreements.count(),
    )


# --- Who may use the pages ----------------------------------------------------------------------


@pytest.mark.parametrize("member", OUTSIDERS)
def test_outsiders_get_404_on_every_follow_up_page(cast, login, started_triad, member):
    urls = followup_urls(started_triad)
    before = state(started_triad)
    client = login(cast[member])
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
        assert client.post(url, {"due_on": iso(today()), **closure_data()}).status_code == 404, url
    assert state(started_triad) == before
    assert FallbackRequest.objects.get().status == FallbackRequest.Status.OPEN


def test_anonymous_visitors_are_sent_to_the_login_page(client, started_triad):
    for method, url in followup_urls(started_triad):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_the_backup_and_a_sharing_team_may_follow_up(login, started_triad, lead, colleague):
    url = reverse("triads:check_in_add", args=[started_triad.pk])
    assert login(colleague).get(url).status_code == 404
    youth_update(youth=started_triad.youth, by=lead, shared_with_team=True)
    assert login(colleague).get(url).status_code == 200
    youth_update(youth=started_triad.youth, by=lead, shared_with_team=False)
    assert login(colleague).get(url).status_code == 404
    assignment_add(
        youth=started_triad.youth,
        professional=colleague,
        role=CaseAssignment.Role.BACKUP,
        starts_on=today(),
        by=lead,
    )
    assert login(colleague).get(url).status_code == 200


def test_a_guessed_moment_or_request_of_another_triad_is_404(login, started_triad, other_triad, lead):
    foreign = CheckIn.objects.create(triad=other_triad, due_on=today())
    client = login(lead)
    assert client.get(reverse("triads:check_in_move", args=[started_triad.pk, foreign.pk])).status_code == 404
    assert (
        client.post(reverse("triads:check_in_cancel", args=[started_triad.pk, foreign.pk])).status_code == 404
    )
    assert CheckIn.objects.filter(pk=foreign.pk).exists()


def test_a_closed_triad_stays_readable_but_takes_no_changes(login, started_triad, lead):
    services.triad_close(
        **OUTCOME, triad=started_triad, by=lead, reason=EndReason.OTHER, after_plan="Verder met Anna."
    )
    before = state(started_triad)
    moment = started_triad.check_ins.order_by("due_on").first()
    client = login(lead)
    page = without_tokens(client.get(reverse("triads:detail", args=[started_triad.pk])))
    assert "Verder met Anna." in page
    assert reverse("triads:evaluation_add", args=[started_triad.pk]) not in page
    assert reverse("triads:check_in_add", args=[started_triad.pk]) not in page
    assert reverse("triads:close", args=[started_triad.pk]) not in page
    for url, data in [
        (reverse("triads:evaluation_add", args=[started_triad.pk]), evaluation_data()),
        (
            reverse("triads:check_in_add", args=[started_triad.pk]),
            {"due_on": iso(today()), "kind": "check_in"},
        ),
        (reverse("triads:check_in_move", args=[started_triad.pk, moment.pk]), {"due_on": iso(today())}),
        (reverse("triads:check_in_cancel", args=[started_triad.pk, moment.pk]), {}),
        (reverse("triads:close", args=[started_triad.pk]), closure_data()),
    ]:
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("triads:detail", args=[started_triad.pk]))
    assert state(started_triad) == before


def test_a_draft_triad_has_no_plan_to_change(login, triad, lead):
    response = login(lead).get(reverse("triads:evaluation_add", args=[triad.pk]), follow=True)
    assert "De opvolging begint met de proefperiode." in response.content.decode()
    assert not Evaluation.objects.exists()


# --- The plan -----------------------------------------------------------------------------------


def test_the_lead_adds_moves_and_removes_a_moment(login, started_triad, lead):
    client = login(lead)
    url = reverse("triads:check_in_add", args=[started_triad.pk])
    form = client.get(url)
    response = client.post(
        url, {"due_on": iso(today() + days(3)), "kind": "evaluation", "submission_token": token(form)}
    )
    assert response.status_code == 302
    added = started_triad.check_ins.get(due_on=today() + days(3))
    assert added.kind == Kind.EVALUATION
    assert selectors.overdue_since([started_triad.youth_id], today() + days(4)) == {
        started_triad.youth_id: today() + days(3)
    }

    move = reverse("triads:check_in_move", args=[started_triad.pk, added.pk])
    assert iso(today() + days(3)) in client.get(move).content.decode()
    assert client.post(move, opened(client, move) | {"due_on": iso(today() + days(6))}).status_code == 302
    added.refresh_from_db()
    assert added.due_on == today() + days(6)

    assert (
        client.post(reverse("triads:check_in_cancel", args=[started_triad.pk, added.pk])).status_code == 302
    )
    # Kept, with who removed it and when (issue 14), but out of the plan's open moments.
    added.refresh_from_db()
    assert added.removed_by == lead and added.removed_at is not None
    assert not started_triad.check_ins.open().filter(pk=added.pk).exists()
    assert selectors.overdue_since([started_triad.youth_id], today() + days(365)) == {
        started_triad.youth_id: started_triad.trial_started_on + days(14)
    }


def test_the_trial_evaluation_cannot_be_removed_from_the_page(login, started_triad, lead):
    evaluation = started_triad.check_ins.get(kind=Kind.TRIAL_EVALUATION)
    response = login(lead).post(
        reverse("triads:check_in_cancel", args=[started_triad.pk, evaluation.pk]), follow=True
    )
    assert "Dit moment kan niet geschrapt worden." in response.content.decode()
    assert CheckIn.objects.filter(pk=evaluation.pk).exists()


def test_removing_a_moment_asks_first_and_the_plan_has_no_one_click_remove(login, started_triad, lead):
    moment = started_triad.check_ins.order_by("due_on").first()
    url = reverse("triads:check_in_cancel", args=[started_triad.pk, moment.pk])
    client = login(lead)
    plan = without_tokens(client.get(reverse("triads:detail", args=[started_triad.pk])))
    # The plan links to the confirm page; no form on it removes a moment in one click.
    assert f'href="{url}"' in plan and f'action="{url}"' not in plan
    before = state(started_triad)
    page = client.get(url).content.decode()
    assert "Weet je het zeker?" in page and "Ja, schrappen" in page
    assert moment.due_on.strftime("%d-%m-%Y") in page and "met jouw naam" in page
    assert re.search(r'<form method="post">', page) and 'name="csrfmiddlewaretoken"' in page
    assert state(started_triad) == before
    assert client.post(url).status_code == 302
    moment.refresh_from_db()
    assert moment.removed_by == lead


def test_the_confirm_page_of_the_trial_evaluation_says_it_cannot_be_removed(login, started_triad, lead):
    evaluation = started_triad.check_ins.get(kind=Kind.TRIAL_EVALUATION)
    response = login(lead).get(
        reverse("triads:check_in_cancel", args=[started_triad.pk, evaluation.pk]), follow=True
    )
    assert "Dit moment kan niet geschrapt worden." in response.content.decode()
    assert "Weet je het zeker?" not in visible_text(response)


def test_the_plan_shows_who_removed_and_who_moved_a_moment_and_when(login, started_triad, lead, colleague):
    assign_backup(started_triad.youth, colleague, lead)
    first, second = started_triad.check_ins.order_by("due_on")[:2]
    was = first.due_on
    services.check_in_move(check_in=first, due_on=was + days(2), by=colleague)
    services.check_in_cancel(check_in=second, by=lead)
    page = without_tokens(login(lead).get(reverse("triads:detail", args=[started_triad.pk])))
    stamp = timezone.localtime().strftime("%d-%m-%Y")
    assert page.count("check-in-moved") == 1 and page.count("check-in-removed") == 1
    moved = re.search(r'check-in-moved">(.*?)</span>', page).group(1)
    assert f"verplaatst door {colleague} op {stamp}" in moved and f"was {was:%d-%m-%Y}" in moved
    removed = re.search(r'check-in-removed">(.*?)</li>', page, re.S).group(1)
    assert f"geschrapt door {lead} op {stamp}" in removed
    # A removed moment has no actions left, and is not overdue, even long after its date.
    assert reverse("triads:check_in_move", args=[started_triad.pk, second.pk]) not in page
    followup = selectors.followup_for(started_triad, today=second.due_on + days(1))
    assert second.pk not in [c.pk for c in followup["overdue"]]


def test_double_submit_of_the_plan_form_adds_one_moment(login, started_triad, lead):
    client = login(lead)
    url = reverse("triads:check_in_add", args=[started_triad.pk])
    data = {"due_on": iso(today() + days(2)), "kind": "check_in", "submission_token": token(client.get(url))}
    client.post(url, data)
    client.post(url, data)
    assert started_triad.check_ins.filter(due_on=today() + days(2)).count() == 1


@pytest.mark.parametrize(
    "value,expected",
    [
        ("", "verplicht"),
        ("gisteren", "geldige datum"),
        ("past", "Kies vandaag of een latere datum."),
        ("far", "binnen de komende twee jaar"),
        (HTML, "geldige datum"),
        (LONG, "geldige datum"),
    ],
)
@pytest.mark.parametrize("page", ["add", "move"])
def test_plan_forms_refuse_bad_dates_in_dutch(login, started_triad, lead, page, value, expected):
    value = {"past": iso(today() - days(1)), "far": iso(today() + days(800))}.get(value, value)
    moment = started_triad.check_ins.order_by("due_on").first()
    url = (
        reverse("triads:check_in_add", args=[started_triad.pk])
        if page == "add"
        else reverse("triads:check_in_move", args=[started_triad.pk, moment.pk])
    )
    before = state(started_triad)
    response = login(lead).post(url, {"due_on": value, "kind": "check_in"})
    assert response.status_code == 200
    assert expected in field_error(response, "due_on")
    assert state(started_triad) == before


def test_the_plan_form_refuses_to_add_a_second_trial_evaluation(login, started_triad, lead):
    response = login(lead).post(
        reverse("triads:check_in_add", args=[started_triad.pk]),
        {"due_on": iso(today() + days(2)), "kind": "trial_evaluation"},
    )
    assert "geldige keuze" in field_error(response, "kind")
    assert started_triad.check_ins.filter(kind=Kind.TRIAL_EVALUATION).count() == 1


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


# --- Fallback requests and the shared log -------------------------------------------------------


def ask(triad, message, urgent=False, ago=0):
    request = services.fallback_request_send(
        triad=triad, by=triad.jim_profile.user, message=message, urgent=urgent
    )
    if ago:
        FallbackRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - days(ago))
    return request


def fresh(youth):
    """The youth as a new request reads it (the file's sections share one read per instance)."""
    return Youth.objects.get(pk=youth.pk)


def render_section(youth, user):
    request = RequestFactory().get(f"/youths/{youth.pk}/")
    request.user = user
    section = triad_section(request, youth)
    return without_tokens(
        render_to_string(section["template"], {"youth": youth, **section["context"]}, request)
    )


def test_open_requests_show_on_the_page_and_the_file_urgent_first(login, started_triad, lead):
    ask(started_triad, "Lotte slaapt slecht, hoe pak ik dat aan?", ago=1)
    ask(started_triad, "Lotte is van huis weggelopen.", urgent=True)
    for body in (
        login(lead).get(reverse("triads:detail", args=[started_triad.pk])).content.decode(),
        render_section(started_triad.youth, lead),
    ):
        assert body.count("fallback-request-open") == 2
        assert body.index("Lotte is van huis weggelopen.") < body.index("Lotte slaapt slecht")
        assert body.count("fallback-request-urgent") == 1 and "Dringend" in body


def test_marking_a_request_handled_takes_it_off_the_open_lists(login, started_triad, lead):
    request = ask(started_triad, "Even bellen?")
    client = login(lead)
    file_url = reverse("jimcase:youth_detail", args=[started_triad.youth_id])
    response = client.post(
        reverse("triads:fallback_handle", args=[started_triad.pk, request.pk]),
        {"next": file_url, "answer": "We bellen donderdag samen."},
    )
    assert response["Location"] == file_url
    request.refresh_from_db()
    assert request.status == FallbackRequest.Status.HANDLED and request.handled_by == lead
    assert "fallback-request-open" not in render_section(started_triad.youth, lead)
    page = without_tokens(client.get(reverse("triads:detail", args=[started_triad.pk])))
    assert "fallback-request-open" not in page and "Eerder afgehandelde vragen" in page
    assert f"afgehandeld door {lead} op {timezone.localdate():%d-%m-%Y}" in page
    # A second click changes nothing; an outside `next` is not followed.
    handled_at = request.handled_at
    response = client.post(
        reverse("triads:fallback_handle", args=[started_triad.pk, request.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("triads:detail", args=[started_triad.pk])
    request.refresh_from_db()
    assert request.handled_at == handled_at


def test_marking_handled_asks_first_on_the_page_and_the_file(login, started_triad, lead):
    request = ask(started_triad, "Lotte is weggelopen, wat nu?", urgent=True)
    url = reverse("triads:fallback_handle", args=[started_triad.pk, request.pk])
    client = login(lead)
    file_url = reverse("jimcase:youth_detail", args=[started_triad.youth_id])
    for body in (
        client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode(),
        client.get(file_url).content.decode(),
    ):
        # A link to the confirm page; no form that marks it handled in one click.
        assert url in body and f'action="{url}"' not in body
    page = client.get(url, {"next": file_url}).content.decode()
    assert "Weet je het zeker?" in page and "Lotte is weggelopen, wat nu?" in page
    assert "Ja, afgehandeld" in page and f'name="next" value="{file_url}"' in page
    request.refresh_from_db()
    assert request.status == FallbackRequest.Status.OPEN
    response = client.post(url, {"next": file_url, "answer": "Samen met Lotte gepraat."})
    assert response["Location"] == file_url
    request.refresh_from_db()
    assert request.handled_by == lead and request.handled_at is not None
    # Asking again for a handled request says so, and changes nothing.
    again = without_tokens(client.get(url, follow=True))
    assert "Deze vraag is al afgehandeld." in again and "Weet je het zeker?" not in again


def test_the_handle_url_is_bound_to_the_triad(login, started_triad, other_triad, lead, other_jim):
    ask(started_triad, "Even bellen?")
    client = login(lead)
    # Written straight to the table: the other triad is a draft, whose JIM cannot ask yet (issue 21).
    foreign = FallbackRequest.objects.create(triad=other_triad, created_by=other_jim, message="Hallo?")
    url = reverse("triads:fallback_handle", args=[started_triad.pk, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert FallbackRequest.objects.filter(status="open").count() == 2


def test_only_shared_log_entries_reach_the_professional(login, started_triad, lead, jim):
    shared = services.jim_log_add(
        triad=started_triad, by=jim, happened_on=today(), kind="met", text="Samen gegeten."
    )
    services.jim_log_share(entry=shared, by=jim)
    services.jim_log_add(
        triad=started_triad, by=jim, happened_on=today(), kind="call", text="Privé: ruzie thuis."
    )
    page = without_tokens(login(lead).get(reverse("triads:detail", args=[started_triad.pk])))
    assert "Samen gegeten." in page
    assert "Privé: ruzie thuis." not in page
    assert page.count("jim-log-shared") == 1


# --- Overdue flags ------------------------------------------------------------------------------


def test_an_overdue_moment_is_flagged_on_the_page_and_the_file(login, started_triad, lead):
    moment = started_triad.check_ins.order_by("due_on").first()
    client = login(lead)
    assert "check-in-overdue-flag" not in without_tokens(
        client.get(reverse("triads:detail", args=[started_triad.pk]))
    )
    assert "check-in-overdue-flag" not in render_section(started_triad.youth, lead)
    services.check_in_move(check_in=moment, due_on=today() - days(3), by=lead)
    page = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "Eén gepland moment is achterstallig." in page
    section = render_section(started_triad.youth, lead)
    assert "check-in-overdue-flag" in section and (today() - days(3)).strftime("%d-%m-%Y") in section
    caseload = client.get(reverse("jimcase:caseload")).content.decode()
    assert "check-in-overdue" in caseload and "opvolging te laat" in caseload
    file = client.get(reverse("jimcase:youth_detail", args=[started_triad.youth_id])).content.decode()
    assert "check-in-overdue" in file and (today() - days(3)).strftime("%d-%m-%Y") in file
    services.triad_close(**OUTCOME, triad=started_triad, by=lead, reason=EndReason.OTHER, after_plan="Plan.")
    assert "check-in-overdue-flag" not in render_section(started_triad.youth, lead)


# --- Query counts -------------------------------------------------------------------------------


def grow(triad, lead, jim, numbers):
    """Per number: a check-in, a planned evaluation with the JIM's and the youth's views and its record,
    a question, a shared and a private log entry; then two open questions handled and every moment overdue."""
    for i in numbers:
        services.check_in_plan(triad=triad, due_on=today() + days(i + 1), by=lead)
        moment = services.check_in_plan(
            triad=triad, due_on=today() + days(i + 1), by=lead, kind=Kind.EVALUATION
        )
        for party, by in ((Party.JIM, jim), (Party.YOUTH, lead)):
            services.evaluation_view_save(check_in=moment, party=party, by=by, score=4, goes_well=f"Goed {i}")
        services.evaluation_record(
            triad=triad, by=lead, held_on=today(), score=3, text=f"Evaluatie {i}", check_in=moment
        )
        ask(triad, f"Vraag {i}", urgent=bool(i % 2))
        entry = services.jim_log_add(triad=triad, by=jim, happened_on=today(), kind="met", text=f"Log {i}")
        services.jim_log_share(entry=entry, by=jim)
        services.jim_log_add(triad=triad, by=jim, happened_on=today(), kind="met", text=f"Privé {i}")
    for request in FallbackRequest.objects.filter(triad=triad, status=FallbackRequest.Status.OPEN)[:2]:
        services.fallback_request_handle(request=request, by=lead, answer="We bellen donderdag samen.")
    # Moves and removals, with who did them (issue 14).
    for moment in CheckIn.objects.open().filter(triad=triad, kind=Kind.CHECK_IN)[: len(numbers)]:
        services.check_in_move(check_in=moment, due_on=moment.due_on + days(1), by=lead)
    removable = CheckIn.objects.open().filter(triad=triad, kind=Kind.CHECK_IN).last()
    services.check_in_cancel(check_in=removable, by=lead)
    CheckIn.objects.filter(triad=triad).update(due_on=today() - days(1))


def test_triad_page_runs_the_same_queries_with_more_follow_up(
    login, started_triad, lead, jim, django_assert_num_queries
):
    client = login(lead)
    url = reverse("triads:detail", args=[started_triad.pk])
    ask(started_triad, "Eerste vraag")
    grow(started_triad, lead, jim, range(1))
    client.get(url)  # warm up: session, content types
    # 25: the 22 before issue 14, one for the JIM's and the youth's views before the evaluations, one for
    # the moves of the planned moments (who moved them, when), and one for the record of why nobody can
    # decide on consent (issue 21).
    with django_assert_num_queries(25, info="one of each kind of follow-up"):
        client.get(url)
    grow(started_triad, lead, jim, range(1, 5))
    assert (
        Evaluation.objects.count() == 5 and JimLogEntry.objects.filter(shared_at__isnull=False).count() == 5
    )
    with django_assert_num_queries(25, info="five of each kind of follow-up"):
        response = client.get(url)
    body = without_tokens(response)
    assert "Evaluatie 4" in body and "Log 4" in body and "Privé" not in body
    assert body.count("Goed 4") == 2  # the JIM's and the youth's view of the fifth evaluation


def test_triad_section_runs_the_same_queries_with_more_follow_up(
    started_triad, lead, jim, django_assert_num_queries
):
    ask(started_triad, "Eerste vraag")
    grow(started_triad, lead, jim, range(1))
    render_section(fresh(started_triad.youth), lead)  # warm up: content types
    youth = fresh(started_triad.youth)  # each request reads the youth anew
    with django_assert_num_queries(5, info="one of each kind of follow-up"):
        render_section(youth, lead)
    grow(started_triad, lead, jim, range(1, 5))
    youth = fresh(started_triad.youth)
    with django_assert_num_queries(5, info="five of each kind of follow-up"):
        body = render_section(youth, lead)
    assert body.count("check-in-overdue-flag") >= 6


def test_triad_section_of_a_youth_without_a_triad_asks_only_for_triads_and_hand_overs(
    youth, lead, django_assert_num_queries
):
    render_section(fresh(youth), lead)  # warm up: content types
    youth = fresh(youth)
    with django_assert_num_queries(2, info="no triad: no consents, requests or check-ins to look for"):
        body = render_section(youth, lead)
    assert "check-in-overdue-flag" not in body
