"""The professional's follow-up pages: who may use them, and the plan of moments."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jimcase.models import CaseAssignment
from jimcase.services import assignment_add, youth_update
from jimcase.tests.html import visible_text, without_tokens
from jimcase.tests.stale import opened
from triads import selectors, services
from triads.models import (
    CheckIn,
    EndReason,
    Evaluation,
    FallbackRequest,
)
from triads.tests.conftest import OUTCOME, assign_backup
from triads.tests.followup_pages import closure_data, days, evaluation_data, followup_urls, iso, state, today
from triads.tests.triad_pages import HTML, LONG, OUTSIDERS, field_error, token

Kind = CheckIn.Kind

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
